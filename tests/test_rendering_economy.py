"""Work the screen does not do: the behaviours behind the benchmark figures (issue #8).

Nothing here measures time; each test checks that a redraw, a request or a copy that used to
happen no longer does, and that what the user sees is unchanged.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest
from conftest import FROZEN_NOW
from helpers import screen_text, settle
from rich.cells import cell_len
from textual import events
from textual.widgets import DataTable, Static
from textual.widgets.data_table import ColumnKey

from royal_tui.ui.screens.orders import OrdersScreen
from royal_tui.ui.widgets.footer import Footer
from royal_tui.ui.widgets.order_detail import OrderDetail
from royal_tui.ui.widgets.orders_table import FITS, OrdersTable, _Measures, order_cells
from royal_tui.ui.widgets.proxy_list import ProxyTable

pytestmark = pytest.mark.anyio


def order_list_requests(transport) -> list:
    return [r for r in transport.requests if r.method == "GET" and r.path.rstrip("/").endswith("/orders")]


# ------------------------------------------------------------------------------ startup
async def test_the_first_page_is_requested_once(demo_app, demo_transport):
    """The first page is asked for as soon as the products arrive, and only once."""
    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        requests = order_list_requests(demo_transport)
        assert len(requests) == 1
        assert dict(requests[0].params)["product_id"] == "123"
        assert app.screen.query_one(OrdersTable).row_count > 0
        # Switching tabs still loads the other product, and coming back loads the first again.
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        assert [dict(r.params)["product_id"] for r in order_list_requests(demo_transport)] == ["123", "124", "123"]


def _computed_styles(screen) -> dict:
    return {id(node): (node, node._css_styles.get_rules()) for node in screen.walk_children(with_self=True)}


async def test_the_first_resume_does_not_restyle_what_mounting_just_styled(demo_app, monkeypatch):
    """OrdersScreen skips Textual's whole-screen restyle on its first ScreenResume only; every
    widget's CSS must still be what a full restyle gives, and a later resume restyles."""
    restyled = []
    app = demo_app()
    original = type(app).update_styles

    def spy(self, node, animate=True):
        restyled.append(node)
        return original(self, node, animate)

    monkeypatch.setattr(type(app), "update_styles", spy)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OrdersScreen) and screen._resumed_once
        assert screen not in restyled  # not restyled whole at startup
        before = _computed_styles(screen)
        app.stylesheet.update_nodes(screen.walk_children(with_self=True), animate=False)
        after = _computed_styles(screen)
        assert before.keys() == after.keys()
        differing = [type(node).__name__ for key, (node, rules) in before.items() if after[key][1] != rules]
        assert differing == []
        screen.post_message(events.ScreenResume())  # as after a screen switch: Textual's own path
        await settle(pilot)
        assert screen in restyled


async def test_the_footer_keeps_its_line_while_the_cursor_moves(demo_app, monkeypatch):
    """Moving between orders changes no key: the footer is not repainted (Textual's recomposed
    every key on each bindings update)."""
    repaints = []
    original = Footer.refresh
    monkeypatch.setattr(Footer, "refresh", lambda self, *a, **k: (repaints.append(1), original(self, *a, **k))[1])
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "Refresh" in text and "Buy" in text and "Quit" in text
        before = len(repaints)
        for key in ("down", "down", "up"):
            await pilot.press(key)
            await pilot.pause()
        await settle(pilot)
        assert len(repaints) == before  # same keys shown: nothing redrawn
        assert "Refresh" in screen_text(app)


# ------------------------------------------------------------------------------ loading indicator
def gate_orders(app) -> asyncio.Event:
    """Hold every GET /orders until the returned event is set."""
    gate = asyncio.Event()
    client = app.client
    original = client.orders

    async def held(*args, **kwargs):
        await gate.wait()
        return await original(*args, **kwargs)

    client.orders = held
    return gate


