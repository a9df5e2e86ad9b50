"""The orders table: one row per order of the current page, fitted to its width."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from itertools import zip_longest
from typing import Iterable

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, DuplicateKey, Row, RowKey

from royal_tui.api.models import Order
from royal_tui.formatting import expires_soon, one_line, relative, utc_date
from royal_tui.ui.widgets.cell_cache import SharedCellRenders
from royal_tui.ui.widgets.steady_scrollbars import SteadyScrollbars

#: Colours per status (Rich styles; kept readable on dark and light themes).
STATUS_STYLES = {
    "confirmed": "bold green",
    "in-progress": "bold yellow",
    "unpaid": "bold magenta",
    "refunded": "cyan",
    "expired": "red",
}

COLUMNS = (
    ("id", "ID"),
    ("location", "Location"),
    ("plan", "Plan"),
    ("quantity", "Qty"),
    ("status", "Status"),
    ("expires", "Expires (UTC)"),
    ("auto", "Auto"),
    ("note", "Note"),
)

#: The note column takes whatever width the other columns leave, within these bounds;
#: with less room than NOTE_MIN it is left out (the detail pane shows the note).
NOTE_MIN, NOTE_MAX = 8, 60


@dataclass(frozen=True)
class Fit:
    """How the rows are drawn at a given width."""

    location: int = 24  # longest location shown before an ellipsis
    times: bool = True  # expiry with the time of day, not only the date
    note: int = NOTE_MAX  # 0: no note column
    auto: bool = True  # the auto-extend column
    relative: bool = True  # "in 3d" after the expiry date

    @property
    def columns(self) -> tuple[tuple[str, str], ...]:
        return tuple(
            column
            for column in COLUMNS
            if (column[0] != "note" or self.note) and (column[0] != "auto" or self.auto)
        )


#: From the roomiest to the tightest. When the detail pane sits beside the table, the columns it
#: repeats (note, then auto-extend) give way before the table scrolls sideways.
FITS = (
    Fit(24, True, NOTE_MAX),
    Fit(18, False, NOTE_MAX),
    Fit(16, False, 0),
    Fit(16, False, 0, auto=False),
    Fit(14, False, 0, auto=False, relative=False),
)


def _expiry(order: Order, now: datetime) -> tuple[str, str, bool]:
    """(date and time, relative, soon): the expiry cell at its widest, worked out once per order."""
    soon = order.status == "confirmed" and expires_soon(order.expire_date, now)
    date = utc_date(order.expire_date).removesuffix(" UTC")  # the column header says UTC
    return date, relative(order.expire_date, now), soon


def _expires_parts(expiry: tuple[str, str, bool], fit: Fit) -> tuple[str, str, bool]:
    """(date, relative, soon) as the expiry cell shows them at this fit."""
    date, rel, soon = expiry
    return (date if fit.times else date[:10]), (rel if fit.relative else ""), soon


def order_cells(order: Order, now: datetime, fit: Fit = Fit()) -> list[Text]:
    """The row for one order; API strings become literal Text (no markup)."""
    return _cells(order, _expiry(order, now), fit, one_line(order.location, _UNCUT), one_line(order.note, _UNCUT))


#: ``one_line(text, _UNCUT)`` collapses without shortening; :func:`_cut` then shortens it.
_UNCUT = 1 << 30


def _cut(cleaned: str, limit: int) -> str:
    """``one_line(text, limit)`` from ``cleaned = one_line(text, _UNCUT)``."""
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def _cut_width(cleaned: str, limit: int) -> int:
    """``cell_len(_cut(cleaned, limit))``, without building the string when it is ASCII."""
    if cleaned.isascii():
        return len(cleaned) if len(cleaned) <= limit else limit
    return cell_len(_cut(cleaned, limit))


def _cells(order: Order, expiry: tuple[str, str, bool], fit: Fit, location: str, note: str) -> list[Text]:
    """:func:`order_cells`, given the order's expiry, location and note already worked out."""
    date, rel, soon = _expires_parts(expiry, fit)
    expires = Text(date, no_wrap=True)
    if rel:
        expires.append(f"  {rel}", style="bold yellow" if soon else "dim")
    if soon:
        expires.stylize("bold yellow", 0, len(date))
    cells = [
        Text(str(order.id), justify="right"),
        Text(_cut(location, fit.location)),
        Text(one_line(order.plan_name, 16)),
        Text(str(order.quantity), justify="right"),
        Text(one_line(order.status, 16), style=STATUS_STYLES.get(order.status, "")),
        expires,
    ]
    if fit.auto:
        cells.append(Text("on", style="green") if order.auto_extend_enabled else Text("off", style="dim"))
    if fit.note:
        cells.append(Text(_cut(note, fit.note), style="italic"))
    return cells


