"""Extending an order, without Textual: who can be extended, for how long, where it is priced."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from royal_tui.api.models import Order, Plan, Product
from royal_tui.formatting import utc_date

#: Orders the provider extends (the sandbox refuses the others with a 422).
EXTENDABLE_STATUSES = ("confirmed", "in-progress")

_DAYS = re.compile(r"(\d{1,4})\s*(day|week|month)", re.IGNORECASE)
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30}


def why_not_extendable(order: Order) -> str | None:
    """The reason an order cannot be extended, in plain words; None when it can."""
    if order.status in EXTENDABLE_STATUSES:
        return None
    if order.status == "expired":
        return (
            f"Order #{order.id} expired on {utc_date(order.expire_date)}. An expired order cannot be "
            "extended — buy new proxies with n."
        )
    if order.status == "refunded":
        return f"Order #{order.id} was refunded, so there is nothing left to extend."
    if order.status == "unpaid":
        return f"Order #{order.id} is unpaid. It can be extended once it has been paid and confirmed."
    return f"Order #{order.id} is “{order.status}”, which cannot be extended."


def plan_days(plan: Plan) -> int | None:
    """How long a plan lasts, read from its name ("30 Days", "1 Week"); None when it does not say."""
    match = _DAYS.search(plan.name)
    if match is None:
        return None
    return int(match.group(1)) * _UNIT_DAYS[match.group(2).lower()]


def new_expiry(order: Order, plan: Plan, now: datetime) -> datetime | None:
    """The expiry after extending by ``plan``: the period is added to max(now, current expiry)."""
    days = plan_days(plan)
    if days is None or order.expire_date is None:
        return None
    return max(now, order.expire_date) + timedelta(days=days)


def product_of(order: Order, products: tuple[Product, ...]) -> Product | None:
    return next((p for p in products if p.name == order.product_name), None)


def current_plan(order: Order, product: Product) -> Plan | None:
    return next((plan for plan in product.plans if plan.name == order.plan_name), None)


def location_id_of(order: Order, product: Product) -> int | None:
    """The id of the order's location ("Canada" or "United States, New York") in the catalog."""
    for country in product.locations:
        if order.location == country.name:
            return country.id
        for city in country.child_locations:
            if order.location in (f"{country.name}, {city.name}", city.name):
                return city.id
    return None
