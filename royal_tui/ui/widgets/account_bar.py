"""The one-line header: app name, balance, where the token came from, the API host."""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from royal_tui.formatting import money


class AccountBar(Widget):
    """Shows the account at a glance; every value from the API is plain text."""

    DEFAULT_CSS = """
    AccountBar {
        height: 1;
        background: $panel;
        color: $foreground;
        padding: 0 1;
    }
    """

    balance: reactive[Decimal | None] = reactive(None)
    balance_error: reactive[bool] = reactive(False)

    def __init__(self, token_source: str, api_host: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.token_source = token_source
        self.api_host = api_host

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(" royal-tui ", style="bold reverse")
        text.append("  balance ", style="dim")
        if self.balance is not None:
            text.append(money(self.balance), style="bold")
        elif self.balance_error:
            text.append("unavailable", style="italic")
        else:
            text.append("…")
        text.append("   token ", style="dim")
        text.append(self.token_source)
        text.append("   api ", style="dim")
        text.append(self.api_host)
        return text
