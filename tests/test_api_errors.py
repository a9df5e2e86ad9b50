"""ResellerClient failures: 4xx, malformed answers, the token never leaking.
(Retries, 5xx and transport failures: test_api_retries.py.)"""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest
import respx
from helpers import Sleeps, assert_token_absent

from royal_tui.api import (
    ApiError,
    AuthError,
    Forbidden,
    MalformedResponse,
    NotFound,
    OrderRequest,
    OutcomeUnknown,
    ResellerClient,
    ValidationFailed,
)

BASE = "https://apid.iproyal.com/v1/reseller"
TOKEN = "tok-987|LEAKME"
HTML_502 = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>cf</body></html>"
REQ = OrderRequest(1, 2, 3, 5)


def client(sleeps: Sleeps, **kwargs: Any) -> ResellerClient:
    kwargs.setdefault("rng", lambda: 0.0)
    return ResellerClient(TOKEN, sleep=sleeps, **kwargs)


def assert_clean(exc: BaseException) -> None:
    assert_token_absent(exc, TOKEN)


# --- 4xx ---------------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_401_is_auth_error_not_retried(api: respx.MockRouter, sleeps: Sleeps) -> None:
    route = api.get("/products").respond(401, json={"message": "Unauthenticated."})
    with pytest.raises(AuthError) as info:
        async with client(sleeps) as c:
            await c.products()
    assert info.value.status == 401 and "401" in info.value.message
    assert route.call_count == 1 and sleeps.delays == []
    assert_clean(info.value)


@pytest.mark.anyio
async def test_403_with_server_message_echoing_the_token(api: respx.MockRouter,
                                                         sleeps: Sleeps) -> None:
    api.get("/cards").respond(403, json={"message": f"Token {TOKEN} lacks \x1b[31mscope\x1b[0m"})
    with pytest.raises(Forbidden) as info:
        async with client(sleeps) as c:
            await c.cards()
    assert info.value.status == 403
    assert "lacks" in info.value.message and "scope" in info.value.message
    assert "\x1b" not in info.value.message
    assert_clean(info.value)


@pytest.mark.anyio
async def test_404_not_found(api: respx.MockRouter, sleeps: Sleeps) -> None:
    route = api.get("/orders/999").respond(404, json={"message": "Order not found."})
    with pytest.raises(NotFound) as info:
        async with client(sleeps) as c:
            await c.order(999)
    assert info.value.message == "Order not found." and info.value.status == 404
    assert route.call_count == 1


@pytest.mark.anyio
async def test_422_on_read_with_field_errors(api: respx.MockRouter, sleeps: Sleeps) -> None:
    api.get("/orders/calculate-pricing").respond(422, json={
        "message": "The quantity field must be at least 5. (and 1 more error)",
        "errors": {"quantity": ["The quantity field must be at least 5."],
                   "product_location_id": "The selected location is out of stock."}})
    with pytest.raises(ValidationFailed) as info:
        async with client(sleeps) as c:
            await c.calculate_pricing(1, 2, 3, 1)
    err = info.value
    assert err.status == 422
    assert err.message.startswith("The quantity field must be at least 5.")
    assert err.field_errors == {
        "quantity": ["The quantity field must be at least 5."],
        "product_location_id": ["The selected location is out of stock."],
    }


@pytest.mark.anyio
async def test_422_on_create_is_not_outcome_unknown(api: respx.MockRouter, sleeps: Sleeps) -> None:
    route = api.post("/orders").respond(422, json={
        "errors": {"balance": ["Insufficient balance."]}})
    with pytest.raises(ValidationFailed) as info:
        async with client(sleeps) as c:
            await c.create_order(REQ)
    assert info.value.message == "Insufficient balance."  # from the first field error
    assert info.value.field_errors == {"balance": ["Insufficient balance."]}
    assert route.call_count == 1


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("status", "kwargs", "expected_in_message"),
    [
        (403, {"json": "Reseller access disabled"}, "Reseller access disabled"),
        (403, {"content": b""}, "HTTP 403"),
        (403, {"html": HTML_502}, "HTML page"),
        (422, {"content": b""}, "HTTP 422"),
        (404, {"html": "<html>nginx</html>"}, "HTTP 404"),
        (400, {"text": "Bad Request: missing product_id"}, "missing product_id"),
        (418, {"json": {"error": {"message": "I'm a teapot"}}}, "teapot"),
        (302, {"headers": {"Location": "https://elsewhere"}}, "HTTP 302"),
    ],
)
async def test_error_body_variants(api: respx.MockRouter, sleeps: Sleeps, status: int,
                                   kwargs: dict[str, Any], expected_in_message: str) -> None:
    route = api.get("/orders/1").respond(status, **kwargs)
    with pytest.raises(ApiError) as info:
        async with client(sleeps) as c:
            await c.order(1)
    assert expected_in_message in info.value.message
    assert info.value.status == status and route.call_count == 1
    assert "<" not in info.value.message


