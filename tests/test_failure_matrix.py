"""Every sandbox fault × the main actions: no crash, a message, reads retried, writes sent once,
and the next action works."""

from __future__ import annotations

import pytest
from helpers import open_wizard, posts, screen_text, settle, type_into
from textual.widgets import Button, Input, Static

from royal_tui.ui.screens.orders import OrdersScreen
from royal_tui.ui.screens.purchase import PurchaseScreen
from royal_tui.ui.widgets.orders_table import OrdersTable

pytestmark = pytest.mark.anyio

RETRIED = ["500", "502-html", "503", "429", "timeout", "drop"]
NOT_RETRIED = ["malformed", "truncated", "wrong-shape", "empty"]


@pytest.fixture(autouse=True)
def no_debounce(monkeypatch):
    monkeypatch.setattr(PurchaseScreen, "QUOTE_DEBOUNCE_S", 0.0)
    monkeypatch.setattr(OrdersScreen, "TYPING_DEBOUNCE_S", 0.0)


def hits(transport, suffix: str, method: str = "GET") -> int:
    return sum(1 for r in transport.requests if r.method == method and r.path.rstrip("/").endswith(suffix))


@pytest.mark.parametrize("kind", RETRIED + NOT_RETRIED)
async def test_loading_and_paging_orders(demo_app, demo_transport, kind):
    app = demo_app(transport=demo_transport, page_size=10)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        before = hits(demo_transport, "/orders")
        demo_transport.state.faults.script("orders", kind, count=4)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        expected = 4 if kind in RETRIED else 1
        assert hits(demo_transport, "/orders") - before == expected
        message = app.screen.query_one("#orders-message", Static)
        assert message.display and "Could not load orders" in str(message.content)
        assert "Traceback" not in screen_text(app)
        demo_transport.state.faults.clear()
        await pilot.press("r")  # the way out works
        await settle(pilot)
        assert not message.display and app.screen.query_one(OrdersTable).row_count > 0


@pytest.mark.parametrize("kind", RETRIED + NOT_RETRIED)
async def test_the_quote(demo_app, demo_transport, kind):
    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_wizard(pilot)
        demo_transport.state.faults.script("pricing", kind, count=4)
        quantity = screen.query_one("#quantity")
        quantity.value = "10"
        await settle(pilot)
        expected = 4 if kind in RETRIED else 1
        assert hits(demo_transport, "/calculate-pricing") == expected
        assert "No price" in screen_text(app) and "Traceback" not in screen_text(app)
        demo_transport.state.faults.clear()
        quantity.value = "100"  # a new quote, now answered
        await settle(pilot)
        assert screen.query_one("#quote").quote.pre_discount_price == 300


@pytest.mark.parametrize("kind", RETRIED + NOT_RETRIED + ["timeout-after", "drop-after"])
async def test_buying_sends_exactly_one_post(demo_app, demo_transport, kind):
    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_wizard(pilot)
        await type_into(pilot, "#quantity", "10")
        await pilot.press("ctrl+s")
        await settle(pilot)
        demo_transport.state.faults.script("create", kind, count=0)
        screen.query_one("#buy", Button).press()
        await settle(pilot)
        assert hits(demo_transport, "/orders", "POST") == 1  # never retried
        text = screen_text(app)
        assert "Traceback" not in text
        assert isinstance(app.screen, PurchaseScreen)
        assert "outcome" in text or "Not bought" in text


@pytest.mark.parametrize("kind", RETRIED + NOT_RETRIED + ["timeout-after", "drop-after"])
async def test_extending_sends_exactly_one_post(demo_app, demo_transport, kind):
    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("i", *"12345", "enter")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        demo_transport.state.faults.script("extend", kind, count=0)
        app.screen.query_one("#extend-confirm", Button).press()
        await settle(pilot)
        assert len(posts(demo_transport, "/extend")) + hits(demo_transport, "/extend", "POST") >= 1
        assert hits(demo_transport, "/extend", "POST") == 1
        text = screen_text(app)
        assert "Traceback" not in text and ("outcome" in text or "Not extended" in text)


