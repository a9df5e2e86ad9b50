"""Pilot tests of the detail pane on the orders screen: following the cursor, masking, copy,
export, an in-progress order that updates itself, and the narrow layout."""

from __future__ import annotations

import stat

import pytest
from helpers import FakeClock, screen_text, settle

from royal_tui.cli import demo_client, demo_transport
from royal_tui.ui.app import RoyalApp
from royal_tui.ui.screens.orders import OrdersScreen
from royal_tui.ui.widgets.order_detail import OrderDetail
from royal_tui.ui.widgets.orders_table import OrdersTable

pytestmark = pytest.mark.anyio


async def goto(pilot, order_id: int) -> None:
    """Filter the table down to one order id and highlight it."""
    await pilot.press("i", *str(order_id), "enter")
    await settle(pilot)
    table = pilot.app.screen.query_one(OrdersTable)
    assert list(table.orders) == [order_id]


async def test_detail_follows_the_highlighted_row(demo_app):
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(OrdersTable)
        detail = app.screen.query_one(OrderDetail)
        assert detail.order is not None and detail.order.id == table.highlighted_order.id
        await pilot.press("down", "down")
        await pilot.pause()
        assert detail.order.id == table.highlighted_order.id == list(table.orders)[2]


async def test_detail_of_an_order_with_proxies_and_answers(demo_app):
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await goto(pilot, 12345)
        detail = app.screen.query_one(OrderDetail)
        order = detail.order
        assert order.id == 12345 and order.proxies and order.questions_answers
        assert detail.proxy_table_row_count == len(order.proxies)
        text = screen_text(app)
        assert "I need 128.158.97" in text
        assert "Extension history" in text
        assert str(order.ports.http) in text and str(order.ports.socks5) in text


async def test_passwords_are_masked_until_p(demo_app):
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await goto(pilot, 12345)
        password = app.screen.query_one(OrderDetail).order.proxies[0].password
        assert password and password not in screen_text(app)
        await pilot.press("p")
        await pilot.pause()
        assert password in screen_text(app)
        await pilot.press("p")
        await pilot.pause()
        assert password not in screen_text(app)


async def test_c_copies_the_proxies_and_says_so(demo_app):
    app = demo_app()
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await settle(pilot)
        await goto(pilot, 12345)
        order = app.screen.query_one(OrderDetail).order
        await pilot.press("c")
        await pilot.pause()
        lines = app.clipboard.splitlines()
        assert len(lines) == len(order.proxies)
        first = order.proxies[0]
        assert lines[0] == f"{first.ip}:{order.ports.http}:{first.username}:{first.password}"
        messages = [n.message for n in app._notifications]
        assert any(f"Copied {len(order.proxies)} proxies" in m and "ip:port:user:pass" in m for m in messages)


async def test_copy_uses_the_configured_format(demo_app):
    from royal_tui.config import Config

    app = demo_app(config=Config(export_format="socks5_url"))
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await settle(pilot)
        await goto(pilot, 12347)  # IPv6 proxies
        order = app.screen.query_one(OrderDetail).order
        await pilot.press("c")
        await pilot.pause()
        first = app.clipboard.splitlines()[0]
        assert first.startswith("socks5://") and f"]:{order.ports.socks5}" in first


async def test_x_exports_to_a_0600_file(demo_app, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    app = demo_app()
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await settle(pilot)
        await goto(pilot, 12345)
        order = app.screen.query_one(OrderDetail).order
        await pilot.press("x")
        await pilot.pause()
        from royal_tui.ui.dialogs.export import ExportDialog

        assert isinstance(app.screen, ExportDialog)
        target = tmp_path / "proxies.txt"
        path_input = app.screen.query_one("#export-path")
        path_input.value = str(target)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, OrdersScreen)
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        assert len(target.read_text().splitlines()) == len(order.proxies)
        assert any(str(target) in n.message for n in app._notifications)


async def test_an_in_progress_order_updates_itself_when_its_proxies_arrive(monkeypatch):
    monkeypatch.setattr(OrdersScreen, "PROVISION_POLL_S", 0.01)
    clock = FakeClock()

    async def no_sleep(_s):
        return None

    client = demo_client(clock=clock, transport=demo_transport(clock=clock), sleep=no_sleep)
    app = RoyalApp(client, token_source="demo", now=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(OrdersTable)
        detail = app.screen.query_one(OrderDetail)
        in_progress = next(o for o in table.orders.values() if o.status == "in-progress")
        await pilot.press("i", *str(in_progress.id), "enter")
        await settle(pilot)
        assert detail.order.status == "in-progress"
        assert "being provisioned" in screen_text(app)
        clock.advance(seconds=10)
        for _ in range(100):
            await pilot.pause(0.02)
            if detail.order.status == "confirmed":
                break
        assert detail.order.status == "confirmed"
        assert detail.proxy_table_row_count == detail.order.quantity
        assert table.orders[in_progress.id].status == "confirmed"


async def test_narrow_terminal_opens_the_detail_over_the_table(demo_app):
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        detail = screen.query_one(OrderDetail)
        assert screen.has_class("-narrow") and not detail.display or detail.region.width == 0
        await pilot.press("enter")
        await pilot.pause()
        assert screen.has_class("-detail-open") and detail.region.width == 80
        await pilot.press("escape")
        await pilot.pause()
        assert not screen.has_class("-detail-open")
        await pilot.press("d")
        await pilot.pause()
        assert screen.has_class("-detail-open")


@pytest.mark.parametrize("close", ["escape", "d", "widen"])
async def test_after_the_detail_overlay_the_arrows_move_through_the_orders_again(demo_app, close):
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(OrdersTable)
        detail = app.screen.query_one(OrderDetail)
        await pilot.press("enter")  # the detail over the table: the table is hidden
        await settle(pilot)
        if close == "widen":
            await pilot.resize_terminal(120, 36)
        else:
            await pilot.press(close)
        await settle(pilot)
        await pilot.pause()
        assert app.focused is table
        first = table.highlighted_order.id
        await pilot.press("down")
        await settle(pilot)
        assert table.highlighted_order.id != first and detail.order.id == table.highlighted_order.id


async def test_api_text_is_literal_in_table_and_detail(demo_app):
    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await goto(pilot, 12348)
        text = screen_text(app)
        assert "[bold]VIP[/bold]" in text
