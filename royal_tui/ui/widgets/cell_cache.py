"""A DataTable cell cache keyed by what a cell shows, not by which row it is in.

DataTable renders every cell through Rich (``Styled(Padding(cell))``, about 0.1 ms each) and
caches the result per (row key, column key), so a new page of orders, or another order's
proxies, renders every visible cell again. Most of them repeat: a plan, a status, "off", a
username, the password mask. :class:`SharedCellRenders` renders each distinct one-line
``Text`` cell once (for a given width, row style and cursor state) and gives each row its own
copy with its row/column mouse metadata added, which is all that differs between two rows'
renderings of the same cell. The segments are equal to DataTable's own (a test checks it).
"""

from __future__ import annotations

from functools import lru_cache

from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.renderables.styled import Styled
from textual.widgets._data_table import _EMPTY_TEXT, Coordinate

#: Distinct cell renderings kept (a page of 100 orders has a few hundred).
SHARED_CELLS = 4096

#: The stand-in character of a cell's shape (never produced by padding or justification).
_PLACEHOLDER = "x"


def _FILLABLE(plain: str) -> bool:
    """Text that renders one cell per character, with nothing stripped or split: printable
    ASCII, no tab, no white space at either end (right-justification strips it)."""
    return bool(plain) and plain.isascii() and plain.isprintable() and plain == plain.strip()


def _placeholder(cell: Text) -> Text:
    """``cell`` with every character replaced by the placeholder: same length, spans, styles."""
    shape = cell.copy()
    shape.plain = _PLACEHOLDER * len(cell.plain)
    return shape


def _fill(shape: list[list[Segment]], plain: str) -> list[list[Segment]]:
    """The shape's segments with the placeholders replaced, in order, by ``plain``'s characters."""
    chars = iter(plain)
    return [
        [
            Segment("".join(next(chars) if ch == _PLACEHOLDER else ch for ch in text), style, control)
            if _PLACEHOLDER in text else Segment(text, style, control)
            for text, style, control in line
        ]
        for line in shape
    ]


@lru_cache(maxsize=SHARED_CELLS)
def _cell_meta(row: int, column: int) -> Style:
    """A cell's mouse metadata (pickled by Rich on each ``from_meta``; the same every page)."""
    return Style.from_meta({"row": row, "column": column})


