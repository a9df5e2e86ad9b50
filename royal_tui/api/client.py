"""``ResellerClient``: the async client for the IPRoyal reseller API (see API.md).

Retry policy
    Reads (GET) are retried at most ``max_retries`` times (default 3, so up to **4 attempts**)
    on 429, any 5xx, and transport failures (DNS, refused, TLS, timeouts, dropped connections).
    The wait before retry *n* (0-based) is ``min(backoff * 2**n, max_backoff)`` plus up to
    ``jitter`` × that of random jitter (``rng`` is injectable), unless the answer carried
    ``Retry-After`` (seconds or an HTTP-date), which is honoured, capped at ``max_backoff``.
    Writes (POST) are never retried: they spend money and have no idempotency key.

Write failures
    Failing before anything was sent (connect error/timeout, pool timeout) → ``NetworkError``.
    Failing after (write/read timeout, dropped connection), a 5xx, or a 2xx whose body cannot
    be read → ``OutcomeUnknown``. A 4xx → the matching error, as for reads.

Secrets
    The token lives only in the request headers built per request; it never appears in an
    error message, a ``repr``, a log record or the ``on_response`` hook, and exceptions are
    chained to sanitised copies of httpx's (which would otherwise hold the request headers).
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar

import httpx

from .. import __version__
from . import _http
from . import _parse as p
from .errors import ApiError, AuthError, MalformedResponse, OutcomeUnknown
from .models import (
    AutoExtendSettings,
    Card,
    Order,
    OrderRequest,
    OrdersPage,
    Product,
    Quote,
    auto_extend_from_json,
    balance_from_json,
)

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_TIMEOUT", "ResellerClient"]

DEFAULT_BASE_URL = "https://apid.iproyal.com/v1/reseller"
DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=20.0, write=10.0, pool=5.0)

log = logging.getLogger("royal_tui.api")

T = TypeVar("T")
ResponseHook = Callable[[str, str, "int | None", float], None]


class _Secret:
    """A string that does not show itself in a ``repr`` (debuggers, locals in tracebacks)."""

    __slots__ = ("value",)

    def __init__(self, value: str) -> None:
        self.value = value

    def __repr__(self) -> str:
        return "<redacted>"

    __str__ = __repr__


class ResellerClient:
    """One ``httpx.AsyncClient``, created lazily inside the running loop; use as
    ``async with ResellerClient(token) as api: ...`` or call :meth:`aclose`."""

    def __init__(
        self,
        token: str,
        base_url: str = DEFAULT_BASE_URL,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: httpx.Timeout | None = None,
        max_retries: int = 3,
        backoff: float = 0.5,
        max_backoff: float = 10.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        user_agent: str = f"royal-tui/{__version__}",
        jitter: float = 0.1,
        rng: Callable[[], float] = random.random,
        on_response: ResponseHook | None = None,
    ) -> None:
        token = (token or "").strip()
        if any(not (" " <= ch <= "~") for ch in token):
            # httpx would refuse the header and quote the value in its error.
            raise AuthError(
                "The token contains characters that cannot be sent (line breaks, control or "
                "non-ASCII characters). Paste it again.",
                status=None,
            )
        self._url = _http.normalize_base_url(base_url)
        self._base_url = str(self._url)
        self._host = _http.display_host(self._url)
        self._token = _Secret(token)
        self._transport = transport
        self._timeout = timeout or DEFAULT_TIMEOUT
        self._max_retries = max(0, int(max_retries))
        self._backoff = max(0.0, float(backoff))
        self._max_backoff = max(0.0, float(max_backoff))
        self._jitter = max(0.0, float(jitter))
        self._sleep = sleep
        self._rng = rng
        self._user_agent = user_agent
        self.on_response: ResponseHook | None = on_response
        self._http: httpx.AsyncClient | None = None

    # --- lifecycle ------------------------------------------------------------------------------

    def __repr__(self) -> str:
        return f"ResellerClient(base_url={self._base_url!r})"

    @property
    def base_url(self) -> str:
        """The API root, without a trailing slash."""
        return self._base_url

    @property
    def host(self) -> str:
        """The API host for display (with the port when one is given)."""
        return self._host

    def _client(self) -> httpx.AsyncClient:
        if self._http is None or self._http.is_closed:
            self._http = httpx.AsyncClient(
                transport=self._transport, timeout=self._timeout, follow_redirects=False
            )
        return self._http

    async def __aenter__(self) -> ResellerClient:
        self._client()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._http is not None:
            http, self._http = self._http, None
            await http.aclose()

    # --- endpoints: reads -----------------------------------------------------------------------

    async def products(self) -> tuple[Product, ...]:
        """``GET /products``: the catalog."""
        data = await self._get("/products")
        return tuple(Product.from_json(x) for x in p.items(data, "catalog"))

    async def orders(
        self,
        product_id: int,
        *,
        page: int = 1,
        per_page: int | None = None,
        location_id: int | None = None,
        status: str | None = None,
        note_search: str | None = None,
        order_ids: Sequence[int] | None = None,
        statuses: Sequence[str] | None = None,
        expiring_soon: bool | None = None,
        sort_by: str | None = None,
        order: str | None = None,
    ) -> OrdersPage:
        """``GET /orders``: one page of a product's orders, filtered."""
        if (sort_by is None) != (order is None):
            raise ValueError("sort_by and order must be given together")
        params: list[tuple[str, Any]] = [
            ("product_id", int(product_id)),
            ("page", int(page)),
            ("per_page", None if per_page is None else int(per_page)),
            ("location_id", None if location_id is None else int(location_id)),
            ("status", status or None),
            ("note_search", note_search if note_search and note_search.strip() else None),
            ("order_ids", ",".join(str(int(i)) for i in order_ids) if order_ids else None),
        ]
        params += [("statuses[]", s) for s in statuses or ()]
        params += [
            ("status_is_expiring_soon", expiring_soon),
            ("sort_by", sort_by),
            ("order", order),
        ]
        data = await self._get("/orders", params)
        return OrdersPage.from_json(data)

    async def order(self, order_id: int) -> Order:
        """``GET /orders/{id}``."""
        data = await self._get(f"/orders/{int(order_id)}")
        return Order.from_json(data)

    async def calculate_pricing(
        self,
        product_id: int,
        plan_id: int,
        location_id: int,
        quantity: int,
        *,
        coupon_code: str | None = None,
        order_id: int | None = None,
        answers: Mapping[int, str] | None = None,
    ) -> Quote:
        """``GET /orders/calculate-pricing``; ``order_id`` prices an extension of that order."""
        params: list[tuple[str, Any]] = [
            ("product_id", int(product_id)),
            ("product_plan_id", int(plan_id)),
            ("product_location_id", int(location_id)),
            ("quantity", int(quantity)),
            ("coupon_code", coupon_code if coupon_code and coupon_code.strip() else None),
            ("order_id", None if order_id is None else int(order_id)),
        ]
        params += [
            (f"product_question_answers[{int(qid)}]", answer)
            for qid, answer in (answers or {}).items()
        ]
        data = await self._get("/orders/calculate-pricing", params)
        return Quote.from_json(data)

    async def balance(self) -> Decimal:
        """``GET /balance``: a bare number (also ``{"balance": n}`` or ``{"data": ...}``)."""
        data = await self._get("/balance")
        return balance_from_json(data)

    async def cards(self) -> tuple[Card, ...]:
        """``GET /cards``: saved payment methods."""
        data = await self._get("/cards")
        return tuple(Card.from_json(x) for x in p.items(data, "card list"))

    # --- endpoints: writes (never retried) ------------------------------------------------------

    async def create_order(self, request: OrderRequest) -> Order:
        """``POST /orders``: buy. Spends money; never retried."""
        data = await self._post("/orders", request.to_json())
        return self._parse_written(lambda: Order.from_json(data))

    async def extend_order(
        self,
        order_id: int,
        plan_id: int,
        *,
        card_id: int | None = None,
        proxies: Sequence[str] | None = None,
    ) -> Order:
        """``POST /orders/{id}/extend``. ``proxies`` (IPs) limits it; None extends them all."""
        if proxies is not None and not proxies:
            raise ValueError("proxies must name at least one IP, or be None for all of them")
        body: dict[str, Any] = {"product_plan_id": int(plan_id)}
        if card_id is not None:
            body["card_id"] = int(card_id)
        if proxies is not None:
            body["proxies"] = [str(ip) for ip in proxies]
        data = await self._post(f"/orders/{int(order_id)}/extend", body)
        return self._parse_written(lambda: Order.from_json(data))

    async def toggle_auto_extend(
        self,
        order_id: int,
        is_enabled: bool,
        plan_id: int,
        *,
        payment_type: str = "balance",
        card_id: int | None = None,
    ) -> AutoExtendSettings:
        """``POST /orders/toggle-auto-extend``."""
        body: dict[str, Any] = {
            "order_id": int(order_id),
            "is_enabled": bool(is_enabled),
            "product_plan_id": int(plan_id),
            "payment_type": payment_type,
        }
        if card_id is not None:
            body["card_id"] = int(card_id)
        data = await self._post("/orders/toggle-auto-extend", body, allow_empty=True)
        if data is None:  # e.g. 204 No Content: it worked, and the answer would echo the body
            return AutoExtendSettings(
                int(order_id), bool(is_enabled), int(plan_id), payment_type,
                None if card_id is None else int(card_id),
            )
        return self._parse_written(lambda: auto_extend_from_json(data, int(order_id)))

    # --- machinery ------------------------------------------------------------------------------

    def _headers(self) -> dict[str, str]:
        return {
            "X-Access-Token": self._token.value,
            "Content-Type": "application/json",
            "Accept": "application/json",
            "User-Agent": self._user_agent,
        }

    def _full_url(self, path: str, params: Sequence[tuple[str, Any]] | None) -> httpx.URL:
        query = _http.encode_query(params or ())
        return httpx.URL(self._base_url + path + (f"?{query}" if query else ""))

    async def _send(
        self, method: str, path: str, url: httpx.URL, content: bytes | None
    ) -> httpx.Response:
        started = time.monotonic()
        status: int | None = None
        try:
            response = await self._client().request(
                method, url, content=content, headers=self._headers()
            )
            status = response.status_code
            return response
        finally:
            self._report(method, path, status, time.monotonic() - started)

    def _report(self, method: str, path: str, status: int | None, duration: float) -> None:
        hook = self.on_response
        if hook is None:
            return
        try:
            hook(method, path, status, duration)
        except Exception:  # a logging hook must never break a request
            log.debug("on_response hook failed", exc_info=False)

    def _delay(self, retry: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self._max_backoff)
        base = min(self._backoff * (2**retry), self._max_backoff)
        return min(base * (1 + self._jitter * self._rng()), self._max_backoff)

    async def _get(self, path: str, params: Sequence[tuple[str, Any]] | None = None) -> Any:
        url = self._full_url(path, params)
        attempts = self._max_retries + 1
        for attempt in range(1, attempts + 1):
            cause: BaseException | None = None
            retry_after: float | None = None
            try:
                response = await self._send("GET", path, url, None)
            except httpx.RequestError as exc:
                error = _http.transport_error(exc, self._host, write=False, attempts=attempt)
                retryable = isinstance(exc, httpx.TransportError)
                cause = _http.sanitized_cause(exc, self._token.value)
                what = type(exc).__name__
            else:
                status = response.status_code
                if 200 <= status <= 299:
                    return _http.decode_json(response)
                error = _http.error_for_response(
                    response, write=False, secret=self._token.value, attempts=attempt
                )
                retryable = status == 429 or 500 <= status <= 599
                retry_after = _http.parse_retry_after(response.headers.get("retry-after"))
                what = f"HTTP {status}"
            if not retryable or attempt == attempts:
                raise error from cause
            delay = self._delay(attempt - 1, retry_after)
            log.info(
                "GET %s failed (%s); retry %d of %d in %.2f s",
                path, what, attempt, self._max_retries, delay,
            )
            await self._sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _post(self, path: str, body: Mapping[str, Any], *, allow_empty: bool = False) -> Any:
        """Send once. ``allow_empty``: an empty 2xx answer is success and gives ``None``."""
        url = self._full_url(path, None)
        content = json.dumps(body, separators=(",", ":")).encode()
        cause: BaseException | None = None
        try:
            response = await self._send("POST", path, url, content)
        except httpx.RequestError as exc:
            error: ApiError = _http.transport_error(exc, self._host, write=True)
            cause = _http.sanitized_cause(exc, self._token.value)
        else:
            status = response.status_code
            if 200 <= status <= 299:
                try:
                    return _http.decode_json(response)
                except MalformedResponse:
                    if allow_empty and not response.content.strip():
                        return None
                    raise _unreadable_success(status) from None
            error = _http.error_for_response(response, write=True, secret=self._token.value)
        raise error from cause

    @staticmethod
    def _parse_written(build: Callable[[], T]) -> T:
        """Parse a write's answer; if it cannot be read, the outcome is unknown."""
        try:
            return build()
        except MalformedResponse:
            raise _unreadable_success(None) from None


def _unreadable_success(status: int | None) -> OutcomeUnknown:
    code = f" (HTTP {status})" if status else ""
    return OutcomeUnknown(
        f"The server answered{code} but its answer could not be read, so the outcome is "
        "unknown: the request may or may not have taken effect. Check the orders before "
        "trying again.",
        status=status,
    )

