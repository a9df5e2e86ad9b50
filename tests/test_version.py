"""One version everywhere: ``royal-tui --version``, ``royal_tui.__version__``, pyproject.toml and
the newest release in CHANGELOG.md."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import royal_tui

ROOT = Path(__file__).parent.parent


def newest_changelog_release() -> tuple[str, str]:
    """(version, date) of the first ``## [X.Y.Z] - YYYY-MM-DD`` heading ([Unreleased] skipped)."""
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    match = re.search(r"^## \[(\d+\.\d+\.\d+[^\]]*)\] - (\d{4}-\d{2}-\d{2})$", text, re.MULTILINE)
    assert match, "CHANGELOG.md has no release heading like '## [0.1.0] - 2026-12-03'"
    return match.group(1), match.group(2)


def test_the_version_agrees_everywhere():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    changelog, _date = newest_changelog_release()
    assert royal_tui.__version__ == pyproject == changelog


def test_royal_tui_version_prints_it():
    out = subprocess.run(
        [sys.executable, "-m", "royal_tui", "--version"], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == f"royal-tui {royal_tui.__version__}"
    script = Path(sys.executable).parent / "royal-tui"  # the installed entry point, when there is one
    if script.exists():
        out = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=True).stdout
        assert out.strip() == f"royal-tui {royal_tui.__version__}"
