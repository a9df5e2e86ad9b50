"""The log file: requests logged one line each, secrets redacted, 0600, never the terminal."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest

from royal_tui import logs
from royal_tui.api.client import ResellerClient
from royal_tui.cli import DEMO_BASE_URL, DEMO_TOKEN
from royal_tui.paths import log_dir

TOKEN = "tok-4f9a8b7c6d5e4f3a2b1c"
PROXY_PASSWORD = "pr0xyPa55w0rd"


@pytest.fixture
def logging_on():
    path = logs.setup_logging()
    yield path
    logs.stop_logging()


def read(path: Path) -> str:
    for handler in logging.getLogger(logs.LOGGER_NAME).handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def test_log_file_is_in_the_isolated_log_dir(logging_on: Path, tmp_path: Path) -> None:
    assert logging_on == log_dir() / "royal-tui.log"
    assert str(logging_on).startswith(str(tmp_path))  # XDG_STATE_HOME → tmp (platformdirs)
    assert stat.S_IMODE(os.stat(logging_on).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(logging_on.parent).st_mode) == 0o700


def test_setup_is_idempotent(logging_on: Path) -> None:
    before = list(logging.getLogger(logs.LOGGER_NAME).handlers)
    assert logs.setup_logging() == logging_on
    assert logging.getLogger(logs.LOGGER_NAME).handlers == before


def test_setup_narrows_an_existing_wide_file(tmp_path: Path) -> None:
    directory = tmp_path / "logs"
    directory.mkdir()
    path = directory / "royal-tui.log"
    path.write_text("old\n")
    path.chmod(0o644)
    try:
        assert logs.setup_logging(directory) == path
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    finally:
        logs.stop_logging()


@pytest.mark.anyio
async def test_requests_logged_secrets_redacted_nothing_on_terminal(
    logging_on: Path, demo_transport, capfd: pytest.CaptureFixture[str]
) -> None:
    async with ResellerClient(
        DEMO_TOKEN, DEMO_BASE_URL, transport=demo_transport, on_response=logs.log_request
    ) as client:
        products = await client.products()
        await client.orders(products[0].id, note_search="private note", per_page=5)
        await client.balance()

    logs.register_secret(TOKEN)
    logs.register_secret(PROXY_PASSWORD)
    log = logging.getLogger("royal_tui.test")
    log.warning("token is %s", TOKEN)
    log.info("headers: {'X-Access-Token': '%s'}", "unregistered-header-value")
    log.info("X-Access-Token: unregistered-header-value-2")
    log.info("proxy http://user1:%s@1.2.3.4:8080 ready", PROXY_PASSWORD)
    log.info("proxy socks5://someone:unregistered-pass@5.6.7.8:1080 ready")
    log.info("bare user2:also-unregistered@9.9.9.9:12321")
    try:
        raise RuntimeError(f"failed with {TOKEN}")
    except RuntimeError:
        log.exception("boom %s", PROXY_PASSWORD)

    text = read(logging_on)
    lines = text.splitlines()
    assert any(line.endswith(" ms") and "GET /products 200 " in line for line in lines)
    assert any("GET /orders 200 " in line for line in lines)
    assert any("GET /balance 200 " in line for line in lines)
    assert "?" not in "".join(line for line in lines if "GET /" in line)  # no query strings
    assert "private note" not in text
    for secret in (
        TOKEN,
        PROXY_PASSWORD,
        "unregistered-header-value",
        "unregistered-pass",
        "also-unregistered",
    ):
        assert secret not in text
    assert "***" in text
    assert "user1:***@1.2.3.4" in text
    assert "RuntimeError" in text  # the traceback is kept, redacted

    captured = capfd.readouterr()
    assert captured.out == ""
    assert captured.err == ""
    assert stat.S_IMODE(os.stat(logging_on).st_mode) == 0o600


def test_failed_request_and_query_string(logging_on: Path) -> None:
    logs.log_request("get", "/orders?note_search=secret-note", None, 1.2346)
    text = read(logging_on)
    assert "GET /orders - 1235 ms" in text
    assert "secret-note" not in text


def test_rotated_files_stay_private(tmp_path: Path) -> None:
    directory = tmp_path / "rot"
    path = logs.setup_logging(directory)
    try:
        handler = next(
            h for h in logging.getLogger(logs.LOGGER_NAME).handlers if isinstance(h, logging.FileHandler)
        )
        handler.maxBytes = 200
        for number in range(40):
            logs.log_request("GET", f"/orders/{number}", 200, 0.01)
        handler.flush()
        files = sorted(directory.iterdir())
        assert len(files) >= 2
        for file in files:
            assert stat.S_IMODE(os.stat(file).st_mode) == 0o600
    finally:
        logs.stop_logging()
    assert path.exists()


def test_make_app_wires_logging_and_registers_the_token(monkeypatch: pytest.MonkeyPatch) -> None:
    from royal_tui.launch import make_app

    monkeypatch.setattr(logs, "_secrets", set())
    try:
        app = make_app(base_url="https://api.example.test/v1/reseller", env={"IPROYAL_TOKEN": TOKEN})
        assert app is not None
        assert TOKEN in logs._secrets
        assert logs.log_file().exists()
        assert logs.redact(f"x {TOKEN} y") == "x *** y"
    finally:
        logs.stop_logging()


@pytest.mark.anyio
async def test_a_whole_session_through_the_ui_logs_requests_and_no_secret(logging_on: Path, clock, monkeypatch) -> None:
    """Log in by env token, browse, reveal, search, buy with a coupon and an answer, extend:
    the log has each request's line and not the token, a proxy password, a body or a query."""
    from helpers import open_wizard, settle

    from royal_tui.launch import make_app
    from royal_tui.sandbox.options import SandboxOptions
    from royal_tui.sandbox.state import SandboxState
    from royal_tui.sandbox.transport import SandboxTransport
    from royal_tui.ui.screens.orders import OrdersScreen
    from royal_tui.ui.screens.purchase import PurchaseScreen
    from royal_tui.ui.widgets.orders_table import OrdersTable

    monkeypatch.setattr(PurchaseScreen, "QUOTE_DEBOUNCE_S", 0.0)
    monkeypatch.setattr(OrdersScreen, "TYPING_DEBOUNCE_S", 0.0)
    transport = SandboxTransport(SandboxState(SandboxOptions(clock=clock, token=TOKEN)))
    app = make_app(base_url="https://sandbox.invalid/v1/reseller", env={"IPROYAL_TOKEN": TOKEN}, transport=transport)
    app.now = clock
    passwords: set[str] = set()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("p")  # passwords revealed on screen: still never logged
        await pilot.press("right_square_bracket")
        await settle(pilot)
        passwords |= {p.password for o in app.screen.query_one(OrdersTable).orders.values() for p in o.proxies}
        await pilot.press("slash", *"private-search", "enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        screen = await open_wizard(pilot)
        screen.query_one("#quantity").value = "10"
        screen.query_one("#coupon").value = "DISCOUNT2024"
        screen.query_one("#answer-11").value = "my-private-answer"
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OrdersScreen)
        await pilot.press("i", *"12345", "enter")
        await settle(pilot)
        passwords |= {p.password for p in app.screen.query_one(OrdersTable).orders[12345].proxies}
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#extend-confirm").press()
        await settle(pilot)
    assert len(passwords) >= 3  # one password per order in the sandbox
    text = read(logging_on)
    for line in ("GET /products 200 ", "GET /orders 200 ", "GET /orders/calculate-pricing 200 ", "POST /orders 200 ",
                 "POST /orders/12345/extend 200 "):
        assert line in text, line
    for secret in (TOKEN, "DISCOUNT2024", "my-private-answer", "private-search", *passwords):
        assert secret not in text, secret


