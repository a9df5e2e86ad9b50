"""A new page of orders in one layout and one paint (issue #8, page change).

Nothing here measures time: the tests count layouts, paints and detail updates, and check
that what is painted is what Textual's own layout would have painted.
"""

from __future__ import annotations

import pytest
import textual
from conftest import FROZEN_NOW
from helpers import screen_text, settle
from textual.app import App
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable
from textual.coordinate import Coordinate
from textual.widgets.data_table import ColumnKey, DuplicateKey

from royal_tui.ui.screens.orders import OrdersScreen
from royal_tui.ui.widgets.order_detail import OrderDetail
from royal_tui.ui.widgets.orders_table import OrdersTable, order_cells
from royal_tui.ui.widgets.proxy_list import ProxyTable

pytestmark = pytest.mark.anyio


def test_the_textual_internals_relied_on_are_there():
    """OrdersScreen settles Textual's layout and the tables render rows with private API."""
    assert textual.__version__ == "8.2.8"  # pinned: re-check the overrides when this changes
    for name in ("_refresh_layout", "_compositor_refresh", "_on_timer_update", "_on_screen_resume"):
        assert callable(getattr(Screen, name))
    assert callable(Widget._get_virtual_dom) and callable(Widget._clear_arrangement_cache)
    assert callable(Widget._scroll_update) and callable(Widget._refresh_scrollbars)  # SteadyScrollbars
    widget = Widget()
    for name in ("_layout_required", "_repaint_required", "_layout_updates", "_arrangement_cache", "_is_mounted"):
        assert hasattr(widget, name)
    screen = Screen()
    assert isinstance(screen._layout_widgets, dict) and hasattr(screen, "_dirty_widgets")
    for name in ("_render_line_in_row", "_get_row_style", "_render_cell", "_highlight_cursor",
                 "_get_styles_to_render_cell", "_update_dimensions"):
        assert callable(getattr(DataTable, name))


class Counts:
    def __init__(self, monkeypatch, native: bool = False) -> None:
        self.layouts = self.passes = self.paints = 0
        base = Screen._refresh_layout
        display = App._display
        counts = self

        def passes(screen, *args, **kwargs):
            counts.passes += 1
            return base(screen, *args, **kwargs)

        def painted(app, *args, **kwargs):
            counts.paints += 1
            return display(app, *args, **kwargs)

        monkeypatch.setattr(Screen, "_refresh_layout", passes)
        monkeypatch.setattr(App, "_display", painted)
        if native:  # Textual's own: every follow-up layout on a later tick
            monkeypatch.setattr(OrdersScreen, "_refresh_layout", passes)
            monkeypatch.setattr(OrdersScreen, "_compositor_refresh", Screen._compositor_refresh)
        else:
            ours = OrdersScreen._refresh_layout

            def outer(screen, *args, **kwargs):
                if not screen._settling:
                    counts.layouts += 1
                return ours(screen, *args, **kwargs)

            monkeypatch.setattr(OrdersScreen, "_refresh_layout", outer)

    def reset(self) -> None:
        self.layouts = self.passes = self.paints = 0


async def page_through(app, pilot, counts: Counts, pages: int) -> list[tuple]:
    """Press ] ``pages`` times; per page: (layouts, passes, paints, scrollbar flipped, screen)."""
    detail = app.screen.query_one(OrderDetail)
    seen = []
    for _ in range(pages):
        counts.reset()
        before = detail.show_vertical_scrollbar
        await pilot.press("right_square_bracket")
        await settle(pilot)
        seen.append((counts.layouts, counts.passes, counts.paints,
                     before != detail.show_vertical_scrollbar, screen_text(app)))
    return seen


