"""The order detail pane: contents, literal API text, password masking, big orders, snapshots."""

from __future__ import annotations

import html
import io
import re
from dataclasses import replace
from datetime import datetime, timezone
from decimal import Decimal

import pytest
from conftest import FROZEN_NOW
from rich.console import Console
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Static

from royal_tui.api.models import AutoExtendSettings, Extension, Order, QuestionAnswer
from royal_tui.sandbox.app import handle
from royal_tui.sandbox.options import SandboxOptions
from royal_tui.sandbox.state import SandboxState
from royal_tui.ui.widgets.order_detail import (
    MASK,
    PROVISIONING_MESSAGE,
    OrderDetail,
    auto_extend_text,
    extension_line,
)
from royal_tui.ui.widgets.text_block import TextBlock

SIZE = (60, 40)
#: Width of one terminal cell in Textual's SVG screenshots.
CELL_WIDTH = 12.2


@pytest.fixture(scope="module")
def sandbox() -> SandboxState:
    return SandboxState(SandboxOptions(clock=lambda: FROZEN_NOW))


@pytest.fixture
def order(sandbox):
    def get(order_id: int) -> Order:
        response = handle(sandbox, "GET", f"/v1/reseller/orders/{order_id}", headers={"X-Access-Token": "t"})
        assert response.status == 200
        return Order.from_json(response.json())

    return get


def order_from(base: Order, **changes) -> Order:
    """A copy of a real order with some fields replaced (for hostile strings)."""
    return replace(base, **changes)


class DetailApp(App[None]):
    """Just the pane, showing ``order`` from the start."""

    def __init__(self, order: Order | None = None, now: datetime = FROZEN_NOW) -> None:
        super().__init__()
        self.animation_level = "none"
        self._initial = order
        self._now = now

    def compose(self) -> ComposeResult:
        yield OrderDetail(id="detail")

    def on_mount(self) -> None:
        self.query_one(OrderDetail).show(self._initial, self._now)


def screen_text(app: App) -> str:
    """What the terminal shows, as plain text lines (rebuilt from the SVG screenshot)."""
    svg = app.export_screenshot()
    rows: dict[int, dict[int, str]] = {}
    pattern = r'<text[^>]*\bx="([\d.]+)"[^>]*clip-path="url\(#[\w-]*-line-(\d+)\)"[^>]*>([^<]*)</text>'
    for x, line, content in re.findall(pattern, svg):
        rows.setdefault(int(line), {})[round(float(x) / CELL_WIDTH)] = html.unescape(content)
    lines = []
    for number in range(max(rows, default=-1) + 1):
        text = ""
        for column, part in sorted(rows.get(number, {}).items()):
            text = text.ljust(column) + part
        lines.append(text.replace("\xa0", " ").rstrip())
    return "\n".join(lines)


def widget_text(detail: OrderDetail) -> str:
    """Every Static's content and every proxies-table cell, rendered to plain text."""
    console = Console(width=200, record=True, color_system=None, file=io.StringIO())
    for static in detail.query(Static):
        content = static.content
        if isinstance(content, TextBlock):  # the head and tail sections: their lines, unwrapped
            content = "\n".join(line.plain for line in content.lines(200))
        console.print(content, markup=False, highlight=False)
    table = detail.query_one("#proxies", DataTable)
    for row_key in table.rows:
        console.print(" ".join(str(cell) for cell in table.get_row(row_key)))
    return console.export_text()