def _widest(values: Iterable[str]) -> int:
    return max(map(cell_len, values), default=0)


class _Measures:
    """The widest cell of each column for a set of orders, at any :class:`Fit`, measured once.

    ``fit_widths(fit)`` is what ``order_cells(order, now, fit)`` would measure, column by column,
    without rendering a single cell.
    """

    def __init__(self, orders: list[Order], now: datetime) -> None:
        self.fixed = {
            "id": _widest(str(order.id) for order in orders),
            "plan": _widest(one_line(order.plan_name, 16) for order in orders),
            "quantity": _widest(str(order.quantity) for order in orders),
            "status": _widest(one_line(order.status, 16) for order in orders),
            "auto": _widest("on" if order.auto_extend_enabled else "off" for order in orders),
        }
        self._orders = orders
        self.expiries = [_expiry(order, now) for order in orders]
        self.locations = [one_line(order.location, _UNCUT) for order in orders]
        self.notes = [one_line(order.note, _UNCUT) for order in orders]
        self._location: dict[int, int] = {}
        self._expires: dict[tuple[bool, bool], int] = {}
        self._note: dict[int, int] = {}

    def location(self, limit: int) -> int:
        if limit not in self._location:
            self._location[limit] = max((_cut_width(text, limit) for text in self.locations), default=0)
        return self._location[limit]

    def expires(self, fit: Fit) -> int:
        key = (fit.times, fit.relative)
        if key not in self._expires:
            widest = 0
            for expiry in self.expiries:
                date, rel, _soon = _expires_parts(expiry, fit)
                widest = max(widest, cell_len(date) + (cell_len(rel) + 2 if rel else 0))
            self._expires[key] = widest
        return self._expires[key]

    def note(self, limit: int) -> int:
        if limit not in self._note:
            self._note[limit] = max((_cut_width(text, limit) for text in self.notes), default=0)
        return self._note[limit]

    def rows(self, fit: Fit) -> list[list[Text]]:
        """``order_cells(order, now, fit)`` for every order, each text collapsed only once."""
        return [
            _cells(order, expiry, fit, location, note)
            for order, expiry, location, note in zip(self._orders, self.expiries, self.locations, self.notes)
        ]

    def fit_widths(self, fit: Fit) -> dict[str, int]:
        """Content width per column key (the label included) for ``fit``."""
        widths: dict[str, int] = {}
        for key, label in fit.columns:
            if key == "location":
                content = self.location(fit.location)
            elif key == "expires":
                content = self.expires(fit)
            elif key == "note":
                content = self.note(fit.note)
            else:
                content = self.fixed[key]
            widths[key] = max(cell_len(label), content)
        return widths


