"""The export dialog (`x`): pick a format and a file, write the order's proxies there (0600).

Dismisses with the :class:`~pathlib.Path` written, or ``None`` when cancelled. Every failure is
shown inside the dialog as a plain sentence; an existing file is only replaced after the user
says so (``y`` / Overwrite).
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from royal_tui.api.models import Order
from royal_tui.export import (
    FORMATS,
    ExportError,
    default_export_path,
    preview_line,
    render,
    write_export,
)
from royal_tui.formatting import one_line
from royal_tui.ui.widgets.limited_input import LimitedInput


def display_path(path: Path) -> str:
    """``/home/me/Downloads/x.txt`` → ``~/Downloads/x.txt`` (write_export expands ``~``)."""
    try:
        home = Path.home()
        if path.is_relative_to(home) and home != Path("/"):
            return str(Path("~") / path.relative_to(home))
    except (RuntimeError, ValueError):  # no resolvable home
        pass
    return str(path)


class FormatChoice(RadioSet):
    """A RadioSet whose choice follows the cursor: up/down pick the format at once."""

    def __init__(self, *buttons: RadioButton, id: str | None = None) -> None:
        super().__init__(*buttons, id=id, compact=True)
        self._follow = False  # RadioSet moves its cursor while mounting: don't press then

    def on_mount(self) -> None:
        self.call_after_refresh(self._start_following)

    def _start_following(self) -> None:
        if self.pressed_index >= 0:  # start the cursor on the chosen format, not the first
            self._selected = self.pressed_index
        self._follow = True

    def action_next_button(self) -> None:
        super().action_next_button()
        self._press_selected()

    def action_previous_button(self) -> None:
        super().action_previous_button()
        self._press_selected()

    def _press_selected(self) -> None:
        if self._follow and self._selected is not None:
            button = self._nodes[self._selected]
            if isinstance(button, RadioButton) and not button.value:
                button.value = True


class ExportDialog(ModalScreen[Path | None]):
    """Export ``order``'s proxies to a file in one of :data:`royal_tui.export.FORMATS`."""

    DEFAULT_CSS = """
    ExportDialog {
        align: center middle;
        background: $background 60%;
    }
    ExportDialog > #export-box {
        width: 76;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $primary;
        border-title-color: $text;
        border-title-style: bold;
        border-subtitle-color: $text-muted;
        background: $surface;
        padding: 0 1;
    }
    ExportDialog #export-summary { color: $text-muted; margin-bottom: 1; }
    ExportDialog .field-label { color: $text-primary; text-style: bold; }
    ExportDialog #export-formats { margin: 0 0 1 1; width: 1fr; }
    ExportDialog #export-path { margin: 0; }
    ExportDialog #export-preview-row { height: 1; }
    ExportDialog #export-preview-row > Label { width: 9; }
    ExportDialog #export-preview {
        width: 1fr;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    ExportDialog #export-preview.-error { color: $text-warning; }
    ExportDialog #export-message { height: auto; min-height: 1; max-height: 3; margin-top: 1; }
    ExportDialog #export-message.-error { color: $text-error; }
    ExportDialog #export-message.-ask { color: $text-warning; text-style: bold; }
    ExportDialog #export-buttons { height: auto; align-horizontal: right; }
    ExportDialog #export-buttons > Button { margin-left: 2; min-width: 14; }
    ExportDialog .confirm-only { display: none; }
    ExportDialog.-confirming .confirm-only { display: block; }
    ExportDialog.-confirming .edit-only { display: none; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
        Binding("ctrl+s", "export", "Export", id="export.save"),
        Binding("y", "overwrite", "Overwrite", show=False, id="export.overwrite"),
        Binding("n", "keep", "Keep file", show=False, id="export.keep"),
    ]

    EDIT_HINT = "↑↓ format · tab next field · ctrl+s export · esc cancel"
    ASK_HINT = "y overwrite · n / esc keep the file"

    def __init__(self, order: Order, default_format: str) -> None:
        super().__init__()
        self.order = order
        self.format = default_format if default_format in FORMATS else next(iter(FORMATS))
        self._auto_path = display_path(default_export_path(order, self.format))
        self._confirm_path: str | None = None  # the existing file awaiting "overwrite?"

    # --- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        order = self.order
        count = len(order.proxies)
        noun = "proxy" if count == 1 else "proxies"
        details = " · ".join(
            one_line(part, 30) for part in (order.product_name, order.location) if part
        )
        summary = f"Order {order.id} · {count} {noun}" + (f" · {details}" if details else "")
        with Vertical(id="export-box") as box:
            box.border_title = "Export proxies"
            box.border_subtitle = self.EDIT_HINT
            yield Static(summary, id="export-summary", markup=False)
            yield Label("Format", classes="field-label")
            yield FormatChoice(
                *(
                    RadioButton(spec.label, value=key == self.format, name=key)
                    for key, spec in FORMATS.items()
                ),
                id="export-formats",
            )
            yield Label("Save to", classes="field-label")
            yield LimitedInput(self._auto_path, id="export-path", select_on_focus=False, max_length=4096, what="the path")
            with Horizontal(id="export-preview-row"):
                yield Label("Preview", classes="field-label")
                yield Static("", id="export-preview", markup=False)
            yield Static("", id="export-message", markup=False)
            with Horizontal(id="export-buttons"):
                yield Button("Export", id="export-save", variant="primary", classes="edit-only")
                yield Button("Cancel", id="export-cancel", classes="edit-only")
                yield Button(
                    "Overwrite", id="export-overwrite", variant="error", classes="confirm-only"
                )
                yield Button("Keep file", id="export-keep", classes="confirm-only")

    def on_mount(self) -> None:
        self._show_preview()
        self.query_one("#export-formats", FormatChoice).focus()

    # --- reacting to the user ---------------------------------------------------------------

    @on(RadioSet.Changed, "#export-formats")
    def _format_changed(self, event: RadioSet.Changed) -> None:
        key = event.pressed.name
        if key not in FORMATS or key == self.format:
            return
        self.format = key
        path_input = self.query_one("#export-path", Input)
        if path_input.value == self._auto_path:  # not edited by the user: follow the format
            self._auto_path = display_path(default_export_path(self.order, key))
            path_input.value = self._auto_path
        self._leave_confirm()
        self._show_preview()

    @on(Input.Changed, "#export-path")
    def _path_changed(self, event: Input.Changed) -> None:
        if self._confirm_path is not None and event.value != self._confirm_path:
            self._leave_confirm()

    @on(LimitedInput.Refused, "#export-path")
    def _path_refused(self, event: LimitedInput.Refused) -> None:
        event.stop()
        self._message(event.message, "-error")

    @on(Input.Submitted, "#export-path")
    def _path_submitted(self) -> None:
        self.action_export()

    @on(Button.Pressed)
    def _button(self, event: Button.Pressed) -> None:
        event.stop()
        actions = {
            "export-save": self.action_export,
            "export-cancel": self.action_cancel,
            "export-overwrite": self.action_overwrite,
            "export-keep": self.action_keep,
        }
        if event.button.id in actions:
            actions[event.button.id]()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("overwrite", "keep"):
            return self._confirm_path is not None
        return True

    # --- actions ----------------------------------------------------------------------------

    def action_cancel(self) -> None:
        if self._confirm_path is not None:
            self.action_keep()
        else:
            self.dismiss(None)

    def action_export(self) -> None:
        if self._confirm_path is not None:
            return  # answer the question first: y / n
        self._write(overwrite=False)

    def action_overwrite(self) -> None:
        if self._confirm_path is not None:
            self._write(overwrite=True)

    def action_keep(self) -> None:
        if self._confirm_path is None:
            return
        self._leave_confirm()
        self._message("Kept the existing file. Choose another name, or export again.", "-ask")
        path_input = self.query_one("#export-path", Input)
        path_input.focus()
        path_input.cursor_position = len(path_input.value)

    # --- helpers ----------------------------------------------------------------------------

    def _write(self, *, overwrite: bool) -> None:
        raw = self.query_one("#export-path", Input).value.strip()
        try:
            text = render(self.order, self.format)
            written = write_export(raw, text, overwrite=overwrite)
        except FileExistsError:
            self._ask_overwrite(raw)
            return
        except ExportError as exc:
            self._leave_confirm()
            self._message(str(exc), "-error")
            return
        except (OSError, ValueError) as exc:  # belt and braces: never a traceback
            self._leave_confirm()
            reason = getattr(exc, "strerror", None) or exc
            self._message(f"Could not write {raw}: {reason}", "-error")
            return
        self.dismiss(written)

    def _ask_overwrite(self, raw: str) -> None:
        self._confirm_path = raw
        self.add_class("-confirming")
        self._hint(self.ASK_HINT)
        self._message(f"{Path(raw).name} already exists — overwrite it? (y / n)", "-ask")
        self.query_one("#export-keep", Button).focus()  # the safe answer has the focus
        self.refresh_bindings()

    def _leave_confirm(self) -> None:
        if self._confirm_path is None:
            return
        self._confirm_path = None
        self.remove_class("-confirming")
        self._hint(self.EDIT_HINT)
        self._message("")
        if self.focused is None or self.focused.has_class("confirm-only"):
            self.query_one("#export-path", Input).focus()
        self.refresh_bindings()

    def _hint(self, text: str) -> None:
        self.query_one("#export-box").border_subtitle = text

    def _message(self, text: str, kind: str = "") -> None:
        message = self.query_one("#export-message", Static)
        message.set_classes(kind)
        message.update(text)

    def _show_preview(self) -> None:
        preview = self.query_one("#export-preview", Static)
        try:
            preview.update(one_line(preview_line(self.order, self.format), 500))
            preview.remove_class("-error")
        except ExportError as exc:
            preview.update(str(exc))
            preview.add_class("-error")
