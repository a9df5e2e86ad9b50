"""Hostile text from the API is shown literally and safely everywhere; terminals of any size."""

from __future__ import annotations

import json
import stat

import pytest
from helpers import screen_text, settle

from royal_tui.ui.widgets.order_detail import OrderDetail
from royal_tui.ui.widgets.orders_table import OrdersTable

pytestmark = pytest.mark.anyio

MARKUP = "[bold red]VIP[/] [link=https://evil.example]click[/link] $accent"
ESCAPES = "before\x1b[2J\x1b]52;c;aGFja2Vk\x07\x1b]0;owned\x07after"  # clear screen, OSC 52, title
CONTROL = "tab\there\rreturn\x00nul\x7fdel\u202eevil-rtl\u202c"
RTL = "مرحبا بالعالم שלום"
EMOJI = "🚀🔥 proxies 👨‍👩‍👧‍👦"
LONG = "x" * 10_000


@pytest.fixture
def hostile(demo_transport):
    """Order 12345's note and answer, and order 12347's note, replaced with hostile text."""
    orders = demo_transport.state.orders
    orders[12345].note = MARKUP + " " + ESCAPES
    answers = list(orders[12345].answers)
    answers[0] = {"question": CONTROL, "answer": RTL + " " + EMOJI}
    orders[12345].answers = answers
    orders[12347].note = LONG
    return demo_transport


async def test_hostile_notes_and_answers_are_literal_in_table_and_detail(demo_app, hostile):
    app = demo_app(transport=hostile)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("i", *"12345", "enter")
        await settle(pilot)
        text = screen_text(app)
        assert "[bold red]VIP[/]" in text and "[link=https://evil.example]click[/link]" in text
        assert "\x1b" not in text and "\x07" not in text and "\x00" not in text
        assert "before" in text and "after" in text
        assert "مرحبا" in text and "🚀" in text
        detail = app.screen.query_one(OrderDetail)
        assert detail.order.note.startswith(MARKUP)
        # a toast that quotes the order (copy) stays literal too
        await pilot.press("c")
        await pilot.pause()
        assert all("\x1b" not in n.message for n in app._notifications)


async def test_a_10k_note_neither_breaks_the_table_nor_the_pane(demo_app, hostile):
    app = demo_app(transport=hostile)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("i", *"12347", "enter")
        await settle(pilot)
        table = app.screen.query_one(OrdersTable)
        assert table.row_count == 1
        assert max(len(line) for line in screen_text(app).splitlines()) <= 120


async def test_exports_of_an_order_with_hostile_texts_stay_valid(demo_app, hostile, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    app = demo_app(transport=hostile)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("i", *"12345", "enter")
        await settle(pilot)
        await pilot.press("x")
        await pilot.pause()
        json_button = next(b for b in app.screen.query("#export-formats RadioButton") if b.name == "json")
        json_button.value = True
        await pilot.pause()
        app.screen.query_one("#export-path").value = str(tmp_path / "out.json")
        await pilot.press("ctrl+s")
        await settle(pilot)
    path = tmp_path / "out.json"
    data = json.loads(path.read_text())  # valid JSON whatever the order's texts hold
    assert data["order_id"] == 12345 and data["proxies"]
    assert "\x1b" not in path.read_text()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize("size", [(60, 20), (40, 12)])
async def test_resizing_small_and_back_never_crashes(demo_app, size):
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.resize_terminal(*size)
        await pilot.pause()
        await pilot.press("down", "enter", "question_mark")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.resize_terminal(120, 36)
        await settle(pilot)
        assert app.is_running
        assert app.screen.query_one(OrdersTable).row_count > 0


async def test_the_wizard_and_dialogs_survive_a_tiny_terminal(demo_app):
    app = demo_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        for key in ("n", "escape", "e", "escape", "x", "escape", "question_mark", "escape"):
            await pilot.press(key)
            await settle(pilot)
        assert app.is_running


@pytest.mark.parametrize("theme", ["ansi-dark", "ansi-light"])
async def test_ansi_themes_for_terminals_without_truecolor(demo_app, theme):
    from royal_tui.config import Config

    app = demo_app(config=Config(theme=theme))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.theme == theme
        assert app.screen.query_one(OrdersTable).row_count > 0


async def test_hostile_catalog_names_are_literal_in_tabs_and_the_wizard(demo_app, demo_transport):
    from royal_tui.ui.screens.purchase import PurchaseScreen

    evil = "[b]Evil[/b] \x1b[31mred\x1b[0m"
    demo_transport.state.catalog.products[2].name = evil
    demo_transport.state.catalog.products[0].plans[0].name = "[i]30 Days[/i]"
    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "[b]Evil[/b]" in text and "\x1b" not in text
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, PurchaseScreen)
        assert "[b]Evil[/b]" in screen_text(app)
        await pilot.press("enter")  # the first product: Static Residential, its plans
        await settle(pilot)
        assert "[i]30 Days[/i]" in screen_text(app)


async def test_hostile_order_texts_are_literal_in_the_extend_and_auto_extend_dialogs(demo_app, demo_transport):
    import copy

    order = demo_transport.state.orders[12345]
    location = copy.copy(order.location)
    location.name = MARKUP + " " + ESCAPES
    order.location = location
    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("i", *"12345", "enter")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert type(app.screen).__name__ == "ExtendDialog"
        text = screen_text(app)
        assert "[bold red]VIP[/]" in text and "\x1b" not in text and "\x07" not in text
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("a")
        for _ in range(50):
            await pilot.pause()
            if type(app.screen).__name__ == "ConfirmDialog":
                break
        text = screen_text(app)
        assert type(app.screen).__name__ == "ConfirmDialog"
        assert "\x1b" not in text and "\x07" not in text


async def test_a_hostile_422_from_the_api_is_shown_literally_next_to_the_field(demo_app, demo_transport):
    import httpx
    from helpers import InterceptingTransport, open_wizard, type_into
    from textual.widgets import Button

    hostile_message = "[bold]Nope[/bold] " + ESCAPES
    field_message = "[link=https://evil.example]coupon[/link] \x1b]52;c;ZXZpbA==\x07 is used up"

    async def after(request, response):
        if request.method == "POST" and request.url.path.endswith("/orders"):
            return httpx.Response(422, json={"message": hostile_message, "errors": {"coupon_code": [field_message]}})
        return None

    transport = InterceptingTransport(demo_transport, after=after)
    app = demo_app(transport=transport)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        screen = await open_wizard(pilot)
        await type_into(pilot, "#quantity", "10")
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen.query_one("#buy", Button).press()
        await settle(pilot)
        assert screen.step == "details"  # the field that owns the problem
        text = screen_text(app)
        assert "[link=https://evil.example]coupon[/link]" in text
        assert "\x1b" not in text and "\x07" not in text
        assert all("\x1b" not in n.message and "\x07" not in n.message for n in app._notifications)