class SharedCellRenders:
    """Mix into a DataTable subclass (before ``DataTable``)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._shared_cells: LRUCache[tuple, list[list[Segment]]] = LRUCache(SHARED_CELLS)
        #: Styles looked up once per ``render_lines`` call (None outside one).
        self._render_memo: dict | None = None

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._shared_cells.clear()

    # DataTable looks up its own style (a walk up the DOM), the row's zebra style and the header
    # style for every line it renders, and orders its columns for every row: about a third of
    # the time of a new page's lines. Styles cannot change while one ``render_lines`` runs, so
    # each is looked up once per call.
    def render_lines(self, crop):
        self._render_memo = {}
        try:
            return super().render_lines(crop)
        finally:
            self._render_memo = None

    @property
    def rich_style(self) -> Style:
        memo = self._render_memo
        if memo is None:
            return super().rich_style
        style = memo.get("rich_style")
        if style is None:
            style = memo["rich_style"] = super().rich_style
        return style

    def _get_row_style(self, row_index: int, base_style: Style) -> Style:
        memo = self._render_memo
        if memo is None:
            return super()._get_row_style(row_index, base_style)
        key = ("row-style", row_index == -1, row_index < self.fixed_rows, row_index % 2, base_style)
        style = memo.get(key)
        if style is None:
            style = memo[key] = super()._get_row_style(row_index, base_style)
        return style

    def _memo_columns(self) -> list:
        memo = self._render_memo
        if memo is None:
            return self.ordered_columns
        columns = memo.get("columns")
        if columns is None:
            columns = memo["columns"] = self.ordered_columns
        return columns

    def _render_line_in_row(self, row_key, line_no, base_style, cursor_location, hover_location):
        """DataTable's own (textual 8.2.8), for tables without row labels or fixed columns.

        The same segments; the header style, which only row labels and fixed columns use, is
        not looked up, the row style and the columns come from the per-render memo.
        """
        if self.fixed_columns or (self._labelled_row_exists and self.show_row_labels):
            return super()._render_line_in_row(row_key, line_no, base_style, cursor_location, hover_location)
        cursor_type = self.cursor_type
        show_cursor = self.show_cursor
        cache_key = (
            row_key, line_no, base_style, cursor_location, hover_location, cursor_type, show_cursor,
            self._show_hover_cursor, self._update_count, self._pseudo_class_state,
        )
        cache = self._row_render_cache
        if cache_key in cache:
            return cache[cache_key]
        should_highlight = self._should_highlight
        render_cell = self._render_cell
        row_index = self._row_locations.get(row_key) if row_key in self._row_locations else -1
        row_style = self._get_row_style(row_index, base_style)
        columns = self._memo_columns()
        scrollable_row = []
        table_width = 0
        for column_index, column in enumerate(columns):
            cell_location = Coordinate(row_index, column_index)
            width = column.get_render_width(self)
            table_width += width
            scrollable_row.append(
                render_cell(
                    row_index, column_index, row_style, width,
                    cursor=should_highlight(cursor_location, cell_location, cursor_type),
                    hover=should_highlight(hover_location, cell_location, cursor_type),
                )[line_no]
            )
        table_width += self._row_label_column_width
        remaining_space = max(0, self.size.width - table_width)
        if cursor_type == "row":
            extend_style, _ = self._get_styles_to_render_cell(
                row_index == -1, False, False,
                should_highlight(hover_location, Coordinate(row_index or 0, 0), cursor_type),
                row_index == cursor_location.row, show_cursor, self._show_hover_cursor, False, False,
            )
            extend_style = row_style + extend_style
        elif row_style.bgcolor is not None:
            from textual.color import Color

            faded_color = Color.from_rich_color(row_style.bgcolor).blend(self.background_colors[1], factor=0.25)
            extend_style = Style.from_color(color=row_style.color, bgcolor=faded_color.rich_color)
        else:
            extend_style = Style.from_color(row_style.color, row_style.bgcolor)
        extend_style += Style.from_meta({"row": row_index, "column": 0, "out_of_bounds": True})
        scrollable_row.append([Segment(" " * remaining_space, extend_style)])
        row_pair = ([], scrollable_row)
        cache[cache_key] = row_pair
        return row_pair

    def _render_shared(self, cell: Text, base_style, width, cursor, hover, content_key) -> list[list[Segment]]:
        """DataTable._render_cell's own rendering of ``cell``, without the row/column metadata."""
        show_cursor, show_hover = content_key[12], content_key[13]
        foreground_priority, background_priority, cell_padding = content_key[15:18]
        component_style, post_style = self._get_styles_to_render_cell(
            False, False, False, hover, cursor, show_cursor, show_hover,
            foreground_priority == "css", background_priority == "css",
        )
        options = self.app.console_options.update_dimensions(width, 1).update(no_wrap=True)
        return self.app.console.render_lines(
            Styled(Padding(cell, (0, cell_padding)), pre_style=base_style + component_style,
                   post_style=post_style),
            options,
        )

    def _cell_settings(self) -> tuple:
        """The reactives every cell reads (once per ``render_lines`` call, not once per cell)."""
        memo = self._render_memo
        settings = memo.get("cell-settings") if memo is not None else None
        if settings is None:
            settings = (
                bool(self.fixed_rows or self.fixed_columns), self.show_cursor,
                self.cursor_foreground_priority, self.cursor_background_priority, self.cell_padding,
            )
            if memo is not None:
                memo["cell-settings"] = settings
        return settings

    def _render_cell(self, row_index, column_index, base_style, width, cursor=False, hover=False):
        fixed, show_cursor, foreground_priority, background_priority, cell_padding = self._cell_settings()
        if row_index < 0 or column_index < 0 or fixed:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        show_hover = self._show_hover_cursor
        cell_cache_key = (
            row_key, column_key, base_style, cursor, hover,
            show_hover, self._update_count, self._pseudo_class_state,
        )
        cache = self._cell_render_cache
        if cell_cache_key in cache:
            return cache[cell_cache_key]
        row = self.rows.get(row_key)
        cell = self._data.get(row_key, {}).get(column_key) if row is not None else None
        if not isinstance(cell, Text) or row.height != 1 or row.label is not None:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        if not cell:
            cell = _EMPTY_TEXT  # what DataTable's cell formatting makes of an empty Text
        content_key = (
            cell.plain, tuple(cell.spans), cell.style, cell.justify, cell.overflow, cell.no_wrap,
            cell.end, cell.tab_size, base_style, width, cursor, hover, show_cursor, show_hover,
            self._pseudo_class_state, foreground_priority, background_priority, cell_padding,
        )
        shared = self._shared_cells.get(content_key)
        if shared is None:
            plain = cell.plain
            if _FILLABLE(plain) and cell.no_wrap is not False:
                # A plain one-line ASCII text renders like any other of its length, spans and
                # styles, character for character: render that shape once, then fill it in.
                shape_key = (len(plain), *content_key[1:])
                shape = self._shared_cells.get(shape_key)
                if shape is None:
                    shape = self._shared_cells[shape_key] = self._render_shared(
                        _placeholder(cell), base_style, width, cursor, hover, content_key
                    )
                shared = _fill(shape, plain)
            else:
                shared = self._render_shared(cell, base_style, width, cursor, hover, content_key)
            self._shared_cells[content_key] = shared
        meta = _cell_meta(row_index, column_index)
        lines = [
            [Segment(text, meta if style is None else style + meta, control) for text, style, control in line]
            for line in shared
        ]
        cache[cell_cache_key] = lines
        return lines
