"""Fewer bytes to the terminal: drop a colour reset that is immediately undone.

Rich writes every segment as ``ESC[<style>m text ESC[0m``, so a row of table cells in one
style costs a reset and the same style again between each pair of cells:
``ESC[38;5;253;48;5;235m 12357 ESC[0mESC[38;5;253;48;5;235m Canada ESC[0m…``. A reset
followed at once by the very style that was in force before it changes nothing on screen, so
:func:`squeeze_sgr` removes both. Over SSH this is about a quarter of the bytes of each frame.

Only that exact pattern is touched: any text or other escape sequence between the reset and
the next style keeps the reset, and a style stacked on another (not right after a reset) makes
the state unknown, so nothing is dropped until the next reset.
"""

from __future__ import annotations

import re

_SGR = re.compile("\x1b\\[([0-9;]*)m")
_RESETS = ("", "0")


def squeeze_sgr(data: str) -> str:
    """``data`` with every ``ESC[0m`` that is directly followed by the style it ended removed
    (together with that repeated style). The terminal ends up in the same state."""
    if "\x1b[0m\x1b[" not in data:
        return data
    out: list[str] = []
    position = 0
    active: str | None = None  # the one style set since the last reset (None: unknown)
    pending_reset = False  # a reset seen but not written yet
    for match in _SGR.finditer(data):
        start, end = match.span()
        params = match.group(1)
        if start > position:  # text or another escape sequence: the reset must come first
            if pending_reset:
                out.append("\x1b[0m")
                pending_reset = False
                active = ""
            out.append(data[position:start])
        position = end
        if params in _RESETS:
            if pending_reset:  # two resets in a row: one is enough
                continue
            pending_reset = True
            continue
        if pending_reset:
            pending_reset = False
            if params == active:  # reset + the same style again: nothing changes
                continue
            out.append("\x1b[0m")
            active = params
        else:
            active = params if active == "" else None
        out.append(match.group(0))
    if pending_reset:
        out.append("\x1b[0m")
    out.append(data[position:])
    return "".join(out)


def squeezing_driver(base: type) -> type:
    """A subclass of the driver class ``base`` whose output goes through :func:`squeeze_sgr`."""

    class SqueezingDriver(base):  # type: ignore[misc, valid-type]
        def write(self, data: str) -> None:
            super().write(squeeze_sgr(data))

    SqueezingDriver.__name__ = f"Squeezing{base.__name__}"
    return SqueezingDriver
