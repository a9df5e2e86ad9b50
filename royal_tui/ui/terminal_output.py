"""Fewer bytes to the terminal: change only the colours and attributes that change.

Rich writes every segment as ``ESC[<style>m text ESC[0m``, so a row of table cells costs a
reset and a whole new style between each pair of cells, even when the next cell differs only in
its foreground colour: ``ESC[38;5;253;48;5;235m 12357 ESC[0mESC[38;5;246;48;5;235m••••``. Where
the style in force before the reset is known, :func:`squeeze_sgr` writes only the difference
(``ESC[38;5;246m``, or nothing at all for the same style again). Over SSH this is a third or more
of the bytes of each frame.

The terminal ends up in exactly the same state for every character written:

- Only a reset directly followed by a new style is rewritten, and only when the style in force
  before it is known: set by a reset and styles since, all made of parameters this module
  understands (Rich's attributes and colours). Anything else (a parameter it does not know, the
  start of a write) makes the state unknown, and the reset is written as it was.
- Text between the reset and the next style (even a newline, which can scroll and fill a line
  with the current background) keeps the reset. A cursor position (``ESC[row;colH``) does not
  change SGR state, so the state carries across it; any other escape sequence (``ESC 8`` restores
  a saved SGR state, for one) makes it unknown.
- Turning an attribute off uses its own off code (``22`` ends both bold and dim, so the one that
  stays is set again), a colour that goes uses the default colour code (``39``/``49``), and the
  difference is used only when it is shorter than the reset and style it replaces.

Before that, with Textual's Linux/macOS driver, :func:`squeezing_driver` writes each frame as the
cells that differ from what the terminal already shows (:mod:`royal_tui.ui.cell_diff`); a write
the diff cannot take goes out squeezed as above.
"""

from __future__ import annotations

import re

_SGR = re.compile("\x1b\\[([0-9;]*)m")
_CURSOR_POSITION = re.compile("\x1b\\[\\d*(?:;\\d*)?H")
_RESETS = ("", "0")
_RESET = "\x1b[0m"
_SYNC_START, _SYNC_END = "\x1b[?2026h", "\x1b[?2026l"  # synchronized output (Textual writes each alone)

#: Each attribute Rich writes, and the code that turns it off (some codes end two attributes).
_OFF = {1: 22, 2: 22, 3: 23, 4: 24, 21: 24, 5: 25, 6: 25, 7: 27, 8: 28, 9: 29, 51: 54, 52: 54, 53: 55}

#: An SGR state: attributes on, foreground and background colour parameters (None: default).
State = tuple[frozenset, "str | None", "str | None"]
_DEFAULT: State = (frozenset(), None, None)


def parse_sgr(params: str) -> State | None:
    """The state ``ESC[<params>m`` sets on top of the default, or None for anything unknown."""
    codes = params.split(";")
    attrs: set[int] = set()
    fg = bg = None
    index = 0
    while index < len(codes):
        code = codes[index]
        if not code.isdigit():
            return None
        number = int(code)
        if number in (38, 48):
            mode = codes[index + 1] if index + 1 < len(codes) else ""
            size = 3 if mode == "5" else 5 if mode == "2" else 0
            value = codes[index : index + size]
            if not size or len(value) != size or not all(part.isdigit() for part in value):
                return None
            if number == 38:
                fg = ";".join(value)
            else:
                bg = ";".join(value)
            index += size
            continue
        if 30 <= number <= 37 or 90 <= number <= 97:
            fg = code
        elif 40 <= number <= 47 or 100 <= number <= 107:
            bg = code
        elif number in _OFF:
            attrs.add(number)
        else:  # a reset, a default colour or anything else: not a plain style
            return None
        index += 1
    return frozenset(attrs), fg, bg


def _stack(state: State, style: State) -> State:
    """``style`` written while ``state`` is in force (SGR parameters add up)."""
    return state[0] | style[0], style[1] or state[1], style[2] or state[2]


def transition(before: State, after: State) -> str:
    """The shortest SGR that turns ``before`` into ``after`` ("" when they are the same)."""
    (attrs_before, fg_before, bg_before), (attrs_after, fg_after, bg_after) = before, after
    off = sorted({_OFF[attr] for attr in attrs_before - attrs_after})
    ended = {attr for attr in attrs_before if _OFF[attr] in off}  # 22 ends bold and dim alike
    codes = [str(code) for code in off]
    codes += [str(attr) for attr in sorted((attrs_after - attrs_before) | (attrs_after & ended))]
    if fg_after != fg_before:
        codes.append(fg_after or "39")
    if bg_after != bg_before:
        codes.append(bg_after or "49")
    return f"\x1b[{';'.join(codes)}m" if codes else ""