async def test_a_new_page_is_laid_out_once_and_painted_once(demo_app, demo_transport, monkeypatch):
    monkeypatch.setattr(OrdersScreen, "LOADING_DELAY_S", 60.0)  # no loading indicator in between
    counts = Counts(monkeypatch)
    app = demo_app(transport=demo_transport, page_size=10)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        seen = await page_through(app, pilot, counts, 3)
    assert any(flipped for *_, flipped, _text in seen)  # the detail pane's scrollbar came or went
    for layouts, passes, paints, _flipped, _text in seen:
        # One layout (its follow-ups served within it), painted once.
        assert (layouts, paints) == (1, 1), [s[:4] for s in seen]
        assert passes <= 1 + OrdersScreen.SETTLE_PASSES


async def test_the_settled_screen_is_textuals_own(demo_app, demo_transport, monkeypatch):
    """Page by page, the same screen as Textual's layout with its follow-up ticks, in fewer paints."""
    monkeypatch.setattr(OrdersScreen, "LOADING_DELAY_S", 60.0)
    results = {}
    for native in (True, False):
        with monkeypatch.context() as patch:
            counts = Counts(patch, native=native)
            app = demo_app(transport=None, page_size=10)
            async with app.run_test(size=(120, 36)) as pilot:
                await settle(pilot)
                results[native] = await page_through(app, pilot, counts, 3)
    theirs, ours = results[True], results[False]
    assert [text for *_, text in ours] == [text for *_, text in theirs]
    assert sum(paints for _l, _p, paints, *_ in ours) < sum(paints for _l, _p, paints, *_ in theirs)


async def test_the_painted_layout_needs_no_other_pass(demo_app, monkeypatch):
    """After a new page, Textual's layout run again moves, shows or hides nothing."""
    monkeypatch.setattr(OrdersScreen, "LOADING_DELAY_S", 60.0)
    app = demo_app(page_size=10)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        for _ in range(3):
            await pilot.press("right_square_bracket")
            await settle(pilot)
            hidden, shown, resized = screen._compositor.reflow(screen, screen.size)
            assert not hidden and not shown and not resized


async def test_a_new_page_updates_the_detail_pane_once(demo_app, monkeypatch):
    monkeypatch.setattr(OrdersScreen, "LOADING_DELAY_S", 60.0)
    shown = []
    original = OrderDetail.show

    def counting(self, order, now):
        shown.append(order.id if order else None)
        return original(self, order, now)

    monkeypatch.setattr(OrderDetail, "show", counting)
    app = demo_app(page_size=10)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(OrdersTable)
        shown.clear()
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert shown == [table.highlighted_order.id]  # not again when RowHighlighted arrives
        await pilot.press("down")  # a cursor move still shows the next order
        await settle(pilot)
        assert shown[-1] == table.highlighted_order.id and len(shown) == 2
        assert app.screen.query_one(OrderDetail).order is table.highlighted_order


async def test_the_orders_table_fills_like_add_row(demo_app):
    """Rows added in one step: the same rows, keys, cursor and highlight as ``add_row``."""

    highlighted = []

    class Tables(App[None]):
        def compose(self):
            yield OrdersTable(id="orders")
            yield DataTable(id="reference", cursor_type="row", zebra_stripes=True)

        def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
            highlighted.append(event.data_table.id)

    orders = (await demo_app().client.orders(123, page=1, per_page=20)).orders
    app = Tables()
    async with app.run_test(size=(160, 40)) as pilot:
        table = app.query_one(OrdersTable)
        reference = app.query_one("#reference", DataTable)
        await pilot.pause()
        highlighted.clear()
        table.show_orders(orders, FROZEN_NOW)
        fit = table._fit
        for key, label in fit.columns:
            reference.add_column(label, key=key, width=table.columns[ColumnKey(key)].width)
        for order in orders:
            reference.add_row(*order_cells(order, FROZEN_NOW, fit), key=str(order.id))
        await pilot.pause()
        assert list(table.rows) == list(reference.rows)
        assert table.rows == reference.rows
        assert {k: list(map(str, v.values())) for k, v in table._data.items()} == {
            k: list(map(str, v.values())) for k, v in reference._data.items()
        }
        assert [table._row_locations.get(k) for k in table.rows] == list(range(len(orders)))
        assert table.cursor_coordinate == reference.cursor_coordinate
        assert table.virtual_size == reference.virtual_size
        assert highlighted.count("orders") == highlighted.count("reference") == 1
        assert table.highlighted_order == orders[0]
        # A second page replaces the rows (keys reused across pages are fine), cursor kept on select.
        table.show_orders(orders[::-1], FROZEN_NOW, select=orders[3].id)
        await pilot.pause()
        assert table.highlighted_order == orders[3] and table.row_count == len(orders)
        with pytest.raises(DuplicateKey):
            table.show_orders([orders[0], orders[0]], FROZEN_NOW)


