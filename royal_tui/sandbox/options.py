"""Sandbox options and the per-request policies they drive: rate limit, latency, faults.

Every fault the sandbox injects goes through :class:`FaultInjector` — one place to extend when
richer fault injection arrives (timeouts, 5xx after the write happened, malformed bodies…).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Callable

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

    def __post_init__(self) -> None:
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


SERVICE_UNAVAILABLE_HTML = (
    "<!DOCTYPE html>\n<html><head><title>503 Service Temporarily Unavailable</title></head>\n"
    "<body><center><h1>503 Service Temporarily Unavailable</h1></center>"
    "<hr><center>nginx</center></body></html>\n"
)


@dataclass(frozen=True)
class Fault:
    """A canned answer that replaces the real one."""

    status: int
    body: bytes
    content_type: str = "text/html; charset=UTF-8"


class FaultInjector:
    """Decides, per request, whether the sandbox misbehaves instead of answering.

    Today: ``fail_rate`` of requests get a 503 HTML page (before any state changes).
    The RNG is seeded from the options' seed, so a run's failures are reproducible.
    """

    def __init__(self, options: SandboxOptions) -> None:
        self.fail_rate = options.fail_rate
        self._rng = random.Random(f"faults:{options.seed}")

    def before(self, method: str, route: str) -> Fault | None:
        """Called before the request is handled; a :class:`Fault` short-circuits it."""
        if self.fail_rate <= 0:
            return None
        if self._rng.random() < self.fail_rate:
            return Fault(503, SERVICE_UNAVAILABLE_HTML.encode())
        return None
