"""Scripted faults per endpoint: "the next N calls to ENDPOINT answer KIND".

From tests::

    state.faults.script("pricing", "502-html", count=2)     # the next 2 pricing calls → 502 HTML
    state.faults.script("balance", "429", retry_after=5)    # one 429 with ``Retry-After: 5``
    state.faults.script("*", "timeout", count=0)            # every call times out, forever
    state.faults.fired_count("pricing", "502-html")         # → how many times it fired
    state.faults.clear()

From the command line: ``royal-tui sandbox --fault pricing:502-html:2 --fault balance:429=5``
(``SandboxOptions(faults=(parse_spec("pricing:502-html:2"),))`` does the same).

SPEC grammar::

    SPEC     := ENDPOINT ":" KIND [ "=" SECONDS ] [ ":" COUNT ]
    ENDPOINT := products | orders | order | pricing | create | extend | toggle | balance | cards | *
    KIND     := 500 | 502-html | 503 | 429 | 429-no-retry-after | timeout | timeout-after
              | drop | drop-after | malformed | truncated | wrong-shape | empty
    SECONDS  := Retry-After of a 429 (integer ≥ 0, default 2); only with KIND 429
    COUNT    := integer ≥ 0, default 1; 0 = forever

Endpoints: ``products`` GET /products, ``orders`` GET /orders (the list), ``order`` GET
/orders/{id}, ``pricing`` GET /orders/calculate-pricing, ``create`` POST /orders, ``extend``
POST /orders/{id}/extend, ``toggle`` POST /orders/toggle-auto-extend, ``balance`` GET /balance,
``cards`` GET /cards; ``*`` is any request (unknown routes included).

Whether the request is handled (state changes happen) before the fault:

- not handled: ``500`` (JSON ``{"message": "Server Error"}``), ``502-html``, ``503`` (HTML
  pages), ``429`` / ``429-no-retry-after`` (JSON ``Too Many Attempts.``), ``timeout`` (no answer
  at all, for GETs and POSTs alike), ``drop`` (connection closed without an answer);
- handled, then the answer is lost: ``timeout-after`` (the state changed, no answer),
  ``drop-after`` (the state changed, connection dropped);
- handled, then the body is replaced by a 200 (so a POST *did* happen): ``malformed`` (invalid
  JSON), ``truncated`` (the real JSON body cut in half), ``wrong-shape`` (``{"unexpected":
  true}`` — for every endpoint, each of which expects either a list, a number or an object with
  other keys), ``empty`` (an empty body).

The adapters turn ``timeout`` into ``httpx.ReadTimeout`` (in-process transports, raised at once,
without waiting for the client's timeout) or into a connection the server holds open without
answering until the client gives up (loopback server); ``drop`` into ``httpx.RemoteProtocolError``
or a socket closed without a response. Scripts are consumed first-come first-served: the oldest
script that matches a request fires (``*`` and named scripts alike); ``fail_rate`` only applies
to a request no script fired for.
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from dataclasses import dataclass

ENDPOINTS = ("products", "orders", "order", "pricing", "create", "extend", "toggle", "balance", "cards")
ANY = "*"
KINDS = (
    "500", "502-html", "503", "429", "429-no-retry-after", "timeout", "timeout-after",
    "drop", "drop-after", "malformed", "truncated", "wrong-shape", "empty",
)
DEFAULT_RETRY_AFTER = 2

#: Kinds that run the request first (its state changes happen) and then spoil the answer.
HANDLED_FIRST = frozenset({"timeout-after", "drop-after", "malformed", "truncated", "wrong-shape", "empty"})

TIMEOUT = "timeout"
DROP = "drop"

_JSON = "application/json"
_HTML = "text/html; charset=UTF-8"

SERVICE_UNAVAILABLE_HTML = (
    "<!DOCTYPE html>\n<html><head><title>503 Service Temporarily Unavailable</title></head>\n"
    "<body><center><h1>503 Service Temporarily Unavailable</h1></center>"
    "<hr><center>nginx</center></body></html>\n"
)
BAD_GATEWAY_HTML = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n"
)
MALFORMED_BODY = b'{"data": [{"id": 1, "status": "confirmed",,}], "meta": {'
WRONG_SHAPE_BODY = b'{"unexpected":true}'

_ROUTES = [
    ("GET", re.compile(r"/products"), "products"),
    ("GET", re.compile(r"/orders"), "orders"),
    ("GET", re.compile(r"/orders/calculate-pricing"), "pricing"),
    ("GET", re.compile(r"/orders/\d+"), "order"),
    ("POST", re.compile(r"/orders"), "create"),
    ("POST", re.compile(r"/orders/\d+/extend"), "extend"),
    ("POST", re.compile(r"/orders/toggle-auto-extend"), "toggle"),
    ("GET", re.compile(r"/balance"), "balance"),
    ("GET", re.compile(r"/cards"), "cards"),
]


def endpoint_of(method: str, route: str) -> str | None:
    """The endpoint name of a request (``route`` without the ``/v1/reseller`` prefix), or None."""
    route = "/" + route.strip("/")
    for wanted, pattern, name in _ROUTES:
        if method.upper() == wanted and pattern.fullmatch(route):
            return name
    return None


@dataclass(frozen=True)
class Fault:
    """A canned answer that replaces the real one.

    ``action`` is ``None`` (answer with status/headers/body), ``"timeout"`` (never answer) or
    ``"drop"`` (close the connection without answering). ``after``: handle the request first.
    ``kind`` names the scripted kind (``""`` for ``fail_rate``'s 503).
    """

    status: int
    body: bytes
    content_type: str = _HTML
    headers: tuple[tuple[str, str], ...] = ()
    action: str | None = None
    after: bool = False
    kind: str = ""


def make_fault(kind: str, retry_after: int = DEFAULT_RETRY_AFTER) -> Fault:
    if kind == "500":
        return Fault(500, b'{"message":"Server Error"}', _JSON, kind=kind)
    if kind == "502-html":
        return Fault(502, BAD_GATEWAY_HTML.encode(), kind=kind)
    if kind == "503":
        return Fault(503, SERVICE_UNAVAILABLE_HTML.encode(), kind=kind)
    if kind in ("429", "429-no-retry-after"):
        headers = (("Retry-After", str(retry_after)),) if kind == "429" else ()
        return Fault(429, b'{"message":"Too Many Attempts."}', _JSON, headers, kind=kind)
    if kind in ("timeout", "timeout-after"):
        return Fault(0, b"", _JSON, action=TIMEOUT, after=kind in HANDLED_FIRST, kind=kind)
    if kind in ("drop", "drop-after"):
        return Fault(0, b"", _JSON, action=DROP, after=kind in HANDLED_FIRST, kind=kind)
    if kind == "malformed":
        return Fault(200, MALFORMED_BODY, _JSON, after=True, kind=kind)
    if kind == "truncated":
        return Fault(200, b"", _JSON, after=True, kind=kind)  # the body is cut by :func:`truncate`
    if kind == "wrong-shape":
        return Fault(200, WRONG_SHAPE_BODY, _JSON, after=True, kind=kind)
    if kind == "empty":
        return Fault(200, b"", _JSON, after=True, kind=kind)
    raise ValueError(f"unknown fault kind {kind!r} (one of: {', '.join(KINDS)})")


def truncate(body: bytes) -> bytes:
    """The first half of a JSON body — never valid JSON (a bare number gets an open quote)."""
    cut = body[: len(body) // 2] or b"{"
    try:
        json.loads(cut)
    except ValueError:
        return cut
    return b'"' + cut


@dataclass(frozen=True)
class FaultSpec:
    """One ``ENDPOINT:KIND[=SECONDS][:COUNT]`` (``count`` 0 = forever)."""

    endpoint: str
    kind: str
    count: int = 1
    retry_after: int = DEFAULT_RETRY_AFTER

    def __post_init__(self) -> None:
        if self.endpoint != ANY and self.endpoint not in ENDPOINTS:
            raise ValueError(f"unknown endpoint {self.endpoint!r} (one of: {', '.join(ENDPOINTS)}, *)")
        if self.kind not in KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r} (one of: {', '.join(KINDS)})")
        if self.count < 0:
            raise ValueError("a fault's count must be 0 (forever) or more")
        if self.retry_after < 0:
            raise ValueError("Retry-After cannot be negative")


def parse_spec(text: str) -> FaultSpec:
    """``"pricing:502-html:2"`` → ``FaultSpec("pricing", "502-html", 2)``; ``ValueError`` if bad."""
    parts = text.strip().split(":")
    if len(parts) not in (2, 3) or not all(parts):
        raise ValueError(f"{text!r} is not ENDPOINT:KIND[:COUNT] (e.g. pricing:502-html:2)")
    endpoint, kind = parts[0].strip().lower(), parts[1].strip().lower()
    retry_after = DEFAULT_RETRY_AFTER
    if "=" in kind:
        kind, _, seconds = kind.partition("=")
        if kind != "429":
            raise ValueError(f"{text!r}: only 429 takes =SECONDS (its Retry-After)")
        if not seconds.isdigit():
            raise ValueError(f"{text!r}: Retry-After must be a whole number of seconds")
        retry_after = int(seconds)
    count = 1
    if len(parts) == 3:
        if not parts[2].strip().isdigit():
            raise ValueError(f"{text!r}: COUNT must be a whole number (0 = forever)")
        count = int(parts[2])
    return FaultSpec(endpoint, kind, count, retry_after)


@dataclass
class Script:
    """A scripted fault being served: ``remaining`` is ``None`` when it lasts forever."""

    spec: FaultSpec
    remaining: int | None
    fired: int = 0

    @property
    def endpoint(self) -> str:
        return self.spec.endpoint

    @property
    def kind(self) -> str:
        return self.spec.kind

    @property
    def active(self) -> bool:
        return self.remaining is None or self.remaining > 0


@dataclass
class FaultRecord:
    """One fault that fired: the request's method, route and endpoint (None: unknown route)."""

    method: str
    route: str
    endpoint: str | None
    kind: str


class ScriptBook:
    """The scripts of one sandbox, and what fired. Thread-safe (its own lock)."""

    def __init__(self, specs: tuple[FaultSpec, ...] = ()) -> None:
        self._lock = threading.Lock()
        self.scripts: list[Script] = []
        #: Every fault that fired, oldest first (scripted kinds; ``fail_rate`` records "fail-rate").
        self.history: list[FaultRecord] = []
        #: ``(endpoint, kind)`` → times fired; endpoint is the request's (never "*"), or the route.
        self.fired: Counter[tuple[str, str]] = Counter()
        for spec in specs:
            self.add(spec)

    def add(self, spec: FaultSpec) -> Script:
        script = Script(spec, None if spec.count == 0 else spec.count)
        with self._lock:
            self.scripts.append(script)
        return script

    def take(self, method: str, route: str) -> Fault | None:
        endpoint = endpoint_of(method, route)
        with self._lock:
            for script in self.scripts:
                if not script.active or script.endpoint not in (ANY, endpoint):
                    continue
                if script.remaining is not None:
                    script.remaining -= 1
                script.fired += 1
                self._record(method, route, endpoint, script.kind)
                self.scripts = [s for s in self.scripts if s.active]
                return make_fault(script.kind, script.spec.retry_after)
        return None

    def record(self, method: str, route: str, kind: str) -> None:
        with self._lock:
            self._record(method, route, endpoint_of(method, route), kind)

    def _record(self, method: str, route: str, endpoint: str | None, kind: str) -> None:
        self.history.append(FaultRecord(method, route, endpoint, kind))
        self.fired[(endpoint or route, kind)] += 1

    def clear(self) -> None:
        with self._lock:
            self.scripts.clear()

    def pending(self) -> list[Script]:
        with self._lock:
            return [script for script in self.scripts if script.active]


__all__ = [
    "ANY",
    "DEFAULT_RETRY_AFTER",
    "ENDPOINTS",
    "KINDS",
    "Fault",
    "FaultRecord",
    "FaultSpec",
    "Script",
    "ScriptBook",
    "endpoint_of",
    "make_fault",
    "parse_spec",
    "truncate",
]
