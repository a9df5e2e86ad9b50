"""The exact requests ResellerClient sends, mirroring orders-docs.txt, and what it returns."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
import respx

from royal_tui.api import (
    DEFAULT_BASE_URL,
    AuthError,
    AutoExtendSettings,
    InsecureURL,
    Order,
    OrderRequest,
    ResellerClient,
)
from royal_tui.api.client import DEFAULT_TIMEOUT

BASE = "https://apid.iproyal.com/v1/reseller"
TOKEN = "tok-123|SECRETvalue"

ORDER: dict[str, Any] = {
    "id": 12345, "note": None, "product_name": "Static Residential", "plan_name": "30 Days",
    "expire_date": "2024-04-20 10:25:12", "status": "in-progress", "location": "Canada",
    "quantity": 10, "questions_answers": [],
    "proxy_data": {"ports": {"socks5": 12324, "http|https": 12323}, "proxies": []},
    "auto_extend_settings": None, "extended_history": [],
}
PAGE = {"data": [ORDER], "meta": {"current_page": 1, "from": 1, "last_page": 1,
                                  "per_page": 10, "to": 1, "total": 1}}
QUOTE = {"pre_discount_price": 30, "price_with_vat": 30, "vat": None, "price": 30,
         "pre_discount_price_per_item": 3, "price_per_item": 3, "plan_discount_percent": 0,
         "location_discount_percent": 0, "coupon_discount_percent": 0,
         "quantity_discount_percent": 0, "total_discount_percent": 0,
         "quantity_required_for_next_discount": {"quantity": 90, "discount": 5}, "message": None}


def client(**kwargs: Any) -> ResellerClient:
    async def no_sleep(_: float) -> None:
        return None

    kwargs.setdefault("sleep", no_sleep)
    return ResellerClient(TOKEN, **kwargs)


def last_request(router: respx.MockRouter) -> httpx.Request:
    return router.calls.last.request


def assert_common_headers(request: httpx.Request) -> None:
    assert request.headers["X-Access-Token"] == TOKEN  # bare, no "Bearer"
    assert "authorization" not in request.headers
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Accept"] == "application/json"
    assert request.headers["User-Agent"].startswith("royal-tui/")


# --- GET /orders -------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_orders_request_matches_docs_example(api: respx.MockRouter) -> None:
    route = api.get("/orders").respond(200, json=PAGE)
    async with client() as c:
        page = await c.orders(123, page=1, per_page=10, location_id=456, status="in-progress",
                              note_search="example note", order_ids=[789, 1011])
    assert route.call_count == 1
    request = last_request(api)
    assert request.method == "GET"
    assert request.url.path == "/v1/reseller/orders"
    # the curl example of orders-docs.txt, byte for byte
    assert request.url.query == (
        b"product_id=123&page=1&per_page=10&location_id=456&status=in-progress"
        b"&note_search=example%20note&order_ids=789,1011"
    )
    decoded = dict(parse_qsl(request.url.query.decode()))
    assert decoded["note_search"] == "example note"
    assert decoded["order_ids"] == "789,1011"
    assert_common_headers(request)
    assert page.orders[0].id == 12345 and page.meta.total == 1


@pytest.mark.anyio
async def test_orders_minimal_and_extra_filters(api: respx.MockRouter) -> None:
    api.get("/orders").respond(200, json=PAGE)
    async with client() as c:
        await c.orders(7)
        assert last_request(api).url.query == b"product_id=7&page=1"
        await c.orders(7, page=3, statuses=["confirmed", "in-progress"], expiring_soon=True,
                       sort_by="expire_date", order="asc", note_search="[bold] a&b+c/ü")
    query = last_request(api).url.query.decode()
    pairs = parse_qsl(query)
    assert ("statuses[]", "confirmed") in pairs and ("statuses[]", "in-progress") in pairs
    assert ("status_is_expiring_soon", "1") in pairs
    assert ("sort_by", "expire_date") in pairs and ("order", "asc") in pairs
    assert dict(pairs)["note_search"] == "[bold] a&b+c/ü"
    assert "+" not in query.split("note_search=")[1].split("&")[0]  # spaces are %20
    async with client() as c:  # False is sent as 0; blank filters are left out
        await c.orders(7, expiring_soon=False, note_search="   ", order_ids=[], status="")
    assert last_request(api).url.query == b"product_id=7&page=1&status_is_expiring_soon=0"


@pytest.mark.anyio
async def test_orders_sort_requires_order() -> None:
    with pytest.raises(ValueError):
        await client().orders(1, sort_by="id")


# --- GET /orders/{id}, /products, /balance, /cards ---------------------------------------------


@pytest.mark.anyio
async def test_order_by_id(api: respx.MockRouter) -> None:
    api.get("/orders/12345").respond(200, json=ORDER)
    async with client() as c:
        o = await c.order(12345)
    assert o.id == 12345 and o.status == "in-progress"
    request = last_request(api)
    assert str(request.url) == f"{BASE}/orders/12345"
    assert_common_headers(request)


@pytest.mark.anyio
async def test_products(api: respx.MockRouter) -> None:
    api.get("/products").respond(200, json={"data": [
        {"id": 1, "name": "Static Residential", "plans": [], "locations": [],
         "questions": [], "quantity_discounts": []},
        {"id": 2, "name": "Datacenter", "plans": [], "locations": [],
         "questions": [], "quantity_discounts": []},
    ]})
    async with client() as c:
        products = await c.products()
    assert [p.name for p in products] == ["Static Residential", "Datacenter"]
    assert last_request(api).url.query == b""


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("body", "expected"),
    [("884.05", Decimal("884.05")), ("0", Decimal(0)), ('"12.50"', Decimal("12.50")),
     ('{"balance": 3.1}', Decimal("3.1")), ('{"data": {"balance": "7"}}', Decimal(7))],
)
async def test_balance(api: respx.MockRouter, body: str, expected: Decimal) -> None:
    api.get("/balance").respond(200, text=body, headers={"Content-Type": "application/json"})
    async with client() as c:
        got = await c.balance()
    assert got == expected and isinstance(got, Decimal)


@pytest.mark.anyio
async def test_cards(api: respx.MockRouter) -> None:
    api.get("/cards").respond(200, json={"data": [
        {"id": 3, "provider": "stripe", "payment_method": "card", "card_type": "visa",
         "last_four_digits": "4242", "expiry_date": "12/27", "created_at": "x"}]})
    async with client() as c:
        (card,) = await c.cards()
    assert card.label == "Visa •••• 4242 (12/27)"


# --- GET /orders/calculate-pricing -------------------------------------------------------------


@pytest.mark.anyio
async def test_calculate_pricing_matches_docs_example(api: respx.MockRouter) -> None:
    api.get("/orders/calculate-pricing").respond(200, json=QUOTE)
    async with client() as c:
        quote = await c.calculate_pricing(123, 456, 789, 10, coupon_code="DISCOUNT2024")
    request = last_request(api)
    assert request.url.path == "/v1/reseller/orders/calculate-pricing"
    assert request.url.query == (
        b"product_id=123&product_plan_id=456&product_location_id=789&quantity=10"
        b"&coupon_code=DISCOUNT2024"
    )
    assert_common_headers(request)
    assert quote.price_with_vat == Decimal(30) and quote.next_discount is not None


@pytest.mark.anyio
async def test_calculate_pricing_extension_and_answers(api: respx.MockRouter) -> None:
    api.get("/orders/calculate-pricing").respond(200, json={"data": QUOTE})
    async with client() as c:
        await c.calculate_pricing(1, 2, 3, 4, order_id=420, answers={5: "example.com", 6: "a b"})
    query = last_request(api).url.query.decode()
    assert "coupon_code" not in query
    assert "product_question_answers%5B5%5D=example.com" in query
    pairs = parse_qsl(query)
    assert ("order_id", "420") in pairs
    assert ("product_question_answers[5]", "example.com") in pairs
    assert ("product_question_answers[6]", "a b") in pairs


# --- POST /orders, /orders/{id}/extend, /orders/toggle-auto-extend -----------------------------


@pytest.mark.anyio
async def test_create_order_body_matches_docs(api: respx.MockRouter) -> None:
    route = api.post("/orders").respond(201, json=ORDER)
    request_model = OrderRequest(123, 456, 789, 10, coupon_code="DISCOUNT2024", auto_extend=True,
                                 product_question_answers={1: "answer_1", 2: "answer_2"})
    async with client() as c:
        created = await c.create_order(request_model)
    assert route.call_count == 1
    request = last_request(api)
    assert request.method == "POST" and str(request.url) == f"{BASE}/orders"
    assert_common_headers(request)
    assert json.loads(request.content) == {
        "product_id": 123, "product_plan_id": 456, "product_location_id": 789, "quantity": 10,
        "coupon_code": "DISCOUNT2024", "auto_extend": True,
        "product_question_answers": {"1": "answer_1", "2": "answer_2"},
    }
    assert isinstance(created, Order) and created.proxies == ()


@pytest.mark.anyio
async def test_create_order_with_card_and_no_coupon(api: respx.MockRouter) -> None:
    api.post("/orders").respond(200, json={"data": ORDER})
    async with client() as c:
        await c.create_order(OrderRequest(1, 2, 3, 5, card_id=77))
    assert json.loads(last_request(api).content) == {
        "product_id": 1, "product_plan_id": 2, "product_location_id": 3, "quantity": 5,
        "auto_extend": False, "product_question_answers": {}, "card_id": 77,
    }


@pytest.mark.anyio
async def test_extend_order_matches_docs(api: respx.MockRouter) -> None:
    route = api.post("/orders/12345/extend").respond(200, json=ORDER)
    async with client() as c:
        o = await c.extend_order(12345, 678)
        assert json.loads(last_request(api).content) == {"product_plan_id": 678}
        await c.extend_order(12345, 678, card_id=9, proxies=["203.0.113.7", "2001:db8::1"])
    assert json.loads(last_request(api).content) == {
        "product_plan_id": 678, "card_id": 9, "proxies": ["203.0.113.7", "2001:db8::1"]}
    assert_common_headers(last_request(api))
    assert route.call_count == 2 and o.id == 12345
    with pytest.raises(ValueError):
        await client().extend_order(1, 2, proxies=[])


@pytest.mark.anyio
async def test_toggle_auto_extend(api: respx.MockRouter) -> None:
    api.post("/orders/toggle-auto-extend").respond(200, json={
        "order_id": 420, "is_enabled": True, "product_plan_id": 2, "payment_type": "card",
        "card_id": 9})
    async with client() as c:
        settings = await c.toggle_auto_extend(420, True, 2, payment_type="card", card_id=9)
        assert json.loads(last_request(api).content) == {
            "order_id": 420, "is_enabled": True, "product_plan_id": 2,
            "payment_type": "card", "card_id": 9}
        assert settings == AutoExtendSettings(420, True, 2, "card", 9)
        await c.toggle_auto_extend(420, False, 2)
    assert json.loads(last_request(api).content) == {
        "order_id": 420, "is_enabled": False, "product_plan_id": 2, "payment_type": "balance"}


@pytest.mark.anyio
async def test_toggle_auto_extend_empty_success(api: respx.MockRouter) -> None:
    api.post("/orders/toggle-auto-extend").respond(204)
    async with client() as c:
        settings = await c.toggle_auto_extend(420, True, 2, payment_type="card", card_id=9)
    assert settings == AutoExtendSettings(420, True, 2, "card", 9)


@pytest.mark.anyio
async def test_toggle_auto_extend_tolerates_an_order_answer(api: respx.MockRouter) -> None:
    api.post("/orders/toggle-auto-extend").respond(200, json=ORDER)
    async with client() as c:
        settings = await c.toggle_auto_extend(12345, False, 2)
    assert settings.is_enabled is False and settings.order_id == 12345


# --- base URL, lifecycle, repr, hook -----------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8077/v1/reseller", "http://127.1.2.3/v1", "http://localhost:8077/v1/",
     "http://LOCALHOST/v1", "http://[::1]:8077/v1/reseller", "https://example.com/v1",
     DEFAULT_BASE_URL, DEFAULT_BASE_URL + "/"],
)
def test_accepted_base_urls(url: str) -> None:
    assert not ResellerClient(TOKEN, url).base_url.endswith("/")


@pytest.mark.parametrize(
    "url",
    ["http://example.com/v1", "http://apid.iproyal.com/v1/reseller", "http://10.0.0.5:8077/v1",
     "http://127.0.0.1.example.com/v1", "http://0.0.0.0:8077/", "apid.iproyal.com/v1/reseller",
     "ftp://127.0.0.1/", ""],
)
def test_refused_base_urls(url: str) -> None:
    with pytest.raises(InsecureURL) as info:
        ResellerClient(TOKEN, url)
    assert TOKEN not in info.value.message


@pytest.mark.anyio
@pytest.mark.parametrize("base", [BASE, BASE + "/"])
async def test_trailing_slash_makes_no_difference(api: respx.MockRouter, base: str) -> None:
    api.get("/balance").respond(200, json=1)
    async with client(base_url=base) as c:
        await c.balance()
    assert str(last_request(api).url) == f"{BASE}/balance"


def test_host_for_display() -> None:
    assert ResellerClient(TOKEN).host == "apid.iproyal.com"
    assert ResellerClient(TOKEN, "http://127.0.0.1:8077/v1/reseller").host == "127.0.0.1:8077"
    assert ResellerClient(TOKEN, "http://[::1]:8077/v1").host == "[::1]:8077"


def test_repr_hides_token() -> None:
    c = ResellerClient(TOKEN)
    assert TOKEN not in repr(c) and TOKEN not in str(c)
    assert TOKEN not in repr(vars(c))  # nor in a debugger's view of its attributes
    assert "apid.iproyal.com" in repr(c)


@pytest.mark.parametrize("bad", ["abc\ndef", "abc\x1b[31m", "tökén"])
def test_unsendable_token_refused_without_echo(bad: str) -> None:
    with pytest.raises(AuthError) as info:
        ResellerClient(bad)
    assert bad not in info.value.message and bad not in repr(info.value)


@pytest.mark.anyio
async def test_token_surrounding_whitespace_is_stripped() -> None:
    tokens: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        tokens.append(request.headers["X-Access-Token"])
        return httpx.Response(200, json=1)

    transport = httpx.MockTransport(handler)
    async with ResellerClient(f"  {TOKEN}\n", "http://127.0.0.1/v1", transport=transport) as c:
        await c.balance()
    assert tokens == [TOKEN]


@pytest.mark.anyio
async def test_lazy_client_transport_timeout_and_close() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json="1.5")

    c = ResellerClient(TOKEN, "http://127.0.0.1:8077/v1/reseller",
                       transport=httpx.MockTransport(handler))
    assert c._http is None  # noqa: SLF001 — nothing created outside the loop
    assert await c.balance() == Decimal("1.5")
    http = c._http  # noqa: SLF001
    assert http is not None and http.timeout == DEFAULT_TIMEOUT
    assert DEFAULT_TIMEOUT.connect == 5 and DEFAULT_TIMEOUT.read == 20
    await c.aclose()
    assert http.is_closed
    await c.aclose()  # idempotent
    assert await c.balance() == Decimal("1.5")  # reopened on demand
    await c.aclose()
    assert str(seen[0].url) == "http://127.0.0.1:8077/v1/reseller/balance"


@pytest.mark.anyio
async def test_on_response_hook(api: respx.MockRouter) -> None:
    api.get("/orders").respond(200, json=PAGE)
    api.post("/orders").respond(422, json={"message": "bad"})
    calls: list[tuple[Any, ...]] = []

    def boom(*args: Any) -> None:
        calls.append(args)
        raise RuntimeError("a broken hook must not break requests")

    async with client(on_response=boom) as c:
        await c.orders(1, note_search="secret note")
        with pytest.raises(Exception):
            await c.create_order(OrderRequest(1, 2, 3, 4))
    (m1, p1, s1, d1), (m2, p2, s2, _) = calls
    assert (m1, p1, s1) == ("GET", "/orders", 200) and d1 >= 0
    assert (m2, p2, s2) == ("POST", "/orders", 422)
    assert all(TOKEN not in repr(call) and "secret note" not in repr(call) for call in calls)
