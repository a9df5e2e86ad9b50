"""Property-based tests of the API parsers: any JSON gives a model or ``MalformedResponse``.

Each endpoint's parser (as ``client.py`` calls it) is fed arbitrary JSON values and mutations of
valid documents; it must either return a model whose money fields are ``Decimal`` and whose
integer fields are ``int``, or raise :class:`MalformedResponse` — never any other exception.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import math
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from royal_tui.api import _parse as p
from royal_tui.api.errors import MalformedResponse
from royal_tui.api.models import (
    AutoExtendSettings,
    Card,
    Order,
    OrdersPage,
    Product,
    Quote,
    auto_extend_from_json,
    balance_from_json,
)

SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- the parsers, as client.py applies them to each endpoint's answer --------------------------


def _products(data: Any) -> tuple[Product, ...]:
    return tuple(Product.from_json(x) for x in p.items(data, "catalog"))


def _cards(data: Any) -> tuple[Card, ...]:
    return tuple(Card.from_json(x) for x in p.items(data, "card list"))


PARSERS: dict[str, Callable[[Any], Any]] = {
    "orders": OrdersPage.from_json,
    "order": Order.from_json,
    "quote": Quote.from_json,
    "products": _products,
    "balance": balance_from_json,
    "cards": _cards,
    "auto_extend": lambda data: auto_extend_from_json(data, 420),
}

# --- valid documents (the docs' examples) -------------------------------------------------------

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
    "proxy_data": {
        "ports": {"socks5": 12324, "http|https": 12323},
        "proxies": [{"ip": "1.2.3.4", "username": "u", "password": "p"}],
    },
    "auto_extend_settings": {
        "order_id": 420, "is_enabled": True, "product_plan_id": 1,
        "payment_type": "balance", "card_id": None,
    },
    "extended_history": [
        {"plan_name": "30 Days", "extended_at": "2024-03-20 10:25:12",
         "expire_date_before": "2024-03-20 10:25:12",
         "expire_date_after": "2024-04-20 10:25:12", "price": "12.50"}
    ],
}
DOCS_ORDERS_PAGE: dict[str, Any] = {
    "data": [DOCS_ORDER],
    "meta": {
        "current_page": 1, "from": 1, "last_page": 2,
        "path": "https://apid.iproyal.com/v1/reseller/orders",
        "per_page": 10, "to": 10, "total": 14,
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
        {"id": 10, "name": "United States", "out_of_stock": False,
         "available_proxies_count": None,
         "child_locations": [
             {"id": 11, "name": "New York", "out_of_stock": True, "available_proxies_count": 0},
         ]},
    ],
    "questions": [
        {"id": 5, "text": "Website", "is_required": True},
        {"id": 7, "text": "Protocol", "is_required": False, "type": "select",
         "options": [{"value": "HTTP"}, {"value": "SOCKS5"}, "Both"]},
    ],
    "quantity_discounts": [
        {"quantity_from": 10, "discount_percent": 5},
        {"quantity_from": "100", "discount_percent": "12.5"},
    ],
}
CARD: dict[str, Any] = {
    "id": 3, "provider": "stripe", "payment_method": "card", "card_type": "visa",
    "last_four_digits": "4242", "expiry_date": "2027-12",
}
AUTO_EXTEND: dict[str, Any] = DOCS_ORDER["auto_extend_settings"]

VALID: dict[str, Any] = {
    "orders": DOCS_ORDERS_PAGE,
    "order": DOCS_ORDER,
    "quote": DOCS_QUOTE,
    "products": {"data": [PRODUCT]},
    "balance": {"balance": "12.34"},
    "cards": {"data": [CARD]},
    "auto_extend": AUTO_EXTEND,
}

# --- strategies ---------------------------------------------------------------------------------


def json_values(*, allow_nan: bool = False) -> st.SearchStrategy[Any]:
    scalars = (
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats(allow_nan=allow_nan, allow_infinity=allow_nan)
        | st.text(max_size=20)
    )
    return st.recursive(
        scalars,
        lambda children: st.lists(children, max_size=5)
        | st.dictionaries(st.text(max_size=10), children, max_size=5),
        max_leaves=30,
    )


def _deep_list(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


NASTY_SCALARS = st.sampled_from([
    None, True, False, 0, 1, -1, -5, 10**100, -(10**100), 2**63, 0.5, -0.0, 1e308, 1e-320,
    "", " ", "0", "1", "-1", "12.50", " 7 ", "1e3", "1E+2", "-0", "0e999999", "1_000",
    "1e999999999", "-1e999999999", "1e-999999999", "1e10000000", "NaN", "sNaN", "Infinity",
    "-inf", "0x10", "١٢٣", "true", "null", "[]", "0000-00-00", "2024-04-20T10:25:12Z",
    "9999-12-31 23:59:59+01:00", "0001-01-01 00:00:00-01:00", "\x00", "\ud800",
    [], {}, [[[]]], {"data": None}, {"0": 1}, _deep_list(300),
])
REPLACEMENT = NASTY_SCALARS | json_values() | st.integers().map(str) | st.decimals(
    allow_nan=False, allow_infinity=False
).map(str)


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if len(prefix) > 10:  # not into the deeply nested values a mutation put there
        return
    if isinstance(doc, dict):
        for key, value in doc.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(doc, list):
        for index, value in enumerate(doc):
            yield from _paths(value, (*prefix, index))


def _mutate(doc: Any, draw: Callable[[st.SearchStrategy[Any]], Any]) -> Any:
    doc = copy.deepcopy(doc)
    for _ in range(draw(st.integers(1, 4))):
        paths = list(_paths(doc))
        path = draw(st.sampled_from(paths))
        if not path:  # the root itself
            if draw(st.booleans()):
                doc = copy.deepcopy(draw(REPLACEMENT))  # sampled constants must stay pristine
            continue
        parent = doc
        for step in path[:-1]:
            parent = parent[step]
        key = path[-1]
        action = draw(st.sampled_from(["drop", "replace", "replace", "wrap"]))
        if action == "drop":
            del parent[key]
        elif action == "replace":
            parent[key] = copy.deepcopy(draw(REPLACEMENT))
        else:
            parent[key] = draw(st.sampled_from([[parent[key]], {"data": parent[key]}]))
    return doc


@st.composite
def near_valid(draw: Callable[[st.SearchStrategy[Any]], Any], name: str) -> Any:
    return _mutate(VALID[name], draw)


# --- checking the result ------------------------------------------------------------------------

_INT_FIELDS = {
    "id", "quantity", "min_quantity", "max_quantity", "available_proxies_count", "quantity_from",
    "current_page", "last_page", "per_page", "total", "from_", "to", "socks5", "http",
    "order_id", "product_plan_id", "card_id",
}
_MONEY_FIELDS = {
    "price", "vat", "pre_discount_price", "price_with_vat", "pre_discount_price_per_item",
    "price_per_item", "plan_discount_percent", "location_discount_percent",
    "coupon_discount_percent", "quantity_discount_percent", "total_discount_percent",
    "discount_percent", "discount",
}


def _check_money(value: Decimal) -> None:
    assert type(value) is Decimal
    assert value.is_finite()
    # usable by the UI: arithmetic in the default context and 2-decimal formatting work
    _ = value * 1000 + 1
    assert len(f"{value:,.2f}") < 200


def check_model(value: Any) -> None:
    """Walk a parse result: Decimals for money, ints for ints, aware datetimes."""
    if isinstance(value, tuple):
        for item in value:
            check_model(item)
        return
    if isinstance(value, Decimal):  # the balance
        _check_money(value)
        return
    if isinstance(value, str):  # e.g. a question's options
        return
    assert dataclasses.is_dataclass(value), type(value)
    for f in dataclasses.fields(value):
        v = getattr(value, f.name)
        if f.name in _MONEY_FIELDS and not (f.name == "vat" and v is None):
            if type(value).__name__ == "Extension" and v is None:
                continue
            _check_money(v)
        elif f.name in _INT_FIELDS:
            if v is not None:
                assert type(v) is int, (type(value).__name__, f.name, v)
                str(v)  # shown on screen: must be printable
        elif isinstance(v, datetime):
            assert v.tzinfo is not None
        elif isinstance(v, str | bool) or v is None:
            pass
        else:
            check_model(v)
    if isinstance(value, Card):
        assert isinstance(value.label, str)


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Fail (instead of hanging) when a parse takes absurdly long."""

    def boom(signum: int, frame: Any) -> None:
        raise TimeoutError(f"parsing took more than {seconds} s")

    old = signal.signal(signal.SIGALRM, boom)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def parse_or_malformed(name: str, data: Any) -> Any:
    with time_limit(5):
        try:
            result = PARSERS[name](data)
        except MalformedResponse as exc:
            assert exc.message.startswith("The API sent an unexpected"), exc.message
            return None
    check_model(result)
    return result


