"""The squeezed and cell-diffed terminal output (royal_tui.ui.terminal_output, cell_diff) leaves a
real terminal emulator in exactly the state Textual's own output does: the same demo, the same
keys, in two tmux sessions, one with our driver and one with Textual's; tmux re-serialises every
cell's text and style, so the captures must be identical after every key (and after resizes,
dialogs, screens and notifications come and go). Skipped where tmux is missing (CI installs it)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

RUNNER = """
import sys
from royal_tui.cli import main
if sys.argv[1] == "plain":  # Textual's own driver, without the squeezing
    from textual.app import App
    from royal_tui.ui.app import RoyalApp
    RoyalApp.get_driver_class = lambda self: App.get_driver_class(self)
sys.exit(main(["--demo"]))
"""

#: Keys sent to both apps (a tuple resizes both windows instead). They move the table's cursor,
#: reveal passwords, page, open and close the extend dialog, the purchase wizard and the help
#: screen, search, hide the detail pane, copy (an OSC 52 write and a notification) and resize.
KEYS = [
    "Down", "Down", "p", "Down", "End", "Up", "]", "e", "Tab", "Escape", "2", "Down", "a",
    "1", "[", "Down", "Down", "Up", "p", "n", "Down", "Tab", "Escape", "?", "Escape",
    "d", "Down", "d", "/", "x", "Escape", "Escape", "c", "Down", "Down",
    (100, 30), "Down", "Up", "e", "Escape", (120, 36), "Down", "Down", "p", "PageDown", "Home",
]


def tmux(socket: str, *args: str) -> str:
    return subprocess.run(["tmux", "-L", socket, *args], check=True, capture_output=True, text=True).stdout


def wait_for(socket: str, pane: str, text: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in tmux(socket, "capture-pane", "-p", "-t", pane):
            return
        time.sleep(0.1)
    raise AssertionError(f"{text!r} never appeared in {pane}")


def test_squeezed_and_plain_output_leave_the_same_screen(tmp_path):
    socket = f"royal-tui-test-{uuid.uuid4().hex[:8]}"
    runner = tmp_path / "runner.py"
    runner.write_text(RUNNER)
    env = " ".join(
        f"{name}={tmp_path / name.lower()}"
        for name in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME")
    )
    try:
        for variant in ("plain", "squeezed"):
            tmux(socket, "new-session", "-d", "-s", variant, "-x", "120", "-y", "36",
                 f"env {env} TERM=xterm-256color {sys.executable} {runner} {variant}")
        for variant in ("plain", "squeezed"):
            wait_for(socket, variant, "12359")
        time.sleep(0.5)
        for key in KEYS:
            for variant in ("plain", "squeezed"):
                if isinstance(key, tuple):
                    tmux(socket, "resize-window", "-t", variant, "-x", str(key[0]), "-y", str(key[1]))
                else:
                    tmux(socket, "send-keys", "-t", variant, key)
            # Both apps get there in their own time: compare once they agree or 10 s have passed.
            deadline = time.monotonic() + 10
            while True:
                time.sleep(0.3)
                plain = tmux(socket, "capture-pane", "-p", "-e", "-t", "plain")
                squeezed = tmux(socket, "capture-pane", "-p", "-e", "-t", "squeezed")
                if squeezed == plain or time.monotonic() > deadline:
                    break
            assert "\x1b[" in plain  # styles are captured, not only text
            assert squeezed == plain, f"after {key!r}"
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)  # a private server
