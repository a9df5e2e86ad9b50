"""Sandbox reads: the demo account, GET /orders pagination and filters, determinism, scale."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest

from royal_tui.sandbox.app import handle
from royal_tui.sandbox.state import SandboxOptions, SandboxState

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=timezone.utc)
ORDER_KEYS = {
    "id", "note", "product_name", "plan_name", "expire_date", "status", "location", "quantity",
    "questions_answers", "proxy_data", "auto_extend_settings", "extended_history",
}
STATUSES = ("unpaid", "in-progress", "confirmed", "refunded", "expired")


def make_state(**options) -> SandboxState:
    return SandboxState(SandboxOptions(clock=lambda: NOW, **options))


def get(state: SandboxState, path: str, query: str = ""):
    response = handle(state, "GET", "/v1/reseller" + path, query, {"X-Access-Token": "t"})
    return response.status, response.json()


def expires(order: dict) -> datetime:
    return datetime.strptime(order["expire_date"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def state() -> SandboxState:
    return make_state()


@pytest.fixture(scope="module")
def everything(state) -> list[dict]:
    return get(state, "/orders", "per_page=100")[1]["data"]


def by_id(orders: list[dict]) -> dict[int, dict]:
    return {order["id"]: order for order in orders}


# -- the demo account ---------------------------------------------------------------------------


def test_demo_account_facts(state, everything):
    assert get(state, "/balance") == (200, 884.05)
    cards = get(state, "/cards")[1]["data"]
    assert [card["id"] for card in cards] == [501, 502]
    assert {"id", "provider", "payment_method", "card_type", "last_four_digits", "expiry_date"} <= set(cards[0])
    assert len(everything) == 60
    assert [o["id"] for o in everything] == list(range(12359, 12299, -1))  # newest first
    assert all(set(o) == ORDER_KEYS for o in everything)
    assert {o["status"] for o in everything} == set(STATUSES)
    assert {o["product_name"] for o in everything} == {"Static Residential", "Datacenter", "Sneaker DC"}


def test_special_orders(everything):
    orders = by_id(everything)
    docs = orders[12345]
    assert (docs["product_name"], docs["plan_name"], docs["location"], docs["status"], docs["quantity"]) == (
        "Static Residential", "30 Days", "Canada", "confirmed", 5)
    assert expires(docs) > NOW and len(docs["proxy_data"]["proxies"]) == 5
    big = orders[12346]["proxy_data"]["proxies"]
    assert len(big) == 1000 and len({p["ip"] for p in big}) == 1000
    assert all(":" in p["ip"] for p in orders[12347]["proxy_data"]["proxies"])
    assert orders[12348]["note"] == "[bold]VIP[/bold] client — handle with care"
    assert [orders[i]["status"] for i in (12359, 12358)] == ["in-progress", "in-progress"]
    assert orders[12359]["proxy_data"]["proxies"] == []
    assert {orders[i]["status"] for i in (12310, 12313, 12314)} == {"expired"}
    assert {orders[i]["status"] for i in (12311, 12316)} == {"refunded"}
    assert {orders[i]["status"] for i in (12312, 12315)} == {"unpaid"}


def test_order_shapes(everything):
    for order in everything:
        ports = order["proxy_data"]["ports"]
        assert set(ports) == {"socks5", "http|https"} and all(isinstance(p, int) for p in ports.values())
        proxies = order["proxy_data"]["proxies"]
        if order["status"] == "confirmed":
            assert len(proxies) == order["quantity"]
            assert all(set(p) == {"ip", "username", "password"} for p in proxies)
            assert expires(order) > NOW
        else:
            assert proxies == []
        if order["status"] == "expired":
            assert expires(order) < NOW
        for answer in order["questions_answers"]:
            assert set(answer) == {"question", "answer"}
        for entry in order["extended_history"]:
            assert set(entry) == {"plan_name", "extended_at", "expire_date_before", "expire_date_after", "price"}
            assert entry["expire_date_before"] < entry["expire_date_after"]
        settings = order["auto_extend_settings"]
        if settings is not None:
            assert settings["order_id"] == order["id"] and settings["is_enabled"] is True
            assert settings["payment_type"] in ("balance", "card")
    assert any(o["note"] is None for o in everything)
    assert any(o["extended_history"] for o in everything)
    assert any(o["auto_extend_settings"] for o in everything)
    soon = [o for o in everything if o["status"] == "confirmed" and expires(o) <= NOW + timedelta(days=3)]
    assert {12340, 12341, 12342} <= {o["id"] for o in soon}


def test_products(state):
    status, body = get(state, "/products")
    assert status == 200
    products = {p["id"]: p for p in body["data"]}
    assert {p["name"] for p in products.values()} == {"Static Residential", "Datacenter", "Sneaker DC"}
    static = products[123]
    plans = {plan["id"]: plan for plan in static["plans"]}
    assert plans[456] == {"id": 456, "name": "30 Days", "price": 3, "min_quantity": 1, "max_quantity": 1000}
    assert 678 in plans
    locations = {loc["id"]: loc for loc in static["locations"]}
    assert locations[789]["child_locations"] == [] and not locations[789]["out_of_stock"]
    assert locations[456]["child_locations"]
    assert static["questions"] == [{"id": 11, "text": "Extra requirements (if you have any):", "is_required": False}]
    assert static["quantity_discounts"][0] == {"quantity_from": 100, "discount_percent": 5}
    flat = [loc for p in products.values() for country in p["locations"] for loc in [country, *country["child_locations"]]]
    assert any(loc["out_of_stock"] for loc in flat)
    assert any(loc["available_proxies_count"] is None for loc in flat)
    select = [q for p in products.values() for q in p["questions"] if q.get("type") == "select"]
    assert select and select[0]["is_required"] is True and {"value": "Other"} in select[0]["options"]


def test_get_one_order(state, everything):
    assert get(state, "/orders/12345") == (200, by_id(everything)[12345])
    assert get(state, "/orders/999") == (404, {"message": "Order not found."})


# -- pagination ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "count", "meta"),
    [
        ("", 15, dict(current_page=1, from_=1, to=15, last_page=4, per_page=15, total=60)),
        ("page=4", 15, dict(current_page=4, from_=46, to=60, last_page=4)),
        ("page=2&per_page=25", 25, dict(from_=26, to=50, last_page=3)),
        ("page=3&per_page=25", 10, dict(from_=51, to=60, last_page=3)),
        ("page=5", 0, dict(current_page=5, from_=None, to=None, last_page=4, total=60)),
        ("per_page=1", 1, dict(from_=1, to=1, last_page=60)),
        ("per_page=1&page=60", 1, dict(from_=60, to=60)),
        ("per_page=100", 60, dict(from_=1, to=60, last_page=1, per_page=100)),
        ("product_id=123&status=bogus", 0, dict(from_=None, to=None, last_page=1, total=0)),
    ],
)
def test_pagination(state, query, count, meta):
    status, body = get(state, "/orders", query)
    assert status == 200
    assert len(body["data"]) == count
    expected = {("from" if key == "from_" else key): value for key, value in meta.items()}
    assert {key: body["meta"][key] for key in expected} == expected
    assert body["meta"]["path"] == "https://sandbox.invalid/v1/reseller/orders"


@pytest.mark.parametrize(
    ("query", "field"),
    [("per_page=101", "per_page"), ("per_page=0", "per_page"), ("page=0", "page"), ("page=abc", "page"),
     ("product_id=x", "product_id"), ("location_id=1.5", "location_id"), ("order_ids=12345,abc", "order_ids.1"),
     ("sort_by=id", "order"), ("order=asc", "sort_by"), ("sort_by=price&order=asc", "sort_by"),
     ("sort_by=id&order=up", "order"), ("status_is_expiring_soon=maybe", "status_is_expiring_soon")],
)
def test_list_validation(state, query, field):
    status, body = get(state, "/orders", query)
    assert status == 422 and field in body["errors"], body
    assert body["message"] == body["errors"][field][0] or "more error" in body["message"]


def test_per_page_101_message(state):
    assert get(state, "/orders", "per_page=101")[1]["message"] == "The per page field must not be greater than 100."


def test_empty_account():
    status, body = get(make_state(orders=0), "/orders", "product_id=123")
    assert status == 200 and body["data"] == []
    meta = body["meta"]
    assert (meta["from"], meta["to"], meta["last_page"], meta["total"]) == (None, None, 1, 0)


# -- filters ------------------------------------------------------------------------------------


def ids(state, query: str) -> list[int]:
    status, body = get(state, "/orders", "per_page=100&" + query)
    assert status == 200, body
    return [order["id"] for order in body["data"]]


def test_product_filter(state, everything):
    names = {123: "Static Residential", 124: "Datacenter", 125: "Sneaker DC"}
    total = 0
    for product_id, name in names.items():
        found = ids(state, f"product_id={product_id}")
        assert found and all(by_id(everything)[i]["product_name"] == name for i in found)
        total += len(found)
    assert total == 60
    assert ids(state, "product_id=999") == []


def test_location_filter_includes_cities(state, everything):
    orders = by_id(everything)
    country = ids(state, "product_id=123&location_id=456")
    assert country and all(orders[i]["location"].startswith("United States, ") for i in country)
    city = ids(state, "product_id=123&location_id=4561")
    assert set(city) <= set(country) and all(orders[i]["location"] == "United States, New York" for i in city)
    assert 12345 in ids(state, "location_id=789")


@pytest.mark.parametrize("status", STATUSES)
def test_status_filter(state, everything, status):
    found = ids(state, f"status={status}")
    assert found and all(by_id(everything)[i]["status"] == status for i in found)


def test_statuses_array(state, everything):
    found = ids(state, "statuses[]=expired&statuses[]=refunded")
    expected = [o["id"] for o in everything if o["status"] in ("expired", "refunded")]
    assert found == expected
    assert ids(state, "statuses[0]=unpaid") == ids(state, "status=unpaid")


def test_note_search_is_case_insensitive(state, everything):
    found = ids(state, "note_search=POOL")
    assert found and all("pool" in by_id(everything)[i]["note"].lower() for i in found)
    assert 12348 in ids(state, "note_search=%5Bbold%5Dvip")
    assert ids(state, "note_search=no%20such%20note") == []


@pytest.mark.parametrize(
    "query",
    ["order_ids=12346,12345", "order_ids[]=12345&order_ids[]=12346", "order_ids[0]=12345&order_ids[1]=12346",
     "order_ids=%2012345%20,12346,999", "order_ids=12345&order_ids=12346"],
)
def test_order_ids_encodings(state, query):
    assert ids(state, query) == [12346, 12345]


def test_expiring_soon(state, everything):
    found = ids(state, "status_is_expiring_soon=1")
    assert {12340, 12341, 12342} <= set(found)
    for order_id in found:
        order = by_id(everything)[order_id]
        assert order["status"] == "confirmed" and expires(order) <= NOW + timedelta(days=3)
    assert ids(state, "status_is_expiring_soon=true") == found
    assert len(ids(state, "status_is_expiring_soon=0")) == 60


def test_sort(state, everything):
    ascending = ids(state, "sort_by=expire_date&order=asc")
    dates = [by_id(everything)[i]["expire_date"] for i in ascending]
    assert dates == sorted(dates) and len(ascending) == 60
    assert ids(state, "sort_by=id&order=asc") == sorted(ascending)
    quantities = [by_id(everything)[i]["quantity"] for i in ids(state, "sort_by=quantity&order=desc")]
    assert quantities == sorted(quantities, reverse=True) and quantities[0] == 1000


def test_filters_combine(state, everything):
    found = ids(state, "product_id=123&status=confirmed&note_search=pool")
    assert found
    for order_id in found:
        order = by_id(everything)[order_id]
        assert order["product_name"] == "Static Residential" and order["status"] == "confirmed"


# -- determinism and scale ----------------------------------------------------------------------


def test_same_seed_same_clock_same_account():
    assert make_state().snapshot() == make_state().snapshot()
    assert make_state(seed=7).snapshot() != make_state().snapshot()


def test_uses_its_own_rng():
    import random

    random.seed(1)
    first = make_state().snapshot()
    random.seed(2)
    assert make_state().snapshot() == first


def test_ten_thousand_orders_are_fast():
    started = time.perf_counter()
    big = make_state(orders=10_000)
    assert time.perf_counter() - started < 2.0
    assert len(big.orders) == 10_000 and min(big.orders) == 12300 and max(big.orders) == 22299
    started = time.perf_counter()
    status, body = get(big, "/orders", "product_id=123&per_page=100&page=3&note_search=pool")
    status2, body2 = get(big, "/orders", "statuses[]=expired&sort_by=expire_date&order=asc&per_page=100")
    assert time.perf_counter() - started < 1.0
    assert status == status2 == 200 and body["meta"]["total"] > 300 and len(body2["data"]) == 100
