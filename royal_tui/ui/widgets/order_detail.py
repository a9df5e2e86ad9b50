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

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.reactive import reactive
from textual.widgets import Static

from royal_tui.api.models import Order
from royal_tui.formatting import expires_soon, money, one_line, relative, utc_date
from royal_tui.ui.widgets.orders_table import STATUS_STYLES
from royal_tui.ui.widgets.proxy_list import MASK, ProxyTable
from royal_tui.ui.widgets.steady_scrollbars import SteadyScrollbars
from royal_tui.ui.widgets.text_block import TextBlock, blank, item

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


class OrderDetail(SteadyScrollbars, VerticalScroll):
    """Everything about one order, compact enough for a ~48-column pane."""

    COMPONENT_CLASSES = {"detail--heading"}

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
    OrderDetail #detail-head, OrderDetail #detail-tail {
        height: auto;
    }
    OrderDetail > .detail--heading {
        color: $accent;
        text-style: bold;
    }
    OrderDetail #proxies {
        /* Flush with the headings: at 120 columns a revealed 16-character password then fits
           without a horizontal scrollbar. */
        margin: 0;
    }
    OrderDetail #detail-proxies-message {
        color: $text-muted;
        text-style: italic;
        padding: 0 0 0 1;
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
            # The title, the fields and the proxies heading in one widget, the sections below
            # the proxies in another (see text_block): a few widgets instead of one per label,
            # value and section, each styled, laid out and painted on its own.
            yield Static(id="detail-head")
            yield ProxyTable(id="proxies")
            yield Static(id="detail-proxies-message", markup=False)
            yield Static(id="detail-tail")

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
        self._render_head()
        self._render_proxies(order)
        self._render_tail(order)
        if scroll_home:
            self.scroll_home(animate=False)

    def _heading(self, text: str) -> Text:
        return Text(text, style=self.get_component_rich_style("detail--heading", partial=True))

    def _render_head(self) -> None:
        """The title, the fields (label beside a value that wraps) and the proxies heading."""
        order, now = self._order, self._now
        if order is None or now is None:
            return
        title = Text.assemble((f"#{order.id}", "bold"), (" · ", "dim"))
        title.append_text(literal(order.product_name, 120))
        title.append("  ")
        title.append(one_line(order.status, 40), style=STATUS_STYLES.get(order.status, "bold"))
        title.stylize_before("bold")
        values = {
            "plan": literal(order.plan_name) if order.plan_name else Text("—", style="dim"),
            "location": literal(order.location) if order.location else Text("—", style="dim"),
            "quantity": Text(f"{order.quantity:,}"),
            "expires": expiry_text(order, now),
            "note": literal(order.note) if order.note else Text("—", style="dim"),
            "ports": ports_text(order),
        }
        if not order.proxies:
            heading = self._heading("Proxies")
        else:
            heading = self._heading(plural(len(order.proxies), "proxy", "proxies"))
            hint = "  passwords shown" if self.reveal_passwords else "  passwords hidden (p)"
            heading.append(hint, style="not bold dim")
        texts = [title, *values.values(), heading]
        items = [item(title), blank()]
        items += [item(values[key], Text(label, style="dim"), LABEL_WIDTH + 1) for key, label in FIELDS]
        items += [blank(), item(heading)]
        self._put("detail-head", TextBlock(items), tuple(text_key(text) for text in texts))

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

    def _render_tail(self, order: Order) -> None:
        """Questions and answers, auto-extend and the extension history, below the proxies."""
        texts: list[Text] = []
        items = []
        answered = [qa for qa in order.questions_answers if qa.question or qa.answer]
        if answered:
            qa = Text()
            for index, entry in enumerate(answered):
                if index:
                    qa.append("\n")
                qa.append(one_line(entry.question, FIELD_LIMIT) or "—", style="dim italic")
                qa.append("\n")
                answer = multiline(entry.answer)
                if answer:
                    qa.append(answer)
                else:
                    qa.append("—", style="dim")
            texts.append(qa)
            items += [blank(), item(self._heading("Questions")), item(qa, " ")]
        auto = auto_extend_text(order)
        texts.append(auto)
        auto_heading = self._heading("Auto-extend")
        auto_heading.append("  ")
        items += [blank(), item(auto, auto_heading)]
        history = [extension_line(entry) for entry in order.extended_history]
        if history:
            items += [blank(), item(self._heading("Extension history"))]
            items += [item(line, Text(" • ", style="dim")) for line in history]
            texts += history
        self._put("detail-tail", TextBlock(items), (len(answered), len(history), *map(text_key, texts)))

    # ------------------------------------------------------------------ masking
    def watch_reveal_passwords(self, reveal: bool) -> None:
        if self._ready:
            self.proxy_table.set_reveal(reveal)
            self._render_head()
