"""The Textual application: one factory used by the CLI, the tests and the benchmarks."""

from __future__ import annotations

from datetime import datetime, timezone
from functools import partial
from typing import Callable, Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from royal_tui.api.client import ResellerClient
from royal_tui.config import Config
from royal_tui.ui.screens.orders import OrdersScreen

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class RoyalApp(App[None]):
    """royal-tui: IPRoyal proxy orders in the terminal."""

    TITLE = "royal-tui"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("q", "quit", "Quit", tooltip="Quit royal-tui", id="app.quit"),
        Binding("question_mark,f1", "help", "Help", tooltip="Show every key", id="app.help"),
    ]

    def __init__(
        self,
        client: ResellerClient,
        *,
        token_source: str,
        now: Clock = utc_now,
        config: Config | None = None,
        page_size: int | None = None,
        warnings: Iterable[str] = (),
    ) -> None:
        super().__init__()
        # Animations cost bytes over SSH and make screens harder to read: off by default.
        self.animation_level = "none"
        self.client = client
        self.token_source = token_source
        self.now = now
        self.config = config or Config()
        self.page_size = page_size or self.config.page_size
        self.startup_warnings = list(warnings)

    def get_default_screen(self) -> OrdersScreen:
        return OrdersScreen()

    def on_mount(self) -> None:
        if self.config.theme in self.available_themes:
            self.theme = self.config.theme
        else:
            self.startup_warnings.append(
                f"Unknown theme {self.config.theme!r}; available: {', '.join(sorted(self.available_themes))}."
            )
        if self.config.keys:
            self.set_keymap(dict(self.config.keys))
        for warning in self.startup_warnings:
            self.notify(warning, title="Configuration", severity="warning", timeout=10, markup=False)

    async def action_quit(self) -> None:
        """Quit — but never while a paid request is in flight: its outcome must be seen."""
        if any(w.group == "paid" and not w.is_finished for w in self.workers):
            self.notify(
                "A purchase is being sent — wait for its outcome before quitting.",
                severity="warning",
                markup=False,
            )
            return
        await super().action_quit()

    async def on_unmount(self) -> None:
        await self.client.aclose()

    def action_help(self) -> None:
        from royal_tui.ui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every action of the screen and the app, in the command palette."""
        yield from super().get_system_commands(screen)
        products = getattr(screen, "products", ())
        for binding, node, key in bindings_of(screen):
            if binding.id and binding.id.startswith("orders.tab_"):
                number = int(binding.id.removeprefix("orders.tab_"))
                if number <= len(products):
                    name = products[number - 1].name
                    yield SystemCommand(
                        f"Show {name} orders", f"Switch to the {name} tab ({key})",
                        partial(self.run_action, binding.action, node),
                    )
                continue
            if binding.id in ("app.quit",):
                continue  # Textual's own palette already offers Quit
            yield SystemCommand(
                binding.tooltip or binding.description,
                f"Key: {key}",
                partial(self.run_action, binding.action, node),
            )


def bindings_of(screen: Screen) -> list[tuple[Binding, object, str]]:
    """(binding, its node, the keys shown) for the screen's and the app's own bindings.

    Keys reflect the user's remaps; one entry per binding id, all of its keys joined
    ("? / f1"); widget bindings (the table's cursor keys) are left out.
    """
    app = screen.app
    by_id: dict[str, tuple[Binding, object, list[str]]] = {}
    for node in (screen, app):
        for bindings in node._bindings.key_to_bindings.values():
            for binding in bindings:
                if binding.id is None:
                    continue
                shown = app.get_key_display(binding)
                if binding.id not in by_id:
                    by_id[binding.id] = (binding, node, [shown])
                elif shown not in by_id[binding.id][2]:
                    by_id[binding.id][2].append(shown)
    order = {b.id: i for i, b in enumerate([*type(screen).BINDINGS, *type(app).BINDINGS])}
    found = sorted(by_id.values(), key=lambda item: order.get(item[0].id, len(order)))
    return [(binding, node, " / ".join(keys)) for binding, node, keys in found]