# --- malformed answers -----------------------------------------------------------------------

MALFORMED_BODIES = [
    {"html": "<html><body>Captive portal</body></html>"},
    {"text": '{"data": [{"id": 1,'},  # truncated
    {"text": "not json at all"},
    {"content": b""},
    {"content": b"\xff\xfe\x00garbage"},
    {"text": '{"data": NaN}'},
    {"json": "just a string"},
    {"json": {"data": "not a list"}},
    {"json": {"data": [{"id": "x"}]}},
]


@pytest.mark.anyio
@pytest.mark.parametrize("kwargs", MALFORMED_BODIES)
async def test_malformed_read_answer(api: respx.MockRouter, sleeps: Sleeps,
                                     kwargs: dict[str, Any]) -> None:
    route = api.get("/orders").respond(200, **kwargs)
    with pytest.raises(MalformedResponse) as info:
        async with client(sleeps) as c:
            await c.orders(1)
    assert route.call_count == 1 and sleeps.delays == []
    assert "<" not in info.value.message
    assert_clean(info.value)


@pytest.mark.anyio
@pytest.mark.parametrize("path", ["/products", "/cards", "/balance", "/orders/1",
                                  "/orders/calculate-pricing"])
async def test_wrong_shape_for_each_read(api: respx.MockRouter, sleeps: Sleeps, path: str) -> None:
    api.get(path).respond(200, json=[{"unexpected": True}] if path != "/balance" else [1])
    with pytest.raises(MalformedResponse):
        async with client(sleeps) as c:
            if path == "/products":
                await c.products()
            elif path == "/cards":
                await c.cards()
            elif path == "/balance":
                await c.balance()
            elif path == "/orders/1":
                await c.order(1)
            else:
                await c.calculate_pricing(1, 2, 3, 4)


@pytest.mark.anyio
@pytest.mark.parametrize("kwargs", MALFORMED_BODIES)
async def test_malformed_answer_to_a_post_is_outcome_unknown(
    api: respx.MockRouter, sleeps: Sleeps, kwargs: dict[str, Any]
) -> None:
    route = api.post("/orders").respond(201, **kwargs)
    with pytest.raises(OutcomeUnknown) as info:
        async with client(sleeps) as c:
            await c.create_order(REQ)
    assert route.call_count == 1
    assert "may or may not have taken effect" in info.value.message


# --- the token never leaks -------------------------------------------------------------------


@pytest.mark.anyio
async def test_token_absent_from_every_error_and_log(api: respx.MockRouter, sleeps: Sleeps,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    echo = {"message": f"invalid token {TOKEN}", "errors": {TOKEN: [f"bad {TOKEN}"]}}
    api.get("/orders/1").respond(401, json=echo)
    api.get("/orders/2").respond(422, json=echo)
    api.get("/orders/3").respond(500, json=echo)
    api.get("/orders/4").respond(400, text=f"token={TOKEN}")
    api.get("/orders/5").mock(side_effect=httpx.ConnectError(f"failed for {TOKEN}"))
    api.post("/orders").respond(500, json=echo)
    api.post("/orders/6/extend").mock(side_effect=httpx.ReadTimeout("slow"))
    errors: list[ApiError] = []
    async with client(sleeps) as c:
        for order_id in range(1, 6):
            with pytest.raises(ApiError) as info:
                await c.order(order_id)
            errors.append(info.value)
        with pytest.raises(ApiError) as info:
            await c.create_order(REQ)
        errors.append(info.value)
        with pytest.raises(ApiError) as info:
            await c.extend_order(6, 1)
        errors.append(info.value)
    for err in errors:
        assert_clean(err)
        if isinstance(err, ValidationFailed):
            assert TOKEN not in repr(err.field_errors)
    assert "<redacted>" in errors[1].message
    for record in caplog.records:
        assert TOKEN not in record.getMessage()
        assert TOKEN not in repr(record.args)
