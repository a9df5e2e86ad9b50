"""Sandbox protocol behaviour: auth, routing, rate limit, faults, the httpx transports, imports."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import datetime, timezone

import httpx
import pytest
from helpers import FakeClock

from royal_tui.sandbox.app import handle
from royal_tui.sandbox.state import SandboxOptions, SandboxState
from royal_tui.sandbox.transport import SandboxSyncTransport, SandboxTransport

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=timezone.utc)
BASE_URL = "https://sandbox.invalid/v1/reseller"


def make_state(**options) -> SandboxState:
    options.setdefault("clock", lambda: NOW)
    return SandboxState(SandboxOptions(**options))


def request(state, method="GET", path="/v1/reseller/balance", headers=None, body=b""):
    headers = {"X-Access-Token": "t"} if headers is None else headers
    return handle(state, method, path, "", headers, body)


# -- auth ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, {"X-Access-Token": ""}, {"X-Access-Token": "  "}, {"Authorization": "Bearer t"}])
def test_missing_token_is_401(headers):
    response = request(make_state(), headers=headers)
    assert (response.status, response.json()) == (401, {"message": "Unauthenticated."})


def test_any_token_without_configured_token():
    state = make_state()
    assert request(state, headers={"X-Access-Token": "<your_access_token>"}).status == 200
    assert request(state, headers={"x-access-token": "whatever"}).status == 200  # header names ignore case


def test_configured_token_must_match():
    state = make_state(token="s3cret")
    assert request(state, headers={"X-Access-Token": "s3cret"}).status == 200
    wrong = request(state, headers={"X-Access-Token": "other"})
    assert (wrong.status, wrong.json()) == (401, {"message": "Unauthenticated."})
    assert b"s3cret" not in wrong.body


# -- routing ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/v1/reseller/nope", "/v1/reseller/orders/abc", "/v2/orders", "/"])
def test_unknown_route_is_404_json(path):
    response = request(make_state(), path=path)
    assert response.status == 404 and "could not be found" in response.json()["message"]


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [("DELETE", "/v1/reseller/orders", "GET, POST"), ("GET", "/v1/reseller/orders/12345/extend", "POST"),
     ("POST", "/v1/reseller/balance", "GET"), ("POST", "/v1/reseller/orders/calculate-pricing", "GET"),
     ("GET", "/v1/reseller/orders/toggle-auto-extend", "POST"), ("PUT", "/v1/reseller/orders/12345", "GET")],
)
def test_wrong_method_is_405(method, path, allow):
    response = request(make_state(), method=method, path=path)
    assert response.status == 405 and response.header("Allow") == allow
    assert "not supported" in response.json()["message"]


@pytest.mark.parametrize("path", ["/balance", "/v1/reseller/balance/", "balance", "/v1/reseller/balance?x=1"])
def test_prefix_and_trailing_slash_are_tolerated(path):
    response = request(make_state(), path=path)
    assert (response.status, response.json()) == (200, 884.05)
    assert response.header("Content-Type") == "application/json"


def test_404_for_unknown_route_wins_over_auth():
    assert request(make_state(), path="/v1/reseller/nope", headers={}).status == 404


# -- rate limit ---------------------------------------------------------------------------------


def test_rate_limit_with_retry_after():
    clock = FakeClock()
    state = make_state(clock=clock, rate_limit=3)
    answers = [request(state) for _ in range(3)]
    assert [a.status for a in answers] == [200, 200, 200]
    assert [a.header("X-RateLimit-Remaining") for a in answers] == ["2", "1", "0"]
    refused = request(state)
    assert (refused.status, refused.json()) == (429, {"message": "Too Many Attempts."})
    assert refused.header("Retry-After") == "60"
    clock.advance(seconds=30.5)
    assert request(state).header("Retry-After") == "30"
    clock.advance(seconds=29.5)
    assert request(state).status == 200


def test_no_rate_limit_headers_by_default():
    assert request(make_state()).header("X-RateLimit-Limit") is None


# -- faults -------------------------------------------------------------------------------------


def test_fail_rate_one_always_503_html():
    response = request(make_state(fail_rate=1.0))
    assert response.status == 503
    assert response.header("Content-Type").startswith("text/html")
    assert b"<html>" in response.body


def test_fail_rate_is_seeded_and_leaves_state_alone():
    def run(seed):
        state = make_state(fail_rate=0.5, seed=seed)
        statuses = [request(state, "POST", "/v1/reseller/orders/12345/extend",
                            body=b'{"product_plan_id": 456}').status for _ in range(30)]
        return statuses, state

    first, state = run(1)
    assert set(first) == {200, 503}
    assert first == run(1)[0]
    extensions = [entry for entry in state.ledger if entry["kind"] == "extend"]
    assert len(extensions) == first.count(200)  # a 503 changed nothing


def test_a_sandbox_bug_is_a_500_not_a_crash(monkeypatch):
    state = make_state()
    monkeypatch.setattr(state.catalog, "to_json", lambda: 1 / 0)
    response = request(state, path="/v1/reseller/products")
    assert (response.status, response.json()) == (500, {"message": "Server Error"})


# -- transports ---------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_async_transport_and_request_log():
    transport = SandboxTransport(make_state())
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL,
                                 headers={"X-Access-Token": "t"}) as client:
        listed = await client.get("/orders", params={"product_id": 123, "per_page": 5, "x": "a b"})
        created = await client.post("/orders", json={"product_id": 123, "product_plan_id": 456,
                                                      "product_location_id": 789, "quantity": 1})
        ids = await client.get("/orders", params=[("order_ids[]", 12345), ("order_ids[]", 12346)])
    assert listed.status_code == 200 and len(listed.json()["data"]) == 5
    assert listed.json()["meta"]["path"] == BASE_URL + "/orders"
    assert created.status_code == 200 and created.json()["status"] == "in-progress"
    assert [o["id"] for o in ids.json()["data"]] == [12346, 12345]
    assert transport.count == 3
    method, path, query = transport.requests[0]
    assert (method, path) == ("GET", "/v1/reseller/orders")
    assert query == "product_id=123&per_page=5&x=a b"
    assert dict(transport.requests[0].params)["x"] == "a b"
    assert transport.exchanges[1].json["quantity"] == 1 and transport.exchanges[1].status == 200
    assert transport.requests[2].query == "order_ids[]=12345&order_ids[]=12346"
    assert transport.requests[0].url == BASE_URL + "/orders?product_id=123&per_page=5&x=a+b"


@pytest.mark.anyio
async def test_async_transport_latency():
    transport = SandboxTransport(make_state(latency_ms=60))
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
        started = time.perf_counter()
        response = await client.get("/balance", headers={"X-Access-Token": "t"})
    assert response.status_code == 200 and time.perf_counter() - started >= 0.055


def test_sync_transport():
    transport = SandboxSyncTransport(SandboxOptions(clock=lambda: NOW))
    with httpx.Client(transport=transport, base_url=BASE_URL) as client:
        assert client.get("/cards", headers={"X-Access-Token": "t"}).json()["data"][0]["id"] == 501
        assert client.get("/cards").status_code == 401
    assert transport.count == 2


def test_importing_the_sandbox_loads_neither_textual_nor_the_client():
    code = (
        "import sys, royal_tui.sandbox, royal_tui.sandbox.app, royal_tui.sandbox.transport, "
        "royal_tui.sandbox.server, royal_tui.sandbox.seed\n"
        "from royal_tui.sandbox import SandboxTransport, make_server, serve\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'textual' or m.startswith('royal_tui.api')"
        " or m.startswith('royal_tui.ui'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
