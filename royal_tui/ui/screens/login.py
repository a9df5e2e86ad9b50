"""The login screen: a masked token field, a check against the API, then where to keep it."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from royal_tui.api.errors import ApiError, AuthError
from royal_tui.ui.widgets.limited_input import LimitedInput


@dataclass(frozen=True)
class Login:
    """A token that the API accepted, and where it was kept."""

    token: str
    source: str  # "keyring", "file" or "session"

    def __repr__(self) -> str:  # never show the token, not even in a debugger
        return f"Login(token=<redacted>, source={self.source!r})"


class LoginScreen(ModalScreen[Login | None]):
    """Asks for the API token; checks it with ``GET /balance`` before keeping it anywhere."""

    DEFAULT_CSS = """
    LoginScreen {
        align: center middle;
    }
    LoginScreen > Vertical {
        width: 80;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $primary;
        border-title-style: bold;
        background: $surface;
        padding: 1 2;
    }
    LoginScreen #login-why {
        color: $warning;
        height: auto;
        margin-bottom: 1;
    }
    LoginScreen #login-why.-empty, LoginScreen #login-error.-empty {
        display: none;
    }
    LoginScreen #login-error {
        color: $error;
        height: auto;
    }
    LoginScreen .field-label {
        color: $accent;
        text-style: bold;
        margin-top: 1;
    }
    LoginScreen RadioSet {
        width: 100%;
    }
    LoginScreen #login-buttons {
        height: auto;
        margin-top: 1;
    }
    LoginScreen #login-buttons Button {
        margin-right: 2;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="Close without logging in", id="login.cancel")]

    def __init__(self, *, reason: str = "", profile: str = "default", keyring_ok: bool = True) -> None:
        super().__init__()
        self.reason = reason
        self.profile = profile
        self.keyring_ok = keyring_ok
        self.checking = False

    def compose(self) -> ComposeResult:
        box = Vertical()
        box.border_title = "Log in to the IPRoyal reseller API"
        with box:
            yield Static(self.reason, id="login-why", classes="" if self.reason else "-empty", markup=False)
            yield Label("API token", classes="field-label")
            yield LimitedInput(placeholder="paste your token (hidden)", password=True, id="login-token", max_length=512, what="the token")
            yield Label("Keep it", classes="field-label")
            yield RadioSet(
                RadioButton("in the OS keyring", value=self.keyring_ok, id="keep-keyring", disabled=not self.keyring_ok),
                RadioButton("in a file only you can read (0600)", id="keep-file"),
                RadioButton("for this session only", value=not self.keyring_ok, id="keep-session"),
                id="login-keep",
            )
            yield Static("", id="login-error", classes="-empty", markup=False)
            with Horizontal(id="login-buttons"):
                yield Button("Check and log in", id="login-go", variant="primary")
                yield Button("Cancel", id="login-cancel")

    def on_mount(self) -> None:
        self.query_one("#login-token", Input).focus()

    @on(LimitedInput.Refused)
    def refused(self, event: LimitedInput.Refused) -> None:
        event.stop()
        self.say(event.message)

    def say(self, message: str) -> None:
        widget = self.query_one("#login-error", Static)
        widget.update(message)
        widget.set_class(not message, "-empty")

    @property
    def keep(self) -> str:
        pressed = self.query_one("#login-keep", RadioSet).pressed_button
        return (pressed.id or "keep-session").removeprefix("keep-") if pressed else "session"

    @on(Input.Submitted, "#login-token")
    @on(Button.Pressed, "#login-go")
    def go(self) -> None:
        if self.checking:
            return
        token = self.query_one("#login-token", Input).value.strip()
        if not token:
            self.say("Paste the API token from the IPRoyal dashboard first.")
            return
        if any(ch.isspace() or not ch.isprintable() for ch in token):
            self.say("A token has no spaces or control characters — check what was pasted.")
            return
        self.checking = True
        self.query_one("#login-go", Button).disabled = True
        self.say("Checking the token…")
        self.check(token, self.keep)

    @work(group="login", exclusive=True, exit_on_error=False)
    async def check(self, token: str, keep: str) -> None:
        try:
            await self.app.check_token(token)
        except AuthError:
            self.fail("That token was refused by the API (401). Check it and try again.")
            return
        except ApiError as error:
            self.fail(f"Could not check the token: {error.message}")
            return
        if keep != "session":
            problem = await self.app.store_token(token, keep, self.profile)
            if problem is not None:
                self.fail(f"{problem} Choose another place to keep it.")
                return
        self.dismiss(Login(token, keep))

    def fail(self, message: str) -> None:
        self.checking = False
        self.query_one("#login-go", Button).disabled = False
        self.say(message)

    @on(Button.Pressed, "#login-cancel")
    def action_cancel(self) -> None:
        if not self.checking:
            self.dismiss(None)