class FirstPaints:
    """The screen's text at each of the orders screen's paints."""

    def __init__(self, monkeypatch) -> None:
        self.frames: list[str] = []
        original = OrdersScreen._compositor_refresh
        frames = self.frames

        def painted(screen):
            if not screen._holding_first_paint and screen.is_current:
                frames.append(screen_text(screen.app))
            return original(screen)

        monkeypatch.setattr(OrdersScreen, "_compositor_refresh", painted)


async def test_the_first_frame_has_the_first_page_and_the_tabs(demo_app, monkeypatch):
    """No empty frame first: the first paint waits (up to FIRST_PAINT_HOLD_S) for the page and
    the product tabs, so the screen is painted once with them instead of twice."""
    paints = FirstPaints(monkeypatch)
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.screen.query_one(OrdersTable).row_count > 0
    first = paints.frames[0]
    assert "12359" in first and "Static Residential" in first and "Datacenter" in first
    assert "#12359" in first  # the detail pane shows the highlighted order


async def test_a_slow_first_page_does_not_hold_the_screen_back(demo_app, monkeypatch):
    monkeypatch.setattr(OrdersScreen, "FIRST_PAINT_HOLD_S", 0.05)
    paints = FirstPaints(monkeypatch)
    app = demo_app()
    gate = gate_orders(app)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause(0.3)
        assert paints.frames and "12359" not in paints.frames[0]  # painted without the page
        assert "Static Residential" in screen_text(app)
        gate.set()
        await settle(pilot)
        assert "12359" in screen_text(app)


async def test_a_failure_before_the_first_page_is_painted_at_once(demo_app, monkeypatch):
    monkeypatch.setattr(OrdersScreen, "FIRST_PAINT_HOLD_S", 60.0)  # only the failure can paint
    paints = FirstPaints(monkeypatch)
    app = demo_app()

    async def broken():
        raise RuntimeError("products are down")

    app.client.products = broken
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert paints.frames and "Could not load products" in paints.frames[-1]


async def test_a_quick_answer_shows_no_loading_indicator(demo_app, monkeypatch):
    monkeypatch.setattr(OrdersScreen, "LOADING_DELAY_S", 60.0)
    app = demo_app(page_size=10)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(OrdersTable)
        gate = gate_orders(app)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert not table.loading  # still within the delay: the old page stays, no flash
        gate.set()
        await settle(pilot)
        assert not table.loading and app.screen.page.meta.current_page == 2


async def test_a_slow_answer_shows_the_loading_indicator(demo_app, monkeypatch):
    monkeypatch.setattr(OrdersScreen, "LOADING_DELAY_S", 0.0)
    app = demo_app(page_size=10)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(OrdersTable)
        gate = gate_orders(app)
        await pilot.press("right_square_bracket")
        for _ in range(5):
            await pilot.pause()
            if table.loading:
                break
        assert table.loading
        gate.set()
        await settle(pilot)
        assert not table.loading and table.row_count == 10


# ------------------------------------------------------------------------------ the orders table
async def test_column_widths_follow_each_page(demo_app, demo_transport):
    """Columns are as wide as the page shown needs: a narrower page narrows them again."""
    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(OrdersTable)
        orders = list(table.orders.values())
        long_one = replace(orders[0], location="Somewhere With A Rather Long Name, Far Away")
        table.show_orders([long_one, *orders[1:]], FROZEN_NOW)
        await pilot.pause()
        wide = table.columns[ColumnKey("location")].get_render_width(table)
        table.show_orders([replace(order, location="Oslo") for order in orders], FROZEN_NOW)
        await pilot.pause()
        narrow = table.columns[ColumnKey("location")].get_render_width(table)
        assert narrow == cell_len("Location") + 2 < wide
        assert "Oslo" in screen_text(app)


