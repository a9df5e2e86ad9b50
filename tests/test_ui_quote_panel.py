"""The quote panel on its own: every state, literal server text, and two snapshots."""

from __future__ import annotations

from decimal import Decimal

import pytest
from helpers import docs_quote
from helpers import screen_text
from textual.app import App, ComposeResult

from royal_tui.api.models import Quote
from royal_tui.quote import QuoteRequest
from royal_tui.ui.widgets.quote_panel import EMPTY_HINT, QuotePanel

SIZE = (44, 20)
BALANCE = Decimal("884.05")
REQUEST = QuoteRequest(123, 456, 791, 10)
BIG_REQUEST = QuoteRequest(123, 678, 793, 100, coupon_code="DISCOUNT2024")


def discounted_quote(**overrides) -> Quote:
    """60 Days ($6, 5 %), Japan (2.5 %), 100 proxies (5 %), DISCOUNT2024 (10 %), VAT 20 %."""
    return docs_quote(
        pre_discount_price=600, price_with_vat=558, vat=93, price=465,
        pre_discount_price_per_item=6, price_per_item=4.65, plan_discount_percent=5,
        location_discount_percent=2.5, coupon_discount_percent=10, quantity_discount_percent=5,
        total_discount_percent=22.5,
        quantity_required_for_next_discount={"quantity": 150, "discount": 10},
        **overrides,
    )


def big_quote() -> Quote:
    """500 × $3 with the 15 % tier: $1,275.00."""
    return docs_quote(
        pre_discount_price=1500, price=1275, price_with_vat=1275, price_per_item=2.55,
        quantity_discount_percent=15, total_discount_percent=15,
        quantity_required_for_next_discount={"quantity": 500, "discount": 20},
    )


class PanelApp(App):
    def compose(self) -> ComposeResult:
        yield QuotePanel(id="quote")

    @property
    def panel(self) -> QuotePanel:
        return self.query_one(QuotePanel)


def lines(app) -> list[str]:
    return [line.rstrip() for line in screen_text(app).splitlines() if line.strip()]


@pytest.mark.anyio
async def test_clear_shows_the_hint() -> None:
    app = PanelApp()
    async with app.run_test(size=SIZE) as pilot:
        panel = app.panel
        text = " ".join(screen_text(app).split())
        assert EMPTY_HINT in text
        assert panel.quote is None and panel.request is None
        assert not panel.stale and not panel.pending and not panel.ready and not panel.insufficient

        panel.show_quote(docs_quote(), request=REQUEST, balance=BALANCE, paying_from_balance=True)
        panel.clear()
        await pilot.pause()
        assert EMPTY_HINT in " ".join(screen_text(app).split())
        assert "$30.00" not in screen_text(app)
        assert panel.quote is None and panel.request is None and not panel.insufficient


@pytest.mark.anyio
async def test_pending_without_and_with_a_previous_quote() -> None:
    app = PanelApp()
    async with app.run_test(size=SIZE) as pilot:
        panel = app.panel
        panel.show_pending()
        await pilot.pause()
        text = screen_text(app)
        assert "Calculating…" in text
        assert EMPTY_HINT.split()[0] not in text
        assert panel.pending and panel.quote is None

        panel.show_quote(docs_quote(), request=REQUEST, balance=None, paying_from_balance=True)
        await pilot.pause()
        assert panel.ready and not panel.pending
        panel.show_pending()
        await pilot.pause()
        text = screen_text(app)
        assert "Calculating…" in text
        assert "$30.00" in text  # the last quote stays underneath (dimmed)
        assert panel.pending and not panel.ready and panel.quote is not None
        assert panel.has_class("-pending")