def flat(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------- contents
@pytest.mark.anyio
async def test_order_12345_shows_every_section(order):
    o = order(12345)
    app = DetailApp(o)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        detail = app.query_one(OrderDetail)
        assert detail.order is o
        text = screen_text(app)
        assert "#12345 · Static Residential  confirmed" in text
        assert "30 Days" in text and "Canada" in text and "Main scraping pool" in text
        expiry = "2026-12-13 15:00 UTC · in 10d"
        assert expiry in text
        assert f"http|https {o.ports.http} · socks5 {o.ports.socks5}" in text
        assert "5 proxies" in text
        assert detail.proxy_table_row_count == 5
        assert o.proxies[0].ip in text and o.proxies[0].username in text
        assert "Extra requirements (if you have any):" in text
        assert "I need 128.158.97" in text
        assert "Auto-extend  off" in text
        entry = o.extended_history[0]
        assert entry.extended_at is not None
        history = (
            f"{entry.extended_at:%Y-%m-%d %H:%M} UTC · 30 Days · $15.00 · 2026-11-13 → 2026-12-13"
        )
        assert history in flat(widget_text(detail))


@pytest.mark.anyio
async def test_soon_expiring_order_says_so(order):
    app = DetailApp(order(12340))  # expires in 5 h
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "in 5h · expires soon" in screen_text(app)


@pytest.mark.anyio
async def test_auto_extend_by_balance_and_by_card(order):
    app = DetailApp(order(12346))
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.pause()
        detail = app.query_one(OrderDetail)
        assert "Auto-extend  on · plan id 901 · pays from balance" in screen_text(app)
        detail.show(order(12341), FROZEN_NOW)
        await pilot.pause()
        assert "on · plan id 902 · card #501" in screen_text(app)


@pytest.mark.anyio
async def test_ipv6_addresses_are_shown_as_is(order):
    o = order(12347)
    app = DetailApp(o)
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert ":" in o.proxies[0].ip
        for proxy in o.proxies:
            assert proxy.ip in text
        assert "8 proxies" in text


@pytest.mark.anyio
async def test_note_markup_is_shown_literally(order):
    app = DetailApp(order(12348))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "[bold]VIP[/bold] client — handle with care" in screen_text(app)


@pytest.mark.anyio
async def test_control_characters_are_neutralised(order):
    base = order(12345)
    hostile = order_from(
        base,
        note="\x1b[31mred\x1b[0m [i]note[/i]\r\nsecond",
        questions_answers=(
            QuestionAnswer(question="Q\x1b]52;c;AAAA\x07?", answer="line 1\nline 2\x1b[2J"),
        ),
    )
    app = DetailApp(hostile)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        detail = app.query_one(OrderDetail)
        text = widget_text(detail)
        assert "\x1b" not in text and "\x07" not in text and "\r" not in text
        assert "[31mred [0m [i]note[/i] second" in text
        assert "line 1\n" in text and "line 2 [2J" in text


@pytest.mark.anyio
async def test_in_progress_order_shows_provisioning(order):
    app = DetailApp(order(12359))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        detail = app.query_one(OrderDetail)
        assert PROVISIONING_MESSAGE in screen_text(app)
        assert not detail.query_one("#proxies", DataTable).display
        assert detail.proxy_table_row_count == 0


@pytest.mark.anyio
async def test_expired_order_without_proxies(order):
    app = DetailApp(order(12310))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "No proxies (order is expired)" in screen_text(app)


@pytest.mark.anyio
async def test_none_shows_the_empty_state(order):
    app = DetailApp(None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        detail = app.query_one(OrderDetail)
        assert detail.order is None
        assert "Select an order" in screen_text(app)
        detail.show(order(12345), FROZEN_NOW)
        await pilot.pause()
        assert "Select an order" not in screen_text(app)
        detail.show(None, FROZEN_NOW)
        await pilot.pause()
        text = screen_text(app)
        assert "Select an order" in text and "#12345" not in text


@pytest.mark.anyio
async def test_show_before_mount_is_applied_on_mount(order):
    class Early(App[None]):
        def compose(self) -> ComposeResult:
            detail = OrderDetail(id="detail")
            detail.show(order(12345), FROZEN_NOW)
            yield detail

    app = Early()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "#12345" in screen_text(app)
        assert app.query_one(OrderDetail).proxy_table_row_count == 5


def test_extension_line_skips_missing_values():
    when = datetime(2026, 11, 13, 9, 0, tzinfo=timezone.utc)
    after = datetime(2026, 12, 13, 9, 0, tzinfo=timezone.utc)
    full = Extension("30 Days", when, when, after, Decimal("15"))
    assert extension_line(full).plain == "2026-11-13 09:00 UTC · 30 Days · $15.00 · 2026-11-13 → 2026-12-13"
    assert extension_line(Extension(None, None, None, after, None)).plain == "→ 2026-12-13"
    assert extension_line(Extension("[b]x[/b]\x1b", None, None, None, None)).plain == "[b]x[/b]"
    assert extension_line(Extension(None, None, None, None, None)).plain == "—"


def test_auto_extend_text():
    assert auto_extend_text(order_stub(None)).plain == "off"
    assert auto_extend_text(order_stub(AutoExtendSettings(1, False, 456, "balance", None))).plain == "off"
    on_balance = AutoExtendSettings(1, True, 456, "balance", None)
    assert auto_extend_text(order_stub(on_balance)).plain == "on · plan id 456 · pays from balance"
    on_card = AutoExtendSettings(1, True, 456, "card", 501)
    assert auto_extend_text(order_stub(on_card)).plain == "on · plan id 456 · card #501"
    assert auto_extend_text(order_stub(AutoExtendSettings(1, True, None, "card", None))).plain == "on · pays by card"


def order_stub(settings: AutoExtendSettings | None) -> Order:
    """A minimal order with the given auto-extend settings."""
    return replace(Order.from_json({"id": 1, "status": "confirmed", "quantity": 1}), auto_extend_settings=settings)


# --------------------------------------------------------------------- masking
@pytest.mark.anyio
async def test_passwords_are_masked_until_revealed(order):
    o = order(12345)
    password = o.proxies[0].password
    assert password and all(p.password == password for p in o.proxies)
    app = DetailApp(o)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        detail = app.query_one(OrderDetail)
        assert detail.reveal_passwords is False
        assert password not in screen_text(app)
        assert password not in widget_text(detail)
        assert MASK in screen_text(app)
        assert "passwords hidden" in screen_text(app)

        detail.reveal_passwords = True
        await pilot.pause()
        text = screen_text(app)
        assert password in text and "passwords shown" in text
        assert MASK not in text

        detail.reveal_passwords = False
        await pilot.pause()
        assert password not in screen_text(app)
        assert password not in widget_text(detail)


@pytest.mark.anyio
async def test_revealed_state_survives_switching_orders(order):
    first, second = order(12345), order(12348)
    app = DetailApp(first)
    async with app.run_test(size=SIZE) as pilot:
        detail = app.query_one(OrderDetail)
        detail.reveal_passwords = True
        detail.show(second, FROZEN_NOW)
        await pilot.pause()
        assert second.proxies[0].password in screen_text(app)
        detail.reveal_passwords = False
        detail.show(first, FROZEN_NOW)
        await pilot.pause()
        assert first.proxies[0].password not in widget_text(detail)


# --------------------------------------------------------------------- big orders
@pytest.mark.anyio
async def test_thousand_proxies_fill_a_bounded_table(order):
    """Correctness at scale; the timings live in bench/, not in tests."""
    small, big = order(12345), order(12346)
    assert len(big.proxies) == 1000
    app = DetailApp(small)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        detail = app.query_one(OrderDetail)
        detail.show(big, FROZEN_NOW)
        await pilot.pause()
        assert "1,000 proxies" in screen_text(app)
        table = detail.query_one("#proxies", DataTable)
        assert detail.proxy_table_row_count == table.row_count == 1000
        # The table scrolls by itself instead of growing the pane.
        assert table.size.height <= 12

        detail.reveal_passwords = True
        await pilot.pause()
        assert big.proxies[-1].password == str(table.get_row_at(999)[2])
        detail.reveal_passwords = False
        assert all(str(table.get_row_at(i)[2]) == MASK for i in range(1000))

        # The same order again (every cursor move calls show): the table is not refilled.
        table.move_cursor(row=500)
        detail.show(big, FROZEN_NOW)
        await pilot.pause()
        assert table.cursor_row == 500


# --------------------------------------------------------------------- repainting little
def spy_updates(detail: OrderDetail) -> list[str]:
    """Record the id (or first class) of every Static in the pane that gets new content."""
    updates: list[str] = []
    for static in detail.query(Static):
        original = static.update

        def spy(*args, _original=original, _name=static.id or " ".join(static.classes), **kwargs):
            updates.append(_name)
            return _original(*args, **kwargs)

        static.update = spy
    return updates


@pytest.mark.anyio
async def test_moving_between_orders_rewrites_only_the_sections_that_differ(order):
    first = order(12345)
    second = order_from(first, id=99999, quantity=7)  # same plan, location, note, ports, proxies
    app = DetailApp(first)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        detail = app.query_one(OrderDetail)
        updates = spy_updates(detail)
        detail.show(first, FROZEN_NOW)  # the same order again: nothing is rewritten
        await pilot.pause()
        assert updates == []
        detail.show(second, FROZEN_NOW)
        await pilot.pause()
        assert updates == ["detail-head"]  # the questions, auto-extend and history are the same
        text = screen_text(app)
        assert "Quantity 7" in flat(text) and "Location Canada" in flat(text)


@pytest.mark.anyio
async def test_labels_stay_beside_values_that_wrap(order):
    long_note = "word " * 30
    app = DetailApp(order_from(order(12345), note=long_note.strip()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        lines = screen_text(app).splitlines()
        note = next(index for index, line in enumerate(lines) if line.lstrip().startswith("Note"))
        assert lines[note + 1].strip().startswith("word")  # the wrapped rest, under the value
        ports = next(index for index, line in enumerate(lines) if line.lstrip().startswith("Ports"))
        assert ports > note + 1 and "http|https" in lines[ports]


@pytest.mark.anyio
async def test_sections_that_come_and_go_keep_the_painting_order_above_them(order):
    """Textual repaints a widget whose painting order changed; that order counts the displayed
    siblings after it, so a section shown or hidden below must not change it."""
    with_everything = order(12345)
    bare = order_from(with_everything, questions_answers=(), extended_history=(), proxies=(), status="expired")
    app = DetailApp(with_everything)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        detail = app.query_one(OrderDetail)
        above = [detail.query_one("#detail-head")]
        assert "Questions" in screen_text(app) and "Extension history" in screen_text(app)

        def orders() -> list:
            return [app.screen._compositor.full_map[widget].order for widget in above]

        before = orders()
        detail.show(bare, FROZEN_NOW)
        await pilot.pause()
        text = screen_text(app)
        assert "Questions" not in text and "Extension history" not in text
        assert "No proxies (order is expired)" in text
        assert orders() == before


@pytest.mark.anyio
async def test_the_pane_is_a_handful_of_widgets(order):
    """Labels, values and sections are lines of two widgets, not a widget each (issue #8:
    the pane's ~35 widgets were most of its cost at startup and on every page)."""
    app = DetailApp(order(12345))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        detail = app.query_one(OrderDetail)
        names = [widget.id for widget in detail.query("*") if widget.id]
        assert names == ["detail-empty", "detail-body", "detail-head", "proxies",
                         "detail-proxies-message", "detail-tail"]


@pytest.mark.anyio
async def test_the_proxies_table_is_as_wide_as_its_columns(order):
    app = DetailApp(order(12345))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        detail = app.query_one(OrderDetail)
        table = detail.proxy_table
        columns = sum(column.get_render_width(table) for column in table.ordered_columns)
        assert table.size.width == columns < detail.query_one("#detail-body").size.width - 1


# --------------------------------------------------------------------- snapshots
def test_snapshot_order_12345_masked(snap_compare, sandbox):
    response = handle(sandbox, "GET", "/v1/reseller/orders/12345", headers={"X-Access-Token": "t"})
    assert snap_compare(DetailApp(Order.from_json(response.json())), terminal_size=SIZE)


def test_snapshot_in_progress_order(snap_compare, sandbox):
    response = handle(sandbox, "GET", "/v1/reseller/orders/12359", headers={"X-Access-Token": "t"})
    assert snap_compare(DetailApp(Order.from_json(response.json())), terminal_size=SIZE)


@pytest.mark.anyio
async def test_revealed_passwords_fit_the_pane_at_120_columns(demo_app):
    from helpers import settle

    from royal_tui.ui.widgets.proxy_list import ProxyTable

    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "down")  # 12355: ten proxies, 16-character passwords
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        await pilot.pause()
        table = app.screen.query_one(ProxyTable)
        assert table.reveal and max(len(p.password) for p in table.proxies) == 16
        assert table.size.width >= table.virtual_size.width and not table.show_horizontal_scrollbar
