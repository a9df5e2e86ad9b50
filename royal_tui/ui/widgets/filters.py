"""The filter bar: status, location, note search and order ids, one compact line."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Select, Static

from royal_tui.api.models import ORDER_STATUSES, Location
from royal_tui.filters import FilterError, OrderFilters, parse_order_ids
from royal_tui.formatting import one_line
from royal_tui.ui.widgets.lazy_select import LazySelect
from royal_tui.ui.widgets.limited_input import LimitedInput


def location_options(locations: tuple[Location, ...]) -> list[tuple[Text, int]]:
    """Countries, each followed by its cities (indented), as Select options."""
    options: list[tuple[Text, int]] = []
    for country in locations:
        options.append((Text(one_line(country.name, 40)), country.id))
        for city in country.child_locations:
            options.append((Text(f"  {one_line(country.name, 20)} › {one_line(city.name, 24)}"), city.id))
    return options


class FilterBar(Vertical):
    """Edits an :class:`OrderFilters`; posts :class:`FilterBar.Changed` on every change.

    Note and id edits are posted as the user types; the screen debounces the requests.
    Bad order ids are refused inline and never reach the server.
    """

    DEFAULT_CSS = """
    FilterBar {
        height: auto;
        padding: 0 1;
        background: $surface;
    }
    FilterBar Select {
        width: 22;
        margin-right: 2;
    }
    FilterBar #filter-location {
        width: 30;
    }
    FilterBar Input {
        margin-right: 2;
    }
    FilterBar #filter-note {
        width: 1fr;
        min-width: 12;
    }
    FilterBar #filter-ids {
        width: 18;
        margin-right: 0;
    }
    FilterBar .-active {
        text-style: bold;
    }
    FilterBar Input.-invalid {
        color: $error;
    }
    FilterBar #filter-error {
        display: none;
        width: 100%;
        color: $error;
    }
    FilterBar.-has-error #filter-error {
        display: block;
    }
    FilterBar #filter-row {
        height: 1;
    }
    """

    class Changed(Message):
        """The filters changed; ``typed`` is True for keystrokes in a text field."""

        def __init__(self, filters: OrderFilters, typed: bool) -> None:
            super().__init__()
            self.filters = filters
            self.typed = typed

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.filters = OrderFilters()
        self._locations: dict[int, str] = {}
        self._refusal = False  # the error shown is a refused paste, cleared by the next edit

    def compose(self) -> ComposeResult:
        with Horizontal(id="filter-row"):
            # Built the first time they open: most sessions never filter by status or location.
            yield LazySelect(
                [(Text(status), status) for status in ORDER_STATUSES],
                prompt="any status",
                id="filter-status",
                compact=True,
            )
            yield LazySelect([], prompt="any location", id="filter-location", compact=True)
            yield LimitedInput(placeholder="/ search notes", id="filter-note", compact=True, max_length=200, what="the note search")
            yield LimitedInput(placeholder="ids: 12345,12346", id="filter-ids", compact=True, max_length=2000, what="the order ids")
        yield Static("", id="filter-error", markup=False)

    def set_locations(self, locations: tuple[Location, ...]) -> None:
        """Offer the product's locations; a location filter of another product is dropped."""
        options = location_options(locations)
        self._locations = {value: label.plain.strip() for label, value in options}
        select = self.query_one("#filter-location", Select)
        with self.prevent(Select.Changed):
            select.set_options(options)
            select.clear()
        self.filters = self.filters.with_(location_id=None, location_name="")
        self._mark_active()

    def clear_filters(self) -> None:
        with self.prevent(Select.Changed, Input.Changed):
            self.query_one("#filter-status", Select).clear()
            self.query_one("#filter-location", Select).clear()
            self.query_one("#filter-note", Input).value = ""
            self.query_one("#filter-ids", Input).value = ""
        self._show_error(None)
        self.filters = OrderFilters()
        self._mark_active()

    # ----------------------------------------------------------------- events
    @on(Select.Changed, "#filter-status")
    def _status(self, event: Select.Changed) -> None:
        event.stop()
        status = None if event.value is Select.NULL else str(event.value)
        self._update(self.filters.with_(status=status), typed=False)

    @on(Select.Changed, "#filter-location")
    def _location(self, event: Select.Changed) -> None:
        event.stop()
        if event.value is Select.NULL:
            self._update(self.filters.with_(location_id=None, location_name=""), typed=False)
        else:
            location_id = int(event.value)  # type: ignore[arg-type]
            name = self._locations.get(location_id, str(location_id))
            self._update(self.filters.with_(location_id=location_id, location_name=name), typed=False)

    @on(LimitedInput.Refused)
    def _refused(self, event: LimitedInput.Refused) -> None:
        event.stop()
        self._refusal = True
        self._show_error(event.message)

    @on(Input.Changed, "#filter-note")
    def _note(self, event: Input.Changed) -> None:
        event.stop()
        if self._refusal:
            self._show_error(None)
        self._update(self.filters.with_(note=event.value), typed=True)

    @on(Input.Changed, "#filter-ids")
    def _ids(self, event: Input.Changed) -> None:
        event.stop()
        try:
            ids = parse_order_ids(event.value)
        except FilterError as error:
            event.input.add_class("-invalid")
            self._show_error(f"Order ids: {error}")
            return
        event.input.remove_class("-invalid")
        self._show_error(None)
        self._update(self.filters.with_(order_ids=ids), typed=True)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter in a text field hands the keyboard back to the table."""
        event.stop()
        self.post_message(self.Done())

    class Done(Message):
        """The user pressed enter in a filter field."""

    # ---------------------------------------------------------------- helpers
    @property
    def error(self) -> str:
        return str(self.query_one("#filter-error", Static).content) if self.has_class("-has-error") else ""

    def _show_error(self, message: str | None) -> None:
        if message is None:
            self._refusal = False
        self.query_one("#filter-error", Static).update(message or "")
        self.set_class(message is not None, "-has-error")

    def _update(self, filters: OrderFilters, *, typed: bool) -> None:
        if filters == self.filters:
            return
        self.filters = filters
        self._mark_active()
        self.post_message(self.Changed(filters, typed))

    def _mark_active(self) -> None:
        f = self.filters
        self.query_one("#filter-status").set_class(bool(f.status), "-active")
        self.query_one("#filter-location").set_class(f.location_id is not None, "-active")
        self.query_one("#filter-note").set_class(bool(f.note.strip()), "-active")
        self.query_one("#filter-ids").set_class(bool(f.order_ids), "-active")
