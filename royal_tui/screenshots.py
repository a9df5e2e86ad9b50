"""The README's screenshots: ``python -m royal_tui.screenshots`` writes ``screenshots/*.svg``.

Every screen and dialog of the app, driven by the keyboard (Textual's Pilot) against the
in-process sandbox — the same data as ``royal-tui --demo`` — with the clock frozen at
2026-12-03 12:00 UTC, animations and cursor blink off, user dirs in a temporary folder and an
in-memory keyring, so the files change only when the UI does. Run it after a UI change and look
at the result before committing.

``SHOTS`` is the manifest: one entry per file, each naming the screen that must be on top when
it is taken (``tests/test_screenshots.py`` checks that every screen of ``royal_tui.ui`` has one).

Nothing in the app imports this module: it is a development tool.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Awaitable, Callable, Iterator

from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input
from textual.worker import WorkerCancelled, WorkerFailed

from royal_tui.memory_keyring import memory_keyring
from royal_tui.ui.dialogs.confirm import ConfirmDialog
from royal_tui.ui.dialogs.export import ExportDialog
from royal_tui.ui.dialogs.extend import ExtendDialog
from royal_tui.ui.screens.help import HelpScreen
from royal_tui.ui.screens.login import LoginScreen
from royal_tui.ui.screens.orders import OrdersScreen
from royal_tui.ui.screens.purchase import PurchaseScreen

#: "Now" in every screenshot (and in the tests): demo data and relative times derive from it.
FROZEN_NOW = datetime(2026, 12, 3, 12, 0, 0, tzinfo=timezone.utc)

#: The login screenshot's sandbox accepts only this token; it must appear in no screenshot.
LOGIN_TOKEN = "scr33nshot-S3cret-Tok3n-7c1d"

#: Where the files go: ``screenshots/`` at the top of the checkout.
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "screenshots"

Recipe = Callable[[Pilot], Awaitable[None]]


def frozen_clock() -> datetime:
    return FROZEN_NOW


# --------------------------------------------------------------------------- driving the app
#: Worker groups that run until the user moves on (polling); never waited for.
BACKGROUND_GROUPS = frozenset({"provisioning"})


def _waits_on_screen_below(worker, app) -> bool:
    """A worker of a screen under the top one waits for the dialog above it (the user's answer)."""
    node = worker.node
    if node is app:
        return False
    try:
        screen = node if isinstance(node, Screen) else node.screen
    except Exception:  # noqa: BLE001 - a node no longer mounted
        return False
    return screen is not app.screen


async def settle(pilot: Pilot) -> None:
    """Wait until every request the last action started has been answered and painted."""
    app = pilot.app
    for _ in range(6):
        pending = [
            w for w in app.workers
            if w.group not in BACKGROUND_GROUPS and not w.is_finished and not _waits_on_screen_below(w, app)
        ]
        if not pending:
            break
        try:
            await app.workers.wait_for_complete(pending)
        except (WorkerCancelled, WorkerFailed):
            pass  # a newer action cancelled it, or it failed: what the screen shows is what counts
        await pilot.pause()
    await pilot.pause()


async def press(pilot: Pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


async def pick(pilot: Pilot, list_id: str, option_id) -> None:
    """Highlight an option of an OptionList by id and press enter on it."""
    options = pilot.app.screen.query_one(list_id)
    options.focus()
    options.highlighted = options.get_option_index(str(option_id))
    await press(pilot, "enter")


async def type_into(pilot: Pilot, selector: str, text: str) -> None:
    pilot.app.screen.query_one(selector).focus()
    await press(pilot, *text)


async def open_wizard(pilot: Pilot, *, product=123, plan=456, location=789) -> None:
    await settle(pilot)
    await press(pilot, "n")
    await pick(pilot, "#product-list", product)
    if plan is not None:
        await pick(pilot, "#plan-list", plan)
    if location is not None:
        await pick(pilot, "#location-list", location)


def showing(order_id: int, *then: str) -> Recipe:
    """Filter the table to one order (``i 12345 enter``), then press ``then``."""

    async def recipe(pilot: Pilot) -> None:
        await settle(pilot)
        await press(pilot, "i", *str(order_id), "enter")
        if then:
            await press(pilot, *then)

    return recipe


# --------------------------------------------------------------------------------- recipes
async def orders(pilot: Pilot) -> None:
    """Down the table to order 12345: proxies, a note, answers and an extension in its detail."""
    from royal_tui.ui.widgets.order_detail import OrderDetail

    await settle(pilot)
    detail = pilot.app.screen.query_one(OrderDetail)
    for _ in range(30):
        if detail.order is not None and detail.order.id == 12345:
            break
        await press(pilot, "down")


async def orders_narrow(pilot: Pilot) -> None:
    await settle(pilot)


async def orders_filters(pilot: Pilot) -> None:
    await settle(pilot)
    pilot.app.screen.query_one("#filter-status").value = "confirmed"
    await settle(pilot)
    await press(pilot, "slash", *"pool", "enter")


async def help_screen(pilot: Pilot) -> None:
    await settle(pilot)
    await press(pilot, "question_mark")


async def wizard_product(pilot: Pilot) -> None:
    await settle(pilot)
    await press(pilot, "n")


async def wizard_plan_location(pilot: Pilot) -> None:
    await open_wizard(pilot, location=None)  # the plan chosen, the first place in stock highlighted


async def wizard_details(pilot: Pilot) -> None:
    await open_wizard(pilot, product=124, plan=901, location=2011)
    await type_into(pilot, "#quantity", "60")
    await type_into(pilot, "#coupon", "WELCOME5")


async def wizard_review(pilot: Pilot) -> None:
    await open_wizard(pilot)
    await type_into(pilot, "#quantity", "120")
    await type_into(pilot, "#coupon", "DISCOUNT2024")
    await press(pilot, "ctrl+s")


async def wizard_insufficient(pilot: Pilot) -> None:
    await open_wizard(pilot)
    await type_into(pilot, "#quantity", "1000")
    await press(pilot, "ctrl+s")


async def login(pilot: Pilot) -> None:
    await settle(pilot)
    await type_into(pilot, "#login-token", LOGIN_TOKEN)  # masked: shown as dots


async def load_failure(pilot: Pilot) -> None:
    """Started with the API answering 502 pages (``Shot.faults``): reads tried 4 times, then said."""
    await settle(pilot)


async def refused_toggle(pilot: Pilot) -> None:
    """Auto-extend on for 12345, confirmed with y — and the API refuses (429): a message says so."""
    await showing(12345)(pilot)
    pilot.app.client_transport.state.faults.script("toggle", "429", count=1)
    await press(pilot, "a")
    await press(pilot, "y")


# -------------------------------------------------------------------------------- manifest
@dataclass(frozen=True)
class Shot:
    name: str  # the file: screenshots/<name>.svg
    shows: str  # what it shows (the README's alt text)
    screen: type[Screen]  # the screen on top when it is taken
    recipe: Recipe
    size: tuple[int, int] = (120, 36)
    login: bool = False  # start without a token (the login screen) instead of --demo
    faults: tuple[tuple[str, str, int], ...] = ()  # (endpoint, kind, count) scripted before start

    @property
    def file(self) -> str:
        return f"{self.name}.svg"


SHOTS: tuple[Shot, ...] = (
    Shot("orders", "The orders screen: product tabs, filter bar, orders table and the detail pane",
         OrdersScreen, orders),
    Shot("orders-80x24", "The orders screen in an 80x24 terminal", OrdersScreen, orders_narrow, size=(80, 24)),
    Shot("orders-filters", "Filters in use: confirmed orders whose note mentions “pool”",
         OrdersScreen, orders_filters),
    Shot("help", "The help screen: every key with its binding id", HelpScreen, help_screen),
    Shot("export", "The export dialog for order 12345", ExportDialog, showing(12345, "x")),
    Shot("wizard-1-product", "Purchase wizard, step 1: the product", PurchaseScreen, wizard_product),
    Shot("wizard-2-plan-location", "Purchase wizard, step 2: plan and location, with stock",
         PurchaseScreen, wizard_plan_location),
    Shot("wizard-3-details", "Purchase wizard, step 3: quantity, coupon, questions, payment — and the live quote",
         PurchaseScreen, wizard_details),
    Shot("wizard-4-review", "Purchase wizard, step 4: review, with the amount on the button",
         PurchaseScreen, wizard_review),
    Shot("wizard-insufficient-balance", "Purchase wizard: paying from a balance that is too small is blocked",
         PurchaseScreen, wizard_insufficient),
    Shot("extend", "The extend dialog for order 12345: plans, new expiry, payment and live quote",
         ExtendDialog, showing(12345, "e")),
    Shot("auto-extend", "Turning auto-extend on asks first, saying what will be charged and when",
         ConfirmDialog, showing(12345, "a")),
    Shot("login", "The login screen (the token field is masked)", LoginScreen, login, login=True),
    Shot("failure", "The API is down: what could not be loaded, why, and what to do", OrdersScreen, load_failure,
         faults=(("*", "502-html", 0),)),
    Shot("failure-toast", "A refused request: the message says what did not happen and why",
         OrdersScreen, refused_toggle),
)


# ------------------------------------------------------------------------------ isolation
@contextmanager
def isolated() -> Iterator[Path]:
    """Temporary HOME and XDG dirs, UTC, no token in the environment, an in-memory keyring,
    no typing or quote debounce; everything restored afterwards."""
    import keyring

    saved_env = dict(os.environ)
    saved_keyring = keyring.get_keyring()
    patched = [(PurchaseScreen, "QUOTE_DEBOUNCE_S"), (OrdersScreen, "TYPING_DEBOUNCE_S")]
    saved_attrs = [(cls, name, cls.__dict__[name]) for cls, name in patched if name in cls.__dict__]
    with tempfile.TemporaryDirectory(prefix="royal-tui-screenshots-") as tmp:
        root = Path(tmp)
        home = root / "home"
        (home / "Downloads").mkdir(parents=True)  # the export dialog's default folder
        os.environ["HOME"] = str(home)
        for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            path = root / name.lower()
            path.mkdir()
            os.environ[name] = str(path)
        for name in ("IPROYAL_TOKEN", "IPROYAL_API_URL", "ROYAL_TUI_THEME", "ROYAL_TUI_PAGE_SIZE",
                     "ROYAL_TUI_AUTO_REFRESH", "ROYAL_TUI_PROFILE", "NO_COLOR", "TEXTUAL_ANIMATIONS"):
            os.environ.pop(name, None)
        os.environ["TZ"] = "UTC"
        os.environ["LC_ALL"] = "C.UTF-8"
        keyring.set_keyring(memory_keyring())
        for cls, name, _value in saved_attrs:
            setattr(cls, name, 0.0)
        try:
            yield root
        finally:
            for cls, name, value in saved_attrs:
                setattr(cls, name, value)
            keyring.set_keyring(saved_keyring)
            os.environ.clear()
            os.environ.update(saved_env)


# ------------------------------------------------------------------------------- capturing
def build_app(shot: Shot):
    """The --demo app (or, for the login shot, a token-less app) on an in-process sandbox."""
    from royal_tui.cli import demo_client, demo_transport
    from royal_tui.ui.app import RoyalApp

    async def no_sleep(_seconds: float) -> None:
        return None

    if shot.login:
        from royal_tui.launch import make_app
        from royal_tui.sandbox.options import SandboxOptions
        from royal_tui.sandbox.state import SandboxState
        from royal_tui.sandbox.transport import SandboxTransport

        transport = SandboxTransport(SandboxState(SandboxOptions(clock=frozen_clock, token=LOGIN_TOKEN)))
        app = make_app(base_url="https://sandbox.invalid/v1/reseller", env={}, transport=transport)
        app.now = frozen_clock
    else:
        transport = demo_transport(clock=frozen_clock)
        # Retries back off through this sleep: instant here.
        client = demo_client(clock=frozen_clock, transport=transport, sleep=no_sleep)
        app = RoyalApp(client, token_source="demo", now=frozen_clock)
    for endpoint, kind, count in shot.faults:
        transport.state.faults.script(endpoint, kind, count=count)
    app.client_transport = transport  # recipes script faults through it
    return app


def _steady(app) -> None:
    """No blinking cursor, wherever an input is (including screens below a dialog)."""
    for screen in app.screen_stack:
        for field in screen.query(Input):
            field.cursor_blink = False


async def capture(shot: Shot) -> str:
    """Run the shot's recipe in a headless app and return the SVG."""
    app = build_app(shot)
    app.animation_level = "none"
    async with app.run_test(size=shot.size, notifications=True) as pilot:
        await shot.recipe(pilot)
        await settle(pilot)
        _steady(app)
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        if not isinstance(app.screen, shot.screen):
            raise RuntimeError(
                f"{shot.name}: expected {shot.screen.__name__} on top, found {type(app.screen).__name__}"
            )
        svg = app.export_screenshot(title="royal-tui")
    if LOGIN_TOKEN in svg:
        raise RuntimeError(f"{shot.name}: the token is visible")
    return svg


async def generate(shots: tuple[Shot, ...] | list[Shot], out: Path) -> list[Path]:
    """Write each shot to ``out/<name>.svg``; returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with isolated():
        for shot in shots:
            svg = await capture(shot)
            path = out / shot.file
            path.write_text(svg, encoding="utf-8", newline="\n")
            written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m royal_tui.screenshots",
        description="Write SVG screenshots of every screen and dialog (the README's pictures).",
    )
    parser.add_argument("names", nargs="*", metavar="NAME", help="only these shots (default: all)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"folder to write to (default: {DEFAULT_OUT})")
    parser.add_argument("--list", action="store_true", help="list the shots and exit")
    args = parser.parse_args(argv)
    if args.list:
        for shot in SHOTS:
            print(f"{shot.file:34} {shot.size[0]}x{shot.size[1]}  {shot.shows}")
        return 0
    by_name = {shot.name: shot for shot in SHOTS}
    unknown = [name for name in args.names if name not in by_name]
    if unknown:
        parser.error(f"unknown shot(s): {', '.join(unknown)}; see --list")
    shots = [by_name[name] for name in args.names] if args.names else list(SHOTS)
    for path in asyncio.run(generate(shots, args.out)):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
