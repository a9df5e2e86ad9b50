"""The purchase wizard's live price quote: a passive display the screen feeds.

The screen owns the requests (debounce, one in flight, stale answers dropped) and tells the
panel what to show:

* :meth:`QuotePanel.clear` — nothing to quote yet (a hint);
* :meth:`QuotePanel.show_pending` — "Calculating…"; the last quote stays underneath, dimmed;
* :meth:`QuotePanel.show_quote` — a fresh quote for ``request``;
* :meth:`QuotePanel.show_error` — the last good quote stays, dimmed and marked
  "Quote out of date — <message>".

:func:`fetch_into` is that request step, shared by the purchase wizard and the extend dialog;
:meth:`QuotePanel.quote_for` is the quote a pay button may charge.

Every string from the API (the server's ``message``, error text) is shown literally.
"""

from __future__ import annotations

from decimal import Decimal

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from royal_tui.api.errors import ApiError
from royal_tui.api.models import Quote
from royal_tui.formatting import money, one_line
from royal_tui.quote import (
    QuoteRequest,
    balance_after,
    discount_amount,
    discount_lines,
    next_tier_text,
    percent,
)
from royal_tui.quote import insufficient as balance_insufficient

__all__ = ["CALCULATING", "EMPTY_HINT", "QuotePanel", "STALE_PREFIX", "UNAVAILABLE_PREFIX", "fetch_into"]

EMPTY_HINT = "Choose product, plan, location and a valid quantity to see the price."
CALCULATING = "Calculating…"
STALE_PREFIX = "Quote out of date"
#: An error before any quote arrived: nothing is out of date, there is just no price.
UNAVAILABLE_PREFIX = "No price"
HEADING = "Price"
LABEL_WIDTH = 10
#: Longest server message / error kept (the panel wraps it; it must stay compact).
MESSAGE_LIMIT = 200


def _grid() -> Table:
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(width=LABEL_WIDTH, no_wrap=True, style="dim")
    grid.add_column(ratio=1, overflow="fold")
    return grid


def breakdown(quote: Quote) -> Table:
    """Per-proxy and list price, the discounts (itemised when several) and VAT."""
    grid = _grid()
    per_item = Text()
    if quote.pre_discount_price_per_item != quote.price_per_item:
        per_item.append(money(quote.pre_discount_price_per_item), style="dim")
        per_item.append(" → ", style="dim")
    per_item.append(money(quote.price_per_item))
    grid.add_row("Per proxy", per_item)
    grid.add_row("Subtotal", Text(money(quote.pre_discount_price)))
    discounts = discount_lines(quote)
    saved = Text(f"-{money(discount_amount(quote))}  ")
    if len(discounts) == 1:
        name, value = discounts[0]
        saved.append(f"{name} {percent(value)}", style="dim")
        grid.add_row("Discount", saved)
    elif discounts:
        for name, value in discounts:
            grid.add_row(Text(f"· {name}"), Text(f"-{percent(value)}"))
        saved.append(f"{percent(quote.total_discount_percent)} in all", style="dim")
        grid.add_row("Discount", saved)
    if quote.vat is not None:
        grid.add_row("VAT", Text(money(quote.vat)))
    return grid


def total_line(quote: Quote) -> Table:
    grid = _grid()
    grid.add_row(Text("To pay", style="bold"), Text(money(quote.price_with_vat), style="bold"))
    return grid


