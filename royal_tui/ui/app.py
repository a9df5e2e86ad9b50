"""The Textual application: one factory used by the CLI, the tests and the benchmarks."""

from __future__ import annotations

import asyncio
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
        Binding("ctrl+l", "redraw", "Redraw", show=False,
                tooltip="Draw the whole screen again", id="app.redraw"),
    ]

    def __init__(
        self,
        client: ResellerClient | None,
        *,
        token_source: str,
        now: Clock = utc_now,
        config: Config | None = None,
        page_size: int | None = None,
        warnings: Iterable[str] = (),
        client_factory: Callable[[str], ResellerClient] | None = None,
        login_reason: str = "",
        keyring_ok: bool = True,
    ) -> None:
        super().__init__()
        # Animations cost bytes over SSH and make screens harder to read: off by default.
        self.animation_level = "none"
        self.client = client
        self.client_factory = client_factory
        self.api_host = client.host if client is not None else (client_factory("-").host if client_factory else "")
        self.login_reason = login_reason
        self.keyring_ok = keyring_ok
        self.token_source = token_source
        self.now = now
        self.config = config or Config()
        self.page_size = page_size or self.config.page_size
        self.startup_warnings = list(warnings)

    def get_driver_class(self):
        """The platform's driver, writing fewer bytes per frame (see ``terminal_output``)."""
        from royal_tui.ui.terminal_output import squeezing_driver

        return squeezing_driver(super().get_driver_class())

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
        if self.client is None:
            self.request_login(self.login_reason)

    # ----------------------------------------------------------------- the token
    def request_login(self, reason: str = "") -> None:
        """Show the login screen over wherever the user is (once), then carry on from there."""
        from royal_tui.ui.screens.login import LoginScreen

        if self.client_factory is None or any(isinstance(s, LoginScreen) for s in self.screen_stack):
            return
        self.push_screen(
            LoginScreen(reason=reason, profile=self.config.profile, keyring_ok=self.keyring_ok), self.logged_in
        )

    async def logged_in(self, login) -> None:
        if login is None:
            if self.client is None:
                self.notify(
                    "Not logged in. Press ctrl+p and choose “Log in”, or quit with ctrl+q.",
                    severity="warning", markup=False,
                )
            return
        old, self.client = self.client, self.client_factory(login.token)
        self.token_source = login.source
        if old is not None:
            await old.aclose()
        self.refresh_orders_screen()

    def refresh_orders_screen(self) -> None:
        from royal_tui.ui.widgets.account_bar import AccountBar

        screen = self.screen_stack[0]
        for bar in screen.query(AccountBar):
            bar.token_source = self.token_source
            bar.refresh()
        if hasattr(screen, "action_refresh"):
            screen.action_refresh()

    async def check_token(self, token: str) -> None:
        """``GET /balance`` with this token; raises AuthError when it is refused."""
        client = self.client_factory(token)
        try:
            await client.balance()
        finally:
            await client.aclose()

    async def store_token(self, token: str, keep: str, profile: str) -> str | None:
        """Keep the token in the keyring or the 0600 file; a problem comes back as plain text."""
        from royal_tui import credentials

        try:
            if keep == "keyring":
                await credentials.akeyring_set(profile, token)
            elif keep == "file":
                await asyncio.to_thread(credentials.store_in_file, token)
        except credentials.KeyringUnavailable as error:
            return error.problem.message
        except (OSError, ValueError) as error:
            return f"Could not store the token: {getattr(error, 'strerror', None) or error}."
        return None

    async def action_log_out(self) -> None:
        """Forget the token wherever it is stored, and ask for one again."""
        from royal_tui import credentials

        removed = await credentials.aclear(self.config.profile)
        if self.client is not None:
            await self.client.aclose()
        self.client = None
        self.token_source = "none"
        where = ", ".join(removed) if removed else "nowhere (it was only in this session or the environment)"
        self.notify(f"Logged out; the token was removed from {where}.", markup=False)
        self.request_login("Logged out. Log in with a token to continue.")

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
        if self.client is not None:
            await self.client.aclose()

    def action_redraw(self) -> None:
        """Write every cell again: the terminal output only sends cells that changed, so a screen
        another program wrote over (a ``wall`` message, stray output) is repaired only by this."""
        forget = getattr(self._driver, "forget_screen", None)
        if forget is not None:
            forget()
        self.screen.refresh()

    def action_help(self) -> None:
        from royal_tui.ui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every action of the screen and the app, in the command palette."""
        yield from super().get_system_commands(screen)
        if self.client_factory is not None:
            yield SystemCommand("Log out", "Forget the stored API token and ask for one", self.action_log_out)
            yield SystemCommand("Log in", "Enter another API token", self.request_login)
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
