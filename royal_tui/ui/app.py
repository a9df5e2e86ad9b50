"""The Textual application: one factory used by the CLI, the tests and the benchmarks."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

from textual.app import App
from textual.binding import Binding

from royal_tui.api.client import ResellerClient
from royal_tui.ui.screens.orders import OrdersScreen

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class RoyalApp(App[None]):
    """royal-tui: IPRoyal proxy orders in the terminal."""

    TITLE = "royal-tui"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
    ]

    def __init__(
        self,
        client: ResellerClient,
        *,
        token_source: str,
        now: Clock = utc_now,
        page_size: int = 25,
    ) -> None:
        super().__init__()
        # Animations cost bytes over SSH and make screens harder to read: off by default.
        self.animation_level = "none"
        self.client = client
        self.token_source = token_source
        self.now = now
        self.page_size = page_size

    def get_default_screen(self) -> OrdersScreen:
        return OrdersScreen()

    async def on_unmount(self) -> None:
        await self.client.aclose()
