"""What the screens look like (SVG snapshots in tests/__snapshots__/), at 80x24 and 120x36."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 36), id="120x36")]


async def _loaded(pilot) -> None:
    await settle(pilot)


def _showing(order_id: int, *, open_detail: bool = False):
    """Filter the table to one order; on a narrow terminal open its detail pane."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("i", *str(order_id), "enter")
        await settle(pilot)
        if open_detail:
            await pilot.press("enter")
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_orders_table(snap_compare, demo_app, size):
    assert snap_compare(demo_app(), terminal_size=size, run_before=_loaded)


def test_orders_table_160x48(snap_compare, demo_app):
    assert snap_compare(demo_app(), terminal_size=(160, 48), run_before=_loaded)


@pytest.mark.parametrize("size", SIZES)
def test_detail_of_an_order_with_proxies_and_answers(snap_compare, demo_app, size):
    narrow = size[0] < 110
    assert snap_compare(demo_app(), terminal_size=size, run_before=_showing(12345, open_detail=narrow))


@pytest.mark.parametrize("size", SIZES)
def test_help_screen(snap_compare, demo_app, size):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("question_mark")

    assert snap_compare(demo_app(), terminal_size=size, run_before=run_before)


def test_filters_in_use(snap_compare, demo_app):
    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.screen.query_one("#filter-status").value = "confirmed"
        await settle(pilot)
        await pilot.press("slash", *"pool", "enter")
        await settle(pilot)

    assert snap_compare(demo_app(), terminal_size=(120, 36), run_before=run_before)


def test_export_dialog_over_the_orders_screen(snap_compare, demo_app, monkeypatch):
    home = Path("/tmp/royal-tui-snap/home")
    (home / "Downloads").mkdir(parents=True, exist_ok=True)  # the default export dir
    monkeypatch.setenv("HOME", str(home))

    async def run_before(pilot) -> None:
        await _showing(12345)(pilot)
        await pilot.press("x")
        await pilot.pause()

    assert snap_compare(demo_app(), terminal_size=(120, 36), run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_extend_dialog(snap_compare, demo_app, size):
    async def run_before(pilot) -> None:
        await _showing(12345)(pilot)
        await pilot.press("e")
        await settle(pilot)

    assert snap_compare(demo_app(), terminal_size=size, run_before=run_before)


def test_extend_dialog_refusing_an_expired_order(snap_compare, demo_app):
    async def run_before(pilot) -> None:
        await _showing(12310)(pilot)
        await pilot.press("e")
        await settle(pilot)

    assert snap_compare(demo_app(), terminal_size=(120, 36), run_before=run_before)


def test_auto_extend_confirmation(snap_compare, demo_app):
    async def run_before(pilot) -> None:
        await _showing(12345)(pilot)
        await pilot.press("a")
        for _ in range(20):
            await pilot.pause()

    assert snap_compare(demo_app(), terminal_size=(120, 36), run_before=run_before)
