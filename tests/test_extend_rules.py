from datetime import datetime, timezone
from decimal import Decimal

import pytest

from royal_tui.api.models import Location, Order, Plan, Product
from royal_tui.extend import current_plan, location_id_of, new_expiry, plan_days, product_of, why_not_extendable

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=timezone.utc)


def order(status="confirmed", expire="2026-12-13 15:00:00", location="United States, New York", plan="30 Days"):
    return Order.from_json({
        "id": 7, "note": None, "product_name": "Static Residential", "plan_name": plan,
        "expire_date": expire, "status": status, "location": location, "quantity": 5,
        "questions_answers": [], "proxy_data": {"ports": {}, "proxies": []},
        "auto_extend_settings": None, "extended_history": [],
    })


PRODUCT = Product(
    123, "Static Residential",
    (Plan(456, "30 Days", Decimal(3), 1, 1000), Plan(678, "60 Days", Decimal(6), 1, 1000)),
    (Location(456, "United States", False, None, (Location(4561, "New York", False, 3, ()),)),
     Location(789, "Canada", False, 240, ())),
    (), (),
)


@pytest.mark.parametrize(
    ("status", "fragment"),
    [("confirmed", None), ("in-progress", None), ("expired", "expired on 2026-12-13"),
     ("refunded", "refunded"), ("unpaid", "unpaid"), ("weird", "“weird”")],
)
def test_why_not_extendable(status, fragment):
    reason = why_not_extendable(order(status))
    assert (reason is None) if fragment is None else (fragment in reason)


@pytest.mark.parametrize(("name", "days"), [("30 Days", 30), ("1 Week", 7), ("3 months", 90), ("Monthly", None)])
def test_plan_days(name, days):
    assert plan_days(Plan(1, name, Decimal(1), 1, 1)) == days


def test_new_expiry_counts_from_the_later_of_now_and_the_current_expiry():
    sixty = PRODUCT.plans[1]
    assert new_expiry(order(), sixty, NOW) == datetime(2027, 2, 11, 15, 0, tzinfo=timezone.utc)
    lapsed = order(expire="2026-11-01 00:00:00")
    assert new_expiry(lapsed, sixty, NOW) == datetime(2027, 2, 1, 12, 0, tzinfo=timezone.utc)
    assert new_expiry(order(), Plan(9, "Monthly", Decimal(1), 1, 1), NOW) is None


def test_catalog_lookups():
    assert product_of(order(), (PRODUCT,)) is PRODUCT
    assert current_plan(order(plan="60 Days"), PRODUCT).id == 678
    assert location_id_of(order(), PRODUCT) == 4561
    assert location_id_of(order(location="Canada"), PRODUCT) == 789
    assert location_id_of(order(location="Atlantis"), PRODUCT) is None
