"""The orders table: one row per order of the current page."""

from __future__ import annotations

from datetime import datetime
from typing import Iterable

from rich.text import Text
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
    ("auto", "Auto-extend"),
    ("note", "Note"),
)


def order_cells(order: Order, now: datetime) -> list[Text]:
    """The row for one order; API strings become literal Text (no markup)."""
    soon = order.status == "confirmed" and expires_soon(order.expire_date, now)
    expires = Text(utc_date(order.expire_date), no_wrap=True)
    rel = relative(order.expire_date, now)
    if rel:
        expires.append(f"  {rel}", style="bold dark_orange" if soon else "dim")
    if soon:
        expires.stylize("bold dark_orange", 0, len(utc_date(order.expire_date)))
    auto = Text("on", style="green") if order.auto_extend_enabled else Text("off", style="dim")
    return [
        Text(str(order.id), justify="right"),
        Text(one_line(order.location, 28)),
        Text(one_line(order.plan_name, 16)),
        Text(str(order.quantity), justify="right"),
        Text(order.status, style=STATUS_STYLES.get(order.status, "")),
        expires,
        auto,
        Text(one_line(order.note, 40), style="italic"),
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

    def on_mount(self) -> None:
        for key, label in COLUMNS:
            self.add_column(label, key=key)

    def show_orders(self, orders: Iterable[Order], now: datetime, *, select: int | None = None) -> None:
        """Replace the rows with ``orders``; keep the cursor on ``select`` if present."""
        self.clear()
        self.orders = {}
        for order in orders:
            self.orders[order.id] = order
            self.add_row(*order_cells(order, now), key=str(order.id))
        if select is not None and select in self.orders:
            self.move_cursor(row=self.get_row_index(str(select)))

    @property
    def highlighted_order(self) -> Order | None:
        if not self.orders or self.cursor_row < 0:
            return None
        try:
            key = self.coordinate_to_cell_key((self.cursor_row, 0)).row_key.value
        except Exception:
            return None
        return self.orders.get(int(key)) if key is not None else None