@pytest.mark.parametrize("kind", RETRIED + NOT_RETRIED)
async def test_toggling_auto_extend_sends_exactly_one_post(demo_app, demo_transport, kind):
    from royal_tui.ui.dialogs.confirm import ConfirmDialog

    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("i", *"12345", "enter")
        await settle(pilot)
        demo_transport.state.faults.script("toggle", kind, count=0)
        await pilot.press("a")
        for _ in range(50):
            await pilot.pause()
            if isinstance(app.screen, ConfirmDialog):
                break
        await pilot.press("y")
        await settle(pilot)
        assert hits(demo_transport, "/toggle-auto-extend", "POST") == 1
        messages = " ".join(n.message for n in app._notifications)
        enabled = app.screen.query_one(OrdersTable).orders[12345].auto_extend_enabled
        if kind in RETRIED:  # nothing happened server-side; the screen says so, truthfully
            assert not enabled
            assert "not changed" in messages or "shows auto-extend off" in messages
        else:  # the switch happened and only its answer was garbled: the order says so
            assert enabled and "auto-extend" in messages.lower() and " on" in messages
        assert isinstance(app.screen, OrdersScreen) and "Traceback" not in screen_text(app)
        demo_transport.state.faults.clear()
        await pilot.press("r")
        await settle(pilot)
        assert app.screen.query_one(OrdersTable).row_count == 1


@pytest.mark.parametrize("kind", RETRIED + NOT_RETRIED)
async def test_filtering_orders(demo_app, demo_transport, kind):
    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        before = hits(demo_transport, "/orders")
        demo_transport.state.faults.script("orders", kind, count=4)
        await pilot.press("slash")
        app.screen.query_one("#filter-note", Input).value = "example"  # one search, as if pasted
        await settle(pilot)
        expected = 4 if kind in RETRIED else 1
        assert hits(demo_transport, "/orders") - before == expected
        message = app.screen.query_one("#orders-message", Static)
        assert message.display and "Could not load orders" in str(message.content) and "Press r" in str(message.content)
        assert "Traceback" not in screen_text(app)
        demo_transport.state.faults.clear()
        await pilot.press("escape", "escape")  # leave the field, then clear the filters: the way out
        await settle(pilot)
        assert not message.display and app.screen.query_one(OrdersTable).row_count > 0
        assert "note_search" not in demo_transport.requests[-1].query


@pytest.mark.parametrize("kind", RETRIED + NOT_RETRIED)
async def test_the_detail_of_an_order_being_provisioned(demo_app, demo_transport, kind, monkeypatch):
    monkeypatch.setattr(OrdersScreen, "PROVISION_POLL_S", 0.05)
    app = demo_app(transport=demo_transport)
    reads_when_told: list[int] = []
    notify = app.notify

    def recording_notify(message, **kwargs):
        if "12359" in message:
            reads_when_told.append(hits(demo_transport, "/orders/12359"))
        notify(message, **kwargs)

    app.notify = recording_notify
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#detail").order.id == 12359  # the newest: being provisioned
        before = hits(demo_transport, "/orders/12359")
        demo_transport.state.faults.script("order", kind, count=4 if kind in RETRIED else 1)
        for _ in range(200):
            await pilot.pause(0.01)
            if reads_when_told and hits(demo_transport, "/orders/12359") > reads_when_told[0]:
                break
        # One poll's reads were retried as specified before the user was told, once.
        assert [n - before for n in reads_when_told] == [4 if kind in RETRIED else 1]
        note = app._notifications
        messages = [n.message for n in note]
        assert any("Could not refresh order #12359" in m and "press r" in m for m in messages)
        assert "Traceback" not in screen_text(app)
        detail = app.screen.query_one("#detail")
        assert detail.order.id == 12359 and "being provisioned" in screen_text(app)
        for _ in range(200):  # the next re-read succeeds: the warning streak ends quietly
            await pilot.pause(0.01)
            if app.screen.refresh_warned is None:
                break
        assert app.screen.refresh_warned is None and len(reads_when_told) == 1
        await pilot.press("r")  # the next action works
        await settle(pilot)
        assert app.screen.query_one(OrdersTable).row_count == 25
