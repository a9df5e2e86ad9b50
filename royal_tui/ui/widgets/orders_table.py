"""The orders table: one row per order of the current page."""

from __future__ import annotations

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


#: The note column takes whatever width the other columns leave, within these bounds.
NOTE_MIN, NOTE_MAX = 12, 60


def order_cells(order: Order, now: datetime, note_width: int = NOTE_MAX) -> list[Text]:
    """The row for one order; API strings become literal Text (no markup)."""
    soon = order.status == "confirmed" and expires_soon(order.expire_date, now)
    date = utc_date(order.expire_date).removesuffix(" UTC")  # the column header says UTC
    expires = Text(date, no_wrap=True)
    rel = relative(order.expire_date, now)
    if rel:
        expires.append(f"  {rel}", style="bold dark_orange" if soon else "dim")
    if soon:
        expires.stylize("bold dark_orange", 0, len(date))
    auto = Text("on", style="green") if order.auto_extend_enabled else Text("off", style="dim")
    return [
        Text(str(order.id), justify="right"),
        Text(one_line(order.location, 24)),
        Text(one_line(order.plan_name, 16)),
        Text(str(order.quantity), justify="right"),
        Text(order.status, style=STATUS_STYLES.get(order.status, "")),
        expires,
        auto,
        Text(one_line(order.note, note_width), style="italic"),
    ]


class OrdersTable(DataTable):
    """A row-cursor DataTable keyed by order id."""

    DEFAULT_CSS = """
    OrdersTable {
        height: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.orders: dict[int, Order] = {}
        self._now: datetime | None = None
        self._laid_out_width = 0

    def on_mount(self) -> None:
        for key, label in COLUMNS:
            self.add_column(label, key=key)

    def show_orders(self, orders: Iterable[Order], now: datetime, *, select: int | None = None) -> None:
        """Replace the rows with ``orders``; keep the cursor on ``select`` if present."""
        self._now = now
        orders = list(orders)
        rows = [order_cells(order, now) for order in orders]
        note_width = self._note_width(rows)
        self.clear()
        self.orders = {}
        for order, cells in zip(orders, rows):
            self.orders[order.id] = order
            if cell_len(cells[-1].plain) > note_width:
                cells[-1] = Text(one_line(order.note, note_width), style="italic")
            self.add_row(*cells, key=str(order.id))
        if select is not None and select in self.orders:
            self.move_cursor(row=self.get_row_index(str(select)))

    def _note_width(self, rows: list[list[Text]]) -> int:
        """Room left for the note after the other columns, so the table never scrolls sideways."""
        padding = 2 * self.cell_padding
        used = 0
        for index, (_key, label) in enumerate(COLUMNS[:-1]):
            widest = max((cell_len(row[index].plain) for row in rows), default=0)
            used += max(cell_len(label), widest) + padding
        # Before the first layout the table has no size yet: the screen's width is the best guess.
        width = self.size.width or self.app.size.width
        self._laid_out_width = width
        room = width - used - padding - 2  # 2: the vertical scrollbar
        return max(NOTE_MIN, min(NOTE_MAX, room))

    def on_resize(self, event: events.Resize) -> None:
        if self.orders and self._now is not None and event.size.width != self._laid_out_width:
            selected = self.highlighted_order
            self.show_orders(
                list(self.orders.values()), self._now, select=selected.id if selected else None
            )

    @property
    def highlighted_order(self) -> Order | None:
        if not self.orders or self.cursor_row < 0:
            return None
        try:
            key = self.coordinate_to_cell_key((self.cursor_row, 0)).row_key.value
        except Exception:
            return None
        return self.orders.get(int(key)) if key is not None else None
