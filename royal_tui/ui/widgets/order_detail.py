"""The detail pane beside the orders table: everything about the highlighted order.

``OrderDetail.show(order, now)`` is called on every cursor move, so it never remounts
widgets: it updates a fixed set of Statics in place and refills the proxies table only
when the proxies actually changed. Every string from the API reaches the screen as
literal ``rich.text.Text`` (no markup), with control characters neutralised.

The proxies table lives in :mod:`royal_tui.ui.widgets.proxy_list`: passwords never enter it
while masked, and ``reveal_passwords`` updates only its password column.
"""

from __future__ import annotations

from datetime import datetime

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.widgets import Static

from royal_tui.api.models import Order
from royal_tui.formatting import expires_soon, money, one_line, relative, utc_date
from royal_tui.ui.widgets.orders_table import STATUS_STYLES
from royal_tui.ui.widgets.proxy_list import MASK, ProxyTable

__all__ = ["EMPTY_MESSAGE", "MASK", "PROVISIONING_MESSAGE", "OrderDetail", "ProxyTable"]

EMPTY_MESSAGE = "Select an order"
PROVISIONING_MESSAGE = "Proxies are being provisioned — this refreshes by itself."
SOON_STYLE = "bold yellow"
LABEL_WIDTH = 10
#: The order's fields, in order: (widget id suffix, label).
FIELDS = (
    ("plan", "Plan"),
    ("location", "Location"),
    ("quantity", "Quantity"),
    ("expires", "Expires"),
    ("note", "Note"),
    ("ports", "Ports"),
)

#: Longest text kept from one API value in a one-line field (the pane wraps the rest).
FIELD_LIMIT = 500


def literal(value: str | None, limit: int = FIELD_LIMIT) -> Text:
    """A one-line API string as plain Text: no markup, no control characters."""
    return Text(one_line(value, limit))


def multiline(value: str | None) -> str:
    """Keep line breaks, neutralise every other non-printable character (escapes, bidi…)."""
    if not value:
        return ""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    lines = ("".join(ch if ch.isprintable() else " " for ch in line).rstrip() for line in value.split("\n"))
    return "\n".join(lines).strip("\n")


_UNSET = object()


def text_key(text: Text) -> tuple:
    """What makes two Texts look the same (``Text.__eq__`` ignores the base style)."""
    return (text.plain, str(text.style), tuple(text.spans), text.justify, text.overflow)


def plural(count: int, noun: str, many: str | None = None) -> str:
    return f"{count:,} {noun if count == 1 else (many or noun + 's')}"


def expiry_text(order: Order, now: datetime) -> Text:
    """``2026-12-13 15:00 UTC · in 10d``; soon-expiring confirmed orders stand out."""
    text = Text(utc_date(order.expire_date))
    rel = relative(order.expire_date, now)
    soon = order.status == "confirmed" and expires_soon(order.expire_date, now)
    if rel:
        text.append(" · ", style="dim")
        text.append(rel, style=SOON_STYLE if soon else "")
    if soon:
        text.stylize(SOON_STYLE, 0, len(text))
        text.append(" · ", style="dim")
        text.append("expires soon", style=SOON_STYLE)
    return text


def ports_text(order: Order) -> Text:
    def port(value: int | None) -> str:
        return "—" if value is None else str(value)

    return Text.assemble(
        ("http|https ", "dim"), port(order.ports.http), (" · ", "dim"), ("socks5 ", "dim"), port(order.ports.socks5)
    )


def auto_extend_text(order: Order) -> Text:
    """``off`` or ``on · plan id 456 · pays from balance`` / ``on · plan id 456 · card #501``."""
    settings = order.auto_extend_settings
    if settings is None or not settings.is_enabled:
        return Text("off", style="dim")
    text = Text()
    text.append("on", style="bold green")
    parts: list[str] = []
    if settings.product_plan_id is not None:
        parts.append(f"plan id {settings.product_plan_id}")
    if settings.payment_type == "balance":
        parts.append("pays from balance")
    elif settings.payment_type == "card":
        parts.append(f"card #{settings.card_id}" if settings.card_id is not None else "pays by card")
    elif settings.payment_type:
        parts.append(f"pays by {one_line(settings.payment_type, 40)}")
    for part in parts:
        text.append(" · ", style="dim")
        text.append(part)
    return text


