"""Sandbox options and the per-request policies they drive: rate limit, latency, faults.

Every fault the sandbox injects goes through :class:`FaultInjector` (``fail_rate`` and the scripted
faults of :mod:`royal_tui.sandbox.faults`: 5xx, 429, timeouts, drops, spoiled bodies…).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Callable

from royal_tui.sandbox.faults import (
    DEFAULT_RETRY_AFTER,
    SERVICE_UNAVAILABLE_HTML,
    Fault,
    FaultRecord,
    FaultSpec,
    Script,
    ScriptBook,
    parse_spec,
)

__all__ = [
    "SERVICE_UNAVAILABLE_HTML",
    "Fault",
    "FaultInjector",
    "FaultSpec",
    "RateLimiter",
    "SandboxOptions",
    "parse_spec",
    "utc_now",
]

Clock = Callable[[], datetime]

#: How many orders the demo account has when ``orders`` is not given.
DEFAULT_ORDER_COUNT = 60
DEFAULT_SEED = 20240420


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class SandboxOptions:
    """How a sandbox behaves. All fields are optional; the defaults give the demo account.

    - ``seed``: the demo data's random seed (same seed + same clock → identical account).
    - ``orders``: how many orders to generate (default about 60; 0 gives an empty account).
    - ``vat``: a VAT rate in percent (``None``: the demo account pays no VAT, ``vat: null``).
    - ``provision_delay``: seconds of clock time before an in-progress order gets its proxies.
    - ``rate_limit``: requests per minute (fixed 60 s window on the clock); excess → 429.
    - ``token``: accept only this token; ``None`` accepts any non-empty token.
    - ``latency_ms``: delay each response (the adapters sleep; the handler never does).
    - ``fail_rate``: fraction (0–1) of requests answered 503 with an HTML body (seeded RNG).
    - ``faults``: scripted faults (:class:`FaultSpec` or ``"ENDPOINT:KIND[:COUNT]"`` strings),
      see :mod:`royal_tui.sandbox.faults`; more can be added with ``state.faults.script(...)``.
    - ``clock``: returns an aware UTC ``datetime``; default the real time.
    """

    seed: int = DEFAULT_SEED
    orders: int | None = None
    vat: float | Decimal | None = None
    provision_delay: float = 5.0
    rate_limit: int | None = None
    token: str | None = None
    latency_ms: float = 0
    fail_rate: float = 0.0
    clock: Clock | None = None
    faults: tuple[FaultSpec | str, ...] = ()

    def __post_init__(self) -> None:
        specs = tuple(parse_spec(f) if isinstance(f, str) else f for f in self.faults)
        object.__setattr__(self, "faults", specs)
        if self.orders is not None and self.orders < 0:
            raise ValueError("orders must be 0 or more")
        if not 0.0 <= self.fail_rate <= 1.0:
            raise ValueError("fail_rate must be between 0 and 1")
        if self.rate_limit is not None and self.rate_limit < 1:
            raise ValueError("rate_limit must be at least 1 request a minute")
        if self.provision_delay < 0 or self.latency_ms < 0:
            raise ValueError("provision_delay and latency_ms cannot be negative")
        if self.vat is not None and Decimal(str(self.vat)) < 0:
            raise ValueError("vat cannot be negative")

    @property
    def order_count(self) -> int:
        return DEFAULT_ORDER_COUNT if self.orders is None else self.orders

    @property
    def vat_rate(self) -> Decimal | None:
        return None if self.vat is None else Decimal(str(self.vat))

    @property
    def latency_seconds(self) -> float:
        return self.latency_ms / 1000.0


class RateLimiter:
    """``limit`` requests per fixed 60-second window of the clock (Laravel's throttle).

    The window opens at the first request; a refused request does not count.
    """

    WINDOW = timedelta(seconds=60)

    def __init__(self, limit: int | None, clock: Clock) -> None:
        self.limit = limit
        self._clock = clock
        self._window_start: datetime | None = None
        self._hits = 0

    def hit(self) -> tuple[bool, int, int]:
        """Count one request: ``(allowed, remaining, retry_after_seconds)``."""
        if self.limit is None:
            return True, 0, 0
        now = self._clock()
        if self._window_start is None or now - self._window_start >= self.WINDOW:
            self._window_start, self._hits = now, 0
        if self._hits >= self.limit:
            left = (self._window_start + self.WINDOW - now).total_seconds()
            return False, 0, max(1, math.ceil(left))
        self._hits += 1
        return True, self.limit - self._hits, 0


class FaultInjector:
    """Decides, per request, whether the sandbox misbehaves instead of answering.

    Scripted faults first (:mod:`royal_tui.sandbox.faults`: ``script("pricing", "502-html",
    count=2)``, ``clear()``, ``fired_count(...)``, ``history``), then ``fail_rate`` of requests get
    a 503 HTML page (before any state changes). The ``fail_rate`` RNG is seeded from the options'
    seed, so a run's failures are reproducible; it is not drawn when a script fires.
    """

    def __init__(self, options: SandboxOptions) -> None:
        self.fail_rate = options.fail_rate
        self._rng = random.Random(f"faults:{options.seed}")
        self.book = ScriptBook(tuple(options.faults))

    # -- scripting API ---------------------------------------------------------------------

    def script(self, endpoint: str, kind: str, count: int = 1, *,
               retry_after: int = DEFAULT_RETRY_AFTER) -> Script:
        """The next ``count`` calls (0 = forever) to ``endpoint`` (or ``"*"``) answer ``kind``.

        ``kind`` may be ``"429=5"`` (same as ``kind="429", retry_after=5``). Returns the
        :class:`Script`, whose ``fired`` / ``remaining`` show its progress.
        """
        if "=" in kind:
            spec = parse_spec(f"{endpoint}:{kind}:{count}")
        else:
            spec = FaultSpec(endpoint, kind, count, retry_after)
        return self.book.add(spec)

    def clear(self) -> None:
        """Forget every pending script (what fired stays recorded)."""
        self.book.clear()

    @property
    def scripts(self) -> list[Script]:
        """Scripts still pending."""
        return self.book.pending()

    @property
    def history(self) -> list[FaultRecord]:
        return self.book.history

    @property
    def fired(self):
        """``Counter`` of ``(endpoint, kind)`` → times fired (``kind`` "fail-rate" for fail_rate)."""
        return self.book.fired

    def fired_count(self, endpoint: str | None = None, kind: str | None = None) -> int:
        """How many faults fired, optionally only for an endpoint and/or kind."""
        return sum(n for (e, k), n in self.book.fired.items()
                   if (endpoint in (None, "*") or e == endpoint) and (kind is None or k == kind))

    # -- the hook ----------------------------------------------------------------------------

    def before(self, method: str, route: str) -> Fault | None:
        """Called before the request is handled; a :class:`Fault` short-circuits it (or, when
        ``fault.after``, spoils the answer once the request was handled)."""
        fault = self.book.take(method, route)
        if fault is not None:
            return fault
        if self.fail_rate <= 0:
            return None
        if self._rng.random() < self.fail_rate:
            self.book.record(method, route, "fail-rate")
            return Fault(503, SERVICE_UNAVAILABLE_HTML.encode())
        return None
