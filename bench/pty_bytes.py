"""Terminal bytes: run ``royal-tui --demo`` in a real pseudo-terminal (120x36) and count bytes.

``python -m bench.pty_bytes`` prints JSON: bytes of the initial paint (until quiet), bytes of a
full repaint forced by a resize round-trip, and bytes after one "down" key.
"""

from __future__ import annotations

import fcntl
import json
import os
import select
import struct
import subprocess
import sys
import tempfile
import termios
import time

COLS, ROWS = 120, 36


def set_size(fd: int, rows: int, cols: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def read_until_quiet(fd: int, quiet: float, limit: float, first_timeout: float | None = None) -> bytes:
    """Everything written until nothing has come for ``quiet`` seconds (or ``limit`` passed)."""
    data = bytearray()
    start = time.monotonic()
    last = start
    while True:
        now = time.monotonic()
        if now - start > limit:
            break
        wait = (first_timeout if (first_timeout and not data) else quiet) - (now - last)
        if wait <= 0:
            break
        ready, _, _ = select.select([fd], [], [], wait)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            data += chunk
            last = time.monotonic()
    return bytes(data)


def session(pin_size: bool) -> dict:
    master, slave = os.openpty()
    set_size(slave, ROWS, COLS)
    env = dict(os.environ, TERM="xterm-256color", XDG_CONFIG_HOME=tempfile.mkdtemp(prefix="royal-bench-"))
    if pin_size:  # COLUMNS/LINES pin the size: the app then ignores SIGWINCH resizes
        env.update(COLUMNS=str(COLS), LINES=str(ROWS))
    env.pop("TEXTUAL", None)

    def controlling_tty() -> None:
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    proc = subprocess.Popen(
        [sys.executable, "-c", "from royal_tui.cli import main; raise SystemExit(main(['--demo']))"],
        stdin=slave, stdout=slave, stderr=slave, env=env, preexec_fn=controlling_tty, close_fds=True,
    )
    os.close(slave)
    out: dict = {}
    try:
        # The first paint, the orders arriving and any follow-up frames: until 800 ms of quiet.
        initial = read_until_quiet(master, quiet=0.8, limit=15.0, first_timeout=10.0)
        out["initial_bytes"] = len(initial)
        # A full repaint of the settled screen: shrink by one row, then back to 120x36.
        set_size(master, ROWS - 1, COLS)
        proc.send_signal(28)  # SIGWINCH (the pty also sends it to the foreground group)
        read_until_quiet(master, quiet=0.4, limit=5.0)
        set_size(master, ROWS, COLS)
        proc.send_signal(28)
        out["resize_repaint_bytes"] = len(read_until_quiet(master, quiet=0.4, limit=5.0))
        # One cursor move.
        # Cursor moves: three "down" keys, then one "up".
        out["down_bytes"] = []
        for _ in range(3):
            os.write(master, b"\x1b[B")
            out["down_bytes"].append(len(read_until_quiet(master, quiet=0.3, limit=5.0)))
        os.write(master, b"\x1b[A")
        out["up_bytes"] = len(read_until_quiet(master, quiet=0.3, limit=5.0))
        os.write(master, b"\x11")  # ctrl+q
        read_until_quiet(master, quiet=0.3, limit=3.0)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        out["exit_code"] = proc.returncode
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    return out


def main() -> None:
    pinned = session(pin_size=True)      # as briefed: COLUMNS=120 LINES=36 + TIOCSWINSZ
    free = session(pin_size=False)       # same, without COLUMNS/LINES, so a resize repaints
    print(json.dumps({"pinned": pinned, "resizable": free}))


if __name__ == "__main__":
    main()
