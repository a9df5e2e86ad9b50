"""What each step of the purchase wizard looks like, with a live quote (120x36; review at 80x24)."""

from __future__ import annotations

import pytest
from helpers import open_wizard, settle, type_into

from royal_tui.ui.screens.purchase import PurchaseScreen


@pytest.fixture(autouse=True)
def no_debounce(monkeypatch):
    monkeypatch.setattr(PurchaseScreen, "QUOTE_DEBOUNCE_S", 0.0)


async def product_step(pilot) -> None:
    await settle(pilot)
    await pilot.press("n")
    await settle(pilot)


async def options_step(pilot) -> None:
    await open_wizard(pilot, location=None)
    await pilot.press("down")  # highlight a country in the locations list
    await pilot.pause()


async def details_step(pilot) -> None:
    await open_wizard(pilot, product=124, plan=901, location=2011)
    await type_into(pilot, "#quantity", "60")
    await type_into(pilot, "#coupon", "WELCOME5")


async def review_step(pilot) -> None:
    await open_wizard(pilot)
    await type_into(pilot, "#quantity", "120")
    await type_into(pilot, "#coupon", "DISCOUNT2024")
    await pilot.press("ctrl+s")
    await settle(pilot)


async def insufficient_step(pilot) -> None:
    await open_wizard(pilot)
    await type_into(pilot, "#quantity", "1000")
    await pilot.press("ctrl+s")
    await settle(pilot)


@pytest.mark.parametrize(
    "run_before",
    [product_step, options_step, details_step, review_step, insufficient_step],
    ids=["product", "plan-and-location", "details", "review", "insufficient-balance"],
)
def test_wizard_step_120x36(snap_compare, demo_app, run_before):
    assert snap_compare(demo_app(), terminal_size=(120, 36), run_before=run_before)


def test_wizard_review_80x24(snap_compare, demo_app):
    assert snap_compare(demo_app(), terminal_size=(80, 24), run_before=review_step)
