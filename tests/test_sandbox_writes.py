"""Sandbox writes: POST /orders, extend, toggle auto-extend, provisioning on a fake clock."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from helpers import FakeClock

from royal_tui.sandbox.app import handle
from royal_tui.sandbox.state import SandboxOptions, SandboxState

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=timezone.utc)
DOCS_BODY = {
    "product_id": 123, "product_plan_id": 456, "product_location_id": 789, "quantity": 10,
    "coupon_code": "DISCOUNT2024", "auto_extend": True,
    "product_question_answers": {"question_id_1": "answer_1", "question_id_2": "answer_2"},
}
DC_BODY = {"product_id": 124, "product_plan_id": 901, "product_location_id": 2011, "quantity": 5,
           "product_question_answers": {"21": "Web scraping"}}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def state(clock) -> SandboxState:
    return SandboxState(SandboxOptions(clock=clock))


def call(state: SandboxState, method: str, path: str, body=None, query: str = ""):
    raw = body if isinstance(body, bytes) else (b"" if body is None else json.dumps(body).encode())
    response = handle(state, method, "/v1/reseller" + path, query, {"X-Access-Token": "t"}, raw)
    return response.status, response.json()


def balance(state: SandboxState) -> float:
    return call(state, "GET", "/balance")[1]


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


# -- create -------------------------------------------------------------------------------------


def test_create_docs_example_and_provisioning(state, clock):
    status, order = call(state, "POST", "/orders", DOCS_BODY)
    assert status == 200, order
    assert order["id"] == 12360
    assert (order["status"], order["quantity"], order["proxy_data"]["proxies"]) == ("in-progress", 10, [])
    assert order["expire_date"] == stamp(NOW + timedelta(days=30))
    assert order["questions_answers"] == []  # the docs' unknown question ids are ignored
    assert order["auto_extend_settings"] == {"order_id": 12360, "is_enabled": True, "product_plan_id": 456,
                                             "payment_type": "balance", "card_id": None}
    assert balance(state) == 857.05  # 884.05 − 27 (10 % coupon)
    clock.advance(seconds=4.9)
    assert call(state, "GET", "/orders/12360")[1]["status"] == "in-progress"
    assert call(state, "GET", "/orders/12359")[1]["status"] == "in-progress"  # a seeded one
    clock.advance(seconds=0.1)
    confirmed = call(state, "GET", "/orders/12360")[1]
    assert confirmed["status"] == "confirmed" and len(confirmed["proxy_data"]["proxies"]) == 10
    assert call(state, "GET", "/orders/12359")[1]["status"] == "confirmed"
    assert call(state, "GET", "/orders", query="status=in-progress")[1]["data"] == []
    newest = call(state, "GET", "/orders", query="per_page=1")[1]["data"][0]
    assert newest["id"] == 12360


def test_provision_delay_option(clock):
    state = SandboxState(SandboxOptions(clock=clock, provision_delay=60))
    order_id = call(state, "POST", "/orders", DC_BODY)[1]["id"]
    clock.advance(seconds=59)
    assert call(state, "GET", f"/orders/{order_id}")[1]["status"] == "in-progress"
    clock.advance(seconds=1)
    assert len(call(state, "GET", f"/orders/{order_id}")[1]["proxy_data"]["proxies"]) == 5


def test_create_with_answers_and_card(state):
    body = {**DC_BODY, "card_id": 502, "product_question_answers": {"21": "Other", "22": "example.com"}}
    status, order = call(state, "POST", "/orders", body)
    assert status == 200
    assert order["questions_answers"] == [
        {"question": "What will you use the proxies for?", "answer": "Other"},
        {"question": "Target websites (optional):", "answer": "example.com"},
    ]
    assert order["auto_extend_settings"] is None
    assert balance(state) == 884.05  # paid by card
    assert state.ledger[-1]["payment"] == "card"


def test_create_charges_vat(clock):
    state = SandboxState(SandboxOptions(clock=clock, vat=21))
    assert call(state, "POST", "/orders", DOCS_BODY)[0] == 200
    assert balance(state) == 851.38  # 884.05 − (27 + 5.67)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"product_location_id": 791}, "product_location_id", "The selected location is out of stock."),
        ({"product_location_id": 4563}, "product_location_id", "The selected location is out of stock."),
        ({"product_location_id": 456}, "product_location_id", None),  # a country with cities
        ({"product_location_id": 2011}, "product_location_id", "The selected product location id is invalid."),
        ({"product_plan_id": 901}, "product_plan_id", "The selected product plan id is invalid."),
        ({"product_id": 999}, "product_id", "The selected product id is invalid."),
        ({"quantity": 0}, "quantity", "The quantity field must be at least 1."),
        ({"quantity": 1001, "product_location_id": 792}, "quantity", "The quantity field must not be greater than 1000."),
        ({"quantity": "ten"}, "quantity", "The quantity field must be an integer."),
        ({"quantity": 241}, "product_location_id", "Only 240 proxies are available in this location."),
        ({"coupon_code": "NOPE"}, "coupon_code", "Coupon code is invalid."),
        ({"card_id": 999}, "card_id", "The selected card id is invalid."),
        ({"auto_extend": "perhaps"}, "auto_extend", None),
        ({"product_question_answers": "yes"}, "product_question_answers", None),
    ],
)
def test_create_validation(state, changes, field, message):
    status, body = call(state, "POST", "/orders", {**DOCS_BODY, **changes})
    assert status == 422, body
    assert field in body["errors"]
    if message:
        assert body["errors"][field] == [message] and body["message"] == message
    assert balance(state) == 884.05 and len(state.orders) == 60


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({}, "product_question_answers.21", "The product question answers.21 field is required."),
        ({"21": "  "}, "product_question_answers.21", "The product question answers.21 field is required."),
        ({"21": "Mining"}, "product_question_answers.21", "The selected product question answers.21 is invalid."),
    ],
)
def test_create_question_rules(state, answers, field, message):
    status, body = call(state, "POST", "/orders", {**DC_BODY, "product_question_answers": answers})
    assert (status, body["errors"]) == (422, {field: [message]})


def test_sneaker_questions(state):
    body = {"product_id": 125, "product_plan_id": 951, "product_location_id": 3011, "quantity": 10,
            "product_question_answers": {"32": True}}
    status, errors = call(state, "POST", "/orders", body)
    assert status == 422 and list(errors["errors"]) == ["product_question_answers.31"]
    body["product_question_answers"] = {"31": "Nike", "32": "maybe"}
    assert list(call(state, "POST", "/orders", body)[1]["errors"]) == ["product_question_answers.32"]
    body["product_question_answers"] = {"31": "Nike", "32": True}
    status, order = call(state, "POST", "/orders", body)
    assert status == 200 and order["questions_answers"][1]["answer"] == "yes"


def test_create_below_plan_minimum(state):
    status, body = call(state, "POST", "/orders", {**DC_BODY, "quantity": 4})
    assert (status, body["errors"]) == (422, {"quantity": ["The quantity field must be at least 5."]})


def test_create_summary_message_counts_errors(state):
    status, body = call(state, "POST", "/orders", {})
    assert status == 422
    assert set(body["errors"]) == {"product_id", "product_plan_id", "product_location_id", "quantity"}
    assert body["message"] == "The product id field is required. (and 3 more errors)"
    status, body = call(state, "POST", "/orders", {**DOCS_BODY, "quantity": 0, "card_id": 1})
    assert body["message"] == "The quantity field must be at least 1. (and 1 more error)"


def test_create_insufficient_balance(state):
    status, body = call(state, "POST", "/orders", {**DOCS_BODY, "product_plan_id": 679, "quantity": 200,
                                                   "product_location_id": 4561})
    assert status == 422 and body["message"] == "Insufficient balance."
    assert list(body["errors"]) == ["balance"]
    assert balance(state) == 884.05
    # the same order paid by card goes through
    assert call(state, "POST", "/orders", {**DOCS_BODY, "product_plan_id": 679, "quantity": 200,
                                           "product_location_id": 4561, "card_id": 501})[0] == 200


def test_buying_reduces_stock(state):
    body = {**DOCS_BODY, "product_location_id": 7902, "quantity": 60, "coupon_code": None}
    assert call(state, "POST", "/orders", body)[0] == 200
    static = call(state, "GET", "/products")[1]["data"][0]
    uk = next(loc for loc in static["locations"] if loc["id"] == 790)
    manchester = next(city for city in uk["child_locations"] if city["id"] == 7902)
    assert (manchester["out_of_stock"], manchester["available_proxies_count"]) == (True, 0)
    status, errors = call(state, "POST", "/orders", {**body, "quantity": 1})
    assert status == 422 and errors["errors"]["product_location_id"] == ["The selected location is out of stock."]


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b'"text"'])
def test_malformed_body(state, raw):
    status, body = call(state, "POST", "/orders", raw)
    assert status == 400 and body["message"].startswith("The request body")


# -- extend -------------------------------------------------------------------------------------


def test_extend_docs_example(state, clock):
    before = call(state, "GET", "/orders/12345")[1]
    history = len(before["extended_history"])
    clock.advance(hours=1)
    status, after = call(state, "POST", "/orders/12345/extend", {"product_plan_id": 678})
    assert status == 200, after
    old = datetime.strptime(before["expire_date"], "%Y-%m-%d %H:%M:%S")
    assert after["expire_date"] == stamp(old + timedelta(days=60))
    assert after["plan_name"] == "60 Days"
    assert len(after["extended_history"]) == history + 1
    assert after["extended_history"][-1] == {
        "plan_name": "60 Days", "extended_at": stamp(clock.now), "expire_date_before": before["expire_date"],
        "expire_date_after": after["expire_date"], "price": 28.5,
    }
    assert after["proxy_data"]["proxies"] == before["proxy_data"]["proxies"]
    assert balance(state) == 855.55  # 884.05 − 5 × 5.70
    assert call(state, "GET", "/orders/12345")[1] == after


def test_extend_matches_its_quote(state):
    quote = call(state, "GET", "/orders/calculate-pricing", query="order_id=12341&product_plan_id=903")[1]
    call(state, "POST", "/orders/12341/extend", {"product_plan_id": 903})
    assert balance(state) == round(884.05 - quote["price_with_vat"], 2)


def test_extend_some_proxies(state):
    proxies = call(state, "GET", "/orders/12345")[1]["proxy_data"]["proxies"]
    keep = [proxies[3]["ip"], proxies[1]["ip"]]
    status, order = call(state, "POST", "/orders/12345/extend", {"product_plan_id": 456, "proxies": keep})
    assert status == 200
    assert order["quantity"] == 2 and order["proxy_data"]["proxies"] == [proxies[3], proxies[1]]
    assert balance(state) == 878.05  # 884.05 − 2 × 3


def test_extend_by_card_keeps_balance(state):
    assert call(state, "POST", "/orders/12345/extend", {"product_plan_id": 456, "card_id": 501})[0] == 200
    assert balance(state) == 884.05


@pytest.mark.parametrize("order_id", [12310, 12311, 12312])
def test_extend_refused_for_inactive_orders(state, order_id):
    status, body = call(state, "POST", f"/orders/{order_id}/extend", {"product_plan_id": 456})
    assert status == 422 and "cannot be extended" in body["errors"]["order_id"][0]
    assert balance(state) == 884.05


def test_extend_after_expiry_by_clock(state, clock):
    assert call(state, "GET", "/orders/12340")[1]["status"] == "confirmed"
    clock.advance(hours=5)
    order = call(state, "GET", "/orders/12340")[1]
    assert order["status"] == "expired" and order["proxy_data"]["proxies"] == []
    status, body = call(state, "POST", "/orders/12340/extend", {"product_plan_id": 456})
    assert (status, body["message"]) == (422, "An expired order cannot be extended.")


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "product_plan_id"), ({"product_plan_id": 901}, "product_plan_id"),
     ({"product_plan_id": 456, "proxies": ["1.2.3.4"]}, "proxies.0"),
     ({"product_plan_id": 456, "proxies": []}, "proxies"),
     ({"product_plan_id": 456, "card_id": 9}, "card_id")],
)
def test_extend_validation(state, body, field):
    status, answer = call(state, "POST", "/orders/12345/extend", body)
    assert status == 422 and field in answer["errors"]


def test_extend_unknown_order(state):
    assert call(state, "POST", "/orders/1/extend", {"product_plan_id": 456}) == (404, {"message": "Order not found."})


def test_extend_insufficient_balance(state):
    status, body = call(state, "POST", "/orders/12346/extend", {"product_plan_id": 903})
    assert (status, body["message"], list(body["errors"])) == (422, "Insufficient balance.", ["balance"])


# -- toggle auto-extend -------------------------------------------------------------------------


def test_toggle_auto_extend(state):
    on = {"order_id": 12345, "is_enabled": True, "product_plan_id": 678, "payment_type": "card", "card_id": 502}
    status, settings = call(state, "POST", "/orders/toggle-auto-extend", on)
    assert (status, settings) == (200, on)
    assert call(state, "GET", "/orders/12345")[1]["auto_extend_settings"] == on
    status, settings = call(state, "POST", "/orders/toggle-auto-extend", {"order_id": 12345, "is_enabled": False})
    assert status == 200 and settings["is_enabled"] is False and settings["product_plan_id"] == 678
    assert call(state, "GET", "/orders/12345")[1]["auto_extend_settings"] is None


def test_toggle_with_balance_drops_card(state):
    body = {"order_id": 12345, "is_enabled": True, "product_plan_id": 456, "payment_type": "balance", "card_id": 501}
    assert call(state, "POST", "/orders/toggle-auto-extend", body)[1]["card_id"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"order_id": 12345, "product_plan_id": 456, "payment_type": "balance"}, "is_enabled"),
        ({"is_enabled": True}, "order_id"),
        ({"order_id": 12345, "is_enabled": True, "payment_type": "balance"}, "product_plan_id"),
        ({"order_id": 12345, "is_enabled": True, "product_plan_id": 901, "payment_type": "balance"}, "product_plan_id"),
        ({"order_id": 12345, "is_enabled": True, "product_plan_id": 456}, "payment_type"),
        ({"order_id": 12345, "is_enabled": True, "product_plan_id": 456, "payment_type": "cash"}, "payment_type"),
        ({"order_id": 12345, "is_enabled": True, "product_plan_id": 456, "payment_type": "card"}, "card_id"),
        ({"order_id": 12345, "is_enabled": True, "product_plan_id": 456, "payment_type": "card", "card_id": 7},
         "card_id"),
        ({"order_id": 12310, "is_enabled": True, "product_plan_id": 456, "payment_type": "balance"}, "order_id"),
    ],
)
def test_toggle_validation(state, body, field):
    status, answer = call(state, "POST", "/orders/toggle-auto-extend", body)
    assert status == 422 and field in answer["errors"], answer


def test_toggle_unknown_order(state):
    body = {"order_id": 5, "is_enabled": False}
    assert call(state, "POST", "/orders/toggle-auto-extend", body) == (404, {"message": "Order not found."})