def squeeze_sgr(data: str) -> str:
    """``data`` with each reset + style written as the difference from the style before it,
    where that is known and shorter. The terminal ends up in the same state."""
    if "\x1b[0m\x1b[" not in data:
        return data
    out: list[str] = []
    position = 0
    state: State | None = None  # what is in force (None: unknown, as at the start of a write)
    pending_reset = False  # a reset seen but not written yet
    gap: list[str] = []  # cursor positions seen since that reset (they do not change SGR state)
    for match in _SGR.finditer(data):
        start, end = match.span()
        if start > position:
            between = data[position:start]
            if pending_reset and _CURSOR_POSITION.fullmatch(between):
                gap.append(between)
            else:  # text or another escape sequence: the reset must come first
                if pending_reset:
                    out.append(_RESET)
                    out.extend(gap)
                    gap.clear()
                    pending_reset = False
                    state = _DEFAULT
                out.append(between)
                if "\x1b" in _CURSOR_POSITION.sub("", between):
                    state = None  # another escape sequence (a restored cursor brings its own SGR state)
        position = end
        params = match.group(1)
        if params in _RESETS:
            pending_reset = True  # two resets in a row: one is enough
            continue
        style = parse_sgr(params)
        if pending_reset:
            pending_reset = False
            if style is not None and state is not None:
                shorter = transition(state, style)
                if len(shorter) < len(_RESET) + len(match.group(0)):
                    out.extend(gap)
                    gap.clear()
                    out.append(shorter)
                    state = style
                    continue
            out.append(_RESET)
            out.extend(gap)
            gap.clear()
            out.append(match.group(0))
            state = style
            continue
        out.append(match.group(0))
        state = _stack(state, style) if state is not None and style is not None else None
    if pending_reset:
        out.append(_RESET)
    out.extend(gap)
    out.append(data[position:])
    return "".join(out)


def squeezing_driver(base: type) -> type:
    """A subclass of the driver class ``base`` whose output goes through :func:`squeeze_sgr` and,
    for Textual's Linux/macOS terminal driver, through a cell diff first
    (:mod:`royal_tui.ui.cell_diff`): only the cells that change are written."""

    class SqueezingDriver(base):  # type: ignore[misc, valid-type]
        def write(self, data: str) -> None:
            super().write(squeeze_sgr(data))

    driver = _cell_diffing(base) if _is_linux_driver(base) else SqueezingDriver
    driver.__name__ = f"Squeezing{base.__name__}"
    return driver


def _is_linux_driver(base: type) -> bool:
    try:
        from textual.drivers.linux_driver import LinuxDriver
    except ImportError:  # Windows
        return False
    return issubclass(base, LinuxDriver)


def _cell_diffing(base: type) -> type:
    """``base`` (a Linux driver) writing each frame as a diff against a model of the
    screen. The model is forgotten whenever the terminal's size may have changed (read from the
    terminal before each write, and on each SIGWINCH or in-band resize report) and when
    application mode starts or stops; the next frame then goes out whole. A synchronized-output
    start is held back until something follows it: a frame with no change writes nothing, not
    even the start and end of its synchronized update."""
    import os
    import threading

    from textual import events

    from royal_tui.ui.cell_diff import CellDiff

    class CellDiffingDriver(base):  # type: ignore[misc, valid-type]
        def __init__(self, *args, **kwargs) -> None:
            self._screen_model = CellDiff()
            self._screen_stale = True  # set from signal handlers and the input thread
            self._screen_lock = threading.RLock()  # writes come from the app's and the input thread
            self._screen_busy = False
            self._sync_held = False  # a synchronized-output start not written yet
            super().__init__(*args, **kwargs)

        def write(self, data: str) -> None:
            with self._screen_lock:
                if self._screen_busy:  # a signal handler writing in the middle of a write
                    self._screen_stale = True
                    super().write(squeeze_sgr(data))
                    return
                if data == _SYNC_START:
                    self._sync_held = True
                    return
                if data == _SYNC_END and self._sync_held:  # nothing was written since the start
                    self._sync_held = False
                    return
                self._screen_busy = True
                try:
                    output = self._diff(data)
                finally:
                    self._screen_busy = False
                if output is None:  # as it is, squeezed (a diff's own SGR is the shortest already)
                    output = squeeze_sgr(data)
                if output:
                    if self._sync_held:
                        self._sync_held = False
                        output = _SYNC_START + output
                    super().write(output)

        def _diff(self, data: str) -> str | None:
            model = self._screen_model
            if self._screen_stale:
                self._screen_stale = False
                model.forget()
            try:
                size = os.get_terminal_size(self._file.fileno())
            except (AttributeError, OSError, ValueError):
                model.resize(None)
            else:
                model.resize((size.columns, size.lines))
            return model.diff(data)

        def forget_screen(self) -> None:
            """The next frame goes out whole (the app's redraw key)."""
            self._screen_stale = True

        def _get_terminal_size(self) -> tuple[int, int]:  # on start and on SIGWINCH
            self._screen_stale = True
            return super()._get_terminal_size()

        def process_message(self, message) -> None:  # in-band resize reports come this way
            if isinstance(message, events.Resize):
                self._screen_stale = True
            super().process_message(message)

        def start_application_mode(self) -> None:
            self._screen_stale = True
            super().start_application_mode()

        def stop_application_mode(self) -> None:
            self._screen_stale = True
            super().stop_application_mode()

    return CellDiffingDriver
