"""Plain helpers shared by several test modules (fixtures live in conftest.py)."""

from __future__ import annotations

import traceback
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
        await app.workers.wait_for_complete(pending)
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
