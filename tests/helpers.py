"""Plain helpers shared by several test modules (fixtures live in conftest.py)."""

from __future__ import annotations

import traceback

import httpx
from textual.worker import WorkerCancelled, WorkerFailed
from datetime import datetime, timedelta, timezone

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=timezone.utc)


class FakeClock:
    """A clock tests move by hand: ``clock.advance(seconds=6)``."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class Sleeps:
    """An injected sleep: records the delays, returns at once."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


def assert_token_absent(exc: BaseException, token: str) -> None:
    """The token is nowhere: message, repr, traceback text, chained exceptions' requests."""
    text = "".join(traceback.format_exception(exc))
    assert token not in text and token not in repr(exc) and token not in str(exc)
    seen: BaseException | None = exc
    while seen is not None:
        request = getattr(seen, "_request", None)
        assert request is None or token not in str(request.headers.raw)
        if hasattr(seen, "__dict__"):
            assert token not in repr(vars(seen))
        seen = seen.__cause__ or seen.__context__


#: Worker groups that run until the user moves on (polling); tests never wait for them.
BACKGROUND_GROUPS = frozenset({"provisioning"})


async def settle(pilot) -> None:
    """Wait until every request the last action started has been answered and painted."""
    app = pilot.app
    for _ in range(4):
        pending = [w for w in app.workers if w.group not in BACKGROUND_GROUPS and not w.is_finished]
        if not pending:
            break
        try:
            await app.workers.wait_for_complete(pending)
        except (WorkerCancelled, WorkerFailed):
            pass  # a newer action cancelled it, or it failed: what the screen shows is what counts
        await pilot.pause()
    await pilot.pause()


def screen_text(app) -> str:
    """Everything on the terminal right now, as plain text (what a user would read)."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(
        width=width, height=height, file=io.StringIO(), force_terminal=True,
        color_system="truecolor", record=True, legacy_windows=False, safe_box=False,
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text(styles=False)


class InterceptingTransport(httpx.AsyncBaseTransport):
    """Wraps a sandbox transport; ``before(request)`` may delay or fail a request, and
    ``after(request, response)`` may replace what the client receives (e.g. drop the
    connection after the sandbox has already acted on a POST)."""

    def __init__(self, inner, before=None, after=None) -> None:
        self.inner = inner
        self.before = before
        self.after = after

    def __getattr__(self, name):  # requests, exchanges, count, state …
        return getattr(self.inner, name)

    async def handle_async_request(self, request):
        if self.before is not None:
            await self.before(request)
        response = await self.inner.handle_async_request(request)
        if self.after is not None:
            response = await self.after(request, response) or response
        return response

    async def aclose(self) -> None:
        return None


def posts(transport, path_suffix: str = "/orders") -> list:
    """The POST exchanges the sandbox answered whose path ends with ``path_suffix``."""
    return [e for e in transport.exchanges if e.method == "POST" and e.path.rstrip("/").endswith(path_suffix)]


# --- the purchase wizard ------------------------------------------------------------------


async def pick(pilot, list_id: str, option_id) -> None:
    """Highlight an option by id and press enter on it."""
    screen = pilot.app.screen
    options = screen.query_one(list_id)
    options.focus()
    options.highlighted = options.get_option_index(str(option_id))
    await pilot.press("enter")
    await settle(pilot)


async def open_wizard(pilot, *, product=123, plan=456, location=789):
    await settle(pilot)
    await pilot.press("n")
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == "PurchaseScreen"
    await pick(pilot, "#product-list", product)
    if plan is not None:
        await pick(pilot, "#plan-list", plan)
    if location is not None:
        await pick(pilot, "#location-list", location)
    return pilot.app.screen


async def type_into(pilot, selector: str, text: str) -> None:
    pilot.app.screen.query_one(selector).focus()
    await pilot.press(*text)
    await settle(pilot)


# --- shared fixtures' building blocks --------------------------------------------------------


def docs_quote(**overrides):
    """The provider docs' example quote (10 × $3, no discount, 90 more for 5 % off), adjustable."""
    from royal_tui.api.models import Quote

    data = {
        "pre_discount_price": 30, "price_with_vat": 30, "vat": None, "price": 30,
        "pre_discount_price_per_item": 3, "price_per_item": 3, "plan_discount_percent": 0,
        "location_discount_percent": 0, "coupon_discount_percent": 0,
        "quantity_discount_percent": 0, "total_discount_percent": 0,
        "quantity_required_for_next_discount": {"quantity": 90, "discount": 5},
        "message": None,
    }
    data.update(overrides)
    return Quote.from_json(data)


def gated_posts(transport):
    """(gate, transport): every POST waits until ``gate.set()`` — to press confirm twice mid-flight."""
    import asyncio

    gate = asyncio.Event()

    async def before(request) -> None:
        if request.method == "POST":
            await gate.wait()

    return gate, InterceptingTransport(transport, before=before)
