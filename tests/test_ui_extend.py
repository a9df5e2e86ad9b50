"""Pilot tests of the extend dialog and the auto-extend toggle against the in-process sandbox."""

from __future__ import annotations

from datetime import datetime, timezone

import httpx
import pytest
from helpers import InterceptingTransport, gated_posts, posts, screen_text, settle
from textual.widgets import Button, Checkbox, RadioSet

from royal_tui.ui.dialogs.confirm import ConfirmDialog
from royal_tui.ui.dialogs.extend import ExtendDialog
from royal_tui.ui.screens.orders import OrdersScreen
from royal_tui.ui.widgets.order_detail import OrderDetail
from royal_tui.ui.widgets.orders_table import OrdersTable
from royal_tui.ui.widgets.quote_panel import QuotePanel

pytestmark = pytest.mark.anyio


async def open_extend(pilot, order_id: int = 12345) -> ExtendDialog:
    await settle(pilot)
    await pilot.press("i", *str(order_id), "enter")
    await settle(pilot)
    await pilot.press("e")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, ExtendDialog)
    return dialog


async def until_dialog(pilot) -> None:
    """The toggle's worker waits for the confirmation: wait for the dialog, not for the worker."""
    for _ in range(50):
        await pilot.pause()
        if isinstance(pilot.app.screen, ConfirmDialog):
            await pilot.pause()
            return
    raise AssertionError("no confirmation dialog")


async def choose_plan(pilot, dialog: ExtendDialog, plan_id: int) -> None:
    dialog.query_one(f"#extend-plan-{plan_id}").value = True
    await settle(pilot)


async def test_extend_end_to_end(demo_app, demo_transport):
    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        dialog = await open_extend(pilot)
        before = dialog.order.expire_date
        history = len(dialog.order.extended_history)
        text = screen_text(app)
        assert "Expires 2026-12-13 15:00 UTC" in text and "New expiry 2027-01-12 15:00 UTC" in text
        await choose_plan(pilot, dialog, 678)
        assert "New expiry 2027-02-11 15:00 UTC" in screen_text(app)
        quote = dialog.query_one(QuotePanel).quote
        button = dialog.query_one("#extend-confirm", Button)
        assert str(button.label) == f"Extend for ${quote.price_with_vat:,.2f}" and not button.disabled
        button.press()
        await settle(pilot)
        sent = posts(demo_transport, "/extend")
        assert len(sent) == 1 and sent[0].path.endswith("/orders/12345/extend")
        assert sent[0].json == {"product_plan_id": 678}
        assert isinstance(app.screen, OrdersScreen)
        row = app.screen.query_one(OrdersTable).orders[12345]
        detail = app.screen.query_one(OrderDetail).order
        expected = datetime(2027, 2, 11, 15, 0, tzinfo=timezone.utc)
        assert row.expire_date > before and row.expire_date.replace(second=0) == expected
        assert detail.expire_date == row.expire_date
        assert len(detail.extended_history) == history + 1
        assert any("now expires 2027-02-11" in n.message for n in app._notifications)


async def test_extend_by_card_and_keep_extending(demo_app, demo_transport):
    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(120, 36)) as pilot:
        dialog = await open_extend(pilot)
        payment = dialog.query_one("#extend-payment", RadioSet)
        next(b for b in payment.query("RadioButton") if (b.id or "").startswith("pay-card-")).value = True
        dialog.query_one("#extend-keep", Checkbox).value = True
        await settle(pilot)
        dialog.query_one("#extend-confirm", Button).press()
        await settle(pilot)
        extend = posts(demo_transport, "/extend")[0].json
        assert extend["product_plan_id"] == 456 and isinstance(extend["card_id"], int)
        toggle = posts(demo_transport, "/toggle-auto-extend")[0].json
        assert toggle["order_id"] == 12345 and toggle["is_enabled"] is True
        assert toggle["payment_type"] == "card" and toggle["card_id"] == extend["card_id"]
        assert app.screen.query_one(OrderDetail).order.auto_extend_enabled


async def test_a_double_confirm_sends_one_post(demo_app, demo_transport):
    gate, gated = gated_posts(demo_transport)
    app = demo_app(transport=gated)
    async with app.run_test(size=(120, 36)) as pilot:
        dialog = await open_extend(pilot)
        button = dialog.query_one("#extend-confirm", Button)
        button.press()
        await pilot.pause()
        assert button.disabled
        button.press()
        dialog.confirm()
        await pilot.press("escape")  # cannot close while the request is in flight
        await pilot.pause()
        assert app.screen is dialog
        gate.set()
        await settle(pilot)
        assert len(posts(demo_transport, "/extend")) == 1


