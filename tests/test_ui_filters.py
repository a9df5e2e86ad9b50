"""Pilot tests of the filters: the exact query each sends, debounce, inline refusal, combining."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from helpers import settle
from textual.widgets import Input, Select, Static

from royal_tui.ui.screens.orders import OrdersScreen
from royal_tui.ui.widgets.filters import FilterBar
from royal_tui.ui.widgets.orders_table import OrdersTable

pytestmark = pytest.mark.anyio


@pytest.fixture(autouse=True)
def no_debounce(monkeypatch):
    """Debounce still applies (exclusive workers), but without waiting in most tests."""
    monkeypatch.setattr(OrdersScreen, "TYPING_DEBOUNCE_S", 0.0)


def list_queries(transport) -> list[dict[str, list[str]]]:
    return [
        parse_qs(urlsplit(r.url).query)
        for r in transport.requests
        if r.method == "GET" and urlsplit(r.url).path.rstrip("/").endswith("/orders")
    ]


def shown_ids(app) -> list[int]:
    return list(app.screen.query_one(OrdersTable).orders)


async def choose(pilot, select_id: str, value) -> None:
    pilot.app.screen.query_one(select_id, Select).value = value
    await settle(pilot)


async def test_status_filter_sends_status_and_shows_only_that_status(demo_app, demo_transport):
    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await choose(pilot, "#filter-status", "expired")
        query = list_queries(demo_transport)[-1]
        assert query["status"] == ["expired"] and query["page"] == ["1"] and query["product_id"] == ["123"]
        statuses = {o.status for o in app.screen.query_one(OrdersTable).orders.values()}
        assert statuses == {"expired"}
        assert "status expired" in str(app.screen.query_one("#pager", Static).content)


async def test_location_filter_offers_countries_and_cities(demo_app, demo_transport):
    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        select = app.screen.query_one("#filter-location", Select)
        labels = [str(prompt) for prompt, _value in select._options]
        assert any("United States" == label.strip() for label in labels)
        assert any("New York" in label for label in labels)
        await choose(pilot, "#filter-location", 789)
        query = list_queries(demo_transport)[-1]
        assert query["location_id"] == ["789"]
        assert {o.location for o in app.screen.query_one(OrdersTable).orders.values()} == {"Canada"}
        assert "location Canada" in str(app.screen.query_one("#pager", Static).content)


async def test_slash_focuses_search_and_typing_sends_one_request_per_pause(demo_app, demo_transport, monkeypatch):
    monkeypatch.setattr(OrdersScreen, "TYPING_DEBOUNCE_S", 0.2)
    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        before = len(list_queries(demo_transport))
        await pilot.press("slash")
        assert isinstance(app.focused, Input) and app.focused.id == "filter-note"
        await pilot.press(*"example")
        await settle(pilot)
        queries = list_queries(demo_transport)[before:]
        assert len(queries) == 1, queries
        assert queries[0]["note_search"] == ["example"]
        notes = [o.note for o in app.screen.query_one(OrdersTable).orders.values()]
        assert notes and all("example" in (note or "").lower() for note in notes)
        # enter hands the keyboard back to the table
        await pilot.press("enter")
        assert isinstance(app.focused, OrdersTable)


async def test_a_stale_answer_is_never_shown_over_a_newer_one(demo_app, demo_transport):
    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        # Two changes in a row: the first request is cancelled or its answer discarded.
        screen.query_one("#filter-status", Select).value = "expired"
        screen.query_one("#filter-status", Select).value = "confirmed"
        await settle(pilot)
        statuses = {o.status for o in screen.query_one(OrdersTable).orders.values()}
        assert statuses == {"confirmed"}
        assert screen.request.filters.status == "confirmed"


async def test_order_ids_filter_and_inline_refusal(demo_app, demo_transport):
    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        assert app.focused.id == "filter-ids"
        await pilot.press(*"12345,12347")
        await settle(pilot)
        assert list_queries(demo_transport)[-1]["order_ids"] == ["12345,12347"]
        assert sorted(shown_ids(app)) == [12345, 12347]
        sent = len(list_queries(demo_transport))
        await pilot.press(*",x1")
        await settle(pilot)
        bar = app.screen.query_one(FilterBar)
        assert "not an order id" in bar.error
        assert app.screen.query_one("#filter-ids").has_class("-invalid")
        assert len(list_queries(demo_transport)) == sent  # refused inline, nothing sent
        assert sorted(shown_ids(app)) == [12345, 12347]
        await pilot.press("backspace", "backspace", "backspace")
        await settle(pilot)
        assert bar.error == ""


async def test_filters_combine_and_a_change_returns_to_page_one(demo_app, demo_transport):
    app = demo_app(transport=demo_transport, page_size=5)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert list_queries(demo_transport)[-1]["page"] == ["2"]
        await choose(pilot, "#filter-status", "confirmed")
        await choose(pilot, "#filter-location", 456)
        query = list_queries(demo_transport)[-1]
        assert query["page"] == ["1"]
        assert query["status"] == ["confirmed"] and query["location_id"] == ["456"]
        orders = app.screen.query_one(OrdersTable).orders.values()
        assert orders and all(o.status == "confirmed" and o.location.startswith("United States") for o in orders)


async def test_escape_clears_filters_and_empty_state_says_what_to_do(demo_app, demo_transport):
    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"no such note anywhere", "enter")
        await settle(pilot)
        message = app.screen.query_one("#orders-message", Static)
        assert message.display and "No orders match these filters" in str(message.content)
        await pilot.press("escape")
        await settle(pilot)
        assert not message.display
        assert list_queries(demo_transport)[-1].get("note_search") is None
        assert app.screen.query_one("#filter-note", Input).value == ""


async def test_switching_tabs_offers_that_products_locations(demo_app, demo_transport):
    app = demo_app(transport=demo_transport)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await choose(pilot, "#filter-location", 789)
        await pilot.press("2")
        await settle(pilot)
        query = list_queries(demo_transport)[-1]
        assert query["product_id"] == ["124"]
        assert "location_id" not in query  # a Static Residential location means nothing here
        values = [value for _prompt, value in app.screen.query_one("#filter-location", Select)._options]
        assert 789 not in values
