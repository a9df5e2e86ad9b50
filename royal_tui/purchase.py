"""The purchase wizard's rules, without Textual: validation and where a server error belongs."""

from __future__ import annotations

from royal_tui.api.models import Location, Plan

#: The wizard's steps, in order.
STEPS = ("product", "options", "details", "review")

#: Longest quantity input taken seriously (a 10 kB paste is refused, not parsed).
MAX_QUANTITY_DIGITS = 7


def quantity_problem(text: str, plan: Plan | None) -> str | None:
    """Why ``text`` is not a quantity this plan can be bought in, or None when it is."""
    raw = text.strip()
    if not raw:
        return "Enter how many proxies to buy."
    if not raw.isascii() or not raw.isdigit():
        return "Enter a whole number, like 10."
    if len(raw.lstrip("0")) > MAX_QUANTITY_DIGITS:  # huge: say the limit, never int() 10 kB of digits
        limit = plan.max_quantity if plan is not None and plan.max_quantity is not None else None
        return f"{plan.name} allows at most {limit:,} proxies." if limit is not None else "That is far too many proxies."
    value = int(raw)
    if value < 1:
        return "Buy at least 1 proxy."
    if plan is not None:
        if plan.min_quantity is not None and value < plan.min_quantity:
            return f"{plan.name} starts at {plan.min_quantity} proxies."
        if plan.max_quantity is not None and value > plan.max_quantity:
            return f"{plan.name} allows at most {plan.max_quantity:,} proxies."
    return None


def coupon_problem(text: str) -> str | None:
    code = text.strip()
    if len(code) > 64:
        return "A coupon code is at most 64 characters."
    if code and not all(ch.isprintable() and not ch.isspace() for ch in code):
        return "A coupon code has no spaces or control characters."
    return None


def step_of_field(field: str) -> str:
    """The wizard step that owns a field named in a 422 answer."""
    if field in ("product_plan_id", "product_location_id"):
        return "options"
    if field == "product_id":
        return "product"
    if field in ("balance", "card_id", "payment"):
        return "review"
    return "details"  # quantity, coupon_code, product_question_answers.N, auto_extend, unknown


def buyable(location: Location) -> bool:
    """A location can be bought in when it has no cities under it and is in stock."""
    return not location.child_locations and not location.out_of_stock


def stock_label(location: Location) -> str:
    if location.out_of_stock:
        return "out of stock"
    if location.child_locations:
        return "choose a city"
    if location.available_proxies_count is None:
        return "stock unknown"
    return f"{location.available_proxies_count:,} available"
