import pytest

from royal_tui.filters import FilterError, OrderFilters, parse_order_ids


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("", ()),
        ("   ", ()),
        ("12345", (12345,)),
        ("12345,12346", (12345, 12346)),
        (" 12345 , 12346, ", (12345, 12346)),
        ("12345 12346", (12345, 12346)),
        ("7,7,8", (7, 8)),
    ],
)
def test_parse_order_ids(text, ids):
    assert parse_order_ids(text) == ids


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("12a", "not an order id"),
        ("-5", "not an order id"),
        ("0", "not a valid order id"),
        ("1.5", "not an order id"),
        ("١٢", "not an order id"),  # Arabic-Indic digits are digits to Python, not to the API
        ("9" * 13, "not a valid order id"),
        (",".join(str(i) for i in range(1, 102)), "at most 100"),
    ],
)
def test_bad_order_ids_are_refused_with_a_reason(text, fragment):
    with pytest.raises(FilterError) as error:
        parse_order_ids(text)
    assert fragment in str(error.value)


def test_filters_query_and_summary():
    none = OrderFilters()
    assert not none.active and none.describe() == ""
    assert none.query() == {"status": None, "location_id": None, "note_search": None, "order_ids": None}
    some = none.with_(status="confirmed", location_id=789, location_name="Canada", note=" pool ", order_ids=(1, 2))
    assert some.active
    assert some.query() == {"status": "confirmed", "location_id": 789, "note_search": "pool", "order_ids": [1, 2]}
    assert some.describe() == "status confirmed · location Canada · note “pool” · ids 1,2"
    many = none.with_(order_ids=tuple(range(1, 8)))
    assert many.describe() == "ids 1,2,3,4 +3"
