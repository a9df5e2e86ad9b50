"""One startup sample: ``python bench/startup_app.py demo|bare``.

Starts a fresh app headless at 120x36, waits until the orders table has rows and the
screen has been refreshed once more, then exits. The parent process times the whole thing.
"""

from __future__ import annotations

import sys

SIZE = (120, 36)


async def _wait_rows_then_exit(pilot, table_query) -> None:
    import asyncio

    app = pilot.app
    while True:
        try:
            table = table_query(app)
        except Exception:  # noqa: BLE001 - not mounted yet
            table = None
        if table is not None and table.row_count > 0:
            break
        await asyncio.sleep(0.002)
    await pilot.pause()  # let the frame with the rows be composed
    app.exit()


def demo() -> None:
    # The same construction as ``royal-tui --demo`` (cli.run_tui → launch.make_app(demo=True)).
    from royal_tui.launch import make_app
    from royal_tui.ui.widgets.orders_table import OrdersTable

    app = make_app(demo=True)
    app.run(headless=True, size=SIZE, auto_pilot=lambda pilot: _wait_rows_then_exit(
        pilot, lambda a: a.screen.query_one(OrdersTable)))


def bare() -> None:
    from textual.app import App
    from textual.widgets import DataTable

    class Bare(App[None]):
        def compose(self):
            yield DataTable(id="t")

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("ID", "Product", "Status", "Location", "Qty", "Expires", "Note")
            for n in range(15):
                table.add_row(12340 + n, "Datacenter", "confirmed", "United States", 10, "2027-01-01", f"note {n}")

    app = Bare()
    app.run(headless=True, size=SIZE, auto_pilot=lambda pilot: _wait_rows_then_exit(
        pilot, lambda a: a.query_one("#t")))


if __name__ == "__main__":
    {"demo": demo, "bare": bare}[sys.argv[1]]()
