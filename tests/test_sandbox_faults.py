"""Scripted faults per endpoint (royal_tui.sandbox.faults): in process, on real sockets, from the CLI."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from datetime import datetime, timezone

import httpx
import pytest

from royal_tui.sandbox.faults import FaultSpec, endpoint_of, parse_spec
from royal_tui.sandbox.server import make_server
from royal_tui.sandbox.state import SandboxOptions, SandboxState
from royal_tui.sandbox.transport import SandboxSyncTransport, SandboxTransport

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=timezone.utc)
BASE_URL = "https://sandbox.invalid/v1/reseller"
HEADERS = {"X-Access-Token": "t"}
CREATE = {"product_id": 123, "product_plan_id": 456, "product_location_id": 789, "quantity": 1}


def make_state(**options) -> SandboxState:
    options.setdefault("clock", lambda: NOW)
    return SandboxState(SandboxOptions(**options))


def client_for(state: SandboxState, **kwargs) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=SandboxTransport(state), base_url=BASE_URL, headers=HEADERS, **kwargs)


def order_count(state: SandboxState) -> int:
    return len(state.orders)


# -- grammar ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("pricing:502-html:2", FaultSpec("pricing", "502-html", 2)),
    ("balance:503", FaultSpec("balance", "503", 1)),
    ("*:timeout:0", FaultSpec("*", "timeout", 0)),
    ("orders:429=7:3", FaultSpec("orders", "429", 3, retry_after=7)),
    (" Create:DROP-AFTER ", FaultSpec("create", "drop-after", 1)),
])
def test_parse_spec(text, expected):
    assert parse_spec(text) == expected


@pytest.mark.parametrize("text", [
    "pricing", "nowhere:500", "pricing:418", "pricing:500:-1", "pricing:500:x", "pricing:500=3",
    "pricing:429=x", "a:b:c:d", ":500", "pricing::2",
])
def test_parse_spec_refuses(text):
    with pytest.raises(ValueError):
        parse_spec(text)


@pytest.mark.parametrize("method, route, endpoint", [
    ("GET", "/products", "products"), ("GET", "/orders", "orders"), ("GET", "/orders/12345", "order"),
    ("GET", "/orders/calculate-pricing", "pricing"), ("POST", "/orders", "create"),
    ("POST", "/orders/12345/extend", "extend"), ("POST", "/orders/toggle-auto-extend", "toggle"),
    ("GET", "/balance", "balance"), ("GET", "/cards/", "cards"), ("POST", "/balance", None),
    ("GET", "/nope", None),
])
def test_endpoint_names(method, route, endpoint):
    assert endpoint_of(method, route) == endpoint


def test_options_accept_spec_strings():
    options = SandboxOptions(faults=["balance:503:2", FaultSpec("cards", "empty")])
    assert options.faults == (FaultSpec("balance", "503", 2), FaultSpec("cards", "empty"))
    with pytest.raises(ValueError):
        SandboxOptions(faults=["balance:teapot"])


# -- every kind through the async transport ---------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize("kind, status, content_type, check", [
    ("500", 500, "application/json", lambda r: r.json() == {"message": "Server Error"}),
    ("502-html", 502, "text/html", lambda r: "<h1>502 Bad Gateway</h1>" in r.text),
    ("503", 503, "text/html", lambda r: "503 Service Temporarily Unavailable" in r.text),
    ("429", 429, "application/json", lambda r: r.headers["Retry-After"] == "2"),
    ("429-no-retry-after", 429, "application/json", lambda r: "Retry-After" not in r.headers),
])
async def test_error_answers_then_normal_again(kind, status, content_type, check):
    state = make_state()
    state.faults.script("balance", kind, count=2)
    async with client_for(state) as client:
        first, second, third = [await client.get("/balance") for _ in range(3)]
    for answer in (first, second):
        assert answer.status_code == status
        assert answer.headers["Content-Type"].startswith(content_type)
        assert check(answer)
    assert third.status_code == 200 and isinstance(third.json(), (int, float))
    assert state.faults.fired_count("balance", kind) == 2
    assert state.faults.scripts == []


@pytest.mark.anyio
async def test_429_retry_after_is_configurable():
    state = make_state()
    state.faults.script("orders", "429", retry_after=9)
    state.faults.script("orders", "429=4")
    async with client_for(state) as client:
        assert (await client.get("/orders")).headers["Retry-After"] == "9"
        assert (await client.get("/orders")).headers["Retry-After"] == "4"
        assert (await client.get("/orders")).status_code == 200


@pytest.mark.anyio
async def test_error_faults_do_not_handle_a_post():
    state = make_state()
    before = order_count(state)
    state.faults.script("create", "503")
    async with client_for(state) as client:
        assert (await client.post("/orders", json=CREATE)).status_code == 503
        assert order_count(state) == before
        assert (await client.post("/orders", json=CREATE)).status_code == 200
    assert order_count(state) == before + 1


@pytest.mark.anyio
async def test_timeout_is_a_read_timeout_and_changes_nothing():
    state = make_state()
    before = order_count(state)
    state.faults.script("create", "timeout")
    state.faults.script("pricing", "timeout")
    async with client_for(state) as client:
        with pytest.raises(httpx.ReadTimeout):
            await client.post("/orders", json=CREATE)
        with pytest.raises(httpx.ReadTimeout):
            await client.get("/orders/calculate-pricing", params={"product_id": 123})
    assert order_count(state) == before
    assert state.faults.fired_count(kind="timeout") == 2


@pytest.mark.anyio
async def test_timeout_after_changes_state_but_never_answers():
    state = make_state()
    before = order_count(state)
    state.faults.script("create", "timeout-after")
    transport = SandboxTransport(state)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL, headers=HEADERS) as client:
        with pytest.raises(httpx.ReadTimeout):
            await client.post("/orders", json=CREATE)
    assert order_count(state) == before + 1
    assert transport.exchanges[-1].status == 0  # no answer reached the client


@pytest.mark.anyio
async def test_drop_and_drop_after():
    state = make_state()
    before = order_count(state)
    state.faults.script("create", "drop")
    state.faults.script("create", "drop-after")
    async with client_for(state) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            await client.post("/orders", json=CREATE)
        assert order_count(state) == before
        with pytest.raises(httpx.RemoteProtocolError):
            await client.post("/orders", json=CREATE)
        assert order_count(state) == before + 1
        with pytest.raises(httpx.RemoteProtocolError):
            state.faults.script("balance", "drop")
            await client.get("/balance")


@pytest.mark.anyio
async def test_malformed_truncated_empty_are_200_with_unparseable_bodies():
    state = make_state()
    async with client_for(state) as client:
        real = await client.get("/orders")
        for kind in ("malformed", "truncated", "empty"):
            state.faults.script("orders", kind)
            answer = await client.get("/orders")
            assert answer.status_code == 200
            assert answer.headers["Content-Type"] == "application/json"
            with pytest.raises(ValueError):
                json.loads(answer.content)
            if kind == "truncated":
                assert real.content.startswith(answer.content)
                assert len(answer.content) == len(real.content) // 2
            if kind == "empty":
                assert answer.content == b""


@pytest.mark.anyio
async def test_truncated_bare_number_is_still_invalid():
    state = make_state()
    state.faults.script("balance", "truncated")
    async with client_for(state) as client:
        answer = await client.get("/balance")
    with pytest.raises(ValueError):
        json.loads(answer.content)


@pytest.mark.anyio
async def test_wrong_shape_is_valid_json_of_the_wrong_shape():
    state = make_state()
    state.faults.script("products", "wrong-shape")
    state.faults.script("order", "wrong-shape")
    async with client_for(state) as client:
        products = await client.get("/products")
        order = await client.get("/orders/12345")
    assert products.status_code == order.status_code == 200
    assert products.json() == order.json() == {"unexpected": True}


@pytest.mark.anyio
async def test_body_faults_handle_the_post_first():
    state = make_state()
    before = order_count(state)
    state.faults.script("create", "malformed")
    async with client_for(state) as client:
        answer = await client.post("/orders", json=CREATE)
    assert answer.status_code == 200
    assert order_count(state) == before + 1


@pytest.mark.anyio
async def test_scripts_are_per_endpoint_and_star_matches_all():
    state = make_state()
    state.faults.script("pricing", "500", count=1)
    async with client_for(state) as client:
        assert (await client.get("/balance")).status_code == 200
        assert (await client.get("/orders/12345")).status_code == 200
        assert (await client.get("/orders/calculate-pricing", params={"product_id": 123})).status_code == 500
        state.faults.script("*", "503", count=3)
        statuses = [(await client.get(path)).status_code for path in ("/cards", "/nope", "/products", "/cards")]
    assert statuses == [503, 503, 503, 200]
    assert state.faults.fired == {("pricing", "500"): 1, ("cards", "503"): 1, ("/nope", "503"): 1,
                                  ("products", "503"): 1}


@pytest.mark.anyio
async def test_count_zero_is_forever_until_clear():
    state = make_state()
    script = state.faults.script("cards", "empty", count=0)
    async with client_for(state) as client:
        for _ in range(5):
            assert (await client.get("/cards")).content == b""
        assert script.fired == 5 and script.remaining is None
        state.faults.clear()
        assert (await client.get("/cards")).json()["data"]
    assert state.faults.fired_count("cards") == 5


@pytest.mark.anyio
async def test_fail_rate_still_works_and_is_recorded():
    state = make_state(fail_rate=1.0)
    state.faults.script("balance", "500")
    async with client_for(state) as client:
        assert (await client.get("/balance")).status_code == 500  # the script first
        assert (await client.get("/balance")).status_code == 503  # then fail_rate
    assert state.faults.fired_count("balance", "fail-rate") == 1


@pytest.mark.anyio
async def test_latency_still_applies(monkeypatch):
    slept = []

    async def fake_sleep(seconds):
        slept.append(seconds)

    monkeypatch.setattr("royal_tui.sandbox.transport.asyncio.sleep", fake_sleep)
    state = make_state(latency_ms=250)
    state.faults.script("balance", "timeout")
    async with client_for(state) as client:
        with pytest.raises(httpx.ReadTimeout):
            await client.get("/balance")
    assert slept == [0.25]


def test_sync_transport_raises_too():
    state = make_state(faults=("balance:timeout", "balance:drop", "balance:502-html"))
    with httpx.Client(transport=SandboxSyncTransport(state), base_url=BASE_URL, headers=HEADERS) as client:
        with pytest.raises(httpx.ReadTimeout):
            client.get("/balance")
        with pytest.raises(httpx.RemoteProtocolError):
            client.get("/balance")
        assert client.get("/balance").status_code == 502
        assert client.get("/balance").status_code == 200


# -- real sockets -------------------------------------------------------------------------------


@pytest.fixture
def server():
    server = make_server(SandboxOptions(clock=lambda: NOW), port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_server_502_html(server):
    server.state.faults.script("pricing", "502-html")
    with httpx.Client(base_url=server.base_url, headers=HEADERS, timeout=5) as client:
        answer = client.get("/orders/calculate-pricing", params={"product_id": 123})
        assert answer.status_code == 502
        assert answer.headers["Content-Type"].startswith("text/html")
        assert "502 Bad Gateway" in answer.text
        assert client.get("/balance").status_code == 200


def test_server_drop_closes_without_answer(server):
    before = order_count(server.state)
    server.state.faults.script("create", "drop")
    with httpx.Client(base_url=server.base_url, headers=HEADERS, timeout=5) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            client.post("/orders", json=CREATE)
        assert order_count(server.state) == before
        assert client.post("/orders", json=CREATE).status_code == 200


def test_server_drop_after_changes_state(server):
    before = order_count(server.state)
    server.state.faults.script("create", "drop-after")
    with httpx.Client(base_url=server.base_url, headers=HEADERS, timeout=5) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            client.post("/orders", json=CREATE)
    assert order_count(server.state) == before + 1


def test_server_timeout_holds_the_connection(server):
    server.state.faults.script("balance", "timeout")
    with httpx.Client(base_url=server.base_url, headers=HEADERS, timeout=0.5) as client:
        with pytest.raises(httpx.ReadTimeout):
            client.get("/balance")
        assert client.get("/balance").status_code == 200
    assert server.state.faults.fired_count("balance", "timeout") == 1


def test_server_truncated(server):
    with httpx.Client(base_url=server.base_url, headers=HEADERS, timeout=5) as client:
        real = client.get("/orders")
        server.state.faults.script("orders", "truncated")
        answer = client.get("/orders")
    assert answer.status_code == 200
    assert answer.content == real.content[: len(real.content) // 2]
    with pytest.raises(ValueError):
        answer.json()


@pytest.mark.anyio
async def test_server_with_async_client_timeout(server):
    server.state.faults.script("*", "timeout")
    async with httpx.AsyncClient(base_url=server.base_url, headers=HEADERS, timeout=0.3) as client:
        with pytest.raises(httpx.ReadTimeout):
            await client.get("/cards")
        assert (await client.get("/cards")).status_code == 200


# -- CLI ----------------------------------------------------------------------------------------


def test_cli_fault_option():
    env = {k: v for k, v in os.environ.items() if not k.startswith("IPROYAL_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "royal_tui", "sandbox", "--port", "0", "--orders", "3", "--fault", "balance:503:1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/v1/reseller", line)
        assert match, line
        request = urllib.request.Request(f"{match.group(0)}/balance", headers=HEADERS)
        with pytest.raises(urllib.error.HTTPError) as failed:
            urllib.request.urlopen(request, timeout=10)
        assert failed.value.code == 503
        assert b"<html>" in failed.value.read()
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert answer.status == 200
            assert isinstance(json.load(answer), (int, float))
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=20)
    assert process.returncode == 0
    assert "Traceback" not in err


def test_cli_help_lists_fault_grammar():
    out = subprocess.run([sys.executable, "-m", "royal_tui", "sandbox", "--help"],
                         capture_output=True, text=True, check=True).stdout
    assert "--fault SPEC" in out
    for word in ("ENDPOINT:KIND[:COUNT]", "502-html", "429-no-retry-after", "timeout-after", "drop-after",
                 "wrong-shape", "truncated"):
        assert word in out


def test_cli_refuses_bad_fault():
    result = subprocess.run([sys.executable, "-m", "royal_tui", "sandbox", "--fault", "balance:418"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert "unknown fault kind" in result.stderr and "Traceback" not in result.stderr
