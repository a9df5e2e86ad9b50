"""The proxies of one order as a scrolling table: ip, username, password (masked by default).

Passwords never enter the table while masked: its cells hold ``••••••••`` and the real
values stay in :attr:`ProxyTable._passwords` until :meth:`ProxyTable.set_reveal`.

Every column gets an explicit width (measured once from the plain strings) and every row is
one line high, so DataTable has nothing to measure when rows arrive: filling it with 1,000
proxies stays cheap, and revealing or hiding passwords touches only the password column.
"""

from __future__ import annotations

from typing import Iterable

from rich.cells import cell_len
from rich.text import Text
from textual.coordinate import Coordinate
from textual.css.scalar import Unit
from textual.widgets import DataTable
from textual.widgets._data_table import Row
from textual.widgets.data_table import ColumnKey, RowKey

from royal_tui.api.models import Proxy
from royal_tui.formatting import one_line
from royal_tui.ui.widgets.cell_cache import SharedCellRenders
from royal_tui.ui.widgets.steady_scrollbars import SteadyScrollbars

#: What a masked password looks like (a fixed length: the mask leaks nothing).
MASK = "•" * 8
#: Longest text kept in one cell (ip, username, password).
CELL_LIMIT = 64

COLUMNS = (("ip", "ip"), ("username", "username"), ("password", "password"))
PASSWORD = ColumnKey("password")
PASSWORD_INDEX = 2


def clean_cell(value: str) -> str:
    """``one_line`` for a cell (no control characters), with a fast path for clean values."""
    if value.isprintable() and len(value) <= CELL_LIMIT and value.strip() == value and "  " not in value:
        return value
    return one_line(value, CELL_LIMIT)