class OrdersTable(SteadyScrollbars, SharedCellRenders, DataTable):
    """A row-cursor DataTable keyed by order id that never scrolls sideways if it can help it."""

    DEFAULT_CSS = """
    OrdersTable {
        height: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.orders: dict[int, Order] = {}
        self._now: datetime | None = None
        self._fit: Fit | None = None
        self._laid_out_width = 0

    def on_mount(self) -> None:
        self._set_columns(FITS[0], {})

    def _set_columns(self, fit: Fit, widths: dict[str, int]) -> None:
        """Columns for ``fit``, each as wide as ``widths`` says (measured by :class:`_Measures`).

        Every column has an explicit width, so DataTable never measures a cell (it would only
        ever widen a column, never narrow it, as pages come and go). When the fit keeps the
        same columns they are kept and only their widths change.
        """
        if self._fit is not None and self._fit.columns == fit.columns and len(self.columns) == len(fit.columns):
            self.clear()
            for key, label in fit.columns:
                column = self.columns[ColumnKey(key)]
                column.width = widths.get(key, cell_len(label))
                column.auto_width = False
        else:
            self.clear(columns=True)
            for key, label in fit.columns:
                self.add_column(label, key=key, width=widths.get(key, cell_len(label)))
        self._fit = fit

    def show_orders(self, orders: Iterable[Order], now: datetime, *, select: int | None = None) -> None:
        """Replace the rows with ``orders``; keep the cursor on ``select`` if present."""
        self._now = now
        orders = list(orders)
        measures = _Measures(orders, now)
        fit = self._choose_fit(measures)
        self._set_columns(fit, measures.fit_widths(fit))
        self.orders = {order.id: order for order in orders}
        self._add_keyed_rows([str(order.id) for order in orders], measures.rows(fit))
        self._settle_dimensions()
        if select is not None and select in self.orders:
            self.move_cursor(row=self.get_row_index(str(select)))

    def _add_keyed_rows(self, keys: list[str], rows: list[list[Text]]) -> None:
        """``add_row(*cells, key=key)`` for each row, in one step.

        ``DataTable.add_row`` re-validates the cursor, bumps the update count and schedules an
        idle check once per row. The table's state after this is the same as after the
        ``add_row`` calls (a test checks it), and the first row highlights the cursor as
        ``add_row`` does when a table that had no rows gets one.
        """
        if not rows:
            return
        if len(set(keys)) != len(keys) or any(RowKey(key) in self._row_locations for key in keys):
            raise DuplicateKey("A row key is repeated or already exists.")
        columns = [column.key for column in self.ordered_columns]
        locations, data, table_rows, new_rows = self._row_locations, self._data, self.rows, self._new_rows
        was_empty = not table_rows
        index = len(table_rows)
        for key, cells in zip(keys, rows):
            row_key = RowKey(key)
            locations[row_key] = index
            data[row_key] = {column: cell for column, cell in zip_longest(columns, cells)}
            table_rows[row_key] = Row(row_key, 1, None, False)
            new_rows.add(row_key)
            index += 1
        self._require_update_dimensions = True
        self.cursor_coordinate = self.cursor_coordinate
        if was_empty and self.columns and self.show_cursor and self.cursor_type != "none":
            self._highlight_cursor()
        self._update_count += 1
        self.check_idle()

    def _settle_dimensions(self) -> None:
        """Size the table now, not on its next idle (after the next layout): one frame, not two."""
        if any(column.auto_width for column in self.columns.values()):
            return
        self._require_update_dimensions = False
        self._new_rows.clear()
        self._update_dimensions(())

    def update_order(self, order: Order, now: datetime) -> None:
        """Refresh one row in place (an order re-read from the server)."""
        if order.id not in self.orders or self._fit is None:
            return
        self.orders[order.id] = order
        for (column, _label), cell in zip(self._fit.columns, order_cells(order, now, self._fit)):
            self.update_cell(str(order.id), column, cell)

    def _outer_width(self) -> int:
        """The table's width, its scrollbar included (before the first layout: the screen's)."""
        return self.size.width or self.app.size.width

    def _choose_fit(self, measures: _Measures) -> Fit:
        """The roomiest drawing whose columns fit the width, the note taking what is left."""
        width = self._outer_width()
        self._laid_out_width = width
        padding = 2 * self.cell_padding
        room = width - 2  # 2: the vertical scrollbar
        for candidate in FITS:
            used = sum(
                content + padding
                for key, content in measures.fit_widths(replace(candidate, note=0)).items()
            )
            if candidate.note:
                left = room - used - padding
                if left >= NOTE_MIN:
                    return replace(candidate, note=min(candidate.note, left))
            elif used <= room:
                return candidate
        return FITS[-1]

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        # Every column has an explicit width and every row is one line: nothing to measure.
        if all(not column.auto_width for column in self.columns.values()):
            new_rows = ()
        super()._update_dimensions(new_rows)

    def _set_hover_cursor(self, active: bool) -> None:
        # DataTable repaints the hover row on every key press, even when the hover cursor was
        # already off: one row of bytes per cursor move for nothing.
        if active == self._show_hover_cursor:
            return
        super()._set_hover_cursor(active)

    def on_resize(self, event: events.Resize) -> None:
        if self.orders and self._now is not None and self._outer_width() != self._laid_out_width:
            selected = self.highlighted_order
            self.show_orders(list(self.orders.values()), self._now, select=selected.id if selected else None)

    @property
    def highlighted_order(self) -> Order | None:
        if not self.orders or self.cursor_row < 0:
            return None
        try:
            key = self.coordinate_to_cell_key((self.cursor_row, 0)).row_key.value
        except Exception:
            return None
        return self.orders.get(int(key)) if key is not None else None
