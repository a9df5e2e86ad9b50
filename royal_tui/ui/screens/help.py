"""The help screen: every binding of the screen below and of the app, with its current key."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

#: Keys of the table itself (DataTable bindings have no ids, so they are listed here).
NAVIGATION = (
    ("↑ ↓ PgUp PgDn", "Move in the orders table"),
    ("Home End", "First / last order of the page"),
    ("enter", "Open the detail pane (narrow terminals)"),
    ("tab / shift+tab", "Move between table, filters and tabs"),
    ("ctrl+p", "Command palette: every action by name"),
    ("ctrl+q", "Quit from anywhere"),
)


def binding_rows(screen: Screen) -> list[tuple[str, str, str]]:
    """(keys, description, binding id) for the screen's and the app's bindings.

    The nine tab keys are folded into one row.
    """
    from royal_tui.ui.app import bindings_of

    rows: list[tuple[str, str, str]] = []
    tab_keys: list[str] = []
    for binding, _node, keys in bindings_of(screen):
        if binding.id and binding.id.startswith("orders.tab_"):
            tab_keys.append(keys)
            continue
        rows.append((keys, binding.tooltip or binding.description, binding.id or ""))
    if tab_keys:
        folded = f"{tab_keys[0]}–{tab_keys[-1]}" if len(tab_keys) > 1 else tab_keys[0]
        rows.insert(0, (folded, "Jump to a product tab", "orders.tab_1 … _9"))
    return rows


class HelpScreen(ModalScreen[None]):
    """Lists every key; any of escape, q, ? or f1 closes it."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > VerticalScroll {
        width: 96;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $primary;
        border-title-color: $primary;
        border-title-style: bold;
        border-subtitle-color: $text-muted;
        background: $surface;
        padding: 0 1;
    }
    """

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "close", "Close help", id="help.close"),
    ]

    def __init__(self, below: Screen) -> None:
        super().__init__()
        self.rows = binding_rows(below)

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True)
        table.add_column()
        table.add_column(no_wrap=True, style="dim")
        table.add_row(Text("Orders screen", style="bold underline"), "", Text("id for [keys]", style="italic"))
        for keys, description, binding_id in self.rows:
            table.add_row(Text(keys, style="bold"), Text(description), Text(binding_id))
        table.add_row("", "", "")
        table.add_row(Text("Navigation", style="bold underline"), "", "")
        for keys, description in NAVIGATION:
            table.add_row(Text(keys, style="bold"), Text(description), "")
        scroll = VerticalScroll(Static(table, id="help-keys"))
        scroll.border_title = "Keys"
        scroll.border_subtitle = "escape closes · remap keys in config.toml \\[keys]"
        yield scroll

    def action_close(self) -> None:
        self.dismiss(None)
