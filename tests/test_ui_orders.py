"""Pilot tests of the orders screen against the in-process sandbox."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from helpers import screen_text, settle
from textual.widgets import Static, Tabs

from royal_tui.ui.widgets.account_bar import AccountBar
from royal_tui.ui.widgets.orders_table import OrdersTable

pytestmark = pytest.mark.anyio


def order_list_queries(transport) -> list[dict[str, list[str]]]:
    """The query of every GET /orders the sandbox answered, in order."""
    queries = []
    for entry in transport.requests:
        method, url = entry.method, entry.url
        parts = urlsplit(url)
        if method == "GET" and parts.path.rstrip("/").endswith("/orders"):
            queries.append(parse_qs(parts.query))
    return queries


def cell_texts(table: OrdersTable, column: str) -> list[str]:
    return [str(table.get_cell(row_key, column)) for row_key in table.rows]


async def test_first_page_of_the_first_product(demo_app, demo_transport):
    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        tabs = screen.query_one(Tabs)
        assert tabs.tab_count == 3
        assert tabs.active == "product-123"
        table = screen.query_one(OrdersTable)
        assert table.row_count == app.page_size
        queries = order_list_queries(demo_transport)
        assert queries[-1]["product_id"] == ["123"]
        assert queries[-1]["page"] == ["1"]
        assert queries[-1]["per_page"] == [str(app.page_size)]
        page = screen.page
        assert page is not None and page.meta.total > app.page_size
        pager = str(screen.query_one("#pager", Static).content)
        assert pager == f"page 1 of {page.meta.last_page} · {page.meta.total} orders   [ prev ] next"
        bar = screen.query_one(AccountBar)
        assert bar.balance is not None
        assert "demo" in str(bar.render())


async def test_paging_with_brackets(demo_app, demo_transport):
    app = demo_app(transport=demo_transport, page_size=10)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        first_ids = list(app.screen.query_one(OrdersTable).orders)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert order_list_queries(demo_transport)[-1]["page"] == ["2"]
        second_ids = list(app.screen.query_one(OrdersTable).orders)
        assert second_ids and not set(first_ids) & set(second_ids)
        assert str(app.screen.query_one("#pager", Static).content).startswith("page 2 of ")
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert order_list_queries(demo_transport)[-1]["page"] == ["1"]
        assert list(app.screen.query_one(OrdersTable).orders) == first_ids
        # Before the first page there is nothing: no request is sent.
        sent = len(order_list_queries(demo_transport))
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert len(order_list_queries(demo_transport)) == sent


async def test_number_keys_switch_product_tabs(demo_app, demo_transport):
    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        products = app.screen.products
        await pilot.press("2")
        await settle(pilot)
        assert app.screen.query_one(Tabs).active == f"product-{products[1].id}"
        assert order_list_queries(demo_transport)[-1]["product_id"] == [str(products[1].id)]
        names = {order.product_name for order in app.screen.query_one(OrdersTable).orders.values()}
        assert names == {products[1].name}


async def test_api_text_is_shown_literally_in_the_table(demo_app, demo_transport):
    # 160 columns: the table is wide enough for its note column beside the detail pane.
    app = demo_app(transport=demo_transport, page_size=100)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("3")  # Sneaker DC: order 12348 has the note "[bold]VIP[/bold] client …"
        await settle(pilot)
        table = app.screen.query_one(OrdersTable)
        notes = cell_texts(table, "note")
        assert any(note.startswith("[bold]VI") for note in notes), notes  # brackets kept, not styled
        table.move_cursor(row=table.get_row_index("12348"))
        await pilot.pause()
        assert "[bold]VIP[/bold] client" in screen_text(app)  # in full in the detail pane


async def test_refresh_reloads_the_same_page(demo_app, demo_transport):
    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        before = len(order_list_queries(demo_transport))
        await pilot.press("r")
        await settle(pilot)
        assert len(order_list_queries(demo_transport)) == before + 1


async def test_q_quits(demo_app, demo_transport):
    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert app._exit


async def test_a_failing_server_is_explained_and_r_recovers(demo_app, demo_transport):
    demo_transport.state.faults.fail_rate = 1.0
    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        message = app.screen.query_one("#orders-message", Static)
        assert message.display
        text = str(message.content)
        assert "Could not load products" in text and "r to retry" in text
        assert "HTML" in text or "503" in text
        # A read is retried 3 times: 4 attempts at /products.
        assert sum(1 for r in demo_transport.requests if r.path.endswith("/products")) == 4
        assert app.screen.query_one(AccountBar).balance_error

        demo_transport.state.faults.fail_rate = 0.0
        await pilot.press("r")
        await settle(pilot)
        assert not message.display
        assert app.screen.query_one(OrdersTable).row_count > 0
        assert app.screen.query_one(AccountBar).balance is not None
