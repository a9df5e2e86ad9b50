"""What the user types or pastes into every field: negative, zero, huge, non-numeric, whitespace,
control characters and 10 kB pastes get a clear message next to the field, and nothing bad is
sent to the API."""

from __future__ import annotations

import pytest
from helpers import open_wizard, screen_text, settle
from textual import events
from textual.widgets import Input, Static

from royal_tui.ui.screens.orders import OrdersScreen
from royal_tui.ui.screens.purchase import PurchaseScreen
from royal_tui.ui.widgets.filters import FilterBar
from royal_tui.ui.widgets.orders_table import OrdersTable

pytestmark = pytest.mark.anyio

PASTE_10K = "7" * 10_240


@pytest.fixture(autouse=True)
def no_debounce(monkeypatch):
    monkeypatch.setattr(PurchaseScreen, "QUOTE_DEBOUNCE_S", 0.0)
    monkeypatch.setattr(OrdersScreen, "TYPING_DEBOUNCE_S", 0.0)


async def paste(pilot, selector: str, text: str) -> Input:
    """Focus a field and paste into it, as a terminal's bracketed paste does."""
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    await pilot.pause()
    field.post_message(events.Paste(text))
    await settle(pilot)
    return field


def count(transport, path: str) -> int:
    return sum(1 for r in transport.requests if r.path.rstrip("/").endswith(path))


def error_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).content)


# ----------------------------------------------------------------------- wizard: quantity, coupon
@pytest.mark.parametrize(
    ("typed", "fragment"),
    [
        ("-5", "whole number"),
        ("0", "at least 1"),
        ("99999999", "at most 1,000"),
        ("ten", "whole number"),
        ("1e3", "whole number"),
        ("12.5", "whole number"),
    ],
)
async def test_a_bad_quantity_is_refused_next_to_the_field_and_never_quoted(demo_app, demo_transport, typed, fragment):
    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        screen = await open_wizard(pilot)
        before = count(demo_transport, "/calculate-pricing")
        screen.query_one("#quantity", Input).value = typed
        await settle(pilot)
        assert fragment in error_of(app, "#quantity-error")
        assert count(demo_transport, "/calculate-pricing") == before
        await pilot.press("ctrl+s")  # the review step stays out of reach
        await settle(pilot)
        assert screen.step == "details"
        assert "Traceback" not in screen_text(app)


async def test_whitespace_around_a_quantity_is_ignored_and_blank_asks_for_one(demo_app, demo_transport):
    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        screen = await open_wizard(pilot)
        quantity = screen.query_one("#quantity", Input)
        quantity.value = "  12 "
        await settle(pilot)
        assert error_of(app, "#quantity-error") == ""
        assert "quantity=12" in [r for r in demo_transport.requests if r.path.endswith("/calculate-pricing")][-1].query
        quantity.value = "   "
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.step == "details"
        assert "Enter how many" in error_of(app, "#quantity-error")


@pytest.mark.parametrize(("selector", "what"), [("#quantity", "the quantity"), ("#coupon", "the coupon"), ("#answer-11", "the answer")])
async def test_a_10k_paste_into_a_wizard_field_is_refused_with_a_reason(demo_app, demo_transport, selector, what):
    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_wizard(pilot)
        before = count(demo_transport, "/calculate-pricing")
        field = await paste(pilot, selector, PASTE_10K)
        assert field.value == ""  # nothing half-pasted
        message = error_of(app, f"{selector}-error") if selector != "#answer-11" else str(
            app.screen.query_one("QuestionField .field-error", Static).content
        )
        assert f"that would make {what} 10,240 characters long" in message and "at most" in message
        assert count(demo_transport, "/calculate-pricing") == before
        await paste(pilot, selector, "10" if selector == "#quantity" else "DISCOUNT2024")  # the field still works
        assert field.value in ("10", "DISCOUNT2024")


