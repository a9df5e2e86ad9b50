"""Parsing of the API's JSON into models: the docs' examples and the tolerance rules."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from royal_tui.api import (
    ORDER_STATUSES,
    AutoExtendSettings,
    Card,
    Extension,
    Location,
    MalformedResponse,
    NextDiscount,
    Order,
    OrderRequest,
    OrdersPage,
    PageMeta,
    Plan,
    Ports,
    Product,
    Proxy,
    Question,
    QuestionAnswer,
    Quote,
)

# The example response of "Get Orders" in orders-docs.txt (one order shown).
DOCS_ORDER: dict[str, Any] = {
    "id": 420,
    "note": None,
    "product_name": "Static Residential",
    "expire_date": "2024-04-20 10:25:12",
    "plan_name": "30 Days",
    "status": "confirmed",
    "location": "United States",
    "quantity": 5,
    "questions_answers": [
        {"question": "Extra requirements (if you have any):", "answer": "I need 128.158.97"}
    ],
    "proxy_data": {"ports": {"socks5": 12324, "http|https": 12323}, "proxies": []},
    "auto_extend_settings": None,
    "extended_history": [],
}
DOCS_ORDERS_PAGE: dict[str, Any] = {
    "data": [DOCS_ORDER],
    "meta": {
        "current_page": 1,
        "from": 1,
        "last_page": 2,
        "path": "https://apid.iproyal.com/v1/reseller/orders",
        "per_page": 10,
        "to": 10,
        "total": 14,
    },
}
DOCS_QUOTE: dict[str, Any] = {
    "pre_discount_price": 30,
    "price_with_vat": 30,
    "vat": None,
    "price": 30,
    "pre_discount_price_per_item": 3,
    "price_per_item": 3,
    "plan_discount_percent": 0,
    "location_discount_percent": 0,
    "coupon_discount_percent": 0,
    "quantity_discount_percent": 0,
    "total_discount_percent": 0,
    "quantity_required_for_next_discount": {"quantity": 90, "discount": 5},
    "message": None,
}
PRODUCT: dict[str, Any] = {
    "id": 9,
    "name": "Static Residential",
    "plans": [
        {"id": 1, "name": "30 Days", "price": 2.4, "min_quantity": 1, "max_quantity": 1000},
        {"id": 2, "name": "90 Days", "price": "6.90", "min_quantity": None, "max_quantity": None},
    ],
    "locations": [
        {
            "id": 10,
            "name": "United States",
            "out_of_stock": False,
            "available_proxies_count": None,
            "child_locations": [
                {"id": 11, "name": "New York", "out_of_stock": True, "available_proxies_count": 0,
                 "child_locations": []},
                {"id": 12, "name": "Dallas", "out_of_stock": False,
                 "available_proxies_count": "120"},
            ],
        }
    ],
    "questions": [
        {"id": 5, "text": "Website you will use the proxies on", "is_required": True},
        {"id": 6, "text": "Extra requirements (if you have any):", "is_required": None},
        {"id": 7, "text": "Protocol", "is_required": False, "type": "select",
         "options": [{"value": "HTTP"}, {"value": "SOCKS5"}, "Both"]},
    ],
    "quantity_discounts": [
        {"quantity_from": 10, "discount_percent": 5},
        {"quantity_from": "100", "discount_percent": "12.5"},
    ],
    "some_future_field": {"ignored": True},
}


def order(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(DOCS_ORDER)
    data.update(changes)
    return data


# --- the docs' examples ----------------------------------------------------------------------


def test_docs_orders_page() -> None:
    page = OrdersPage.from_json(DOCS_ORDERS_PAGE)
    assert page.meta == PageMeta(current_page=1, last_page=2, per_page=10, total=14, from_=1, to=10)
    (o,) = page.orders
    assert o == Order(
        id=420,
        note=None,
        product_name="Static Residential",
        plan_name="30 Days",
        expire_date=datetime(2024, 4, 20, 10, 25, 12, tzinfo=UTC),
        status="confirmed",
        location="United States",
        quantity=5,
        questions_answers=(
            QuestionAnswer("Extra requirements (if you have any):", "I need 128.158.97"),
        ),
        ports=Ports(socks5=12324, http=12323),
        proxies=(),
        auto_extend_settings=None,
        extended_history=(),
    )
    assert o.expire_date is not None and o.expire_date.utcoffset() is not None
    assert o.auto_extend_enabled is False
    assert o.status in ORDER_STATUSES


def test_docs_quote() -> None:
    q = Quote.from_json(DOCS_QUOTE)
    assert q.price_with_vat == Decimal(30) and isinstance(q.price_with_vat, Decimal)
    assert q.pre_discount_price_per_item == Decimal(3)
    assert q.vat is None and q.message is None
    assert q.total_discount_percent == 0
    assert q.next_discount == NextDiscount(quantity=90, discount=Decimal(5))


def test_quote_with_vat_floats_strings_and_message() -> None:
    data = dict(DOCS_QUOTE, vat="6.3", price_with_vat=36.3, price="30.00",
                coupon_discount_percent="10", quantity_required_for_next_discount=None,
                message="Coupon code is invalid.")
    q = Quote.from_json({"data": data})
    assert q.vat == Decimal("6.3") and q.price_with_vat == Decimal("36.3")
    assert q.price == Decimal("30.00") and q.coupon_discount_percent == Decimal(10)
    assert q.next_discount is None and q.message == "Coupon code is invalid."


def test_quote_missing_price_is_malformed() -> None:
    data = dict(DOCS_QUOTE)
    del data["price_with_vat"]
    with pytest.raises(MalformedResponse, match="price_with_vat"):
        Quote.from_json(data)


def test_product_catalog() -> None:
    prod = Product.from_json(PRODUCT)
    assert prod.plans[0] == Plan(1, "30 Days", Decimal("2.4"), 1, 1000)
    assert prod.plans[1].price == Decimal("6.90") and prod.plans[1].max_quantity is None
    us = prod.locations[0]
    assert us.available_proxies_count is None and us.out_of_stock is False
    assert [c.id for c in us.child_locations] == [11, 12]
    assert us.child_locations[0] == Location(11, "New York", True, 0, ())
    assert us.child_locations[1].available_proxies_count == 120
    q5, q6, q7 = prod.questions
    assert q5 == Question(5, "Website you will use the proxies on", True, None, ())
    assert q6.is_required is False
    assert q7.type == "select" and q7.options == ("HTTP", "SOCKS5", "Both")
    assert prod.quantity_discounts[1].quantity_from == 100
    assert prod.quantity_discounts[1].discount_percent == Decimal("12.5")


def test_product_with_missing_lists_is_empty() -> None:
    prod = Product.from_json({"data": {"id": "3", "name": "Datacenter", "plans": None}})
    assert prod.id == 3 and prod.plans == () and prod.locations == () and prod.questions == ()


# --- orders: tolerance ---------------------------------------------------------------------


def test_order_bare_or_wrapped_is_the_same() -> None:
    assert Order.from_json({"data": DOCS_ORDER}) == Order.from_json(DOCS_ORDER)


def test_order_numeric_strings_unknown_fields_and_unknown_status() -> None:
    o = Order.from_json(order(id="420", quantity="5", status="on-hold", is_test=True,
                              locations="United States, Canada", brand_new={"x": 1}))
    assert o.id == 420 and o.quantity == 5 and o.status == "on-hold"


def test_order_proxies_ipv6_and_ports_as_strings() -> None:
    proxies = [
        {"ip": "203.0.113.7", "username": "u1", "password": "p1"},
        {"ip": "2001:db8::1", "username": "u2", "password": None, "port": 9999},
    ]
    o = Order.from_json(order(proxy_data={"ports": {"socks5": "1080", "http|https": 8080.0},
                                          "proxies": proxies}))
    assert o.ports == Ports(socks5=1080, http=8080)
    assert o.proxies == (Proxy("203.0.113.7", "u1", "p1"), Proxy("2001:db8::1", "u2", ""))


@pytest.mark.parametrize("proxy_data", [None, [], {}, {"ports": None, "proxies": None},
                                        {"ports": [], "proxies": {}}])
def test_order_missing_proxy_data(proxy_data: Any) -> None:
    o = Order.from_json(order(proxy_data=proxy_data))
    assert o.ports == Ports(None, None) and o.proxies == ()


def test_order_null_answer_and_null_expiry() -> None:
    o = Order.from_json(order(expire_date=None, status="unpaid", note="[bold]mine[/bold]",
                              questions_answers=[{"question": "Q?", "answer": None}]))
    assert o.expire_date is None
    assert o.note == "[bold]mine[/bold]"
    assert o.questions_answers == (QuestionAnswer("Q?", ""),)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-04-20 10:25:12", datetime(2024, 4, 20, 10, 25, 12, tzinfo=UTC)),
        ("2024-04-20T10:25:12Z", datetime(2024, 4, 20, 10, 25, 12, tzinfo=UTC)),
        ("2024-04-20T10:25:12.000000Z", datetime(2024, 4, 20, 10, 25, 12, tzinfo=UTC)),
        ("2024-04-20T12:25:12+02:00", datetime(2024, 4, 20, 10, 25, 12, tzinfo=UTC)),
        ("", None),
        ("0000-00-00 00:00:00", None),
    ],
)
def test_expire_date_formats(raw: str, expected: datetime | None) -> None:
    got = Order.from_json(order(expire_date=raw)).expire_date
    assert got == expected
    if got is not None:
        assert got.tzinfo is UTC


def test_auto_extend_settings_and_history() -> None:
    settings = {"order_id": 420, "is_enabled": 1, "product_plan_id": "2",
                "payment_type": "card", "card_id": 77}
    history = [
        {"plan_name": "30 Days", "extended_at": "2024-03-21 10:25:12",
         "expire_date_before": "2024-03-21 10:25:12", "expire_date_after": "2024-04-20 10:25:12",
         "price": "12.00", "extra": "ignored"},
        {"plan_name": None, "extended_at": "not a date", "price": "n/a"},
    ]
    o = Order.from_json(order(auto_extend_settings=settings, extended_history=history))
    assert o.auto_extend_settings == AutoExtendSettings(420, True, 2, "card", 77)
    assert o.auto_extend_enabled is True
    assert o.extended_history[0].price == Decimal("12.00")
    assert o.extended_history[0].expire_date_after == datetime(2024, 4, 20, 10, 25, 12, tzinfo=UTC)
    # an unknown-upstream shape is read leniently: what cannot be read is None
    assert o.extended_history[1] == Extension(None, None, None, None, None)


def test_auto_extend_disabled_settings() -> None:
    o = Order.from_json(order(auto_extend_settings={"order_id": 420, "is_enabled": False,
                                                    "product_plan_id": 1, "payment_type": "balance",
                                                    "card_id": None}))
    assert o.auto_extend_settings is not None and o.auto_extend_enabled is False
    assert Order.from_json(order(auto_extend_settings=[])).auto_extend_settings is None


def test_empty_page_has_null_from_to() -> None:
    page = OrdersPage.from_json({"data": [], "meta": {"current_page": 1, "from": None,
                                                      "last_page": 1, "per_page": 15,
                                                      "to": None, "total": 0}})
    assert page.orders == () and page.meta.from_ is None and page.meta.to is None


def test_flat_laravel_paginator_and_bare_list() -> None:
    flat = {"current_page": "2", "data": [DOCS_ORDER], "from": 16, "last_page": 2,
            "per_page": 15, "to": 16, "total": 16}
    assert OrdersPage.from_json(flat).meta.current_page == 2
    bare = OrdersPage.from_json([DOCS_ORDER, DOCS_ORDER])
    assert bare.meta == PageMeta(1, 1, 2, 2, 1, 2)


# --- malformed → MalformedResponse, never another exception -----------------------------------


@pytest.mark.parametrize(
    "data",
    [
        None,
        "<html>oops</html>",
        [],
        42,
        order(id=None),
        order(id="abc"),
        order(id=True),
        order(id=4.5),
        order(quantity="five"),
        order(status=None),
        order(expire_date="20th of April"),
        order(expire_date=["2024"]),
        order(proxy_data={"ports": {"socks5": "x"}, "proxies": []}),
        order(proxy_data={"ports": {}, "proxies": ["1.2.3.4"]}),
        order(proxy_data="none"),
        order(questions_answers="nope"),
        order(auto_extend_settings={"is_enabled": "maybe"}),
        {k: v for k, v in DOCS_ORDER.items() if k != "id"},
    ],
)
def test_malformed_order(data: Any) -> None:
    with pytest.raises(MalformedResponse) as info:
        Order.from_json(data)
    assert info.value.message.startswith("The API sent an unexpected")


@pytest.mark.parametrize(
    ("cls", "data"),
    [
        (Plan, {"id": 1, "name": "30 Days", "price": "free"}),
        (Plan, {"id": 1, "name": "30 Days", "price": float("nan")}),
        (Plan, {"id": 1, "name": "30 Days", "price": "Infinity"}),
        (Plan, {"id": 1, "name": "30 Days", "price": True}),
        (Location, {"id": 1, "name": "X", "child_locations": "none"}),
        (Question, {"id": 1, "text": "Q", "options": [{"nope": 1}]}),
        (Question, {"id": 1, "text": "Q", "options": [[1]]}),
        (Product, {"id": 1, "name": "P", "plans": [None]}),
        (Quote, {"price": 1}),
        (OrdersPage, {"data": "x"}),
        (OrdersPage, {"data": [], "meta": {"current_page": 1}}),
        (Card, {"provider": "stripe"}),
        (NextDiscount, {"quantity": 1}),
    ],
)
def test_malformed_others(cls: Any, data: Any) -> None:
    with pytest.raises(MalformedResponse):
        cls.from_json(data)


def test_deep_nesting_does_not_escape_as_recursion_error() -> None:
    loc: dict[str, Any] = {"id": 1, "name": "x"}
    for _ in range(5000):
        loc = {"id": 1, "name": "x", "child_locations": [loc]}
    with pytest.raises(MalformedResponse):
        Location.from_json(loc)


def test_malformed_message_does_not_echo_values() -> None:
    with pytest.raises(MalformedResponse) as info:
        Plan.from_json({"id": 1, "name": "x", "price": "SECRET-ish value"})
    assert "SECRET" not in info.value.message and "'price'" in info.value.message


# --- cards and requests ------------------------------------------------------------------------


def test_card_and_label() -> None:
    card = Card.from_json({"id": "3", "provider": "stripe", "payment_method": "card",
                           "card_type": "visa", "last_four_digits": "4242",
                           "expiry_date": "12/27", "is_default": True})
    assert card == Card(3, "stripe", "card", "visa", "4242", "12/27")
    assert card.label == "Visa •••• 4242 (12/27)"
    assert Card.from_json({"id": 4, "last_four_digits": 42, "card_type": None,
                           "expiry_date": "2027-01"}).label == "Card •••• 0042 (01/27)"
    assert Card(5, None, "paypal", None, None, None).label == "Paypal"


def test_order_request_body() -> None:
    req = OrderRequest(123, 456, 789, 10, coupon_code="DISCOUNT2024", auto_extend=True,
                       product_question_answers={5: "example.com", 6: "none"})
    assert req.to_json() == {
        "product_id": 123,
        "product_plan_id": 456,
        "product_location_id": 789,
        "quantity": 10,
        "coupon_code": "DISCOUNT2024",
        "auto_extend": True,
        "product_question_answers": {"5": "example.com", "6": "none"},
    }
    minimal = OrderRequest(1, 2, 3, 4, card_id=9).to_json()
    assert minimal == {"product_id": 1, "product_plan_id": 2, "product_location_id": 3,
                       "quantity": 4, "auto_extend": False, "product_question_answers": {},
                       "card_id": 9}
    assert "coupon_code" not in OrderRequest(1, 2, 3, 4, coupon_code="  ").to_json()


def test_models_are_frozen() -> None:
    plan = Plan(1, "30 Days", Decimal(1), None, None)
    with pytest.raises(AttributeError):
        plan.name = "x"  # type: ignore[misc]