def extension_line(entry) -> Text:
    """``2026-11-13 09:00 UTC · 30 Days · $15.00 · 2026-11-13 → 2026-12-13``; gaps skipped."""
    parts: list[Text] = []
    if entry.extended_at is not None:
        parts.append(Text(utc_date(entry.extended_at)))
    if entry.plan_name:
        parts.append(literal(entry.plan_name, 80))
    if entry.price is not None:
        parts.append(Text(money(entry.price)))
    before = utc_date(entry.expire_date_before)[:10] if entry.expire_date_before else ""
    after = utc_date(entry.expire_date_after)[:10] if entry.expire_date_after else ""
    if before and after:
        parts.append(Text(f"{before} → {after}"))
    elif after:
        parts.append(Text(f"→ {after}"))
    elif before:
        parts.append(Text(f"{before} →"))
    if not parts:
        return Text("—", style="dim")
    line = Text()
    for index, part in enumerate(parts):
        if index:
            line.append(" · ", style="dim")
        line.append_text(part)
    return line


class _SizedByContent:
    """A container as tall as its content, that never scrolls: a new size needs no new layout.

    Textual's ``Widget._size_updated`` sets ``virtual_size``, a layout reactive, whenever a
    widget's size changes, so a container that grew or shrank asks for a second layout and
    repaints its whole region again in the next frame. For a container without scrollbars whose
    height follows its children, the layout that sized it already placed its children, and the
    region it left or took is already repainted (the compositor marks every changed geometry),
    so the second pass only repeats the paint (a whole proxies table on every cursor move).
    """

    def _size_updated(self, size, virtual_size, container_size, layout: bool = True) -> bool:
        return super()._size_updated(size, virtual_size, container_size, layout=False)  # type: ignore[misc]


class Box(_SizedByContent, Vertical):
    """A vertical group of the pane (see :class:`_SizedByContent`)."""


class Row(_SizedByContent, Horizontal):
    """A horizontal group of the pane (see :class:`_SizedByContent`)."""