class QuotePanel(Vertical):
    """Price, discounts, VAT, the amount charged, the next tier and the balance after."""

    DEFAULT_CSS = """
    QuotePanel {
        height: auto;
        padding: 0 1;
    }
    QuotePanel > #quote-heading {
        color: $accent;
        text-style: bold;
    }
    QuotePanel.-pending > #quote-heading {
        color: $text-muted;
        text-style: bold italic;
    }
    QuotePanel.-stale > #quote-heading {
        color: $error;
        text-style: bold;
    }
    QuotePanel > #quote-hint {
        color: $text-muted;
        text-style: italic;
    }
    QuotePanel > #quote-body {
        height: auto;
    }
    QuotePanel.-pending > #quote-body > Static, QuotePanel.-stale > #quote-body > Static {
        text-opacity: 45%;
    }
    QuotePanel #quote-total {
        background: $boost;
    }
    QuotePanel #quote-next {
        color: $accent;
    }
    QuotePanel #quote-message {
        color: $warning;
    }
    QuotePanel #quote-balance.-insufficient {
        color: $error;
        text-style: bold;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._quote: Quote | None = None
        self._request: QuoteRequest | None = None
        self._balance: Decimal | None = None
        self._paying_from_balance = False
        self._stale = False
        self._pending = False
        self._error: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(HEADING, id="quote-heading")
        yield Static(EMPTY_HINT, id="quote-hint")
        with Vertical(id="quote-body"):
            yield Static(id="quote-breakdown")
            yield Static(id="quote-total")
            yield Static(id="quote-next")
            yield Static(id="quote-message")
            yield Static(id="quote-balance")

    def on_mount(self) -> None:
        self._redraw()

    # ------------------------------------------------------------------ public API
    @property
    def quote(self) -> Quote | None:
        """The last good quote (also while pending or stale), ``None`` after :meth:`clear`."""
        return self._quote

    @property
    def request(self) -> QuoteRequest | None:
        """The request :attr:`quote` answers."""
        return self._request

    @property
    def stale(self) -> bool:
        """True after :meth:`show_error` until the next :meth:`show_quote` or :meth:`clear`."""
        return self._stale

    @property
    def pending(self) -> bool:
        """True between :meth:`show_pending` and the next show_quote / show_error / clear."""
        return self._pending

    @property
    def ready(self) -> bool:
        """A quote is shown that is neither pending nor stale."""
        return self._quote is not None and not self._pending and not self._stale

    def quote_for(self, request: QuoteRequest | None) -> Quote | None:
        """The quote a pay button may charge for ``request``: shown, neither pending nor stale,
        and answering exactly that request (else None)."""
        if request is None or not self.ready or self._request != request:
            return None
        return self._quote

    def rebalance(self, balance: Decimal | None, *, paying_from_balance: bool) -> None:
        """The balance or the payment method changed: re-show the current quote against it."""
        if self._quote is not None and self._request is not None and not self._stale:
            self.show_quote(self._quote, request=self._request, balance=balance,
                            paying_from_balance=paying_from_balance)

    @property
    def insufficient(self) -> bool:
        """Paying the shown quote from the (known) balance would take it below zero."""
        if self._quote is None or not self._paying_from_balance:
            return False
        return balance_insufficient(self._balance, self._quote)

    def show_pending(self) -> None:
        """A request is on its way: "Calculating…", the last quote (if any) dimmed below."""
        self._pending = True
        self._redraw()

    def show_quote(
        self,
        quote: Quote,
        *,
        request: QuoteRequest,
        balance: Decimal | None,
        paying_from_balance: bool,
    ) -> None:
        self._quote = quote
        self._request = request
        self._balance = balance
        self._paying_from_balance = paying_from_balance
        self._pending = False
        self._stale = False
        self._error = None
        self._redraw()

    def show_error(self, message: str) -> None:
        """The quote could not be refreshed: keep the last one, marked out of date."""
        self._error = one_line(message, MESSAGE_LIMIT) or "the price could not be calculated"
        self._pending = False
        self._stale = True
        self._redraw()

    def clear(self) -> None:
        """Nothing to quote yet: the hint, no quote."""
        self._quote = None
        self._request = None
        self._balance = None
        self._paying_from_balance = False
        self._pending = False
        self._stale = False
        self._error = None
        self._redraw()

    # ------------------------------------------------------------------ rendering
    def _static(self, widget_id: str) -> Static:
        return self.query_one(f"#{widget_id}", Static)

    def _redraw(self) -> None:
        if not self.is_mounted:
            return
        quote = self._quote
        self.set_class(self._pending, "-pending")
        self.set_class(self._stale and not self._pending, "-stale")
        self._static("quote-heading").update(self._heading())
        self._static("quote-hint").display = quote is None and not self._pending and not self._stale
        body = self.query_one("#quote-body")
        body.display = quote is not None
        if quote is None:
            return
        self._static("quote-breakdown").update(breakdown(quote))
        self._static("quote-total").update(total_line(quote))
        self._optional("quote-next", next_tier_text(quote))
        self._optional("quote-message", one_line(quote.message, MESSAGE_LIMIT) or None)
        self._render_balance(quote)

    def _heading(self) -> Text:
        if self._pending:
            return Text(CALCULATING)
        if self._stale:
            prefix = STALE_PREFIX if self._quote is not None else UNAVAILABLE_PREFIX
            return Text(f"{prefix} — {self._error}")
        return Text(HEADING)

    def _optional(self, widget_id: str, value: str | None) -> None:
        static = self._static(widget_id)
        static.display = value is not None
        static.update(Text(value or ""))

    def _render_balance(self, quote: Quote) -> None:
        static = self._static("quote-balance")
        after = balance_after(self._balance, quote)
        shown = self._paying_from_balance and after is not None
        static.display = shown
        short = shown and after is not None and after < 0
        static.set_class(short, "-insufficient")
        if not shown:
            static.update("")
        elif short:
            static.update(
                Text(
                    f"Insufficient balance: {money(self._balance)} available, "
                    f"{money(quote.price_with_vat)} needed"
                )
            )
        else:
            static.update(Text(f"Balance after: {money(after)}"))


async def fetch_into(panel: QuotePanel, client, request: QuoteRequest, *, wanted, balance: Decimal | None,
                     paying_from_balance: bool) -> bool:
    """Ask the API to price ``request`` and show the answer (or the error) in ``panel`` — unless
    ``wanted()`` no longer returns ``request`` (the form changed meanwhile: a stale answer is
    dropped). True when the panel was updated."""
    try:
        quote = await client.calculate_pricing(**request.kwargs())
    except ApiError as error:
        if wanted() != request:
            return False
        panel.show_error(error.message)
        return True
    if wanted() != request:
        return False
    panel.show_quote(quote, request=request, balance=balance, paying_from_balance=paying_from_balance)
    return True
