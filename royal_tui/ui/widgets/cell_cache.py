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

from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.renderables.styled import Styled
from textual.widgets._data_table import _EMPTY_TEXT

#: Distinct cell renderings kept (a page of 100 orders has a few hundred).
SHARED_CELLS = 4096


class SharedCellRenders:
    """Mix into a DataTable subclass (before ``DataTable``)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._shared_cells: LRUCache[tuple, list[list[Segment]]] = LRUCache(SHARED_CELLS)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._shared_cells.clear()

    def _render_cell(self, row_index, column_index, base_style, width, cursor=False, hover=False):
        if row_index < 0 or column_index < 0 or self.fixed_rows or self.fixed_columns:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        cell_cache_key = (
            row_key, column_key, base_style, cursor, hover,
            self._show_hover_cursor, self._update_count, self._pseudo_class_state,
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
        show_cursor, show_hover = self.show_cursor, self._show_hover_cursor
        content_key = (
            cell.plain, tuple(cell.spans), cell.style, cell.justify, cell.overflow, cell.no_wrap,
            cell.end, cell.tab_size, base_style, width, cursor, hover, show_cursor, show_hover,
            self._pseudo_class_state, self.cursor_foreground_priority, self.cursor_background_priority,
            self.cell_padding,
        )
        shared = self._shared_cells.get(content_key)
        if shared is None:
            # DataTable._render_cell's own rendering, without the row/column metadata.
            component_style, post_style = self._get_styles_to_render_cell(
                False, False, False, hover, cursor, show_cursor, show_hover,
                self.cursor_foreground_priority == "css", self.cursor_background_priority == "css",
            )
            options = self.app.console_options.update_dimensions(width, 1).update(no_wrap=True)
            shared = self.app.console.render_lines(
                Styled(Padding(cell, (0, self.cell_padding)), pre_style=base_style + component_style,
                       post_style=post_style),
                options,
            )
            self._shared_cells[content_key] = shared
        meta = Style.from_meta({"row": row_index, "column": column_index})
        lines = [
            [Segment(text, meta if style is None else style + meta, control) for text, style, control in line]
            for line in shared
        ]
        cache[cell_cache_key] = lines
        return lines
