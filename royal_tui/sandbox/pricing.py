"""Pure pricing arithmetic: exactly the "Sandbox arithmetic" section of ``API.md``.

Money is ``decimal.Decimal`` rounded to cents with ROUND_HALF_UP; :func:`number` turns a
Decimal into the JSON number the API sends (an int when integral, as in the docs' ``30``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Sequence

CENT = Decimal("0.01")
#: The sum of the four discounts is capped at this many percent.
MAX_TOTAL_DISCOUNT = Decimal(90)


def money(value: Decimal | int | float | str) -> Decimal:
    """Round to cents, half up (``Decimal(str(x))`` for floats, so 2.675 stays 2.675 → 2.68)."""
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def number(value: Decimal | int) -> int | float:
    """A JSON number for an amount or a percent: ``30`` rather than ``30.0``, else a float."""
    amount = value if isinstance(value, Decimal) else Decimal(value)
    if amount == amount.to_integral_value():
        return int(amount)
    return float(amount)


@dataclass(frozen=True)
class Tier:
    """A quantity discount: ``discount_percent`` off from ``quantity_from`` proxies up."""

    quantity_from: int
    discount_percent: Decimal


def quantity_discount(tiers: Sequence[Tier], quantity: int) -> Decimal:
    """The largest tier with ``quantity_from ≤ quantity``, else 0."""
    reached = [tier for tier in tiers if tier.quantity_from <= quantity]
    if not reached:
        return Decimal(0)
    return max(reached, key=lambda tier: tier.quantity_from).discount_percent


def next_tier(tiers: Sequence[Tier], quantity: int) -> Tier | None:
    """The first tier above ``quantity``, or ``None`` at the top."""
    above = [tier for tier in tiers if tier.quantity_from > quantity]
    return min(above, key=lambda tier: tier.quantity_from) if above else None


@dataclass(frozen=True)
class Quote:
    quantity: int
    pre_discount_price_per_item: Decimal
    pre_discount_price: Decimal
    plan_discount_percent: Decimal
    location_discount_percent: Decimal
    coupon_discount_percent: Decimal
    quantity_discount_percent: Decimal
    total_discount_percent: Decimal
    price_per_item: Decimal
    price: Decimal
    vat: Decimal | None
    price_with_vat: Decimal
    next_tier: Tier | None
    message: str | None = None

    def to_json(self) -> dict:
        upcoming = None
        if self.next_tier is not None:
            upcoming = {
                "quantity": self.next_tier.quantity_from - self.quantity,
                "discount": number(self.next_tier.discount_percent),
            }
        return {
            "pre_discount_price": number(self.pre_discount_price),
            "price_with_vat": number(self.price_with_vat),
            "vat": None if self.vat is None else number(self.vat),
            "price": number(self.price),
            "pre_discount_price_per_item": number(self.pre_discount_price_per_item),
            "price_per_item": number(self.price_per_item),
            "plan_discount_percent": number(self.plan_discount_percent),
            "location_discount_percent": number(self.location_discount_percent),
            "coupon_discount_percent": number(self.coupon_discount_percent),
            "quantity_discount_percent": number(self.quantity_discount_percent),
            "total_discount_percent": number(self.total_discount_percent),
            "quantity_required_for_next_discount": upcoming,
            "message": self.message,
        }


def compute_quote(
    *,
    price: Decimal,
    quantity: int,
    tiers: Sequence[Tier] = (),
    plan_discount: Decimal = Decimal(0),
    location_discount: Decimal = Decimal(0),
    coupon_discount: Decimal = Decimal(0),
    vat_rate: Decimal | None = None,
    message: str | None = None,
) -> Quote:
    """Price ``quantity`` proxies at ``price`` each (per plan period).

    ``total = min(plan + location + coupon + quantity discounts, 90)``;
    ``price_per_item = round(price × (1 − total/100), 2)``; ``price = round(per_item × quantity, 2)``;
    with a VAT rate r: ``vat = round(price × r/100, 2)`` and ``price_with_vat = price + vat``.
    """
    per_item_before = money(price)
    by_quantity = quantity_discount(tiers, quantity)
    total = min(plan_discount + location_discount + coupon_discount + by_quantity, MAX_TOTAL_DISCOUNT)
    per_item = money(per_item_before * (1 - total / 100))
    amount = money(per_item * quantity)
    vat = None if vat_rate is None else money(amount * Decimal(str(vat_rate)) / 100)
    return Quote(
        quantity=quantity,
        pre_discount_price_per_item=per_item_before,
        pre_discount_price=money(per_item_before * quantity),
        plan_discount_percent=plan_discount,
        location_discount_percent=location_discount,
        coupon_discount_percent=coupon_discount,
        quantity_discount_percent=by_quantity,
        total_discount_percent=total,
        price_per_item=per_item,
        price=amount,
        vat=vat,
        price_with_vat=amount if vat is None else amount + vat,
        next_tier=next_tier(tiers, quantity),
        message=message,
    )
