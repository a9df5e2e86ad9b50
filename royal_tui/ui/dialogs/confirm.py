"""A yes/no question in a modal: ``ConfirmDialog(title, text, yes="Turn on")`` → bool."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmDialog(ModalScreen[bool]):
    DEFAULT_CSS = """
    ConfirmDialog {
        align: center middle;
    }
    ConfirmDialog > Vertical {
        width: 72;
        max-width: 100%;
        height: auto;
        border: round $primary;
        border-title-style: bold;
        background: $surface;
        padding: 1 2;
    }
    ConfirmDialog #confirm-buttons {
        height: auto;
        margin-top: 1;
    }
    ConfirmDialog Button {
        margin-right: 2;
    }
    """

    BINDINGS = [
        Binding("escape,n", "answer(False)", "No", id="confirm.no"),
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
    ]

    def __init__(self, title: str, text: str | Text, *, yes: str = "Yes", no: str = "Cancel") -> None:
        super().__init__()
        self.title_text = title
        self.body = text if isinstance(text, Text) else Text(text)
        self.yes_label, self.no_label = yes, no

    def compose(self) -> ComposeResult:
        box = Vertical()
        box.border_title = self.title_text
        with box:
            yield Static(self.body, id="confirm-text")
            with Horizontal(id="confirm-buttons"):
                yield Button(f"{self.yes_label} (y)", id="confirm-yes", variant="primary")
                yield Button(f"{self.no_label} (n)", id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()  # the safe choice has the focus

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)
