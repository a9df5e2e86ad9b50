from decimal import Decimal

import pytest

from royal_tui.api.models import Location, Plan
from royal_tui.purchase import buyable, coupon_problem, quantity_problem, step_of_field, stock_label

PLAN = Plan(id=901, name="30 Days", price=Decimal("1.40"), min_quantity=5, max_quantity=2000)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("10", None),
        ("5", None),
        ("2000", None),
        (" 12 ", None),
        ("", "Enter how many"),
        ("   ", "Enter how many"),
        ("4", "starts at 5"),
        ("2001", "at most 2,000"),
        ("0", "at least 1"),
        ("-3", "whole number"),
        ("1.5", "whole number"),
        ("ten", "whole number"),
        ("１０", "whole number"),  # full-width digits
        ("9" * 10_000, "at most 2,000"),
        ("0" * 20 + "12", None),
    ],
)
def test_quantity_problem(text, problem):
    found = quantity_problem(text, PLAN)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


def test_coupon_problem():
    assert coupon_problem("") is None
    assert coupon_problem("DISCOUNT2024") is None
    assert "spaces" in coupon_problem("A B")
    assert "64" in coupon_problem("X" * 65)


@pytest.mark.parametrize(
    ("field", "step"),
    [
        ("product_plan_id", "options"),
        ("product_location_id", "options"),
        ("quantity", "details"),
        ("coupon_code", "details"),
        ("product_question_answers.21", "details"),
        ("balance", "review"),
        ("card_id", "review"),
        ("something_new", "details"),
    ],
)
def test_step_of_field(field, step):
    assert step_of_field(field) == step


def test_locations():
    city = Location(1, "New York", False, 12, ())
    country = Location(2, "United States", False, None, (city,))
    gone = Location(3, "Germany", True, 0, ())
    unknown = Location(4, "Netherlands", False, None, ())
    assert buyable(city) and not buyable(country) and not buyable(gone) and buyable(unknown)
    assert stock_label(city) == "12 available"
    assert stock_label(country) == "choose a city"
    assert stock_label(gone) == "out of stock"
    assert stock_label(unknown) == "stock unknown"
