"""Pilot tests of the purchase wizard against the in-process sandbox."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import httpx
import pytest
from helpers import InterceptingTransport, gated_posts, open_wizard, posts, screen_text, settle, type_into
from textual.widgets import Button, Input, RadioSet, Select

from royal_tui.ui.screens.orders import OrdersScreen
from royal_tui.ui.screens.purchase import PurchaseScreen
from royal_tui.ui.widgets.account_bar import AccountBar
from royal_tui.ui.widgets.order_detail import OrderDetail
from royal_tui.ui.widgets.orders_table import OrdersTable
from royal_tui.ui.widgets.quote_panel import QuotePanel

pytestmark = pytest.mark.anyio


@pytest.fixture(autouse=True)
def no_debounce(monkeypatch):
    monkeypatch.setattr(PurchaseScreen, "QUOTE_DEBOUNCE_S", 0.0)


def quote_requests(transport) -> list:
    return [r for r in transport.requests if r.path.endswith("/calculate-pricing")]


async def test_enter_alone_walks_through_product_plan_and_location(demo_app):
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        screen = app.screen
        await pilot.press("enter")  # the product: first plan highlighted at once
        await settle(pilot)
        await pilot.press("ctrl+s")  # nothing chosen yet: said, not silently ignored
        await settle(pilot)
        assert screen.step == "options" and "Choose a plan first" in screen_text(app)
        await pilot.press("enter", "enter")  # the plan, then the first place in stock
        await settle(pilot)
        assert screen.step == "details"
        assert screen.plan.id == 456 and screen.location.name == "New York"


async def test_a_full_purchase(demo_app, demo_transport):
    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_wizard(pilot)
        assert screen.step == "details"
        await type_into(pilot, "#quantity", "10")
        await type_into(pilot, "#coupon", "DISCOUNT2024")
        panel = screen.query_one(QuotePanel)
        assert panel.quote is not None and panel.quote.price_with_vat == Decimal("27")
        text = screen_text(app)
        assert "$27.00" in text and "add 90 more for 5% off" in text
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.step == "review"
        buy = screen.query_one("#buy", Button)
        assert str(buy.label) == "Buy for $27.00" and not buy.disabled
        await pilot.press("enter")
        await settle(pilot)
        sent = posts(demo_transport)
        assert len(sent) == 1
        assert sent[0].json == {
            "product_id": 123, "product_plan_id": 456, "product_location_id": 789, "quantity": 10,
            "coupon_code": "DISCOUNT2024", "auto_extend": False, "product_question_answers": {},
        }
        assert isinstance(app.screen, OrdersScreen)
        table = app.screen.query_one(OrdersTable)
        new = table.highlighted_order
        assert new is not None and new.id == 12360 and new.status == "in-progress"
        assert app.screen.query_one(OrderDetail).order.id == 12360
        assert "being provisioned" in screen_text(app)
        assert app.screen.query_one(AccountBar).balance == Decimal("884.05") - Decimal("27")


async def test_typing_a_quantity_sends_one_quote_after_the_pause(demo_app, demo_transport, monkeypatch):
    monkeypatch.setattr(PurchaseScreen, "QUOTE_DEBOUNCE_S", 0.2)
    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_wizard(pilot)
        before = len(quote_requests(demo_transport))
        screen.query_one("#quantity", Input).focus()
        await pilot.press("1", "5", "0")
        await settle(pilot)
        sent = quote_requests(demo_transport)[before:]
        assert len(sent) == 1 and "quantity=150" in sent[0].query
        assert screen.query_one(QuotePanel).quote.pre_discount_price == Decimal("450")


async def test_a_slow_first_quote_is_never_shown_over_a_newer_one(demo_app, demo_transport):
    release = asyncio.Event()

    async def before(request: httpx.Request) -> None:
        if request.url.path.endswith("/calculate-pricing") and request.url.params.get("quantity") == "10":
            await release.wait()  # the first quote hangs until the second has been answered

    app = demo_app(transport=InterceptingTransport(demo_transport, before=before))
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_wizard(pilot)
        screen.query_one("#quantity", Input).value = "10"
        await pilot.pause()
        screen.query_one("#quantity", Input).value = "20"
        await settle(pilot)
        release.set()
        await settle(pilot)
        panel = screen.query_one(QuotePanel)
        assert panel.request.quantity == 20
        assert panel.quote.pre_discount_price == Decimal("60")


async def test_an_invalid_coupon_shows_the_servers_message(demo_app, demo_transport):
    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_wizard(pilot)
        await type_into(pilot, "#quantity", "10")
        await type_into(pilot, "#coupon", "NOPE")
        assert screen.query_one(QuotePanel).quote.message == "Coupon code is invalid."
        assert "Coupon code is invalid." in screen_text(app)


async def test_plan_limits_are_enforced_inline_and_nothing_is_quoted(demo_app, demo_transport):
    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_wizard(pilot, product=124, plan=901, location=2011)
        before = len(quote_requests(demo_transport))
        quantity = screen.query_one("#quantity", Input)
        for value, problem in (("3", "starts at 5"), ("30000", "at most 2,000"), ("abc", "whole number")):
            quantity.value = value
            await settle(pilot)
            assert problem in str(screen.query_one("#quantity-error").content)
        assert len(quote_requests(demo_transport)) == before
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.step == "details"


async def test_required_questions_are_enforced(demo_app, demo_transport):
    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_wizard(pilot, product=124, plan=901, location=2011)
        await type_into(pilot, "#quantity", "5")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.step == "details"
        assert "required" in screen_text(app)
        screen.query_one("#answer-21", Select).value = "Web scraping"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.step == "review"
        await pilot.press("enter")
        await settle(pilot)
        body = posts(demo_transport)[-1].json
        assert body["product_question_answers"]["21"] == "Web scraping"


async def test_insufficient_balance_blocks_the_purchase_until_a_card_is_chosen(demo_app, demo_transport):
    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_wizard(pilot)
        await type_into(pilot, "#quantity", "1000")
        await pilot.press("ctrl+s")
        await settle(pilot)
        buy = screen.query_one("#buy", Button)
        assert buy.disabled
        assert "Insufficient balance" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert posts(demo_transport) == []
        payment = screen.query_one("#payment", RadioSet)
        card_button = next(b for b in payment.query("RadioButton") if (b.id or "").startswith("pay-card-"))
        card_button.value = True
        await settle(pilot)
        assert not buy.disabled
        buy.press()
        await settle(pilot)
        assert len(posts(demo_transport)) == 1 and "card_id" in posts(demo_transport)[0].json


async def test_a_double_confirm_sends_one_post(demo_app, demo_transport):
    gate, gated = gated_posts(demo_transport)
    app = demo_app(transport=gated)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_wizard(pilot)
        await type_into(pilot, "#quantity", "10")
        await pilot.press("ctrl+s")
        await settle(pilot)
        buy = screen.query_one("#buy", Button)
        buy.press()
        await pilot.pause()
        assert buy.disabled
        buy.press()
        screen.confirm_purchase()
        await pilot.press("enter")
        await pilot.pause()
        gate.set()
        await settle(pilot)
        assert len(posts(demo_transport)) == 1


async def test_a_422_puts_the_message_next_to_its_field_and_keeps_the_input(demo_app, demo_transport):
    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_wizard(pilot)  # Canada has 240 proxies in stock
        await type_into(pilot, "#quantity", "300")
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen.query_one("#buy", Button).press()
        await settle(pilot)
        assert len(posts(demo_transport)) == 1 and posts(demo_transport)[0].status == 422
        assert screen.step == "options"
        assert str(screen.query_one("#options-error").content)
        assert screen.query_one("#quantity", Input).value == "300"


async def test_an_unknown_outcome_is_reconciled_by_rereading_the_orders(demo_app, demo_transport):
    async def after(request: httpx.Request, response: httpx.Response):
        if request.method == "POST":
            raise httpx.RemoteProtocolError("server disconnected", request=request)  # after it acted
        return None

    app = demo_app(transport=InterceptingTransport(demo_transport, after=after))
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_wizard(pilot)
        await type_into(pilot, "#quantity", "10")
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen.query_one("#buy", Button).press()
        await settle(pilot)
        assert len(posts(demo_transport)) == 1  # never retried
        text = screen_text(app)
        assert "outcome was unknown" in text and "#12360" in text
        button = screen.query_one("#buy", Button)
        assert "Show order #12360" in str(button.label)
        button.press()
        await settle(pilot)
        assert isinstance(app.screen, OrdersScreen)
        assert app.screen.query_one(OrdersTable).highlighted_order.id == 12360


async def test_an_unknown_outcome_with_no_new_order_says_nothing_was_bought(demo_app, demo_transport):
    async def before(request: httpx.Request) -> None:
        if request.method == "POST":
            raise httpx.ReadTimeout("timed out", request=request)  # the sandbox never saw it

    app = demo_app(transport=InterceptingTransport(demo_transport, before=before))
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_wizard(pilot)
        await type_into(pilot, "#quantity", "10")
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen.query_one("#buy", Button).press()
        await settle(pilot)
        text = screen_text(app)
        assert "no new order appears" in text and "nothing was bought" in text
        assert posts(demo_transport) == []
        assert not screen.query_one("#buy", Button).disabled  # the user may decide to buy again


async def test_escape_steps_back_and_cancels_with_nothing_sent(demo_app, demo_transport):
    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_wizard(pilot)
        await type_into(pilot, "#quantity", "10")
        for expected in ("options", "product"):
            await pilot.press("escape")
            await settle(pilot)
            assert screen.step == expected
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OrdersScreen)
        assert posts(demo_transport) == []


async def test_quitting_is_refused_while_a_purchase_is_in_flight(demo_app, demo_transport):
    gate, gated = gated_posts(demo_transport)
    app = demo_app(transport=gated)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        screen = await open_wizard(pilot)
        await type_into(pilot, "#quantity", "10")
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen.query_one("#buy", Button).press()
        await pilot.pause()
        await app.action_quit()
        await pilot.pause()
        assert app.is_running and not app._exit
        assert any("wait for its outcome" in n.message for n in app._notifications)
        gate.set()
        await settle(pilot)
        assert isinstance(app.screen, OrdersScreen)  # the purchase finished and was shown


async def test_a_failed_quote_marks_the_last_one_stale_and_blocks_buying(demo_app, demo_transport):
    async def after(request: httpx.Request, response: httpx.Response):
        if request.url.path.endswith("/calculate-pricing") and request.url.params.get("quantity") == "20":
            return httpx.Response(502, text="<html><body>Bad gateway</body></html>", request=request)
        return None

    app = demo_app(transport=InterceptingTransport(demo_transport, after=after))
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_wizard(pilot)
        quantity = screen.query_one("#quantity", Input)
        quantity.value = "10"
        await settle(pilot)
        panel = screen.query_one(QuotePanel)
        assert panel.quote is not None and not panel.stale
        quantity.value = "20"
        await settle(pilot)
        assert panel.stale and panel.quote.pre_discount_price == Decimal("30")  # the last good one, marked
        assert "out of date" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.query_one("#buy", Button).disabled


async def test_optional_questions_are_marked_once(demo_app):
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_wizard(pilot, product=124, plan=901, location=2011)
        lines = screen_text(app).splitlines()
        assert any("Target websites (optional):" in line and line.count("(optional)") == 1 for line in lines)
        assert any("What will you use the proxies for? *" in line for line in lines)
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_wizard(pilot)
        assert "Extra requirements (if you have any): (optional)" in screen_text(app)
