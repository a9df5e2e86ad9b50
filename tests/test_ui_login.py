"""The login screen, the token's sources in the header, 401 → login → resume, log out, secrecy."""

from __future__ import annotations

import stat

import httpx
import pytest
from helpers import InterceptingTransport, screen_text, settle
from textual.widgets import Input, Select

from royal_tui.launch import make_app
from royal_tui.sandbox.options import SandboxOptions
from royal_tui.sandbox.state import SandboxState
from royal_tui.sandbox.transport import SandboxTransport
from royal_tui.ui.screens.login import LoginScreen
from royal_tui.ui.screens.orders import OrdersScreen
from royal_tui.ui.widgets.account_bar import AccountBar
from royal_tui.ui.widgets.orders_table import OrdersTable

pytestmark = pytest.mark.anyio

TOKEN = "s3cret-Tok3n-9f8e7d"
BASE = "https://sandbox.invalid/v1/reseller"


@pytest.fixture
def sandbox(clock):
    return SandboxTransport(SandboxState(SandboxOptions(clock=clock, token=TOKEN)))


def app_for(transport, env=None, **kwargs):
    app = make_app(base_url=BASE, env=env or {}, transport=transport, **kwargs)
    app.now = lambda: transport.state.now()
    return app


async def log_in(pilot, token: str, keep: str = "session") -> None:
    screen = pilot.app.screen
    assert isinstance(screen, LoginScreen)
    screen.query_one(f"#keep-{keep}").value = True
    field = screen.query_one("#login-token", Input)
    field.value = token
    field.focus()
    await pilot.press("enter")
    await settle(pilot)


async def test_no_token_opens_the_login_screen_and_a_wrong_token_is_refused(sandbox):
    app = app_for(sandbox)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        await log_in(pilot, "wrong-token")
        assert isinstance(app.screen, LoginScreen)
        assert "refused by the API (401)" in screen_text(app)
        await log_in(pilot, TOKEN)
        assert isinstance(app.screen, OrdersScreen)
        assert app.screen.query_one(OrdersTable).row_count > 0
        assert "token session" in str(app.screen.query_one(AccountBar).render())


async def test_the_token_field_is_masked(sandbox):
    app = app_for(sandbox)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        field = app.screen.query_one("#login-token", Input)
        field.focus()
        await pilot.press(*TOKEN)
        await pilot.pause()
        assert field.password and TOKEN not in screen_text(app)


async def test_keeping_the_token_in_the_keyring(sandbox, memory_keyring):
    app = app_for(sandbox)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await log_in(pilot, TOKEN, keep="keyring")
        assert memory_keyring.store[("royal-tui", "default")] == TOKEN
        assert "token keyring" in str(app.screen.query_one(AccountBar).render())
    # next start: found in the keyring, no login screen
    again = app_for(sandbox)
    async with again.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert isinstance(again.screen, OrdersScreen)
        assert again.token_source == "keyring"


async def test_keeping_the_token_in_a_0600_file(sandbox):
    from royal_tui.paths import token_file

    app = app_for(sandbox)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await log_in(pilot, TOKEN, keep="file")
        assert isinstance(app.screen, OrdersScreen)
    path = token_file()
    assert path.read_text().strip() == TOKEN
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


async def test_the_env_token_wins_and_the_header_says_so(sandbox):
    app = app_for(sandbox, env={"IPROYAL_TOKEN": TOKEN})
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, OrdersScreen)
        assert "token env" in str(app.screen.query_one(AccountBar).render())


async def test_a_401_brings_the_login_back_and_resumes_where_the_user_was(sandbox):
    expired = {"on": False}

    async def after(request: httpx.Request, response: httpx.Response):
        if expired["on"] and request.headers.get("X-Access-Token") == TOKEN:
            return httpx.Response(401, json={"message": "Unauthenticated."}, request=request)
        return None

    app = app_for(InterceptingTransport(sandbox, after=after), env={"IPROYAL_TOKEN": TOKEN})
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.screen.query_one("#filter-status", Select).value = "confirmed"
        await settle(pilot)
        expired["on"] = True  # the token was revoked on the dashboard
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert "no longer accepts the token" in screen_text(app)
        sandbox.state.options.__dict__  # the sandbox keeps accepting TOKEN; the interceptor refuses it
        expired["on"] = False
        await log_in(pilot, TOKEN)
        assert isinstance(app.screen, OrdersScreen)
        orders = app.screen.query_one(OrdersTable).orders.values()
        assert orders and {o.status for o in orders} == {"confirmed"}  # filters kept


async def test_log_out_forgets_the_token_everywhere(sandbox, memory_keyring):
    memory_keyring.store[("royal-tui", "default")] = TOKEN
    app = app_for(sandbox)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await settle(pilot)
        assert app.token_source == "keyring"
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Log out")
        await command.callback()
        await settle(pilot)
        assert ("royal-tui", "default") not in memory_keyring.store
        assert isinstance(app.screen, LoginScreen)
        assert any("keyring" in n.message for n in app._notifications)


async def test_the_token_never_reaches_the_screen_files_or_messages(sandbox, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    app = app_for(sandbox)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await settle(pilot)
        await log_in(pilot, TOKEN, keep="keyring")
        seen = [screen_text(app)]
        await pilot.press("i", *"12345", "enter")
        await settle(pilot)
        await pilot.press("c")
        await pilot.press("x")
        await settle(pilot)
        seen.append(screen_text(app))
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        seen.append(screen_text(app))
        seen += [n.message for n in app._notifications]
        seen.append(app.clipboard)
        seen.append(repr(app.client))
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written  # the export
    for path in written:
        seen.append(path.read_text(errors="replace"))
    assert all(TOKEN not in text for text in seen)


async def test_without_a_keyring_the_login_screen_says_why_and_the_app_stays_usable(sandbox):
    import keyring
    import keyring.backends.fail

    keyring.set_keyring(keyring.backends.fail.Keyring())  # the autouse fixture restores it
    app = app_for(sandbox)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        text = screen_text(app)
        assert "No OS keyring is available" in text and "IPROYAL_TOKEN" in text and "--file" in text
        assert app.screen.query_one("#keep-keyring").disabled
        await log_in(pilot, TOKEN, keep="session")
        assert isinstance(app.screen, OrdersScreen)
        assert app.screen.query_one(OrdersTable).row_count > 0
