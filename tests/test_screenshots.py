"""The README's screenshots: every screen has one, every file exists, the README shows real ones,
and the generator (``python -m royal_tui.screenshots``) still runs."""

from __future__ import annotations

import asyncio
import importlib
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

from textual.screen import Screen

import royal_tui.ui
from royal_tui import screenshots
from royal_tui.screenshots import LOGIN_TOKEN, SHOTS

ROOT = Path(__file__).parent.parent
FOLDER = ROOT / "screenshots"
README = (ROOT / "README.md").read_text(encoding="utf-8")


def our_screens() -> set[type[Screen]]:
    """Every Screen / ModalScreen subclass defined in royal_tui.ui (all its modules imported)."""
    for info in pkgutil.walk_packages(royal_tui.ui.__path__, "royal_tui.ui."):
        importlib.import_module(info.name)
    found: set[type[Screen]] = set()
    todo = [Screen]
    while todo:
        for cls in todo.pop().__subclasses__():
            todo.append(cls)
            if cls.__module__.startswith("royal_tui.ui."):
                found.add(cls)
    return found


def test_every_screen_and_dialog_has_a_screenshot():
    covered = {shot.screen for shot in SHOTS}
    missing = sorted(cls.__qualname__ for cls in our_screens() - covered)
    assert not missing, f"add a Shot to royal_tui/screenshots.py for: {', '.join(missing)}"


def test_every_screenshot_of_the_manifest_exists_and_nothing_else_does():
    names = [shot.file for shot in SHOTS]
    assert len(names) == len(set(names))
    missing = [name for name in names if not (FOLDER / name).is_file()]
    assert not missing, f"run `python -m royal_tui.screenshots`; missing: {missing}"
    stray = sorted(p.name for p in FOLDER.glob("*.svg") if p.name not in names)
    assert not stray, f"not made by the generator (remove them): {stray}"


def test_the_readme_shows_screenshots_that_exist_and_says_how_to_regenerate_them():
    referenced = re.findall(r"\]\((screenshots/[^)\s]+)\)", README)
    assert referenced, "the README shows no screenshot"
    manifest = {f"screenshots/{shot.file}" for shot in SHOTS}
    for path in referenced:
        assert path in manifest, f"{path} is not made by the generator"
        assert (ROOT / path).is_file(), path
    assert "python -m royal_tui.screenshots" in README


def test_no_screenshot_shows_the_token():
    for path in FOLDER.glob("*.svg"):
        assert LOGIN_TOKEN not in path.read_text(encoding="utf-8"), path.name
    login = (FOLDER / "login.svg").read_text(encoding="utf-8")
    assert "•" * 8 in login  # the field shows what was typed, masked


def test_the_app_never_imports_the_generator():
    code = (
        "import sys, royal_tui.cli, royal_tui.launch, royal_tui.ui.app;"
        "royal_tui.launch.make_app(demo=True);"
        "assert 'royal_tui.screenshots' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_the_generator_writes_a_screenshot_and_lists_its_shots(tmp_path, capsys):
    shots = [shot for shot in SHOTS if shot.name in ("login", "failure-toast")]
    written = asyncio.run(screenshots.generate(shots, tmp_path))
    assert [p.name for p in written] == ["login.svg", "failure-toast.svg"]
    assert "Log in to the IPRoyal reseller API" in written[0].read_text(encoding="utf-8").replace("&#160;", " ")
    assert "rate" in written[1].read_text(encoding="utf-8")
    assert screenshots.main(["--list"]) == 0
    listing = capsys.readouterr().out
    assert all(shot.file in listing for shot in SHOTS)
