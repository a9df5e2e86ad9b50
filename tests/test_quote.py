"""The quote helpers (no Textual): request keys, discount lines, next tier, balance after.

Numbers follow API.md's sandbox arithmetic.
"""

from __future__ import annotations

import inspect
from decimal import Decimal

import pytest
from helpers import docs_quote

from royal_tui.api.client import ResellerClient
from royal_tui.api.models import Quote
from royal_tui.quote import (
    QuoteRequest,
    balance_after,
    discount_amount,
    discount_lines,
    insufficient,
    next_tier_text,
    percent,
)

D = Decimal


def discounted_quote() -> Quote:
    """60 Days ($6, plan 5 %), Japan (2.5 %), 100 proxies (5 %), DISCOUNT2024 (10 %), VAT 20 %.

    total 22.5 %; per item round(6 × 0.775, 2) = 4.65; price 465.00; VAT 93.00; charged 558.00;
    the next tier is 250 (10 %): 150 more.
    """
    return Quote.from_json({
        "pre_discount_price": 600, "price_with_vat": 558, "vat": 93, "price": 465,
        "pre_discount_price_per_item": 6, "price_per_item": 4.65, "plan_discount_percent": 5,
        "location_discount_percent": 2.5, "coupon_discount_percent": 10,
        "quantity_discount_percent": 5, "total_discount_percent": 22.5,
        "quantity_required_for_next_discount": {"quantity": 150, "discount": 10},
        "message": None,
    })


# --- QuoteRequest ---------------------------------------------------------------------------


def test_request_kwargs_match_calculate_pricing_signature() -> None:
    request = QuoteRequest(123, 678, 793, 100, coupon_code=" DISCOUNT2024 ", answers=((5, "x"),))
    kwargs = request.kwargs()
    assert kwargs == {
        "product_id": 123, "plan_id": 678, "location_id": 793, "quantity": 100,
        "coupon_code": "DISCOUNT2024", "order_id": None, "answers": {5: "x"},
    }
    inspect.signature(ResellerClient.calculate_pricing).bind(None, **kwargs)


def test_request_normalises_coupon_and_answers() -> None:
    assert QuoteRequest(1, 2, 3, 4, coupon_code="   ").coupon_code is None
    assert QuoteRequest(1, 2, 3, 4, coupon_code="").kwargs()["coupon_code"] is None
    assert QuoteRequest(1, 2, 3, 4).kwargs()["answers"] is None
    a = QuoteRequest(1, 2, 3, 4, coupon_code="X ", answers=((7, "b"), (5, "a")))
    b = QuoteRequest(1, 2, 3, 4, coupon_code="X", answers={5: "a", 7: "b"})
    assert a == b and hash(a) == hash(b)
    assert a.answers == ((5, "a"), (7, "b"))


def test_request_is_the_form_key() -> None:
    base = QuoteRequest(123, 456, 791, 10)
    assert base == QuoteRequest(123, 456, 791, 10, coupon_code=None)
    assert base != QuoteRequest(123, 456, 791, 11)
    assert base != QuoteRequest(123, 456, 791, 10, coupon_code="WELCOME5")
    assert base != QuoteRequest(123, 456, 791, 10, order_id=420)
    assert len({base, QuoteRequest(123, 456, 791, 10)}) == 1
    with pytest.raises(AttributeError):
        base.quantity = 5  # type: ignore[misc]


# --- text helpers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [(D(5), "5%"), (D("5.00"), "5%"), (D("2.5"), "2.5%"), (D("12.50"), "12.5%"), (D(10), "10%"),
     (D("10.0"), "10%"), (D(0), "0%"), (D("22.5"), "22.5%"), (D("1E+1"), "10%"), (90, "90%")],
)
def test_percent(value, text) -> None:
    assert percent(value) == text


def test_next_tier_text() -> None:
    assert next_tier_text(docs_quote()) == "add 90 more for 5% off"
    assert next_tier_text(discounted_quote()) == "add 150 more for 10% off"
    halves = docs_quote(quantity_required_for_next_discount={"quantity": 1000, "discount": "12.50"})
    assert next_tier_text(halves) == "add 1,000 more for 12.5% off"
    assert next_tier_text(docs_quote(quantity_required_for_next_discount=None)) is None


def test_discount_lines_in_fixed_order_and_only_non_zero() -> None:
    assert discount_lines(discounted_quote()) == [
        ("plan", D(5)), ("location", D("2.5")), ("quantity", D(5)), ("coupon", D(10)),
    ]
    assert discount_lines(docs_quote()) == []
    only_coupon = docs_quote(coupon_discount_percent=10, total_discount_percent=10)
    assert discount_lines(only_coupon) == [("coupon", D(10))]


def test_discount_amount() -> None:
    assert discount_amount(discounted_quote()) == D("135.00")
    assert discount_amount(docs_quote()) == 0


# --- balance ----------------------------------------------------------------------------------


def test_balance_after_uses_price_with_vat() -> None:
    assert balance_after(D("884.05"), docs_quote()) == D("854.05")
    assert balance_after(D("884.05"), discounted_quote()) == D("326.05")  # 558 with VAT, not 465
    assert balance_after(None, docs_quote()) is None


def test_insufficient() -> None:
    # 500 × $3 with the 15 % tier: per item 2.55, price 1275.00.
    big = docs_quote(pre_discount_price=1500, price=1275, price_with_vat=1275,
                     price_per_item=2.55, quantity_discount_percent=15, total_discount_percent=15)
    assert insufficient(D("884.05"), big)
    assert not insufficient(D("1275.00"), big)  # exactly enough leaves zero
    assert not insufficient(D("1275.01"), big)
    assert not insufficient(None, big)  # unknown balance: the server decides
    assert not insufficient(D("884.05"), docs_quote())
