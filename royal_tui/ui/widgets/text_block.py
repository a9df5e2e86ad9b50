"""A block of labelled, wrapping lines drawn by one widget (a Textual ``Visual``).

The detail pane used a widget per label and per value (a row of two Statics per field, a box
per section): about 35 widgets, each styled, laid out and rendered on its own, which was most
of the pane's cost at startup and on every page. :class:`TextBlock` draws the same lines in one
``Static``: each item is a value wrapped (folded) to the width left beside its prefix, the
first line after ``first`` (a label, a bullet, an indent) and the rest after ``rest`` (spaces
as wide), exactly as a label Static beside a ``1fr`` value Static laid them out. Wrapping is
Textual's own (``Content.wrap``), so the lines break where the value Statics broke them.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.cells import cell_len
from rich.text import Text
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual


_NEWLINE = Content("\n")
#: The style of the spaces before a value: invisible, but a run of its own, so a value never
#: starts with spaces (SVG screenshots' renderers do not all keep leading spaces).
_GAP = "dim"


class Item(NamedTuple):
    """``value`` wrapped beside ``first`` (its first line) and ``rest`` (the others).

    ``value`` None is a blank line."""

    value: Content | None
    first: Content = Content("")
    rest: Content = Content("")


def item(value: Text | None, first: Text | str = "", width: int | None = None) -> Item:
    """An :class:`Item` from Rich Texts: ``first`` padded to ``width`` cells, the other lines
    indented as much."""
    if value is None:
        return Item(None)
    prefix = Content.from_rich_text(first) if isinstance(first, Text) else Content.styled(first, _GAP)
    if width is not None and prefix.cell_length < width:
        prefix += Content.styled(" " * (width - prefix.cell_length), _GAP)
    return Item(Content.from_rich_text(value), prefix, Content.styled(" " * prefix.cell_length, _GAP))


def blank() -> Item:
    return Item(None)


class TextBlock(Visual):
    def __init__(self, items: list[Item] | tuple[Item, ...]) -> None:
        self.items = tuple(items)
        self._wrapped: tuple[int, list[Content]] | None = None

    def lines(self, width: int) -> list[Content]:
        """The block's lines at ``width`` cells."""
        if self._wrapped is not None and self._wrapped[0] == width:
            return self._wrapped[1]
        lines: list[Content] = []
        for value, first, rest in self.items:
            if value is None:
                lines.append(Content(""))
                continue
            room = max(1, width - first.cell_length)
            for index, line in enumerate(value.wrap(room, overflow="fold") or [Content("")]):
                lines.append((first if index == 0 else rest) + line)
        self._wrapped = (width, lines)
        return lines

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        # The lines already fit: Content renders them as a Static would (styles, selection).
        return _NEWLINE.join(self.lines(width)).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max(
            (first.cell_length + max((cell_len(part) for part in value.plain.split("\n")), default=0)
             for value, first, _rest in self.items if value is not None),
            default=0,
        )

    def get_height(self, rules: RulesMap, width: int) -> int:
        return len(self.lines(width))
