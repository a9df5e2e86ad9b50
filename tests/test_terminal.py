"""``royal-tui --demo`` in a real pseudo-terminal under the TERM values of plain xterm and of
tmux/screen, with NO_COLOR and with an ANSI theme: it paints the orders, quits on ctrl+q with
status 0 and never prints a traceback."""

from __future__ import annotations

import fcntl
import os
import re
import select
import struct
import subprocess
import sys
import termios
import time

import pytest

from bench.pty_bytes import read_until_quiet

COLS, ROWS = 100, 30


def spawn_demo(tmp_path, **env_overrides: str) -> tuple[subprocess.Popen, int]:
    """``royal-tui --demo`` on a new pseudo-terminal (COLS x ROWS): the process and the master end."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLORTERM", "TEXTUAL", "COLUMNS", "LINES")}
    env.update(
        XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_DATA_HOME=str(tmp_path / "data"), XDG_CACHE_HOME=str(tmp_path / "cache"),
    )
    env.update(env_overrides)

    def controlling_tty() -> None:
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    proc = subprocess.Popen(
        [sys.executable, "-m", "royal_tui", "--demo"],
        stdin=slave, stdout=slave, stderr=slave, env=env, preexec_fn=controlling_tty, close_fds=True,
    )
    os.close(slave)
    return proc, master


def run_in_pty(tmp_path, **env_overrides: str) -> tuple[int, bytes]:
    proc, master = spawn_demo(tmp_path, **env_overrides)
    output = bytearray()
    deadline = time.monotonic() + 30
    quit_sent = False
    try:
        while time.monotonic() < deadline:
            if not quit_sent and b"12359" in output and b"Residential" in output:
                time.sleep(0.3)  # let the page finish painting
                os.write(master, b"\x11")  # ctrl+q
                quit_sent = True
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                output += chunk
            elif proc.poll() is not None:
                break
        code = proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    assert quit_sent, output[-2000:]
    return code, bytes(output)


@pytest.mark.parametrize("term", ["xterm", "screen-256color", "xterm-256color", "tmux-256color"])
def test_runs_and_quits_under_common_terms(tmp_path, term):
    code, output = run_in_pty(tmp_path, TERM=term)
    assert code == 0
    assert b"Traceback" not in output and b"Error" not in output


def test_no_color_paints_in_greys_only(tmp_path):
    code, output = run_in_pty(tmp_path, TERM="xterm-256color", NO_COLOR="1", COLORTERM="truecolor")
    assert code == 0 and b"Traceback" not in output
    colours = re.findall(rb"\x1b\[[0-9;]*?[34]8;2;(\d+);(\d+);(\d+)", output)
    assert colours, "expected truecolor sequences to check"
    assert all(r == g == b for r, g, b in colours)


def test_an_ansi_theme_uses_the_terminals_own_palette(tmp_path):
    code, output = run_in_pty(tmp_path, TERM="xterm-256color", COLORTERM="truecolor", ROYAL_TUI_THEME="ansi-dark")
    assert code == 0 and b"Traceback" not in output
    parameters = re.findall(rb"\x1b\[([0-9;]*)m", output)
    assert parameters
    # Only the 16 named colours (30–37, 90–97 and backgrounds) and defaults: never 256 or RGB.
    assert not any(b"38;" in p or b"48;" in p or p.startswith((b"38", b"48")) for p in parameters)
    assert any(re.fullmatch(rb"3[0-7]|9[0-7]", part) for p in parameters for part in p.split(b";"))


def test_ctrl_l_draws_every_cell_again(tmp_path):
    """The terminal output sends only the cells that change (royal_tui.ui.cell_diff); ctrl+l
    makes the next frame go out whole, for a screen another program wrote over."""
    proc, master = spawn_demo(tmp_path, TERM="xterm-256color")

    def read_quiet(quiet: float = 0.6, limit: float = 20.0) -> bytes:
        return read_until_quiet(master, quiet=quiet, limit=limit)

    try:
        first = bytearray()
        deadline = time.monotonic() + 30
        while b"12359" not in first and time.monotonic() < deadline:
            first += read_quiet(0.2, 5)
        first += read_quiet()
        os.write(master, b"\x1b[24~")  # F12: bound to nothing, nothing changes
        idle = read_quiet()
        os.write(master, b"\x0c")  # ctrl+l
        redraw = read_quiet()
        os.write(master, b"\x11")  # ctrl+q
        read_quiet()
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    text = re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]", b"", redraw)
    assert len(idle) < 100
    assert b"12359" in text and b"Residential" in text and b"Refresh" in text  # the whole screen
    assert len(redraw) > 0.5 * len(first)
