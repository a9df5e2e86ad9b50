"""The loopback server: the provider's curl examples (orders-docs.txt) against it, and `serve`."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

import pytest

from royal_tui.sandbox.server import make_server
from royal_tui.sandbox.state import SandboxOptions

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=timezone.utc)
DOCS = Path("/work/shared/spec/orders-docs.txt")
DOCS_HOST = "https://apid.iproyal.com"

# The five curl examples of orders-docs.txt, verbatim (the "¬e_search" is the docs page's own
# mangled "&note_search" — an HTML entity gone wrong — and is kept as published).
CURL_EXAMPLES = [
    'curl -X GET "https://apid.iproyal.com/v1/reseller/orders?product_id=123&page=1&per_page=10&location_id=456'
    '&status=in-progress¬e_search=example%20note&order_ids=789,1011" \\\n-H "X-Access-Token: <your_access_token>"'
    ' \\\n-H "Content-Type: application/json"\n',
    'curl -X GET "https://apid.iproyal.com/v1/reseller/orders/12345" \\\n-H "X-Access-Token: <your_access_token>"'
    ' \\\n-H "Content-Type: application/json"\n',
    'curl -X GET "https://apid.iproyal.com/v1/reseller/orders/calculate-pricing?product_id=123&product_plan_id=456'
    '&product_location_id=789&quantity=10&coupon_code=DISCOUNT2024" \\\n-H "X-Access-Token: <your_access_token>"'
    ' \\\n-H "Content-Type: application/json"\n',
    'curl -X POST "https://apid.iproyal.com/v1/reseller/orders" \\\n-H "X-Access-Token: <your_access_token>"'
    ' \\\n-H "Content-Type: application/json" \\\n-d \'{\n"product_id": 123,\n"product_plan_id": 456,\n'
    '"product_location_id": 789,\n"quantity": 10,\n"coupon_code": "DISCOUNT2024",\n"auto_extend": true,\n'
    '"product_question_answers": {\n"question_id_1": "answer_1",\n"question_id_2": "answer_2"\n}\n}\'\n',
    'curl -X POST "https://apid.iproyal.com/v1/reseller/orders/12345/extend" \\\n-H "X-Access-Token: '
    '<your_access_token>" \\\n-H "Content-Type: application/json" \\\n-d \'{\n"product_plan_id": 678\n}\'\n',
]

# Keys of the docs' example responses.
ORDER_KEYS = {"id", "note", "product_name", "plan_name", "expire_date", "status", "location", "quantity",
              "questions_answers", "proxy_data", "auto_extend_settings", "extended_history"}
META_KEYS = {"current_page", "from", "last_page", "path", "per_page", "to", "total"}
QUOTE_KEYS = {"pre_discount_price", "price_with_vat", "vat", "price", "pre_discount_price_per_item",
              "price_per_item", "plan_discount_percent", "location_discount_percent", "coupon_discount_percent",
              "quantity_discount_percent", "total_discount_percent", "quantity_required_for_next_discount", "message"}


@pytest.fixture(scope="module")
def server():
    server = make_server(SandboxOptions(clock=lambda: NOW), port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def parse_curl(command: str) -> tuple[str, str, dict[str, str], bytes | None]:
    argv = shlex.split(command.replace("\\\n", " "))
    method, url, headers, data = "GET", "", {}, None
    args = iter(argv[1:])
    for arg in args:
        if arg == "-X":
            method = next(args)
        elif arg == "-H":
            name, _, value = next(args).partition(":")
            headers[name.strip()] = value.strip()
        elif arg == "-d":
            data = next(args).encode()
        else:
            url = arg
    return method, url, headers, data


def run_example(command: str, base: str) -> tuple[int, object]:
    """Run a docs curl example with only the base URL swapped (curl if installed, else urllib)."""
    method, url, headers, data = parse_curl(command)
    url = url.replace(DOCS_HOST, base)
    if shutil.which("curl"):
        argv = ["curl", "-sS", "--noproxy", "*", "-X", method, url, "-w", "\n%{http_code}"]
        for name, value in headers.items():
            argv += ["-H", f"{name}: {value}"]
        if data is not None:
            argv += ["-d", data.decode()]
        result = subprocess.run(argv, capture_output=True, timeout=20)
        assert result.returncode == 0, result.stderr
        body, _, code = result.stdout.rpartition(b"\n")
        return int(code), json.loads(body)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    safe_url = urllib.parse.quote(url, safe=":/?&=%,")
    req = urllib.request.Request(safe_url, data=data, headers=headers, method=method)
    try:
        with opener.open(req, timeout=20) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.mark.skipif(not DOCS.exists(), reason="the provider's docs page is not beside this checkout")
def test_embedded_examples_are_the_docs_examples():
    text = DOCS.read_text(encoding="utf-8")
    assert re.findall(r"^curl -X .*?(?=^<\?php)", text, re.S | re.M) == CURL_EXAMPLES


def test_server_is_loopback_only(server):
    assert server.server_address[0] == "127.0.0.1" and server.port > 0
    with pytest.raises(ValueError):
        make_server(SandboxOptions(), port=0, host="0.0.0.0")


def test_docs_list_orders(server):
    for command in (CURL_EXAMPLES[0], CURL_EXAMPLES[0].replace("¬", "&not")):
        status, body = run_example(command, f"http://127.0.0.1:{server.port}")
        assert status == 200, body
        assert set(body) == {"data", "meta"} and set(body["meta"]) == META_KEYS
        assert body["meta"]["per_page"] == 10
        assert body["meta"]["path"] == f"http://127.0.0.1:{server.port}/v1/reseller/orders"


def test_docs_list_orders_finds_matches(server):
    command = CURL_EXAMPLES[0].replace("¬", "&not").replace("note_search=example%20note", "note_search=pool")
    command = command.replace("order_ids=789,1011", "order_ids=12345,12347").replace("status=in-progress", "status=confirmed")
    status, body = run_example(command.replace("location_id=456", "location_id=789"), f"http://127.0.0.1:{server.port}")
    assert status == 200 and [o["id"] for o in body["data"]] == [12345]
    assert set(body["data"][0]) == ORDER_KEYS


def test_docs_get_order(server):
    status, body = run_example(CURL_EXAMPLES[1], f"http://127.0.0.1:{server.port}")
    assert status == 200 and set(body) == ORDER_KEYS and body["id"] == 12345


def test_docs_calculate_pricing(server):
    status, body = run_example(CURL_EXAMPLES[2], f"http://127.0.0.1:{server.port}")
    assert status == 200 and set(body) == QUOTE_KEYS
    assert body["pre_discount_price"] == 30
    assert body["quantity_required_for_next_discount"] == {"quantity": 90, "discount": 5}


def test_docs_create_order(server):
    status, body = run_example(CURL_EXAMPLES[3], f"http://127.0.0.1:{server.port}")
    assert status == 200 and set(body) == ORDER_KEYS
    assert body["status"] == "in-progress" and body["quantity"] == 10


def test_docs_extend_order(server):
    status, body = run_example(CURL_EXAMPLES[4], f"http://127.0.0.1:{server.port}")
    assert status == 200 and set(body) == ORDER_KEYS
    assert body["id"] == 12345 and body["plan_name"] == "60 Days"


def _open(url: str, token: str | None = "t"):
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    headers = {"X-Access-Token": token} if token else {}
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_http_errors_over_the_wire():
    server = make_server(SandboxOptions(clock=lambda: NOW, rate_limit=2, token="tok"), port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = server.base_url
        assert _open(base + "/balance", token=None)[0] == 401
        assert _open(base + "/balance", token="tok")[:1] == (200,)
        assert _open(base + "/nowhere", token="tok")[0] == 404
        assert _open(base + "/balance", token="tok")[0] == 200
        status, headers, body = _open(base + "/balance", token="tok")
        assert status == 429 and headers["Retry-After"] == "60"
        assert json.loads(body) == {"message": "Too Many Attempts."}
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_serve_prints_one_line_and_stops_cleanly(stop):
    code = ("from royal_tui.sandbox.server import serve\n"
            "from royal_tui.sandbox.options import SandboxOptions\n"
            "raise SystemExit(serve(SandboxOptions(token='hunter2-secret'), port=0))\n")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=env)
    try:
        line = process.stdout.readline()
        assert re.fullmatch(r"royal-tui sandbox listening on http://127\.0\.0\.1:\d+/v1/reseller — token: "
                            r"the one given with --token\n", line), line
        assert "hunter2" not in line
        url = line.split()[4]
        assert _open(url + "/balance", token="hunter2-secret")[0] == 200
        process.send_signal(stop)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert out == "royal-tui sandbox stopped.\n"
    assert "Traceback" not in err and "hunter2" not in out + err
    assert "GET /v1/reseller/balance" in err  # the access log goes to stderr


def test_serve_line_without_token():
    from royal_tui.sandbox.server import token_policy

    assert token_policy(SandboxOptions()) == "any non-empty token accepted"