async def test_measured_widths_are_the_rendered_widths(demo_app, demo_transport):
    """``_Measures`` (no rendering) agrees with ``order_cells`` at every fit, hostile text included."""
    client = demo_app(transport=demo_transport).client
    page = await client.orders(123, page=1, per_page=100)
    orders = [
        *page.orders,
        replace(page.orders[0], location="東京 — 渋谷区 😀 \x1b[31m" * 3, note="\u202eevil\n" * 30, plan_name="x" * 40),
    ]
    measures = _Measures(orders, FROZEN_NOW)
    for fit in (*FITS, replace(FITS[0], note=9)):
        widths = measures.fit_widths(fit)
        rows = [order_cells(order, FROZEN_NOW, fit) for order in orders]
        for index, (key, label) in enumerate(fit.columns):
            assert widths[key] == max(cell_len(label), *(cell_len(row[index].plain) for row in rows)), (fit, key)


async def test_cursor_moves_repaint_no_detail_section_that_did_not_change(demo_app):
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        detail = app.screen.query_one(OrderDetail)
        updates: list[str] = []
        for static in detail.query(Static):
            original = static.update

            def spy(*args, _original=original, _id=static.id, **kwargs):
                updates.append(_id)
                return _original(*args, **kwargs)

            static.update = spy
        order = detail.order
        detail.show(order, FROZEN_NOW)  # the same order again: nothing to redraw
        await pilot.pause()
        assert updates == []
        await pilot.press("down")
        await settle(pilot)
        assert detail.order.id != order.id
        assert updates.count("detail-head") == 1  # one update per move, not one per field
        assert f"#{detail.order.id}" in screen_text(app)


# ------------------------------------------------------------------------------ the proxies
async def test_the_proxy_table_fills_like_add_rows(demo_app):
    from textual.app import App

    class Tables(App[None]):
        def compose(self):
            yield ProxyTable(id="proxies")
            yield DataTable(id="reference")

    order = await demo_app().client.order(12346)
    app = Tables()
    async with app.run_test(size=(120, 36)) as pilot:
        table = app.query_one(ProxyTable)
        reference = app.query_one("#reference", DataTable)
        assert table.show_proxies(order.proxies) is True
        reference.add_columns("ip", "username", "password")
        reference.add_rows([[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)])
        await pilot.pause()
        assert table.row_count == reference.row_count == 1000
        assert str(table.get_row_at(999)[0]) == order.proxies[999].ip
        assert table.virtual_size.height == reference.virtual_size.height == 1001  # header + a line per proxy
        assert table.cursor_row == 0 and table.highlighted_proxy == order.proxies[0]
        table.focus()
        await pilot.press("down", "down")  # still an ordinary DataTable: the cursor moves
        await pilot.pause()
        assert table.highlighted_proxy == order.proxies[2]
        assert table.show_proxies(order.proxies) is False  # the same proxies: no refill


async def test_the_empty_pane_keeps_the_proxies_and_showing_them_again_is_free(demo_app):
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        order = await app.client.order(12346)
        detail = app.screen.query_one(OrderDetail)
        detail.show(order, FROZEN_NOW)
        await pilot.pause()
        detail.show(None, FROZEN_NOW)
        await pilot.pause()
        assert detail.proxy_table_row_count == 0  # no order, no proxies (as far as callers know)
        assert "Select an order" in screen_text(app)
        assert detail.proxy_table.show_proxies(order.proxies) is False  # still there: no refill
        detail.show(order, FROZEN_NOW)
        await pilot.pause()
        assert detail.proxy_table_row_count == 1000 and "#12346" in screen_text(app)


# ------------------------------------------------------------------------------ the sandbox
def test_the_sandbox_keeps_no_generated_proxies(demo_transport):
    state = demo_transport.state
    order = state.orders[12346]
    first = order.proxies
    assert order.assigned is None  # generated, not kept
    assert order.proxies == first  # the same proxies every time