async def test_rows_render_as_datatable_renders_them(demo_app):
    """Each visible row, in cursor, hover and zebra states, inside and outside a render pass.

    Both assemble the row from the same ``_render_cell`` (checked against DataTable's own in
    the next test and in test_rendering_economy): this checks the row around the cells.
    """
    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(OrdersTable)
        order = await app.client.order(12345)
        proxies = app.screen.query_one(ProxyTable)
        proxies.show_proxies(order.proxies)
        table.show_orders(list(table.orders.values()), FROZEN_NOW)
        await pilot.pause()

        def segments(pair):
            fixed, scrollable = pair
            return [[(s.text, s.style, s.style.meta if s.style else None) for s in line]
                    for line in (*fixed, *scrollable)]

        for widget in (table, proxies):
            base = widget.rich_style
            keys = [widget._header_row_key, *list(widget.rows)[:12]]
            for memo in (None, {}):
                for key in keys:
                    row = widget._row_locations.get(key) if key in widget._row_locations else -1
                    states = ((0, 0), (-1, -1)), ((row, 0), (-1, -1)), ((-1, -1), (row, 1))
                    for cursor, hover in (tuple(map(lambda c: Coordinate(*c), state)) for state in states):
                        widget._render_memo = memo
                        ours = widget._render_line_in_row(key, 0, base, cursor, hover)
                        widget._render_memo = None
                        widget._row_render_cache.clear()
                        widget._cell_render_cache.clear()
                        theirs = DataTable._render_line_in_row(widget, key, 0, base, cursor, hover)
                        widget._row_render_cache.clear()
                        widget._cell_render_cache.clear()
                        assert segments(ours) == segments(theirs), (type(widget).__name__, key, cursor, hover)


async def test_cells_filled_into_a_shared_shape_equal_datatables_own(demo_app):
    """Unique texts (ids, dates, notes) fill a shape rendered once; hostile text is rendered whole."""
    from dataclasses import replace

    notes = ["x marks the spot", "xxxx", "café au lait", "  padded  ", "tab\there", "日本語のメモ",
             "a" * 200, "ends with space ", "", "plain note", "[bold]not markup[/]", "x"]
    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(OrdersTable)
        orders = list(table.orders.values())
        odd = [replace(order, note=note, location=note or order.location)
               for order, note in zip(orders, notes)]
        table.show_orders(odd, FROZEN_NOW)
        await pilot.pause()
        row_style = {row: table._get_row_style(row, table.rich_style) for row in range(table.row_count)}
        for pass_ in range(2):  # the first pass renders shapes, the second fills cached ones
            for row in range(table.row_count):
                for column, col in enumerate(table.ordered_columns):
                    width = col.get_render_width(table)
                    for cursor, hover in ((False, False), (True, False), (False, True)):
                        ours = table._render_cell(row, column, row_style[row], width, cursor, hover)
                        table._cell_render_cache.clear()
                        theirs = DataTable._render_cell(table, row, column, row_style[row], width, cursor, hover)
                        table._cell_render_cache.clear()
                        assert [[(s.text, s.style, s.style.meta) for s in line] for line in ours] == [
                            [(s.text, s.style, s.style.meta) for s in line] for line in theirs
                        ], (pass_, row, column, cursor, hover)
