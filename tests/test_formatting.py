from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from royal_tui.formatting import expires_soon, money, one_line, page_summary, relative, utc_date

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (Decimal("884.05"), "$884.05"),
        (Decimal("30"), "$30.00"),
        (Decimal("1234567.891"), "$1,234,567.89"),
        (Decimal("0.005"), "$0.01"),
        (Decimal("-5"), "-$5.00"),
        (12, "$12.00"),
        (None, "—"),
    ],
)
def test_money(amount, text):
    assert money(amount) == text


def test_utc_date_treats_naive_as_utc():
    assert utc_date(datetime(2024, 4, 20, 10, 25, 12)) == "2024-04-20 10:25 UTC"
    assert utc_date(None) == "—"
    plus_two = timezone(timedelta(hours=2))
    assert utc_date(datetime(2024, 4, 20, 12, 25, tzinfo=plus_two)) == "2024-04-20 10:25 UTC"


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(days=3, hours=2), "in 3d"),
        (timedelta(hours=5, minutes=3), "in 5h"),
        (timedelta(minutes=7), "in 7m"),
        (timedelta(seconds=20), "now"),
        (-timedelta(days=2, hours=1), "2d ago"),
        (-timedelta(days=800), "2y ago"),
    ],
)
def test_relative(delta, text):
    assert relative(NOW + delta, NOW) == text


def test_relative_none():
    assert relative(None, NOW) == ""


def test_expires_soon_window():
    assert expires_soon(NOW + timedelta(days=2, hours=23), NOW)
    assert not expires_soon(NOW + timedelta(days=3, hours=1), NOW)
    assert not expires_soon(NOW - timedelta(minutes=1), NOW)
    assert not expires_soon(None, NOW)


def test_page_summary():
    assert page_summary(2, 4, 61) == "page 2 of 4 · 61 orders"
    assert page_summary(1, 0, 0) == "page 1 of 1 · 0 orders"
    assert page_summary(1, 1, 1) == "page 1 of 1 · 1 order"


def test_one_line_neutralises_control_characters():
    assert one_line("a\nb\tc\x1b[31mred") == "a b c [31mred"
    assert one_line(None) == ""
    assert one_line("x" * 100, 10) == "x" * 9 + "…"
