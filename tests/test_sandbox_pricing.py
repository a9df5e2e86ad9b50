"""Sandbox pricing: the "Sandbox arithmetic" of API.md, checked against hand-computed quotes."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from decimal import Decimal

import pytest

from royal_tui.sandbox.app import handle
from royal_tui.sandbox.pricing import Tier, compute_quote, money, number
from royal_tui.sandbox.state import SandboxOptions, SandboxState

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=timezone.utc)
QUOTE_KEYS = {
    "pre_discount_price", "price_with_vat", "vat", "price", "pre_discount_price_per_item", "price_per_item",
    "plan_discount_percent", "location_discount_percent", "coupon_discount_percent",
    "quantity_discount_percent", "total_discount_percent", "quantity_required_for_next_discount", "message",
}


def make_state(**options) -> SandboxState:
    return SandboxState(SandboxOptions(clock=lambda: NOW, **options))


def quote(state: SandboxState, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    response = handle(state, "GET", "/v1/reseller/orders/calculate-pricing", query, {"X-Access-Token": "t"})
    return response.status, response.json()


@pytest.fixture(scope="module")
def state() -> SandboxState:
    return make_state()


# (params, expected subset): every number worked out by hand from the catalog.
CASES = [
    pytest.param(  # the docs' example without a coupon: exactly the documented response
        dict(product_id=123, product_plan_id=456, product_location_id=789, quantity=10),
        dict(pre_discount_price=30, price=30, price_with_vat=30, vat=None, pre_discount_price_per_item=3,
             price_per_item=3, total_discount_percent=0,
             quantity_required_for_next_discount={"quantity": 90, "discount": 5}, message=None),
        id="docs-example"),
    pytest.param(  # DISCOUNT2024 is 10 %: 3 × 0.9 = 2.70, × 10 = 27
        dict(product_id=123, product_plan_id=456, product_location_id=789, quantity=10, coupon_code="DISCOUNT2024"),
        dict(coupon_discount_percent=10, total_discount_percent=10, price_per_item=2.7, price=27,
             pre_discount_price=30, message=None),
        id="valid-coupon"),
    pytest.param(  # coupon codes match case-insensitively
        dict(product_id=123, product_plan_id=456, product_location_id=789, quantity=10, coupon_code="discount2024"),
        dict(coupon_discount_percent=10, price=27),
        id="coupon-lowercase"),
    pytest.param(  # unknown coupon: 200, 0 %, and a message
        dict(product_id=123, product_plan_id=456, product_location_id=789, quantity=10, coupon_code="NOPE"),
        dict(coupon_discount_percent=0, price=30, message="Coupon code is invalid."),
        id="invalid-coupon"),
    pytest.param(  # one below the first tier: the next one is 1 away
        dict(product_id=123, product_plan_id=456, product_location_id=789, quantity=99),
        dict(quantity_discount_percent=0, price=297, quantity_required_for_next_discount={"quantity": 1, "discount": 5}),
        id="tier-just-below"),
    pytest.param(  # tier at 100 → 5 %: 3 × 0.95 = 2.85, × 100 = 285; next tier 250 (10 %)
        dict(product_id=123, product_plan_id=456, product_location_id=789, quantity=100),
        dict(quantity_discount_percent=5, price_per_item=2.85, price=285, pre_discount_price=300,
             quantity_required_for_next_discount={"quantity": 150, "discount": 10}),
        id="tier-exact"),
    pytest.param(  # top tier (1000 → 20 %): 3 × 0.8 = 2.40, × 1000 = 2400; no next tier
        dict(product_id=123, product_plan_id=456, product_location_id=789, quantity=1000),
        dict(quantity_discount_percent=20, price_per_item=2.4, price=2400, quantity_required_for_next_discount=None),
        id="top-tier"),
    pytest.param(  # 90 Days (9, plan 10 %) in the Netherlands (location 5 %): 9 × 0.85 = 7.65, × 10 = 76.5
        dict(product_id=123, product_plan_id=679, product_location_id=792, quantity=10),
        dict(plan_discount_percent=10, location_discount_percent=5, total_discount_percent=15,
             pre_discount_price_per_item=9, price_per_item=7.65, price=76.5, pre_discount_price=90),
        id="plan-and-location"),
    pytest.param(  # 60 Days (6, 5 %) in Manchester (a city with its own 3 %): 6 × 0.92 = 5.52, × 3 = 16.56
        dict(product_id=123, product_plan_id=678, product_location_id=7902, quantity=3),
        dict(plan_discount_percent=5, location_discount_percent=3, price_per_item=5.52, price=16.56),
        id="city-discount"),
    pytest.param(  # 10 + 5 + 80 + 10 = 105 → capped at 90: 9 × 0.1 = 0.90, × 250 = 225
        dict(product_id=123, product_plan_id=679, product_location_id=792, quantity=250, coupon_code="RESELLER80"),
        dict(plan_discount_percent=10, location_discount_percent=5, coupon_discount_percent=80,
             quantity_discount_percent=10, total_discount_percent=90, price_per_item=0.9, price=225,
             quantity_required_for_next_discount={"quantity": 250, "discount": 15}),
        id="cap-90"),
    pytest.param(  # Japan 2.5 %: 3 × 0.975 = 2.925 → 2.93 (half up, not half even), × 10 = 29.3
        dict(product_id=123, product_plan_id=456, product_location_id=793, quantity=10),
        dict(location_discount_percent=2.5, total_discount_percent=2.5, price_per_item=2.93, price=29.3),
        id="round-half-up"),
    pytest.param(  # Datacenter 1.40, Singapore 4 % + WELCOME5: 1.40 × 0.91 = 1.274 → 1.27, × 7 = 8.89
        dict(product_id=124, product_plan_id=901, product_location_id=2004, quantity=7, coupon_code="WELCOME5"),
        dict(pre_discount_price=9.8, price_per_item=1.27, price=8.89, total_discount_percent=9,
             quantity_required_for_next_discount={"quantity": 43, "discount": 3}),
        id="rounding-down"),
    pytest.param(  # a country with cities can be quoted (the wizard quotes before a city is picked)
        dict(product_id=125, product_plan_id=953, product_location_id=3001, quantity=100),
        dict(plan_discount_percent=10, quantity_discount_percent=10, price_per_item=5.28, price=528,
             quantity_required_for_next_discount=None),
        id="sneaker-country"),
    pytest.param(  # extension quote: order 12345's quantity (5) and location (Canada); 6 × 0.95 × 5
        dict(order_id=12345, product_plan_id=678),
        dict(plan_discount_percent=5, price_per_item=5.7, price=28.5, pre_discount_price=30,
             quantity_required_for_next_discount={"quantity": 95, "discount": 5}),
        id="extension-quote"),
    pytest.param(  # extension quotes ignore quantity/location parameters
        dict(order_id=12345, product_id=123, product_plan_id=456, quantity=500, product_location_id=792),
        dict(price=15, location_discount_percent=0, quantity_discount_percent=0),
        id="extension-ignores-quantity"),
]


@pytest.mark.parametrize(("params", "expected"), CASES)
def test_quote_cases(state, params, expected):
    status, body = quote(state, **params)
    assert status == 200, body
    assert set(body) == QUOTE_KEYS
    assert {key: body[key] for key in expected} == expected


VAT_CASES = [
    # rate, params, price, vat, price_with_vat
    (21, dict(quantity=10), 30, 6.3, 36.3),
    (21, dict(quantity=10, coupon_code="DISCOUNT2024"), 27, 5.67, 32.67),
    (19, dict(quantity=10, product_location_id=793), 29.3, 5.57, 34.87),  # 5.567 → 5.57
    (0, dict(quantity=10), 30, 0, 30),
]


@pytest.mark.parametrize(("rate", "params", "price", "vat", "with_vat"), VAT_CASES)
def test_vat(rate, params, price, vat, with_vat):
    state = make_state(vat=rate)
    status, body = quote(state, **{"product_id": 123, "product_plan_id": 456, "product_location_id": 789, **params})
    assert status == 200
    assert (body["price"], body["vat"], body["price_with_vat"]) == (price, vat, with_vat)


def test_demo_account_has_no_vat(state):
    assert quote(state, product_id=123, product_plan_id=456, product_location_id=789, quantity=1)[1]["vat"] is None


@pytest.mark.parametrize(
    ("params", "field"),
    [
        (dict(product_plan_id=456, product_location_id=789, quantity=10), "product_id"),
        (dict(product_id=999, product_plan_id=456, product_location_id=789, quantity=10), "product_id"),
        (dict(product_id="abc", product_plan_id=456, product_location_id=789, quantity=10), "product_id"),
        (dict(product_id=123, product_location_id=789, quantity=10), "product_plan_id"),
        (dict(product_id=123, product_plan_id=901, product_location_id=789, quantity=10), "product_plan_id"),
        (dict(product_id=123, product_plan_id=456, quantity=10), "product_location_id"),
        (dict(product_id=123, product_plan_id=456, product_location_id=2011, quantity=10), "product_location_id"),
        (dict(product_id=123, product_plan_id=456, product_location_id=789), "quantity"),
        (dict(product_id=123, product_plan_id=456, product_location_id=789, quantity=0), "quantity"),
        (dict(product_id=123, product_plan_id=456, product_location_id=789, quantity=1001), "quantity"),
        (dict(product_id=123, product_plan_id=456, product_location_id=789, quantity="1.5"), "quantity"),
        (dict(product_id=124, product_plan_id=901, product_location_id=2011, quantity=4), "quantity"),
        (dict(order_id=12345), "product_plan_id"),
        (dict(order_id=12345, product_plan_id=901), "product_plan_id"),
        (dict(order_id=12345, product_id=124, product_plan_id=678), "product_id"),
    ],
)
def test_quote_validation(state, params, field):
    status, body = quote(state, **params)
    assert status == 422
    assert field in body["errors"]
    first = next(iter(body["errors"].values()))[0]
    assert body["message"].startswith(first)


def test_quote_for_unknown_order_is_404(state):
    assert quote(state, order_id=1, product_plan_id=456) == (404, {"message": "Order not found."})


def test_quote_ignores_question_answers(state):
    status, body = quote(state, product_id=124, product_plan_id=901, product_location_id=2011, quantity=5,
                         **{"product_question_answers[21]": "Other"})
    assert status == 200 and body["price"] == 7


def test_compute_quote_directly():
    result = compute_quote(price=Decimal("3"), quantity=10, tiers=[Tier(100, Decimal(5))])
    assert result.to_json()["quantity_required_for_next_discount"] == {"quantity": 90, "discount": 5}
    assert result.price_with_vat == Decimal("30.00")
    capped = compute_quote(price=Decimal("10"), quantity=1, coupon_discount=Decimal(95))
    assert capped.total_discount_percent == 90 and capped.price == Decimal("1.00")


def test_money_helpers():
    assert money(2.675) == Decimal("2.68")
    assert money("0.005") == Decimal("0.01")
    assert number(Decimal("30.00")) == 30 and isinstance(number(Decimal("30.00")), int)
    assert number(Decimal("884.05")) == 884.05
    assert json.dumps(number(Decimal("2.70"))) == "2.7"