async def test_a_coupon_with_spaces_or_control_characters_is_refused_and_not_sent(demo_app, demo_transport):
    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_wizard(pilot)
        screen.query_one("#quantity", Input).value = "10"
        await settle(pilot)
        for bad in ("DISCOUNT 2024", "X" * 65, "\x1b[31mRED"):
            before = count(demo_transport, "/calculate-pricing")
            screen.query_one("#coupon", Input).value = bad
            await settle(pilot)
            assert error_of(app, "#coupon-error") != "", bad
            sent = [r.query for r in demo_transport.requests if r.path.endswith("/calculate-pricing")][before:]
            assert all("coupon_code" not in q or "RED" not in q for q in sent)
        screen.query_one("#coupon", Input).value = "   "  # blank means no coupon
        await settle(pilot)
        assert error_of(app, "#coupon-error") == ""


# ---------------------------------------------------------------------- orders screen: filters
@pytest.mark.parametrize(
    ("typed", "fragment"),
    [("-5", "not an order id"), ("0", "not a valid order id"), ("9" * 40, "not a valid order id"), ("abc", "not an order id")],
)
async def test_bad_order_ids_are_refused_inline_and_not_sent(demo_app, demo_transport, typed, fragment):
    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        before = count(demo_transport, "/orders")
        await pilot.press("i")
        app.screen.query_one("#filter-ids", Input).value = typed
        await settle(pilot)
        assert fragment in app.screen.query_one(FilterBar).error
        assert count(demo_transport, "/orders") == before


@pytest.mark.parametrize(("selector", "what", "key"), [("#filter-ids", "the order ids", "i"), ("#filter-note", "the note search", "slash")])
async def test_a_10k_paste_into_a_filter_is_refused_with_a_reason(demo_app, demo_transport, selector, what, key):
    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        before = count(demo_transport, "/orders")
        await pilot.press(key)
        field = await paste(pilot, selector, PASTE_10K)
        bar = app.screen.query_one(FilterBar)
        assert field.value == "" and f"that would make {what} 10,240 characters long" in bar.error
        assert count(demo_transport, "/orders") == before
        await paste(pilot, selector, "12345" if key == "i" else "example")  # the field still works
        assert bar.error == "" and count(demo_transport, "/orders") == before + 1


async def test_a_blank_search_sends_no_note_filter(demo_app, demo_transport):
    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        app.screen.query_one("#filter-note", Input).value = "   "
        await settle(pilot)
        assert all("note_search" not in r.query for r in demo_transport.requests)
        assert app.screen.query_one(OrdersTable).row_count == 25


# ------------------------------------------------------------------------------- export path
async def open_export(pilot) -> None:
    await settle(pilot)
    await pilot.press("i", *"12345", "enter")  # an order with proxies
    await settle(pilot)
    await pilot.press("x")
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == "ExportDialog"


@pytest.mark.parametrize(
    ("path", "fragment"),
    [("   ", "Enter a file name"), ("/no/such/folder/x.txt", "does not exist"), ("/tmp", "is a folder")],
)
async def test_a_bad_export_path_is_refused_in_the_dialog(demo_app, path, fragment):
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_export(pilot)
        app.screen.query_one("#export-path", Input).value = path
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert fragment in error_of(app, "#export-message")
        assert type(app.screen).__name__ == "ExportDialog"


async def test_a_10k_paste_into_the_export_path_is_refused_with_a_reason(demo_app):
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_export(pilot)
        field = app.screen.query_one("#export-path", Input)
        before = field.value
        await paste(pilot, "#export-path", PASTE_10K)
        assert field.value == before
        assert "at most 4,096 fit" in error_of(app, "#export-message")


# ------------------------------------------------------------------------------------ login token
async def test_a_10k_paste_into_the_token_field_is_refused_without_echoing_it(clock):
    from royal_tui.launch import make_app
    from royal_tui.sandbox.options import SandboxOptions
    from royal_tui.sandbox.state import SandboxState
    from royal_tui.sandbox.transport import SandboxTransport
    from royal_tui.ui.screens.login import LoginScreen

    transport = SandboxTransport(SandboxState(SandboxOptions(clock=clock, token="right-token")))
    app = make_app(base_url="https://sandbox.invalid/v1/reseller", env={}, transport=transport)
    pasted = "tok" + "Q" * 10_237
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        field = await paste(pilot, "#login-token", pasted)
        assert field.value == ""
        assert "that would make the token 10,240 characters long" in error_of(app, "#login-error")
        assert "QQQQ" not in screen_text(app)
        assert not any(r.path.endswith("/balance") for r in transport.requests)  # nothing was tried