@pytest.mark.parametrize(("order_id", "why"), [(12310, "expired on"), (12316, "refunded"), (12315, "unpaid")])
async def test_orders_that_cannot_be_extended_say_why(demo_app, demo_transport, order_id, why):
    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(120, 36)) as pilot:
        dialog = await open_extend(pilot, order_id)
        assert why in screen_text(app)
        assert not dialog.query("#extend-confirm")
        await pilot.press("enter")  # Close
        await settle(pilot)
        assert isinstance(app.screen, OrdersScreen)
        assert posts(demo_transport, "/extend") == []


async def test_an_unknown_outcome_is_reconciled_by_rereading_the_order(demo_app, demo_transport):
    async def after(request: httpx.Request, response: httpx.Response):
        if request.method == "POST":
            raise httpx.RemoteProtocolError("connection dropped", request=request)
        return None

    app = demo_app(transport=InterceptingTransport(demo_transport, after=after))
    async with app.run_test(size=(120, 36)) as pilot:
        dialog = await open_extend(pilot)
        dialog.query_one("#extend-confirm", Button).press()
        await settle(pilot)
        assert len(posts(demo_transport, "/extend")) == 1
        text = screen_text(app)
        assert "outcome was unknown" in text and "the extension went through" in text
        assert any(r.method == "GET" and r.path.endswith("/orders/12345") for r in demo_transport.requests)
        dialog.query_one("#extend-confirm", Button).press()  # now "Close"
        await settle(pilot)
        assert isinstance(app.screen, OrdersScreen)
        assert app.screen.query_one(OrdersTable).orders[12345].expire_date.year == 2027


async def test_an_unknown_outcome_without_a_moved_expiry_says_so(demo_app, demo_transport):
    async def before(request: httpx.Request) -> None:
        if request.method == "POST":
            raise httpx.ReadTimeout("timed out", request=request)

    app = demo_app(transport=InterceptingTransport(demo_transport, before=before))
    async with app.run_test(size=(120, 36)) as pilot:
        dialog = await open_extend(pilot)
        dialog.query_one("#extend-confirm", Button).press()
        await settle(pilot)
        assert "expiry has not moved" in screen_text(app)
        assert posts(demo_transport, "/extend") == []
        assert not dialog.query_one("#extend-confirm", Button).disabled


async def test_a_422_is_shown_in_the_dialog(demo_app, demo_transport):
    async def after(request: httpx.Request, response: httpx.Response):
        if request.method == "POST":
            return httpx.Response(
                422, json={"message": "Insufficient balance.", "errors": {"balance": ["Not enough funds."]}},
                request=request,
            )
        return None

    app = demo_app(transport=InterceptingTransport(demo_transport, after=after))
    async with app.run_test(size=(120, 36)) as pilot:
        dialog = await open_extend(pilot)
        dialog.query_one("#extend-confirm", Button).press()
        await settle(pilot)
        assert app.screen is dialog
        assert "Not enough funds." in screen_text(app)
        assert not dialog.query_one("#extend-confirm", Button).disabled


async def test_auto_extend_on_and_off_with_confirmation(demo_app, demo_transport):
    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("i", *"12345", "enter")
        await settle(pilot)
        await pilot.press("a")
        await until_dialog(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        text = screen_text(app)
        assert "2026-12-13 15:00 UTC" in text and "30 Days" in text and "$15.00" in text and "balance" in text
        await pilot.press("y")
        await settle(pilot)
        toggle = posts(demo_transport, "/toggle-auto-extend")
        assert toggle[-1].json == {"order_id": 12345, "is_enabled": True, "product_plan_id": 456, "payment_type": "balance"}
        assert app.screen.query_one(OrdersTable).orders[12345].auto_extend_enabled
        assert app.screen.query_one(OrderDetail).order.auto_extend_enabled
        await pilot.press("a")
        await until_dialog(pilot)
        assert "Nothing will be charged" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
        assert posts(demo_transport, "/toggle-auto-extend")[-1].json["is_enabled"] is False
        assert not app.screen.query_one(OrdersTable).orders[12345].auto_extend_enabled


async def test_declining_the_confirmation_sends_nothing(demo_app, demo_transport):
    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await until_dialog(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert posts(demo_transport, "/toggle-auto-extend") == []