NAMES = sorted(PARSERS)

# --- properties ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_valid_documents_parse(name: str) -> None:
    assert parse_or_malformed(name, copy.deepcopy(VALID[name])) is not None


@SETTINGS
@given(data=json_values())
def test_any_json_gives_model_or_malformed(data: Any) -> None:
    for name in NAMES:
        parse_or_malformed(name, data)


@SETTINGS
@given(data=json_values(allow_nan=True))
def test_any_json_with_nan_and_infinity(data: Any) -> None:
    # json.loads accepts NaN / Infinity / -Infinity, so the parsers can meet them
    for name in NAMES:
        parse_or_malformed(name, data)


@SETTINGS
@given(text=json_values(allow_nan=True).map(json.dumps))
def test_via_json_loads(text: str) -> None:
    for name in NAMES:
        parse_or_malformed(name, json.loads(text))


@SETTINGS
@given(data=st.data(), name=st.sampled_from(NAMES))
def test_near_valid_documents(data: st.DataObject, name: str) -> None:
    parse_or_malformed(name, data.draw(near_valid(name)))


@SETTINGS
@given(data=st.data(), name=st.sampled_from(NAMES))
def test_near_valid_wrapped(data: st.DataObject, name: str) -> None:
    doc = data.draw(near_valid(name))
    parse_or_malformed(name, {"data": doc})
    parse_or_malformed(name, [doc])


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("order", ("id",)),
        ("order", ("quantity",)),
        ("orders", ("meta", "total")),
        ("quote", ("price",)),
        ("quote", ("price_with_vat",)),
        ("quote", ("quantity_required_for_next_discount", "quantity")),
        ("products", ("data", 0, "plans", 0, "price")),
        ("products", ("data", 0, "plans", 0, "max_quantity")),
        ("products", ("data", 0, "locations", 0, "available_proxies_count")),
        ("cards", ("data", 0, "last_four_digits")),
        ("balance", ("balance",)),
    ],
)
@pytest.mark.parametrize(
    "value",
    ["1e999999999", "-1e999999999", "1e10000000", "1e-999999999", "0e999999999", 10**100,
     -(10**100), 10**4000, float("inf"), float("nan"), "Infinity", "sNaN"],
)
def test_extreme_numbers(name: str, path: tuple[Any, ...], value: Any) -> None:
    doc = copy.deepcopy(VALID[name])
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    parse_or_malformed(name, doc)


@SETTINGS
@given(n=st.integers(min_value=-(10**30) + 1, max_value=10**30 - 1))
def test_numeric_strings_match_numbers(n: int) -> None:
    for value in (n, str(n), f" {n} ", float(n) if abs(n) < 2**53 else n):
        assert p.as_int(value) == n
        assert p.as_decimal(value) == n


@SETTINGS
@given(x=st.floats(allow_nan=True, allow_infinity=True))
def test_floats_as_money(x: float) -> None:
    try:
        dec = p.as_decimal(x)
    except p.Bad:
        assert not math.isfinite(x) or abs(x) >= 1e30
    else:
        _check_money(dec)
        assert float(dec) == x


def test_auto_extend_settings_round_trip() -> None:
    got = auto_extend_from_json({"data": AUTO_EXTEND}, 420)
    assert got == AutoExtendSettings(420, True, 1, "balance", None)