@pytest.mark.anyio
async def test_quote_without_discounts() -> None:
    app = PanelApp()
    async with app.run_test(size=SIZE) as pilot:
        panel = app.panel
        panel.show_quote(docs_quote(), request=REQUEST, balance=BALANCE, paying_from_balance=True)
        await pilot.pause()
        text = lines(app)
        assert text[0].strip() == "Price"
        assert any("Per proxy" in line and "$3.00" in line and "→" not in line for line in text)
        assert any("Subtotal" in line and "$30.00" in line for line in text)
        assert any("To pay" in line and "$30.00" in line for line in text)
        assert not any("Discount" in line or "VAT" in line for line in text)
        assert any(line.strip() == "add 90 more for 5% off" for line in text)
        assert any(line.strip() == "Balance after: $854.05" for line in text)
        assert panel.quote == docs_quote() and panel.request == REQUEST
        assert panel.ready and not panel.stale and not panel.insufficient


@pytest.mark.anyio
async def test_quote_with_every_discount_vat_next_tier_and_message() -> None:
    app = PanelApp()
    async with app.run_test(size=SIZE) as pilot:
        quote = discounted_quote(message="Coupon code is invalid.")
        app.panel.show_quote(quote, request=BIG_REQUEST, balance=BALANCE, paying_from_balance=True)
        await pilot.pause()
        text = lines(app)
        joined = "\n".join(text)
        assert any("Per proxy" in line and "$6.00 → $4.65" in line for line in text)
        assert any("Subtotal" in line and "$600.00" in line for line in text)
        items = [line.split()[1:] for line in text if line.lstrip().startswith("·")]
        assert items == [["plan", "-5%"], ["location", "-2.5%"], ["quantity", "-5%"], ["coupon", "-10%"]]
        assert any("Discount" in line and "-$135.00" in line and "22.5% in all" in line for line in text)
        assert any("VAT" in line and "$93.00" in line for line in text)
        assert any("To pay" in line and "$558.00" in line for line in text)
        assert "add 150 more for 10% off" in joined
        assert "Coupon code is invalid." in joined
        assert "Balance after: $326.05" in joined
        assert len(text) == 13  # the worst case: four discounts, VAT, a message and the balance


@pytest.mark.anyio
async def test_server_message_is_literal() -> None:
    app = PanelApp()
    async with app.run_test(size=SIZE) as pilot:
        quote = docs_quote(message="[bold]Coupon[/bold] is [red]bad[/]")
        app.panel.show_quote(quote, request=REQUEST, balance=None, paying_from_balance=False)
        await pilot.pause()
        assert "[bold]Coupon[/bold] is [red]bad[/]" in screen_text(app)

        app.panel.show_error("[b]Too Many Attempts.[/b]")
        await pilot.pause()
        assert "[b]Too Many Attempts.[/b]" in " ".join(screen_text(app).split())


@pytest.mark.anyio
async def test_error_keeps_the_last_quote_marked_stale() -> None:
    app = PanelApp()
    async with app.run_test(size=SIZE) as pilot:
        panel = app.panel
        panel.show_quote(docs_quote(), request=REQUEST, balance=BALANCE, paying_from_balance=True)
        panel.show_error("Network error.")
        await pilot.pause()
        text = screen_text(app)
        assert "Quote out of date — Network error." in text
        assert "$30.00" in text
        assert panel.stale and not panel.ready and panel.quote == docs_quote()
        assert panel.request == REQUEST
        assert panel.has_class("-stale")

        panel.show_pending()  # still stale until a fresh quote arrives
        await pilot.pause()
        assert panel.stale and "Calculating…" in screen_text(app)

        panel.show_quote(docs_quote(), request=REQUEST, balance=BALANCE, paying_from_balance=True)
        await pilot.pause()
        assert not panel.stale and "out of date" not in screen_text(app)


@pytest.mark.anyio
async def test_error_before_any_quote() -> None:
    app = PanelApp()
    async with app.run_test(size=SIZE) as pilot:
        app.panel.show_error("The service is unavailable (502).")
        await pilot.pause()
        text = " ".join(screen_text(app).split())
        assert "No price — The service is unavailable (502)." in text
        assert "To pay" not in text
        assert app.panel.stale and app.panel.quote is None