def test_secrets_registered_in_a_batch_are_redacted(logging_on: Path) -> None:
    logs.register_secrets(["batch-secret-one", None, "", "  batch-secret-two  ", "ab"])
    logging.getLogger("royal_tui.test").warning("one=batch-secret-one two=batch-secret-two short=ab")
    text = read(logging_on)
    assert "batch-secret-one" not in text and "batch-secret-two" not in text
    assert "short=ab" in text  # too short to be a secret: redacting it would garble the log


def test_the_secrets_are_sorted_again_only_when_some_were_added(monkeypatch) -> None:
    """Each log line is checked against every registered secret, longest first; the order is
    worked out when secrets are added, not for each line (a long session registers thousands)."""
    monkeypatch.setattr(logs, "_secrets", set())
    sorts = []
    monkeypatch.setattr(logs, "sorted", lambda *a, **k: (sorts.append(1), sorted(*a, **k))[1], raising=False)
    logs.register_secrets(["pass-one-abc", "pass-one-abcdef"])
    assert logs.redact("x pass-one-abcdef y pass-one-abc") == f"x {logs.REDACTED} y {logs.REDACTED}"
    for _ in range(5):
        logs.redact("GET /orders 200")
    assert len(sorts) == 1
    logs.register_secrets(["pass-two-xyz"])
    assert logs.redact("pass-two-xyz") == logs.REDACTED and len(sorts) == 2
