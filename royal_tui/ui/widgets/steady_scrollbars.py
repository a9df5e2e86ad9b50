"""Scrollbars repainted only when what they show changes (Textual 8.2.8 internals).

Textual's ``Widget._scroll_update`` runs whenever a scrollable widget's size or virtual size
changes, and repaints its scrollbars every time, even when they show exactly what they showed:
a new page of orders whose columns are a cell wider repainted the table's 30-line vertical
scrollbar (2–3 ms of the page's paint). :class:`SteadyScrollbars` does what Textual does and
repaints a scrollbar only when its window, virtual size or position changed (those are Textual
reactives, which repaint it themselves when they change) or it has just appeared.
``tests/test_rendering_economy.py`` pins the Textual internals used.
"""

from __future__ import annotations


class SteadyScrollbars:
    """Mix into a scrollable widget class (before the Textual base)."""

    def _scroll_update(self, virtual_size) -> None:
        shown = (self.show_vertical_scrollbar, self.show_horizontal_scrollbar)
        self._refresh_scrollbars()
        width, height = self.container_size
        if self.show_vertical_scrollbar and self.styles.scrollbar_size_vertical:
            bar = self.vertical_scrollbar
            bar.window_virtual_size = virtual_size.height  # a change repaints it
            bar.window_size = height - self.scrollbar_size_horizontal
            if not shown[0]:
                bar.refresh()
        if self.show_horizontal_scrollbar and self.styles.scrollbar_size_horizontal:
            bar = self.horizontal_scrollbar
            bar.window_virtual_size = virtual_size.width
            bar.window_size = width - self.scrollbar_size_vertical
            if not shown[1]:
                bar.refresh()
        self.scroll_x = self.validate_scroll_x(self.scroll_x)
        self.scroll_y = self.validate_scroll_y(self.scroll_y)
