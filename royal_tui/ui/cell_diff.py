"""Fewer bytes per frame: write only the terminal cells that change.

Textual repaints whole regions: when the orders table's cursor moves one row, the detail pane
beside it is written again whole, although most of its cells come out the same. :class:`CellDiff`
keeps a model of what the terminal shows (each cell's text and SGR style, the cursor, the SGR
state in force) and turns each write Textual makes into the cells that differ from the model,
with the shortest move over each run of unchanged cells: ``ESC[nC``, ``ESC[row;colH`` or the
unchanged cells written again. The terminal ends up in exactly the state Textual's own output
leaves it in: every cell, and the cursor and SGR state at the end of each write.

The rules (when in doubt, a write goes out as it is and the model forgets what it is unsure of):

- A write is understood when it is made of what Textual writes for a frame: cursor positions
  (``ESC[row;colH``), cursor forward (``ESC[nC``), SGR (colours and attributes this module can
  model, see :func:`apply_sgr`), printable text, line feeds (never on the last row: that would
  scroll) and carriage returns. Only such a write is diffed, and only when the cursor position
  and SGR state it ends with are known; any other write goes out as it is, and the model takes
  in what it can of it.
- Sequences that change no cell, cursor or SGR state go out in their place: synchronized output,
  cursor show/hide, mouse, focus, paste, kitty keyboard and line-wrap modes, mode queries,
  window titles, OSC 52 clipboard, pointer shapes and the bell.
- Sequences that change cells or the cursor in a way not modelled (alternate screen, erases,
  other cursor moves, save/restore cursor, tabs, backspace) make the whole model unknown: the
  cells Textual writes next go out whole. A sequence not known at all (it could set a scroll
  region, insert mode or a character set, which change what later writes do) turns the diff off
  for good: everything after it goes out as Textual wrote it.
- The model is forgotten whenever the terminal's size changes, when application mode starts or
  stops (see :mod:`royal_tui.ui.terminal_output`), and on any line feed that would scroll.
- Text is modelled cell by cell: a character one cell wide, or two cells wide by both Rich and
  Unicode's East Asian width, plus the combining marks after it. Anything else (zero-width
  joiners, variation selectors, skin-tone modifiers, a combining mark with no character before it
  in the same text, a wide character that does not fit the line) makes the model unknown. After
  the last column the cursor position is unknown until the next ``ESC[row;colH`` (autowrap on or
  off), so the diff never prints there without one.
- A character written over half of a wide character leaves the other half unknown (terminals
  differ there); as the diff writes every changed cell in the original order, the terminal goes
  through the same changes. Cells written inside an OSC 8 hyperlink are unknown.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rich.cells import get_character_cell_size

from royal_tui.ui.terminal_output import _DEFAULT, _OFF, State, transition

_RESET = "\x1b[0m"

#: Every SGR code that turns attributes off, and the attributes it ends.
_ENDS = {off: frozenset(attr for attr, code in _OFF.items() if code == off) for off in set(_OFF.values())}

#: A cell: its text (a character and any combining marks after it) and its SGR state.
Cell = tuple[str, State]
#: The right half of a wide character (the text and style are in the cell to its left).
_RIGHT_HALF: Cell = ("", _DEFAULT)
#: An op that makes the whole model unknown.
_FORGET = None

_TOKENS = re.compile(
    r"(?P<text>[^\x00-\x1f\x7f-\x9f]+)"
    r"|\x1b\[(?P<csi>[0-?]*)(?P<inter>[ -/]*)(?P<final>[@-~])"
    r"|\x1b\](?P<osc>[^\x07\x1b]*)(?:\x07|\x1b\\)"
    r"|(?P<other>\x1b[^\[\]]?|[\x00-\x1f\x7f-\x9f])"
)
_CURSOR_POSITION = re.compile(r"(\d*)(?:;(\d*))?")

#: DEC private modes that change no cell: cursor visibility, autowrap (the cursor is unknown
#: after the last column either way), mouse, focus, bracketed paste, synchronized output and
#: in-band resize reports.
_HARMLESS_MODES = frozenset(
    f"?{mode}" for mode in (7, 25, 1000, 1002, 1003, 1004, 1005, 1006, 1015, 1016, 2004, 2026, 2048)
)
#: Alternate screen switches: the cells are unknown afterwards.
_SCREEN_MODES = frozenset({"?47", "?1047", "?1048", "?1049"})
#: CSI finals that erase, scroll or move the cursor in ways not modelled (no mode changes).
_FORGET_FINALS = frozenset("@ABDEFGJKLMPSTXdsu`")
#: OSC codes that change no cell: window and icon titles, pointer shape, clipboard.
_HARMLESS_OSC = frozenset({"0", "1", "2", "22", "52"})


@lru_cache(maxsize=4096)
def apply_sgr(state: State | None, params: str) -> State | None:
    """The SGR state after ``ESC[<params>m`` is written while ``state`` is in force (None: unknown).

    Understood: resets, the attributes Rich writes and their off codes, 8/16/256/true colours and
    the default colours. Anything else (underline colours and styles, fonts, colon parameters,
    more than 30 parameters) makes the state unknown, and so does underline2 (21) together with bold or dim (some terminals
    read 21 as "bold off")."""
    attrs, fg, bg = state if state is not None else (frozenset(), None, None)
    known = state is not None
    codes = params.split(";")
    if len(codes) > 30:  # more than xterm takes in one sequence
        return None
    index = 0
    while index < len(codes):
        code = codes[index]
        if code and not code.isdigit():
            return None
        number = int(code) if code else 0
        index += 1
        if number in (38, 48):
            mode = codes[index] if index < len(codes) else ""
            size = 2 if mode == "5" else 4 if mode == "2" else 0
            value = codes[index : index + size]
            if not size or len(value) != size or not all(part.isdigit() and int(part) < 256 for part in value):
                return None
            colour = ";".join([code, *value])
            fg, bg = (colour, bg) if number == 38 else (fg, colour)
            index += size
        elif number == 0:
            attrs, fg, bg, known = frozenset(), None, None, True
        elif number in _OFF:
            attrs = attrs | {number}
        elif number in _ENDS:
            attrs = attrs - _ENDS[number]
        elif 30 <= number <= 37 or 90 <= number <= 97:
            fg = str(number)
        elif 40 <= number <= 47 or 100 <= number <= 107:
            bg = str(number)
        elif number == 39:
            fg = None
        elif number == 49:
            bg = None
        else:
            return None
    if not known or (21 in attrs and attrs & {1, 2}):
        return None
    return attrs, fg, bg


def _style(state: State) -> str:
    """``state`` written from the default state."""
    attrs, fg, bg = state
    params = [str(attr) for attr in sorted(attrs)] + [colour for colour in (fg, bg) if colour]
    return f"\x1b[0;{';'.join(params)}m" if params else _RESET


@lru_cache(maxsize=4096)
def _pen_change(before: State | None, after: State) -> str:
    """The shortest SGR that puts ``after`` in force where ``before`` is (None: unknown)."""
    if before == after:
        return ""
    full = _style(after)
    if before is None:
        return full
    difference = transition(before, after)
    return difference if len(difference) < len(full) else full


def _cursor_position(row: int, col: int) -> str:
    if col:
        return f"\x1b[{row + 1};{col + 1}H"
    return f"\x1b[{row + 1}H" if row else "\x1b[H"


@lru_cache(maxsize=4096)
def char_width(char: str) -> int | None:
    """Cells ``char`` takes: 1 or 2, 0 for a combining mark, None when terminals may disagree."""
    width = get_character_cell_size(char)
    wide = unicodedata.east_asian_width(char) in ("W", "F")
    if width == 1 and not wide:
        return 1
    if width == 2 and wide and not 0x1F3FB <= ord(char) <= 0x1F3FF:  # skin tones join the emoji before
        return 2
    if width == 0 and unicodedata.category(char) in ("Mn", "Me") and not _is_variation_selector(char):
        return 0
    return None


def _is_variation_selector(char: str) -> bool:
    code = ord(char)
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def _put(line: list[Cell | None], col: int, width: int, cell: Cell | None) -> None:
    """``cell`` (None: unknown) written at ``col`` of ``line``, ``width`` cells wide."""
    if line[col] is _RIGHT_HALF:  # half of a wide character is overwritten: the other half is unknown
        line[col - 1] = None
    end = col + width
    if end < len(line) and line[end] is _RIGHT_HALF:
        line[end] = None
    line[col] = cell
    if width == 2:
        line[col + 1] = _RIGHT_HALF if cell is not None else None


class CellDiff:
    """The model of the terminal's screen, and each write diffed against it (see the module)."""

    def __init__(self) -> None:
        self.size: tuple[int, int] | None = None  # (width, height); None: unknown, nothing is diffed
        self.disabled = False  # a sequence not known at all was written: no more diffing
        self.link = False  # an OSC 8 hyperlink is open (it applies to the cells written)
        self.forget()

    def forget(self) -> None:
        """Make every cell, the cursor position and the SGR state unknown."""
        width, height = self.size or (0, 0)
        self.cells: list[list[Cell | None]] = [[None] * width for _ in range(height)]
        self.row: int | None = None
        self.col: int | None = None  # None: unknown (after a line feed or the last column)
        self.pen: State | None = None

    def resize(self, size: tuple[int, int] | None) -> None:
        """The terminal's size (width, height) is ``size`` (None: unknown): forget all on a change."""
        if size != self.size:
            self.size = size if size and min(size) > 0 else None
            self.forget()

    def diff(self, data: str) -> str | None:
        """What to write instead of ``data`` for the same result: the cells that change (possibly
        nothing at all), or None to write ``data`` as it is."""
        if self.disabled or self.size is None:
            return None
        parsed = self._parse(data)
        if parsed is None:
            self.disabled = True
            return None
        ops, exact, end = parsed
        if exact:
            output = self._emit(ops, end)
        else:
            self._apply(ops)
            output = None
        self.row, self.col, self.pen = end
        return output

    def _parse(self, data: str) -> tuple[list, bool, tuple[int | None, int | None, State | None]] | None:
        """``data`` as ops: runs of cells ``(row, col, [(text, width)], style or None)``, sequences
        that change no cell (str) and :data:`_FORGET`; whether the diff can be written instead
        (exact), and the cursor and SGR state at the end. None: a sequence not known at all."""
        width, height = self.size  # type: ignore[misc]
        row, col, pen = self.row, self.col, self.pen
        ops: list = []
        exact = True
        for match in _TOKENS.finditer(data):
            forget = False
            text, final, osc = match.group("text", "final", "osc")
            if text is not None:
                if row is None or col is None:
                    forget = True
                else:
                    style = None if self.link else pen
                    run: list[tuple[str, int]] = []
                    ops.append((row, col, run, style))
                    exact = exact and style is not None
                    for char in text:
                        cells = char_width(char)
                        if cells == 0 and run:  # a combining mark joins the character before
                            run[-1] = (run[-1][0] + char, run[-1][1])
                        elif col is None or not cells or col + cells > width:
                            forget = True
                            break
                        else:
                            run.append((char, cells))
                            col = col + cells if col + cells < width else None  # None: after the last column
            elif final is not None:
                params, intermediates = match.group("csi", "inter")
                private = params.startswith(("<", "=", ">", "?"))
                if intermediates:
                    if not (final == "p" and intermediates == "$" and private):
                        return None  # anything but a mode query (DECRQM)
                    ops.append(match.group())
                elif final == "H":
                    position = _CURSOR_POSITION.fullmatch(params)
                    if position is None:
                        return None
                    row, col = int(position.group(1) or 1) - 1, int(position.group(2) or 1) - 1
                    forget = not (0 <= row < height and 0 <= col < width)
                elif final == "C" and (params.isdigit() or not params):
                    if row is not None and col is not None:
                        col = min(col + max(int(params or 1), 1), width - 1)
                elif final == "m":
                    pen = apply_sgr(pen, params)
                elif (final in "hl" and params in _HARMLESS_MODES or final == "u" and private
                      or final == "n" and params == "6"):  # kitty keyboard modes, a cursor position query
                    ops.append(match.group())
                elif final in "hl" and params in _SCREEN_MODES or final in _FORGET_FINALS and not private:
                    forget = True
                else:
                    return None
            elif osc is not None:
                code, _, rest = osc.partition(";")
                if code in _HARMLESS_OSC:
                    ops.append(match.group())
                elif code == "8":
                    _link_params, separator, uri = rest.partition(";")
                    if not separator:
                        return None
                    self.link = bool(uri)
                    ops.append(match.group())
                    exact = False
                else:
                    forget = True
            else:
                control = match.group("other")
                if control == "\n":
                    if row is None or row == height - 1:  # it may scroll
                        forget = True
                    else:
                        row, col = row + 1, None  # the column depends on the tty's ONLCR
                elif control == "\r":
                    col = 0 if row is not None else None
                elif control == "\x07":
                    ops.append(control)
                elif control in ("\b", "\t", "\x0b", "\x0c", "\x1b7", "\x1b8"):
                    forget = True
                else:
                    return None
            if forget:
                ops.append(_FORGET)
                exact = False
                row = col = pen = None
        exact = exact and row is not None and col is not None and pen is not None
        return ops, exact, (row, col, pen)

    def _apply(self, ops: list) -> None:
        """Take in what is known of a write that goes out as it is."""
        for op in ops:
            if op is _FORGET:
                self.forget()
            elif not isinstance(op, str):
                row, col, run, style = op
                line = self.cells[row]
                for text, width in run:
                    _put(line, col, width, (text, style) if style is not None else None)
                    col += width

    def _emit(self, ops: list, end: tuple[int | None, int | None, State | None]) -> str:
        """The diff of an exact write: the cells that change, in the original order."""
        width = self.size[0]  # type: ignore[index]
        out: list[str] = []
        row, col, pen = self.row, self.col, self.pen
        for op in ops:
            if isinstance(op, str):
                out.append(op)
                continue
            target_row, target_col, run, style = op
            line = self.cells[target_row]
            for text, cells in run:
                cell = (text, style)
                if line[target_col] != cell:
                    if (row, col) != (target_row, target_col):
                        out.append(self._travel(row, col, target_row, target_col, pen, style))
                    else:
                        out.append(_pen_change(pen, style))
                    out.append(text)
                    _put(line, target_col, cells, cell)
                    row, col, pen = target_row, target_col + cells, style
                    if col == width:
                        col = None
                target_col += cells
        end_row, end_col, end_pen = end
        if (row, col) != (end_row, end_col):
            out.append(self._travel(row, col, end_row, end_col, pen, end_pen))  # type: ignore[arg-type]
        else:
            out.append(_pen_change(pen, end_pen))  # type: ignore[arg-type]
        return "".join(out)

    def _travel(self, row: int | None, col: int | None, to_row: int, to_col: int, pen: State | None,
                style: State) -> str:
        """The shortest way from the cursor at ``row, col`` (None: unknown) and ``pen`` in force
        to ``to_row, to_col`` with ``style`` in force, changing no cell."""
        options = [_cursor_position(to_row, to_col) + _pen_change(pen, style)]
        if row == to_row and col is not None and col < to_col:
            gap = to_col - col
            options.append(("\x1b[C" if gap == 1 else f"\x1b[{gap}C") + _pen_change(pen, style))
            if gap <= len(options[-1]):
                rewrite = self._rewrite(self.cells[row], col, to_col, pen, style)
                if rewrite is not None:
                    options.append(rewrite)
        return min(options, key=lambda option: len(option.encode()))

    @staticmethod
    def _rewrite(line: list[Cell | None], col: int, to_col: int, pen: State | None, style: State) -> str | None:
        """The unchanged cells from ``col`` up to ``to_col`` written again, or None if they are not
        all known whole characters."""
        out: list[str] = []
        while col < to_col:
            cell = line[col]
            if cell is None or cell is _RIGHT_HALF:
                return None
            text, cell_pen = cell
            out.append(_pen_change(pen, cell_pen))
            out.append(text)
            pen = cell_pen
            col += char_width(text[0]) or 1
        if col != to_col:
            return None
        out.append(_pen_change(pen, style))
        return "".join(out)