class OrderDetail(VerticalScroll):
    """Everything about one order, compact enough for a ~48-column pane."""

    DEFAULT_CSS = """
    OrderDetail {
        height: 1fr;
        padding: 0 1;
        scrollbar-size-vertical: 1;
    }
    OrderDetail > #detail-empty {
        width: 1fr;
        height: 1fr;
        content-align: center middle;
        color: $text-muted;
        text-style: italic;
    }
    OrderDetail > #detail-body {
        height: auto;
        /* At least the pane's height: then the body keeps its size as the cursor moves between
           orders (a container that changes size is repainted whole, and laid out twice). */
        min-height: 100%;
        /* Shown by _render_order with an order (display, not a class on the pane: a class
           change re-applies the CSS of every widget in the pane). */
        display: none;
    }
    OrderDetail #detail-fields, OrderDetail .detail-field, OrderDetail .detail-box {
        height: auto;
    }
    OrderDetail .detail-label {
        width: 11;  /* LABEL_WIDTH and a space */
    }
    OrderDetail .detail-value {
        width: 1fr;
    }
    OrderDetail #detail-title {
        text-style: bold;
        margin: 0 0 1 0;
    }
    OrderDetail .detail-heading {
        color: $accent;
        text-style: bold;
        margin: 1 0 0 0;
    }
    OrderDetail .detail-section {
        padding: 0 0 0 1;
    }
    OrderDetail #detail-auto-extend-row {
        height: auto;
        margin: 1 0 0 0;
    }
    OrderDetail #detail-auto-extend-row > .detail-heading {
        width: auto;
        margin: 0 2 0 0;
    }
    OrderDetail #detail-auto-extend {
        width: 1fr;
    }
    OrderDetail #proxies {
        /* Flush with the headings: at 120 columns a revealed 16-character password then fits
           without a horizontal scrollbar. */
        margin: 0;
    }
    OrderDetail #detail-proxies-message {
        color: $text-muted;
        text-style: italic;
    }
    """

    #: Show the proxies' real passwords (the screen's ``p`` binding toggles this).
    reveal_passwords: reactive[bool] = reactive(False, init=False)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._order: Order | None = None
        self._now: datetime | None = None
        self._ready = False
        #: What each section shows now (a comparable key), so an unchanged one is not redrawn.
        self._shown: dict[str, object] = {}

    # ------------------------------------------------------------------ public API
    @property
    def order(self) -> Order | None:
        """The order on display (``None``: the empty state)."""
        return self._order

    @property
    def proxy_table(self) -> ProxyTable:
        """The proxies table (also queryable as ``#proxies``)."""
        return self.query_one("#proxies", ProxyTable)

    @property
    def proxy_table_row_count(self) -> int:
        return self.proxy_table.row_count if self._ready and self._order is not None else 0

    def show(self, order: Order | None, now: datetime) -> None:
        """Replace the contents with ``order`` (``None`` → "Select an order")."""
        previous = self._order
        self._order = order
        self._now = now
        if self._ready:
            self._render_order(scroll_home=previous is None or order is None or previous.id != order.id)

    # ------------------------------------------------------------------ composition
    def compose(self) -> ComposeResult:
        yield Static(EMPTY_MESSAGE, id="detail-empty")
        with Box(id="detail-body"):
            yield Static(id="detail-title")
            # One row per field, the label in its own Static: moving to another order repaints
            # only the values that differ, not the labels.
            with Box(id="detail-fields"):
                for key, label in FIELDS:
                    with Row(classes="detail-field"):
                        yield Static(Text(label, style="dim"), classes="detail-label")
                        yield Static(id=f"detail-{key}", classes="detail-value")
            yield Static(id="detail-proxies-heading", classes="detail-heading")
            # Sections that come and go (display: none) sit in boxes that are always there.
            # Textual's painting order of a widget counts the displayed siblings after it, and a
            # widget whose painting order changes is repainted whole: without the boxes, an
            # order with answers after one without repainted every label above them. (The
            # proxies table and its message take turns, so their count stays the same.)
            yield ProxyTable(id="proxies")
            yield Static(id="detail-proxies-message", classes="detail-section")
            with Box(id="detail-qa-box", classes="detail-box"):
                yield Static("Questions", id="detail-qa-heading", classes="detail-heading")
                yield Static(id="detail-qa", classes="detail-section")
            with Row(id="detail-auto-extend-row"):
                yield Static("Auto-extend", id="detail-auto-extend-heading", classes="detail-heading")
                yield Static(id="detail-auto-extend")
            with Box(id="detail-history-box", classes="detail-box"):
                yield Static("Extension history", id="detail-history-heading", classes="detail-heading")
                yield Static(id="detail-history", classes="detail-section")

    def on_mount(self) -> None:
        self._ready = True
        self._render_order(scroll_home=True)

    # ------------------------------------------------------------------ rendering
    def _static(self, widget_id: str) -> Static:
        return self.query_one(f"#{widget_id}", Static)

    def _put(self, widget_id: str, content, key: object) -> None:
        """Show ``content`` in a section unless it already shows the same (``key``).

        The pane follows the cursor: moving between two orders must only repaint what differs
        (every ``Static.update`` repaints the whole section and asks for a new layout).
        """
        if self._shown.get(widget_id, _UNSET) == key:
            return
        self._shown[widget_id] = key
        self._static(widget_id).update(content)

    def _render_order(self, *, scroll_home: bool) -> None:
        order, now = self._order, self._now
        self.query_one("#detail-empty").display = order is None
        self.query_one("#detail-body").display = order is not None
        if order is None or now is None:
            # The body is hidden; the proxies stay in their table, so showing the same order
            # again (a filter that matched nothing, then did) does not refill 1,000 rows.
            return
        title = Text.assemble((f"#{order.id}", "bold"), (" · ", "dim"))
        title.append_text(literal(order.product_name, 120))
        title.append("  ")
        title.append(one_line(order.status, 40), style=STATUS_STYLES.get(order.status, "bold"))
        self._put("detail-title", title, text_key(title))

        note = literal(order.note) if order.note else Text("—", style="dim")
        values = {
            "plan": literal(order.plan_name) if order.plan_name else Text("—", style="dim"),
            "location": literal(order.location) if order.location else Text("—", style="dim"),
            "quantity": Text(f"{order.quantity:,}"),
            "expires": expiry_text(order, now),
            "note": note,
            "ports": ports_text(order),
        }
        for key, value in values.items():
            value.overflow = "fold"
            self._put(f"detail-{key}", value, text_key(value))
        self._render_proxies(order)
        self._render_questions(order)
        auto = auto_extend_text(order)
        self._put("detail-auto-extend", auto, text_key(auto))
        self._render_history(order)
        if scroll_home:
            self.scroll_home(animate=False)

    def _render_proxies(self, order: Order) -> None:
        table = self.proxy_table
        message = self._static("detail-proxies-message")
        proxies = order.proxies
        table.set_reveal(self.reveal_passwords)
        table.show_proxies(proxies)  # a no-op when the table already holds these proxies
        table.display = bool(proxies)
        message.display = not proxies
        if proxies:
            self._put("detail-proxies-message", "", "")
        elif order.status == "in-progress":
            self._put("detail-proxies-message", PROVISIONING_MESSAGE, PROVISIONING_MESSAGE)
        else:
            text = f"No proxies (order is {one_line(order.status, 40)})"
            self._put("detail-proxies-message", Text(text), text)
        self._update_proxies_heading()

    def _update_proxies_heading(self) -> None:
        order = self._order
        if order is None or not order.proxies:
            heading = Text("Proxies")
        else:
            heading = Text(plural(len(order.proxies), "proxy", "proxies"))
            hint = "  passwords shown" if self.reveal_passwords else "  passwords hidden (p)"
            heading.append(hint, style="not bold dim")
        self._put("detail-proxies-heading", heading, text_key(heading))

    def _render_questions(self, order: Order) -> None:
        answered = [qa for qa in order.questions_answers if qa.question or qa.answer]
        self._static("detail-qa-heading").display = bool(answered)
        qa_static = self._static("detail-qa")
        qa_static.display = bool(answered)
        text = Text()
        for index, qa in enumerate(answered):
            if index:
                text.append("\n")
            text.append(one_line(qa.question, FIELD_LIMIT) or "—", style="dim italic")
            text.append("\n")
            answer = multiline(qa.answer)
            if answer:
                text.append(answer)
            else:
                text.append("—", style="dim")
        self._put("detail-qa", text, text_key(text))

    def _render_history(self, order: Order) -> None:
        history = order.extended_history
        self._static("detail-history-heading").display = bool(history)
        static = self._static("detail-history")
        static.display = bool(history)
        lines = [extension_line(entry) for entry in history]
        key = tuple(text_key(line) for line in lines)
        if self._shown.get("detail-history", _UNSET) == key:
            return
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(width=1, no_wrap=True, style="dim")
        grid.add_column(ratio=1, overflow="fold")
        for line in lines:
            grid.add_row("•", line)
        self._put("detail-history", grid, key)

    # ------------------------------------------------------------------ masking
    def watch_reveal_passwords(self, reveal: bool) -> None:
        if self._ready:
            self.proxy_table.set_reveal(reveal)
            self._update_proxies_heading()
