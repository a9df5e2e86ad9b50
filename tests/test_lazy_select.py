"""LazySelect: a real Select, built the first time it opens (issue #8, startup)."""

from __future__ import annotations

import pytest
import textual
from rich.text import Text
from textual.app import App
from textual.containers import Horizontal
from textual.widgets import Select
from textual.widgets._select import SelectCurrent, SelectOverlay

from royal_tui.ui.widgets.lazy_select import ClosedSelect, LazySelect

pytestmark = pytest.mark.anyio

OPTIONS = [(Text(name), name) for name in ("confirmed", "unpaid", "expired")]


def test_the_textual_internals_relied_on_are_there():
    assert textual.__version__ == "8.2.8"  # pinned: re-check the overrides when this changes
    for name in ("_setup_options_renderables", "_watch_value", "_watch_prompt", "_watch_expanded",
                 "action_show_overlay", "_init_selected_option"):
        assert callable(getattr(Select, name))
    assert issubclass(ClosedSelect, SelectCurrent) and callable(SelectCurrent.update)


class Pair(App[None]):
    """Textual's Select and a LazySelect, side by side, as the filter bar uses them."""

    CSS = "Select { width: 24; }"

    def __init__(self, value=Select.NULL) -> None:
        super().__init__()
        self.value = value
        self.changes: list = []

    def compose(self):
        with Horizontal():
            yield Select(OPTIONS, prompt="any status", id="plain", compact=True, value=self.value)
            yield LazySelect(OPTIONS, prompt="any status", id="lazy", compact=True, value=self.value)

    def on_select_changed(self, event: Select.Changed) -> None:
        self.changes.append((event.select.id, event.value))


def halves(app: App) -> tuple[list, list]:
    """The first line's cells under each Select: (text, style) per cell, a blank by its
    background only (a space's foreground colour cannot be seen)."""
    strip = app.screen._compositor.render_strips()[0]
    cells = [
        (char, str(segment.style.bgcolor) if char == " " else str(segment.style))
        for segment in strip for char in segment.text
    ]
    return cells[:24], cells[24:48]


@pytest.mark.parametrize("value", [Select.NULL, "unpaid"])
async def test_closed_it_looks_like_textuals_select(value):
    app = Pair(value)
    async with app.run_test(size=(60, 8)) as pilot:
        app.query_one("#plain").focus()
        await pilot.pause()
        plain_focused, lazy_blurred = halves(app)
        app.query_one("#lazy").focus()
        await pilot.pause()
        plain_blurred, lazy_focused = halves(app)
        assert lazy_focused == plain_focused and lazy_blurred == plain_blurred
        assert plain_focused != plain_blurred  # the focus tint is compared too
        shown = "".join(char for char, _ in lazy_blurred)
        assert ("any status" if value is Select.NULL else value) in shown and shown.rstrip().endswith("▼")
        assert not app.query_one("#lazy").query(SelectOverlay)  # nothing built yet


@pytest.mark.parametrize("keys", [["enter"], ["space"], ["down"], ["up"]])
async def test_it_opens_and_chooses_as_textuals_select_does(keys):
    app = Pair()
    async with app.run_test(size=(60, 12)) as pilot:
        for which in ("plain", "lazy"):
            select = app.query_one(f"#{which}", Select)
            select.focus()
            await pilot.press(*keys)
            await pilot.pause()
            assert select.expanded and select.query_one(SelectOverlay).display
            await pilot.press("down", "down", "enter")
            await pilot.pause()
        plain, lazy = app.query_one("#plain", Select), app.query_one("#lazy", LazySelect)
        assert lazy.value == plain.value != Select.NULL
        assert app.changes == [("plain", plain.value), ("lazy", plain.value)]  # building posted nothing
        await pilot.pause()
        assert str(plain.value) in "".join(c for c, _ in halves(app)[1])


async def test_a_click_opens_it():
    app = Pair()
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.click("#lazy")
        await pilot.pause()
        assert app.query_one("#lazy", LazySelect).expanded


async def test_value_options_and_clear_work_before_it_is_built():
    app = Pair()
    async with app.run_test(size=(60, 12)) as pilot:
        lazy = app.query_one("#lazy", LazySelect)
        lazy.value = "expired"
        await pilot.pause()
        assert app.changes == [("lazy", "expired")]
        assert "expired" in "".join(c for c, _ in halves(app)[1])
        lazy.set_options([(Text("Canada"), 1), (Text("Japan"), 2)])
        await pilot.pause()
        assert lazy.value is Select.NULL and "any status" in "".join(c for c, _ in halves(app)[1])
        lazy.value = 2
        lazy.clear()
        await pilot.pause()
        assert lazy.is_blank()
        with pytest.raises(Exception):
            lazy.value = "nope"  # the same validation as Select
        lazy.focus()
        await pilot.press("enter")
        await pilot.pause()
        options = lazy.query_one(SelectOverlay)
        assert [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)][1:] == ["Canada", "Japan"]


async def test_the_orders_screen_starts_without_building_them(demo_app):
    from helpers import settle

    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one("#filters")
        assert len(bar.query(LazySelect)) == 2 and not bar.query(SelectOverlay)
        await pilot.press("l")  # focus the location filter, then open it
        await pilot.press("enter")
        await settle(pilot)
        assert len(bar.query(SelectOverlay)) == 1
