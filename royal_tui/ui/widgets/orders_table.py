"""The orders table: one row per order of the current page, fitted to its width."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Iterable

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.widgets import DataTable

from royal_tui.api.models import Order
from royal_tui.formatting import expires_soon, one_line, relative, utc_date

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


def order_cells(order: Order, now: datetime, fit: Fit = Fit()) -> list[Text]:
    """The row for one order; API strings become literal Text (no markup)."""
    soon = order.status == "confirmed" and expires_soon(order.expire_date, now)
    date = utc_date(order.expire_date).removesuffix(" UTC")  # the column header says UTC
    if not fit.times:
        date = date[:10]
    expires = Text(date, no_wrap=True)
    rel = relative(order.expire_date, now) if fit.relative else ""
    if rel:
        expires.append(f"  {rel}", style="bold yellow" if soon else "dim")
    if soon:
        expires.stylize("bold yellow", 0, len(date))
    cells = [
        Text(str(order.id), justify="right"),
        Text(one_line(order.location, fit.location)),
        Text(one_line(order.plan_name, 16)),
        Text(str(order.quantity), justify="right"),
        Text(one_line(order.status, 16), style=STATUS_STYLES.get(order.status, "")),
        expires,
    ]
    if fit.auto:
        cells.append(Text("on", style="green") if order.auto_extend_enabled else Text("off", style="dim"))
    if fit.note:
        cells.append(Text(one_line(order.note, fit.note), style="italic"))
    return cells


class OrdersTable(DataTable):
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
        self._set_columns(FITS[0])

    def _set_columns(self, fit: Fit) -> None:
        # Rebuilt every time: DataTable columns only ever grow to fit what they have held.
        self.clear(columns=True)
        for key, label in fit.columns:
            self.add_column(label, key=key)
        self._fit = fit

    def show_orders(self, orders: Iterable[Order], now: datetime, *, select: int | None = None) -> None:
        """Replace the rows with ``orders``; keep the cursor on ``select`` if present."""
        self._now = now
        orders = list(orders)
        fit = self._choose_fit(orders, now)
        self._set_columns(fit)
        self.orders = {}
        for order in orders:
            self.orders[order.id] = order
            self.add_row(*order_cells(order, now, fit), key=str(order.id))
        if select is not None and select in self.orders:
            self.move_cursor(row=self.get_row_index(str(select)))

    def update_order(self, order: Order, now: datetime) -> None:
        """Refresh one row in place (an order re-read from the server)."""
        if order.id not in self.orders or self._fit is None:
            return
        self.orders[order.id] = order
        for (column, _label), cell in zip(self._fit.columns, order_cells(order, now, self._fit)):
            self.update_cell(str(order.id), column, cell)

    def _choose_fit(self, orders: list[Order], now: datetime) -> Fit:
        """The roomiest drawing whose columns fit the width, the note taking what is left."""
        # Before the first layout the table has no size yet: the screen's width is the best guess.
        width = self.size.width or self.app.size.width
        self._laid_out_width = width
        padding = 2 * self.cell_padding
        room = width - 2  # 2: the vertical scrollbar
        for candidate in FITS:
            probe = replace(candidate, note=1 if candidate.note else 0)
            rows = [order_cells(order, now, probe) for order in orders]
            columns = probe.columns
            used = 0
            for index, (key, label) in enumerate(columns):
                if key == "note":
                    continue
                widest = max((cell_len(row[index].plain) for row in rows), default=0)
                used += max(cell_len(label), widest) + padding
            if candidate.note:
                left = room - used - padding
                if left >= NOTE_MIN:
                    return replace(candidate, note=min(candidate.note, left))
            elif used <= room:
                return candidate
        return FITS[-1]

    def on_resize(self, event: events.Resize) -> None:
        if self.orders and self._now is not None and event.size.width != self._laid_out_width:
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