class ProxyTable(SteadyScrollbars, SharedCellRenders, DataTable):
    """One row per proxy, a row cursor, a bounded height (it scrolls internally)."""

    DEFAULT_CSS = """
    ProxyTable {
        /* As wide as its columns: a wider table only repaints a filler after the last column
           (the pane's background) on every refill. */
        width: auto;
        max-width: 100%;
        height: auto;
        max-height: 12;
        scrollbar-size-vertical: 1;
        scrollbar-size-horizontal: 1;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=True)
        self._proxies: tuple[Proxy, ...] | None = None
        self._passwords: list[str] = []
        self._reveal = False

    def on_mount(self) -> None:
        if self._proxies is None:
            self.show_proxies(())

    @property
    def proxies(self) -> tuple[Proxy, ...]:
        return self._proxies or ()

    @property
    def reveal(self) -> bool:
        return self._reveal

    @property
    def highlighted_proxy(self) -> Proxy | None:
        proxies = self.proxies
        return proxies[self.cursor_row] if 0 <= self.cursor_row < len(proxies) else None

    def show_proxies(self, proxies: tuple[Proxy, ...]) -> bool:
        """Refill the table unless it already holds these proxies; True when refilled."""
        if self._proxies is not None and (proxies is self._proxies or proxies == self._proxies):
            return False
        self._proxies = proxies
        self._passwords = [clean_cell(proxy.password) for proxy in proxies]
        ips = [clean_cell(proxy.ip) for proxy in proxies]
        users = [clean_cell(proxy.username) for proxy in proxies]
        self.clear(columns=True)
        widths = (
            max(map(cell_len, ips), default=0),
            max(map(cell_len, users), default=0),
            self._password_width(),
        )
        for (key, label), width in zip(COLUMNS, widths):
            self.add_column(label, key=key, width=max(width, cell_len(label)))
        cell = self._password_cell
        self._add_plain_rows(
            [(Text(ip), Text(user), cell(password)) for ip, user, password in zip(ips, users, self._passwords)]
        )
        self.settle_dimensions()
        return True

    def _add_plain_rows(self, rows: list[tuple[Text, Text, Text]]) -> None:
        """``add_rows`` for one-line rows without keys or labels, in one step.

        ``DataTable.add_row`` re-validates the cursor, bumps the update count and schedules an
        idle check once per row (about 30 ms for 1,000 proxies); the table's state after this is
        the same as after ``add_rows(rows)``.
        """
        if not rows:
            return
        keys = [column.key for column in self.ordered_columns]
        locations, data, table_rows = self._row_locations, self._data, self.rows
        index = len(table_rows)
        for cells in rows:
            row_key = RowKey(None)
            locations[row_key] = index
            data[row_key] = dict(zip(keys, cells))
            table_rows[row_key] = Row(row_key, 1)
            index += 1
        self._require_update_dimensions = True
        self.cursor_coordinate = self.cursor_coordinate
        if index == len(rows) and self.columns and self.show_cursor and self.cursor_type != "none":
            self._highlight_cursor()  # what add_row does for the first row
        self._update_count += 1
        self.check_idle()

    def settle_dimensions(self) -> None:
        """Size the table now instead of on its next idle.

        DataTable recomputes its virtual size when it is next idle, which comes after the
        screen's next layout: the pane around the table would be laid out (and painted) once
        with the old height and again with the new one. Every column has an explicit width and
        every row one line, so the size is known at once.
        """
        if any(column.auto_width for column in self.columns.values()):
            return
        self._require_update_dimensions = False
        self._new_rows.clear()
        self._update_dimensions(())
        self._predict_vertical_scrollbar()

    def _predict_vertical_scrollbar(self) -> None:
        """Show or hide the vertical scrollbar now, as the coming layout will decide.

        Left to the layout, a scrollbar that appears or goes (50 proxies, then 5) asks for a
        second layout, and the whole table is painted twice. The height is ``auto`` up to
        ``max-height`` lines, so the answer is known; when a horizontal scrollbar may be
        involved (or the pane has not been laid out yet) the layout decides, as before.
        """
        max_height = self.styles.max_height
        width = self.container_size.width
        if not width and self.parent is not None:  # hidden until now: as wide as its container allows
            width = self.parent.container_size.width - self.styles.margin.width
        if max_height is None or max_height.unit != Unit.CELLS or not width:
            return
        if self.virtual_size.width > width - self.styles.scrollbar_size_vertical:
            return
        show = self.virtual_size.height > int(max_height.value)
        if show != self.show_vertical_scrollbar:
            self.show_vertical_scrollbar = show
            if self._vertical_scrollbar is not None or show:
                self.vertical_scrollbar.display = show

    def set_reveal(self, reveal: bool) -> None:
        """Show or mask the passwords: one ``update_cell`` per row, no re-measuring."""
        if reveal == self._reveal:
            return
        self._reveal = reveal
        for row, password in enumerate(self._passwords[: self.row_count]):
            self.update_cell_at(Coordinate(row, PASSWORD_INDEX), self._password_cell(password))
        self._set_password_width(self._password_width())

    # ------------------------------------------------------------------ internals
    def _password_cell(self, password: str) -> Text:
        if not self._reveal:
            return Text(MASK, style="dim")
        return Text(password) if password else Text("—", style="dim")

    def _password_width(self) -> int:
        """The mask's width while masked, else the longest password."""
        if not self._reveal:
            return cell_len(MASK)
        return max(map(cell_len, self._passwords), default=1)

    def _set_password_width(self, width: int) -> None:
        column = self.columns.get(PASSWORD)
        width = max(width, cell_len(COLUMNS[PASSWORD_INDEX][1]))
        if column is not None and column.width != width:
            column.width = width
            # What ``add_column`` does to get the virtual size recomputed on the next idle.
            self._require_update_dimensions = True
            self.check_idle()

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        # DataTable measures every cell of every new row to size auto-width columns and
        # auto-height rows (about 30 ms for 1,000 rows); this table has neither, so skip the
        # measuring and let DataTable do the rest (virtual size, refresh).
        if all(not column.auto_width for column in self.columns.values()):
            new_rows = ()
        super()._update_dimensions(new_rows)
