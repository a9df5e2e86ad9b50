"""Retries and their delays (429, 5xx, transport failures) for reads; none for writes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx
import pytest
import respx
from helpers import Sleeps, assert_token_absent

from royal_tui.api import (
    NetworkError,
    OrderRequest,
    OutcomeUnknown,
    RateLimited,
    ResellerClient,
    ServerError,
)
from royal_tui.api._http import parse_retry_after

BASE = "https://apid.iproyal.com/v1/reseller"
TOKEN = "tok-987|LEAKME"
ORDER: dict[str, Any] = {
    "id": 420, "note": None, "product_name": "Static Residential", "plan_name": "30 Days",
    "expire_date": "2024-04-20 10:25:12", "status": "confirmed", "location": "Canada",
    "quantity": 5, "questions_answers": [],
    "proxy_data": {"ports": {"socks5": 1, "http|https": 2}, "proxies": []},
    "auto_extend_settings": None, "extended_history": [],
}
HTML_502 = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>cf</body></html>"
REQ = OrderRequest(1, 2, 3, 5)


def client(sleeps: Sleeps, **kwargs: Any) -> ResellerClient:
    kwargs.setdefault("rng", lambda: 0.0)
    return ResellerClient(TOKEN, sleep=sleeps, **kwargs)


def assert_clean(exc: BaseException) -> None:
    assert_token_absent(exc, TOKEN)


# --- 429 and retries for reads -----------------------------------------------------------------


@pytest.mark.anyio
async def test_429_with_retry_after_retried_three_times(api: respx.MockRouter,
                                                        sleeps: Sleeps) -> None:
    route = api.get("/orders").respond(429, json={"message": "Too Many Attempts."},
                                       headers={"Retry-After": "2"})
    with pytest.raises(RateLimited) as info:
        async with client(sleeps) as c:
            await c.orders(1)
    assert route.call_count == 4  # one attempt + 3 retries
    assert sleeps.delays == [2.0, 2.0, 2.0]
    assert info.value.retry_after == 2.0 and info.value.status == 429
    assert "2 s" in info.value.message


@pytest.mark.anyio
async def test_429_then_success(api: respx.MockRouter, sleeps: Sleeps) -> None:
    route = api.get("/orders/420").mock(side_effect=[
        httpx.Response(429, headers={"Retry-After": "1.5"}),
        httpx.Response(200, json=ORDER),
    ])
    async with client(sleeps) as c:
        assert (await c.order(420)).id == 420
    assert route.call_count == 2 and sleeps.delays == [1.5]


@pytest.mark.anyio
async def test_429_without_retry_after_uses_exponential_backoff(api: respx.MockRouter,
                                                                sleeps: Sleeps) -> None:
    api.get("/balance").respond(429)
    with pytest.raises(RateLimited) as info:
        async with client(sleeps) as c:
            await c.balance()
    assert sleeps.delays == [0.5, 1.0, 2.0]
    assert info.value.retry_after is None


@pytest.mark.anyio
async def test_jitter_comes_from_the_injected_rng(api: respx.MockRouter, sleeps: Sleeps) -> None:
    api.get("/balance").respond(503)
    with pytest.raises(ServerError):
        async with client(sleeps, rng=lambda: 1.0, jitter=0.1) as c:
            await c.balance()
    assert sleeps.delays == pytest.approx([0.55, 1.1, 2.2])


@pytest.mark.anyio
async def test_retry_after_is_capped_at_max_backoff(api: respx.MockRouter, sleeps: Sleeps) -> None:
    api.get("/balance").respond(429, headers={"Retry-After": "120"})
    with pytest.raises(RateLimited) as info:
        async with client(sleeps, max_backoff=10.0) as c:
            await c.balance()
    assert sleeps.delays == [10.0, 10.0, 10.0]
    assert info.value.retry_after == 120.0  # what the server said, for the message


@pytest.mark.anyio
async def test_retry_after_http_date(api: respx.MockRouter, sleeps: Sleeps) -> None:
    future = format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True)
    past = format_datetime(datetime.now(UTC) - timedelta(hours=1), usegmt=True)
    api.get("/balance").mock(side_effect=[
        httpx.Response(429, headers={"Retry-After": future}),
        httpx.Response(503, headers={"Retry-After": past}),
        httpx.Response(200, json=5),
    ])
    async with client(sleeps) as c:
        await c.balance()
    assert sleeps.delays == [10.0, 0.0]


def test_parse_retry_after() -> None:
    now = datetime(2024, 4, 20, 10, 0, 0, tzinfo=UTC).timestamp
    assert parse_retry_after("Sat, 20 Apr 2024 10:00:30 GMT", now) == 30.0
    assert parse_retry_after(" 7 ") == 7.0
    assert parse_retry_after("-3") == 0.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    assert parse_retry_after("nan") is None


@pytest.mark.anyio
async def test_backoff_is_capped_and_retries_configurable(api: respx.MockRouter) -> None:
    route = api.get("/balance").respond(500)
    sleeps = Sleeps()
    with pytest.raises(ServerError):
        async with client(sleeps, backoff=4.0, max_backoff=10.0) as c:
            await c.balance()
    assert sleeps.delays == [4.0, 8.0, 10.0]
    route.reset()
    sleeps = Sleeps()
    with pytest.raises(ServerError):
        async with client(sleeps, max_retries=0) as c:
            await c.balance()
    assert route.call_count == 1 and sleeps.delays == []


# --- 5xx -----------------------------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [({"json": {"message": "Server Error"}}, "Server Error"), ({"html": HTML_502}, "HTML page"),
     ({"content": b""}, "HTTP 502")],
)
async def test_5xx_on_read_retried_then_server_error(api: respx.MockRouter, sleeps: Sleeps,
                                                     kwargs: dict[str, Any], expected: str) -> None:
    route = api.get("/products").respond(502, **kwargs)
    with pytest.raises(ServerError) as info:
        async with client(sleeps) as c:
            await c.products()
    assert route.call_count == 4 and len(sleeps.delays) == 3
    assert info.value.status == 502 and expected in info.value.message
    assert "502" in info.value.message and "<" not in info.value.message


@pytest.mark.anyio
async def test_5xx_then_success(api: respx.MockRouter, sleeps: Sleeps) -> None:
    route = api.get("/orders/420").mock(side_effect=[
        httpx.Response(500, html=HTML_502), httpx.Response(503), httpx.Response(200, json=ORDER)])
    async with client(sleeps) as c:
        assert (await c.order(420)).id == 420
    assert route.call_count == 3 and sleeps.delays == [0.5, 1.0]


@pytest.mark.anyio
@pytest.mark.parametrize("kwargs", [{"json": {"message": "Server Error"}}, {"html": HTML_502}])
@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_5xx_on_post_is_outcome_unknown_and_sent_once(
    api: respx.MockRouter, sleeps: Sleeps, kwargs: dict[str, Any], status: int
) -> None:
    route = api.post("/orders").respond(status, **kwargs)
    with pytest.raises(OutcomeUnknown) as info:
        async with client(sleeps) as c:
            await c.create_order(REQ)
    assert route.call_count == 1 and sleeps.delays == []
    assert "may or may not have taken effect" in info.value.message
    assert info.value.status == status


@pytest.mark.anyio
async def test_429_on_post_is_not_retried(api: respx.MockRouter, sleeps: Sleeps) -> None:
    route = api.post("/orders/420/extend").respond(429, headers={"Retry-After": "30"})
    with pytest.raises(RateLimited) as info:
        async with client(sleeps) as c:
            await c.extend_order(420, 1)
    assert route.call_count == 1 and sleeps.delays == [] and info.value.retry_after == 30.0


# --- transport failures ------------------------------------------------------------------------

READ_FAILURES = [httpx.ConnectError, httpx.ConnectTimeout, httpx.ReadTimeout, httpx.PoolTimeout,
                 httpx.RemoteProtocolError, httpx.ReadError]


@pytest.mark.anyio
@pytest.mark.parametrize("exc", READ_FAILURES)
async def test_transport_failure_on_read_retried_then_network_error(
    api: respx.MockRouter, sleeps: Sleeps, exc: type[Exception]
) -> None:
    route = api.get("/orders").mock(side_effect=exc)
    with pytest.raises(NetworkError) as info:
        async with client(sleeps) as c:
            await c.orders(1)
    assert route.call_count == 4 and sleeps.delays == [0.5, 1.0, 2.0]
    assert "apid.iproyal.com" in info.value.message and "4 times" in info.value.message
    assert info.value.status is None
    assert_clean(info.value)


@pytest.mark.anyio
async def test_timeout_then_success(api: respx.MockRouter, sleeps: Sleeps) -> None:
    route = api.get("/orders/420").mock(side_effect=[httpx.ReadTimeout("slow"),
                                                     httpx.Response(200, json=ORDER)])
    async with client(sleeps) as c:
        assert (await c.order(420)).id == 420
    assert route.call_count == 2


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (httpx.ConnectError("[Errno -2] Name or service not known"), "DNS"),
        (httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"), "TLS"),
        (httpx.ConnectError("[Errno 111] Connection refused"), "refused"),
        (httpx.ConnectTimeout("timed out"), "timed out"),
        (httpx.ReadTimeout("timed out"), "did not answer in time"),
    ],
)
async def test_network_error_messages(api: respx.MockRouter, sleeps: Sleeps,
                                      error: Exception, expected: str) -> None:
    api.get("/balance").mock(side_effect=error)
    with pytest.raises(NetworkError) as info:
        async with client(sleeps, max_retries=0) as c:
            await c.balance()
    assert expected in info.value.message
    assert "Errno" not in info.value.message  # no raw exception text


@pytest.mark.anyio
@pytest.mark.parametrize("exc", [httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout])
async def test_post_failing_before_sending_is_network_error(
    api: respx.MockRouter, sleeps: Sleeps, exc: type[Exception]
) -> None:
    route = api.post("/orders").mock(side_effect=exc)
    with pytest.raises(NetworkError) as info:
        async with client(sleeps) as c:
            await c.create_order(REQ)
    assert not isinstance(info.value, OutcomeUnknown)
    assert "Nothing was sent" in info.value.message
    assert route.call_count == 1 and sleeps.delays == []
    assert_clean(info.value)


@pytest.mark.anyio
@pytest.mark.parametrize("exc", [httpx.ReadTimeout, httpx.WriteTimeout, httpx.RemoteProtocolError,
                                 httpx.ReadError, httpx.WriteError])
@pytest.mark.parametrize("call", ["create", "extend", "toggle"])
async def test_post_failing_after_sending_is_outcome_unknown(
    api: respx.MockRouter, sleeps: Sleeps, exc: type[Exception], call: str
) -> None:
    routes = [api.post("/orders").mock(side_effect=exc),
              api.post("/orders/420/extend").mock(side_effect=exc),
              api.post("/orders/toggle-auto-extend").mock(side_effect=exc)]
    with pytest.raises(OutcomeUnknown) as info:
        async with client(sleeps) as c:
            if call == "create":
                await c.create_order(REQ)
            elif call == "extend":
                await c.extend_order(420, 1)
            else:
                await c.toggle_auto_extend(420, True, 1)
    assert sum(r.call_count for r in routes) == 1 and sleeps.delays == []
    assert "may or may not have taken effect" in info.value.message
    assert_clean(info.value)
