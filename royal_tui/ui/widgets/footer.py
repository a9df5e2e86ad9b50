"""The screen's keys on the bottom line: Textual's Footer drawn by one widget.

Textual's Footer is a container with a widget per key (ten on the orders screen), each styled,
bound to the footer's ``compact`` reactive and restyled as it mounts; it recomposes (removes and
remounts every key) whenever the screen publishes ``bindings_updated``, on every focus change.
At startup that was about a tenth of the time to the first page. This footer draws the same
line (the same keys, theme variables, order, padding and the command palette key at the right
behind a thin rule) as one widget, and repaints its one line only when the keys it shows change.

A key is clicked as in Textual's footer (the key is simulated; a disabled key rings the bell)
and shows its tooltip on hover. Keys that do not fit are left out whole, from the right, rather
than cut in the middle; the command palette key always stays.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget


class FooterItem(NamedTuple):
    """One key as shown: what it looks like and what a click does."""

    key: str
    display: str
    description: str
    tooltip: str
    enabled: bool


class Footer(Widget, can_focus=False):
    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "footer--key",
        "footer--description",
        "footer--hover",
        "footer--rule",
    }
    DEFAULT_CSS = """
    Footer {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        text-overflow: clip;
        pointer: pointer;
        & > .footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .footer--hover {
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
        & > .footer--rule {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.items: tuple[FooterItem, ...] = ()
        self.palette: FooterItem | None = None
        self._hover: int | None = None  # index into ``items``, or -1 for the palette key
        #: Where each shown key is on the line: (start, end, index), index -1 the palette key.
        self._spans: list[tuple[int, int, int]] = []

    def on_mount(self) -> None:
        self._read_keys(self.screen)
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    # ------------------------------------------------------------------ the keys
    def _bindings_changed(self, screen: Screen) -> None:
        if screen is self.screen and screen.app.app_focus:
            self._read_keys(screen)

    def _read_keys(self, screen: Screen) -> None:
        """The keys to show, as Textual's Footer picks them: one per action, in binding order."""
        app = self.app
        active = screen.active_bindings
        items: list[FooterItem] = []
        seen: set[str] = set()
        for _node, binding, enabled, tooltip in active.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            items.append(self._item(binding, enabled, tooltip))
        palette = None
        if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
            _node, binding, enabled, tooltip = active[app.COMMAND_PALETTE_BINDING]
            palette = self._item(binding, enabled, binding.tooltip)
        if (tuple(items), palette) != (self.items, self.palette):
            self.items, self.palette = tuple(items), palette
            self.refresh()

    def _item(self, binding: Binding, enabled: bool, tooltip: str) -> FooterItem:
        return FooterItem(
            binding.key, self.app.get_key_display(binding), binding.description,
            tooltip or binding.description, enabled,
        )

    # ------------------------------------------------------------------ drawing
    def _label(self, item: FooterItem, hovered: bool, *, palette: bool = False) -> Text:
        """`` key description `` (the palette key: ``key description``), as Textual draws it."""
        base = self.get_component_rich_style("footer--hover") if hovered else Style()
        key_style = base + self.get_component_rich_style("footer--key", partial=hovered)
        description_style = base + self.get_component_rich_style("footer--description", partial=hovered)
        if hovered:
            key_style += Style(color=base.color)
        if palette:
            label = Text.assemble((item.display, key_style), (f" {item.description}", description_style))
        else:
            label = Text.assemble((f" {item.display} ", key_style))
            if item.description:
                label.append(f"{item.description} ", description_style)
        if not item.enabled:
            label.stylize(Style(dim=True))
        return label

    def render(self) -> Text:
        width = self.size.width
        line = Text(no_wrap=True, overflow="crop", end="")
        spans: list[tuple[int, int, int]] = []
        tail = Text(end="")
        if self.palette is not None:
            rule = Text("▏", style=self.get_component_rich_style("footer--rule"))
            tail = Text.assemble(rule, self._label(self.palette, self._hover == -1, palette=True), " ")
        room = width - tail.cell_len
        for index, item in enumerate(self.items):
            label = self._label(item, self._hover == index)
            if line.cell_len + label.cell_len > room:
                break
            spans.append((line.cell_len, line.cell_len + label.cell_len, index))
            line.append_text(label)
        if self.palette is not None and tail.cell_len <= width:
            line.append(" " * max(0, room - line.cell_len))
            spans.append((line.cell_len + 1, line.cell_len + tail.cell_len - 1, -1))
            line.append_text(tail)
        self._spans = spans
        return line

    # ------------------------------------------------------------------ the mouse
    def _index_at(self, x: int) -> int | None:
        """Which key is at column ``x`` (-1: the palette key), if any."""
        return next((index for start, end, index in self._spans if start <= x < end), None)

    def _at(self, x: int) -> FooterItem | None:
        index = self._index_at(x)
        return None if index is None else self.palette if index == -1 else self.items[index]

    def on_mouse_move(self, event: events.MouseMove) -> None:
        index = self._index_at(event.x)
        if index != self._hover:
            self._hover = index
            item = self._at(event.x)
            self.tooltip = item.tooltip if item is not None else None
            self.refresh()

    def on_leave(self, _event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.tooltip = None
            self.refresh()

    def on_click(self, event: events.Click) -> None:
        item = self._at(event.x)
        if item is None:
            return
        event.stop()
        if item.enabled:
            self.app.simulate_key(item.key)
        else:
            self.app.bell()