@pytest.mark.anyio
async def test_insufficient_balance() -> None:
    app = PanelApp()
    async with app.run_test(size=SIZE) as pilot:
        panel = app.panel
        panel.show_quote(big_quote(), request=REQUEST, balance=BALANCE, paying_from_balance=True)
        await pilot.pause()
        text = " ".join(screen_text(app).split())
        assert "Insufficient balance: $884.05 available, $1,275.00 needed" in text
        assert "Discount -$225.00 quantity 15%" in text  # a single discount: one line
        assert "Balance after" not in text
        assert panel.insufficient

        # Paying by card: the balance is irrelevant.
        panel.show_quote(big_quote(), request=REQUEST, balance=BALANCE, paying_from_balance=False)
        await pilot.pause()
        text = screen_text(app)
        assert "Insufficient" not in text and "Balance after" not in text
        assert not panel.insufficient

        # Balance unknown: nothing claimed.
        panel.show_quote(big_quote(), request=REQUEST, balance=None, paying_from_balance=True)
        await pilot.pause()
        assert "Insufficient" not in screen_text(app) and not panel.insufficient


def test_snapshot_quote_with_discounts(snap_compare) -> None:
    app = PanelApp()

    async def run_before(pilot) -> None:
        quote = discounted_quote(message="Coupon code is invalid.")
        pilot.app.panel.show_quote(quote, request=BIG_REQUEST, balance=BALANCE,
                                   paying_from_balance=True)
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_snapshot_stale_quote_with_error(snap_compare) -> None:
    app = PanelApp()

    async def run_before(pilot) -> None:
        pilot.app.panel.show_quote(big_quote(), request=REQUEST, balance=BALANCE,
                                   paying_from_balance=True)
        pilot.app.panel.show_error("The server took too long to answer.")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


@pytest.mark.anyio
async def test_quote_for_is_the_quote_a_pay_button_may_charge() -> None:
    app = PanelApp()
    async with app.run_test() as pilot:
        panel = app.panel
        assert panel.quote_for(REQUEST) is None and panel.quote_for(None) is None
        panel.show_quote(docs_quote(), request=REQUEST, balance=Decimal("100"), paying_from_balance=True)
        await pilot.pause()
        assert panel.quote_for(REQUEST) == docs_quote()
        assert panel.quote_for(BIG_REQUEST) is None  # answers another form
        panel.show_pending()
        assert panel.quote_for(REQUEST) is None  # a new answer is on its way
        panel.show_error("boom")
        assert panel.quote_for(REQUEST) is None  # out of date
        panel.rebalance(Decimal("1"), paying_from_balance=True)  # a stale quote is not re-shown
        assert panel.stale


@pytest.mark.anyio
async def test_rebalance_and_fetch_into() -> None:
    class Client:
        def __init__(self, answer):
            self.answer = answer

        async def calculate_pricing(self, **kwargs):
            if isinstance(self.answer, Exception):
                raise self.answer
            return self.answer

    from royal_tui.api.errors import ServerError
    from royal_tui.ui.widgets.quote_panel import fetch_into

    app = PanelApp()
    async with app.run_test() as pilot:
        panel = app.panel
        kwargs = dict(balance=Decimal("100"), paying_from_balance=True)
        assert await fetch_into(panel, Client(docs_quote()), REQUEST, wanted=lambda: REQUEST, **kwargs)
        assert panel.quote_for(REQUEST) == docs_quote() and not panel.insufficient
        panel.rebalance(Decimal("1"), paying_from_balance=True)
        assert panel.insufficient  # $30 from a $1 balance
        panel.rebalance(Decimal("1"), paying_from_balance=False)  # a card pays
        assert not panel.insufficient
        # a stale answer (the form moved on) leaves the panel alone
        assert not await fetch_into(panel, Client(big_quote()), BIG_REQUEST, wanted=lambda: REQUEST, **kwargs)
        assert panel.request == REQUEST
        assert await fetch_into(panel, Client(ServerError("down")), REQUEST, wanted=lambda: REQUEST, **kwargs)
        await pilot.pause()
        assert panel.stale and "down" in screen_text(app)