def test_the_request_log_is_bounded_and_the_count_exact(monkeypatch):
    import httpx

    from royal_tui.cli import demo_transport as make
    from royal_tui.sandbox import transport as module

    monkeypatch.setattr(module, "LOG_LIMIT", 3)
    transport = make(clock=lambda: FROZEN_NOW)
    with httpx.Client(transport=module.SandboxSyncTransport(transport.state), base_url="https://x.invalid/v1/reseller") as client:
        sync = client._transport
        for _ in range(5):
            client.get("/balance", headers={"X-Access-Token": transport.state.options.token})
    assert sync.count == 5 and len(sync.requests) == 3 and len(sync.exchanges) == 3
    assert sync.requests[-1].path.endswith("/balance")
    sync.clear()
    assert sync.count == 0 and not sync.requests


# ------------------------------------------------------------------------------ shared cell renders
async def test_shared_cell_renders_equal_datatables_own(demo_app):
    """Every visible cell, in every cursor/zebra state, renders exactly as DataTable renders it."""
    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(OrdersTable)
        order = await app.client.order(12345)
        proxies = app.screen.query_one(ProxyTable)
        proxies.show_proxies(order.proxies)
        await pilot.pause()
        for widget in (table, proxies):
            for row in range(min(widget.row_count, 12)):
                row_style = widget._get_row_style(row, widget.rich_style)
                for column, col in enumerate(widget.ordered_columns):
                    width = col.get_render_width(widget)
                    for cursor, hover in ((False, False), (True, False), (False, True)):
                        ours = widget._render_cell(row, column, row_style, width, cursor, hover)
                        widget._cell_render_cache.clear()
                        theirs = DataTable._render_cell(widget, row, column, row_style, width, cursor, hover)
                        widget._cell_render_cache.clear()
                        assert [[(s.text, s.style, s.style.meta) for s in line] for line in ours] == [
                            [(s.text, s.style, s.style.meta) for s in line] for line in theirs
                        ], (type(widget).__name__, row, column, cursor, hover)


async def test_the_proxy_scrollbar_follows_the_number_of_proxies(demo_app):
    """Decided before the layout (no second layout), and the same as the layout would decide."""
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        detail = app.screen.query_one(OrderDetail)
        table = detail.proxy_table
        many, few = await app.client.order(12357), await app.client.order(12345)
        assert len(many.proxies) > 11 and len(few.proxies) < 11
        for order, scrolls in ((many, True), (few, False), (many, True)):
            detail.show(order, FROZEN_NOW)
            await pilot.pause()
            assert table.show_vertical_scrollbar is scrolls
            table._refresh_scrollbars()  # what the layout decides, asked again
            assert table.show_vertical_scrollbar is scrolls
            assert table.size.height == min(len(order.proxies) + 1, 12)


# ------------------------------------------------------------------------------ scrollbars
async def test_a_scrollbar_that_shows_the_same_is_not_repainted_and_one_that_changes_is(demo_app, monkeypatch):
    """SteadyScrollbars: Textual repainted the table's scrollbar on every page; it is repainted
    only when its window, size or position changes, and then shows what Textual's would."""
    from textual.scrollbar import ScrollBar

    assert callable(ScrollBar.refresh) and hasattr(ScrollBar, "window_virtual_size")  # Textual 8.2.8
    app = demo_app(page_size=10)
    async with app.run_test(size=(120, 14)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(OrdersTable)
        bar = table.vertical_scrollbar
        assert table.show_vertical_scrollbar
        painted = []  # renders of the bar (a repaint; a cached render is not one)
        original = ScrollBar.render

        def spy(self):
            if self is bar:
                painted.append(self.position)
            return original(self)

        monkeypatch.setattr(ScrollBar, "render", spy)
        await pilot.press("right_square_bracket")  # ten more rows: the same scrollbar
        await settle(pilot)
        assert painted == []
        await pilot.press(*["down"] * 9)  # the cursor leaves the window, which scrolls: repainted
        await settle(pilot)
        assert table.scroll_y > 0 and painted
        # What it shows is what a fresh render shows.
        lines = bar.render_lines(bar.region.reset_offset)
        bar._styles_cache.clear()
        assert bar.render_lines(bar.region.reset_offset) == lines
