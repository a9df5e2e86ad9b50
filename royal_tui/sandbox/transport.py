"""httpx transports that answer from a :class:`SandboxState` in process (no sockets)::

    state = SandboxState(SandboxOptions(clock=fixed_clock))
    transport = SandboxTransport(state)
    client = httpx.AsyncClient(transport=transport, base_url="https://sandbox.invalid/v1/reseller")

``transport.requests`` logs every request as ``(method, path, query)`` (path as sent, e.g.
``/v1/reseller/orders``; query the decoded string, e.g. ``product_id=123&page=1``; each entry
also has ``.url``, the full URL as sent, and ``.params``, the decoded pairs), and
``transport.exchanges`` adds the decoded JSON body and the answer's status (0 when no answer).
Both logs keep the last ``LOG_LIMIT`` entries (a long demo session must not grow without end);
``transport.count`` still counts every request.

Scripted faults (``state.faults.script(...)``): ``timeout`` / ``timeout-after`` raise
``httpx.ReadTimeout`` at once (after ``latency_ms``; the client's own timeout is not waited for),
``drop`` / ``drop-after`` raise ``httpx.RemoteProtocolError``.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import deque
from typing import NamedTuple
from urllib.parse import parse_qsl, unquote

import httpx

from royal_tui.sandbox.app import SandboxResponse, handle
from royal_tui.sandbox.faults import DROP, TIMEOUT
from royal_tui.sandbox.state import SandboxOptions, SandboxState

#: How many requests (and exchanges) the logs keep; older ones are dropped.
LOG_LIMIT = 10_000


class _Logged(NamedTuple):
    method: str
    path: str
    query: str


class LoggedRequest(_Logged):
    """``(method, path, query)``; ``.url`` is the full URL as sent, ``.params`` the decoded pairs."""

    url: str

    def __new__(cls, method: str, path: str, query: str, url: str = "") -> LoggedRequest:
        self = super().__new__(cls, method, path, query)
        self.url = url
        return self

    @property
    def params(self) -> list[tuple[str, str]]:
        return parse_qsl(self.query, keep_blank_values=True)


class Exchange(NamedTuple):
    method: str
    path: str
    query: str
    json: object
    status: int


class _SandboxTransportBase:
    def __init__(self, state: SandboxState | SandboxOptions | None = None) -> None:
        if not isinstance(state, SandboxState):
            state = SandboxState(state)
        self.state = state
        self.requests: deque[LoggedRequest] = deque(maxlen=LOG_LIMIT)
        self.exchanges: deque[Exchange] = deque(maxlen=LOG_LIMIT)
        self._count = 0

    @property
    def count(self) -> int:
        """Requests answered since the last :meth:`clear` (including those the log dropped)."""
        return self._count

    def clear(self) -> None:
        self.requests.clear()
        self.exchanges.clear()
        self._count = 0

    def _answer(self, request: httpx.Request, body: bytes) -> httpx.Response:
        url = request.url
        raw_query = url.query.decode("ascii", "replace")
        logged = LoggedRequest(request.method, url.path, unquote(raw_query.replace("+", " ")), str(url))
        self.requests.append(logged)
        self._count += 1
        answer: SandboxResponse = handle(
            self.state, request.method, url.path, parse_qsl(raw_query, keep_blank_values=True),
            request.headers.items(), body, base_url=f"{url.scheme}://{url.netloc.decode('ascii')}",
        )
        try:
            decoded = json.loads(body) if body.strip() else None
        except ValueError:
            decoded = None
        status = answer.status if answer.action is None else 0
        self.exchanges.append(Exchange(logged.method, logged.path, logged.query, decoded, status))
        if answer.action == TIMEOUT:
            raise httpx.ReadTimeout("sandbox fault: the server never answered", request=request)
        if answer.action == DROP:
            raise httpx.RemoteProtocolError("sandbox fault: Server disconnected without sending a response.",
                                            request=request)
        return httpx.Response(answer.status, headers=answer.headers, content=answer.body, request=request)


class SandboxTransport(_SandboxTransportBase, httpx.AsyncBaseTransport):
    """Async transport for ``httpx.AsyncClient``; ``latency_ms`` is an ``asyncio.sleep``."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        delay = self.state.options.latency_seconds
        if delay > 0:
            await asyncio.sleep(delay)
        return self._answer(request, body)


class SandboxSyncTransport(_SandboxTransportBase, httpx.BaseTransport):
    """Sync transport for ``httpx.Client``; ``latency_ms`` is a ``time.sleep``."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        delay = self.state.options.latency_seconds
        if delay > 0:
            time.sleep(delay)
        return self._answer(request, body)
