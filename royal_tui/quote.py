"""Price quotes for the purchase wizard, without Textual (nor rich).

:class:`QuoteRequest` is the "form key" of a quote: the screen builds one from the form,
asks ``client.calculate_pricing(**request.kwargs())`` and applies the answer only when its
request still equals the form's current one (a stale answer never lands over a newer one).
The helpers turn a :class:`~royal_tui.api.models.Quote` into the facts the quote panel shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from royal_tui.api.models import Quote

__all__ = [
    "QuoteRequest",
    "balance_after",
    "discount_amount",
    "discount_lines",
    "insufficient",
    "next_tier_text",
    "percent",
    "percent_number",
]

#: The discounts a quote carries, in display order: (label, Quote attribute).
DISCOUNTS: tuple[tuple[str, str], ...] = (
    ("plan", "plan_discount_percent"),
    ("location", "location_discount_percent"),
    ("quantity", "quantity_discount_percent"),
    ("coupon", "coupon_discount_percent"),
)


def _answers(value: Mapping[int, str] | Iterable[tuple[int, str]] | None) -> tuple[tuple[int, str], ...]:
    items = value.items() if isinstance(value, Mapping) else (value or ())
    return tuple(sorted((int(qid), str(answer)) for qid, answer in items))


@dataclass(frozen=True)
class QuoteRequest:
    """Everything a quote depends on; equal requests get equal quotes.

    Normalised on creation so that equality means "same question to the server": the coupon is
    stripped (blank → ``None``) and ``answers`` (pairs or a mapping) become pairs sorted by
    question id.
    """

    product_id: int
    plan_id: int
    location_id: int
    quantity: int
    coupon_code: str | None = None
    order_id: int | None = None
    answers: tuple[tuple[int, str], ...] = ()

    def __post_init__(self) -> None:
        coupon = (self.coupon_code or "").strip() or None
        object.__setattr__(self, "coupon_code", coupon)
        object.__setattr__(self, "answers", _answers(self.answers))

    def kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``ResellerClient.calculate_pricing``."""
        return {
            "product_id": self.product_id,
            "plan_id": self.plan_id,
            "location_id": self.location_id,
            "quantity": self.quantity,
            "coupon_code": self.coupon_code,
            "order_id": self.order_id,
            "answers": dict(self.answers) or None,
        }


def percent_number(value: Decimal | int) -> str:
    """A percent without trailing zeros: ``5.00`` → ``5``, ``2.50`` → ``2.5``, ``10`` → ``10``."""
    amount = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if amount == amount.to_integral_value():
        return f"{amount.to_integral_value():f}"
    return f"{amount.normalize():f}"


def percent(value: Decimal | int) -> str:
    """``Decimal("5.00")`` → ``"5%"``, ``Decimal("2.5")`` → ``"2.5%"``."""
    return f"{percent_number(value)}%"


def next_tier_text(quote: Quote) -> str | None:
    """``"add 90 more for 5% off"``, or ``None`` when no higher tier exists."""
    upcoming = quote.next_discount
    if upcoming is None or upcoming.quantity < 1:
        return None
    return f"add {upcoming.quantity:,} more for {percent(upcoming.discount)} off"


def discount_lines(quote: Quote) -> list[tuple[str, Decimal]]:
    """The non-zero discounts as ``(name, percent)``: plan, location, quantity, coupon."""
    lines = []
    for name, attribute in DISCOUNTS:
        value: Decimal = getattr(quote, attribute)
        if value:
            lines.append((name, value))
    return lines


def discount_amount(quote: Quote) -> Decimal:
    """How much the discounts save before VAT (``pre_discount_price − price``, never negative)."""
    return max(quote.pre_discount_price - quote.price, Decimal(0))


def balance_after(balance: Decimal | None, quote: Quote) -> Decimal | None:
    """The balance once ``price_with_vat`` is paid from it (``None`` when unknown)."""
    if balance is None:
        return None
    return balance - quote.price_with_vat


def insufficient(balance: Decimal | None, quote: Quote) -> bool:
    """True when paying ``price_with_vat`` would take a known balance below zero."""
    after = balance_after(balance, quote)
    return after is not None and after < 0
