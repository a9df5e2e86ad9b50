"""Help screen, command palette, key remaps from config, auto-refresh, every binding with an id."""

from __future__ import annotations

import pytest
from helpers import screen_text, settle
from textual.binding import Binding

from royal_tui.config import Config
from royal_tui.ui.app import RoyalApp, bindings_of
from royal_tui.ui.screens.help import HelpScreen
from royal_tui.ui.screens.orders import OrdersScreen

pytestmark = pytest.mark.anyio


def all_bindings() -> list[Binding]:
    return [*OrdersScreen.BINDINGS, *RoyalApp.BINDINGS, *HelpScreen.BINDINGS]


def test_every_binding_has_a_unique_id_and_a_description():
    ids = [binding.id for binding in all_bindings()]
    assert all(ids) and len(ids) == len(set(ids))
    assert all(binding.description for binding in all_bindings())


@pytest.mark.parametrize("key", ["question_mark", "f1"])
async def test_help_lists_every_binding_and_closes(demo_app, key):
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for binding in OrdersScreen.BINDINGS:
            if binding.id.startswith("orders.tab_"):
                continue
            assert (binding.tooltip or binding.description) in text, binding.id
        assert "1–9" in text and "Jump to a product tab" in text
        assert "Quit royal-tui" in text and "Show every key" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, OrdersScreen)
        await pilot.press(key)
        await pilot.pause()
        await pilot.press(key)  # the same key closes it again
        await pilot.pause()
        assert isinstance(app.screen, OrdersScreen)


async def test_every_action_is_in_the_command_palette(demo_app):
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        for binding, _node, _keys in bindings_of(app.screen):
            if binding.id.startswith("orders.tab_") or binding.id == "app.quit":
                continue
            assert (binding.tooltip or binding.description) in titles, binding.id
        assert {"Show Static Residential orders", "Show Datacenter orders", "Show Sneaker DC orders"} <= titles
        assert "Quit" in titles


async def test_a_palette_command_runs_its_action(demo_app, demo_transport):
    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Show Datacenter orders")
        await command.callback()
        await settle(pilot)
        assert app.screen.request.product_id == 124


async def test_keys_can_be_remapped_from_config(demo_app, demo_transport):
    config = Config(keys={"orders.refresh": "f5", "orders.next_page": "n"})
    app = demo_app(transport=demo_transport, config=config, page_size=5)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        before = demo_transport.count
        await pilot.press("f5")
        await settle(pilot)
        assert demo_transport.count > before
        await pilot.press("n")
        await settle(pilot)
        assert app.screen.request.page == 2
        count = demo_transport.count
        await pilot.press("r")  # no longer bound
        await settle(pilot)
        assert demo_transport.count == count
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        assert "f5" in text and "Reload the orders and the balance" in text


async def test_config_warnings_and_an_unknown_theme_are_reported(demo_app):
    app = demo_app(config=Config(theme="no-such-theme"), warnings=["config.toml: page_size must be 1–100; using 25"])
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await settle(pilot)
        messages = " ".join(n.message for n in app._notifications)
        assert "page_size must be 1–100" in messages and "Unknown theme" in messages
        assert app.theme == "textual-dark"


async def test_theme_from_config(demo_app):
    app = demo_app(config=Config(theme="textual-light"))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.theme == "textual-light"


async def test_auto_refresh_never_stacks_requests(demo_app, demo_transport):
    app = demo_app(transport=demo_transport, config=Config(auto_refresh=5))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert any(timer.name == "auto-refresh" for timer in screen._timers)
        demo_transport.state.options  # the sandbox is idle: one tick → one list request
        lists = lambda: sum(1 for r in demo_transport.requests if r.path.endswith("/orders"))  # noqa: E731
        before = lists()
        screen.auto_refresh()
        await settle(pilot)
        assert lists() == before + 1
        # A tick while a load is in flight sends nothing more.
        screen.load_orders(screen.request)
        screen.auto_refresh()
        screen.auto_refresh()
        await settle(pilot)
        assert lists() == before + 2
