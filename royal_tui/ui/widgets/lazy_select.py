"""A Select built when it is first opened (Textual 8.2.8 internals).

Textual's Select is twelve widgets once mounted (the current value: a label and two arrows; the
overlay: an option list), each styled and laid out at startup. The filter bar's two Selects were
about a tenth of the time to the first page of orders, and most users never open them.
:class:`LazySelect` is a real ``Select`` (same value, options, messages, keys and look) whose
closed state is drawn by one widget, :class:`ClosedSelect`; the first time it opens (enter,
space, up, down or a click), it builds Textual's own parts and opens them.

It overrides private ``Select`` methods, so Textual is pinned exactly;
``tests/test_lazy_select.py`` pins the internals used and compares the closed state with
Textual's own, cell for cell.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.content import Content
from textual.css.query import NoMatches
from textual.widgets import Select
from textual.widgets._select import SelectCurrent


class ClosedSelect(SelectCurrent):
    """The closed Select, drawn as Textual's ``SelectCurrent`` draws it, in one widget."""

    COMPONENT_CLASSES = {"closed-select--label", "closed-select--value", "closed-select--arrow"}
    DEFAULT_CSS = """
    ClosedSelect {
        height: 1;
        & > .closed-select--label {
            color: $foreground 50%;
        }
        & > .closed-select--value {
            color: $foreground;
        }
        & > .closed-select--arrow {
            color: $foreground 50%;
        }
    }
    """

    def compose(self) -> ComposeResult:
        return iter(())

    def update(self, label) -> None:
        self.label = label
        self.has_value = label is not Select.NULL
        self.refresh()

    def render(self) -> Content:
        """The label (the placeholder, dimmer, when nothing is chosen), then `` ▼``."""
        room = max(0, self.content_region.width - 2)
        if self.has_value:
            label = self.label if isinstance(self.label, Text) else Text(str(self.label))
            text = Content.from_rich_text(label).stylize_before(self.get_visual_style("closed-select--value"))
        else:
            text = Content.styled(self.placeholder, self.get_visual_style("closed-select--label"))
        arrow = Content.styled("▼", self.get_visual_style("closed-select--arrow"))
        return text.truncate(room, pad=True) + Content(" ") + arrow


class LazySelect(Select):
    """A Select whose parts are built the first time it opens."""

    _built = False

    def compose(self) -> ComposeResult:
        if self._built:
            yield from super().compose()
        else:
            yield ClosedSelect(self.prompt)

    def _setup_options_renderables(self) -> None:
        if self._built:
            super()._setup_options_renderables()

    def _watch_value(self, value) -> None:
        if self._built:
            super()._watch_value(value)
            return
        self._value = value
        try:
            current = self.query_one(ClosedSelect)
        except NoMatches:  # not composed yet: Select does the same
            return
        if value == self.NULL:
            current.update(self.NULL)
        else:
            current.update(next(prompt for prompt, option in self._options if option == value))
        self.post_message(self.Changed(self, value))

    def _watch_prompt(self, prompt: str) -> None:
        if self._built:
            super()._watch_prompt(prompt)
        elif self.is_mounted:
            current = self.query_one(ClosedSelect)
            current.placeholder = prompt
            current.refresh()

    def _watch_expanded(self, expanded: bool) -> None:
        if self._built:
            super()._watch_expanded(expanded)
        elif expanded:
            self.set_reactive(Select.expanded, False)
            self.call_later(self._build_and_open)

    def action_show_overlay(self) -> None:
        if self._built:
            super().action_show_overlay()
        else:
            self.call_later(self._build_and_open)

    async def _build_and_open(self) -> None:
        """Build Textual's parts, show the current value in them, then open the overlay."""
        if self._built:
            return
        self._built = True
        await self.recompose()
        self._setup_options_renderables()
        with self.prevent(Select.Changed):  # the value is the same: nothing changed
            super()._watch_value(self.value)
        super().action_show_overlay()
