"""Shared test fixtures: a frozen clock, isolated user dirs, the demo app.

Async tests use the anyio pytest plugin (anyio ships with httpx), so no extra
plugin is needed: mark them ``@pytest.mark.anyio``.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
import respx
from helpers import Sleeps

from royal_tui.api.client import DEFAULT_BASE_URL

#: "Now" for every test that shows dates: demo data and relative times derive from it.
FROZEN_NOW = datetime(2026, 12, 3, 12, 0, 0, tzinfo=timezone.utc)


def frozen_clock() -> datetime:
    return FROZEN_NOW


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path, monkeypatch):
    """Config, data, state and cache dirs point into the test's tmp dir; no real env token."""
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        path = tmp_path / name.lower()
        path.mkdir()
        monkeypatch.setenv(name, str(path))
    monkeypatch.delenv("IPROYAL_TOKEN", raising=False)
    monkeypatch.delenv("IPROYAL_API_URL", raising=False)
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("LC_ALL", "C.UTF-8")


@pytest.fixture(autouse=True)
def memory_keyring():
    """Every test gets an empty in-memory keyring (the real-keyring test opts out)."""
    import keyring

    from royal_tui.memory_keyring import memory_keyring as new_memory_keyring

    previous = keyring.get_keyring()
    memory = new_memory_keyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(previous)


@pytest.fixture
def clock():
    return frozen_clock


@pytest.fixture
def demo_transport():
    """A fresh in-process sandbox transport at the frozen clock (its request log is inspectable)."""
    from royal_tui.cli import demo_transport as make

    return make(clock=frozen_clock)


@pytest.fixture
def demo_app():
    """Build the --demo app against an in-process sandbox at the frozen clock."""
    from royal_tui.cli import demo_client
    from royal_tui.ui.app import RoyalApp

    async def no_sleep(_seconds: float) -> None:
        return None

    def build(transport=None, **kwargs) -> RoyalApp:
        # Retries back off through this sleep: instant in tests.
        client = demo_client(clock=frozen_clock, transport=transport, sleep=no_sleep)
        return RoyalApp(client, token_source="demo", now=frozen_clock, **kwargs)

    return build


@pytest.fixture
def api():
    """respx mock of the real API root (nothing leaves the process)."""
    with respx.mock(base_url=DEFAULT_BASE_URL, assert_all_called=False) as router:
        yield router


@pytest.fixture
def sleeps() -> Sleeps:
    """The client's injected sleep: records retry delays instead of waiting."""
    return Sleeps()
