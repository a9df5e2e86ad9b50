"""The sandbox as a pure request handler: (method, path, query, headers, body) → response.

No sockets, no sleeping: :mod:`transport` and :mod:`server` adapt it to httpx and to HTTP.
Order of checks for every request: fault injection (scripted faults, then ``fail_rate``'s 503
HTML; see :mod:`faults` — some kinds let the request be handled, then spoil the answer) → route
(404 / 405) → token (401) → rate limit (429 + ``Retry-After``) → time-driven changes (:meth:`SandboxState.tick`)
→ body parsing (400 for malformed JSON) → the endpoint (422 / 404 / 200).

Paths may carry the ``/v1/reseller`` prefix or not; a trailing slash is ignored.
"""

from __future__ import annotations

import hmac
import json
import math
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping
from urllib.parse import parse_qsl

from royal_tui.sandbox import operations
from royal_tui.sandbox.errors import Errors, SandboxError
from royal_tui.sandbox.faults import Fault, truncate
from royal_tui.sandbox.pricing import number
from royal_tui.sandbox.state import SORT_KEYS, OrderQuery, SandboxState

PREFIX = "/v1/reseller"
DEFAULT_BASE_URL = "https://sandbox.invalid"
DEFAULT_PER_PAGE = 15
MAX_PER_PAGE = 100

Query = list[tuple[str, str]]


@dataclass
class SandboxResponse:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    #: ``None``: send this answer. ``"timeout"``: never answer. ``"drop"``: close the connection
    #: without an answer (the adapters act on it; ``status`` is then 0, or the real status of a
    #: request that was handled before the answer got lost).
    action: str | None = None

    def json(self) -> object:
        return json.loads(self.body)

    def header(self, name: str) -> str | None:
        return next((value for key, value in self.headers if key.lower() == name.lower()), None)


@dataclass
class Request:
    method: str
    path: str
    query: Query
    body: bytes
    base_url: str
    params: tuple[str, ...] = ()

    def last(self, name: str) -> str | None:
        values = [value for key, value in self.query if key == name]
        return values[-1] if values else None

    def many(self, name: str) -> list[str]:
        """Values of ``name``, ``name[]`` and ``name[N]`` (PHP's ``http_build_query`` style)."""
        pattern = re.compile(rf"^{re.escape(name)}(\[\d*\])?$")
        return [value for key, value in self.query if pattern.match(key)]

    def scalars(self) -> dict[str, str]:
        return {key: value for key, value in self.query if "[" not in key}

    def json_body(self) -> dict:
        if not self.body.strip():
            return {}
        try:
            data = json.loads(self.body)
        except (ValueError, UnicodeDecodeError):
            raise SandboxError("The request body is not valid JSON.", status=400) from None
        if not isinstance(data, dict):
            raise SandboxError("The request body must be a JSON object.", status=400)
        return data


def handle(
    state: SandboxState,
    method: str,
    path: str,
    query: Iterable[tuple[str, str]] | str = (),
    headers: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
    body: bytes = b"",
    base_url: str = DEFAULT_BASE_URL,
) -> SandboxResponse:
    """Answer one request. ``query`` is decoded pairs or a raw query string; ``base_url`` is
    ``scheme://host[:port]`` (it only appears in ``meta.path``)."""
    path, _, raw_query = path.partition("?")
    pairs: Query = parse_qsl(query, keep_blank_values=True) if isinstance(query, str) else list(query)
    if raw_query:
        pairs = parse_qsl(raw_query, keep_blank_values=True) + pairs
    header_map = {k.lower(): v for k, v in (headers.items() if isinstance(headers, Mapping) else headers or ())}
    route = path[len(PREFIX):] if path.startswith(PREFIX) else path
    route = "/" + route.strip("/")
    request = Request(method.upper(), path, pairs, body, base_url.rstrip("/"))
    with state.lock:
        fault = state.faults.before(request.method, route)
        if fault is not None and not fault.after:
            headers = [("Content-Type", fault.content_type), *fault.headers]
            return SandboxResponse(fault.status, headers, fault.body, action=fault.action)
        answer = _dispatch(state, request, route, header_map)
        return answer if fault is None else _spoil(answer, fault)


def _dispatch(state: SandboxState, request: Request, route: str, header_map: dict[str, str]) -> SandboxResponse:
    extra: list[tuple[str, str]] = []
    try:
        endpoint = _resolve(request, route)
        _authenticate(state, header_map)
        extra = _throttle(state)
        state.tick()
        payload = endpoint(state, request)
        return _json(200, payload, extra)
    except SandboxError as error:
        return _json(error.status, error.body(), extra + list(error.headers.items()))
    except Exception:  # a sandbox bug must not take the client down with it
        return _json(500, {"message": "Server Error"}, extra)


def _spoil(answer: SandboxResponse, fault: Fault) -> SandboxResponse:
    """The answer of a request that was handled, spoiled by a ``fault.after`` fault."""
    if fault.action is not None:  # timeout-after / drop-after: the real answer never leaves
        answer.action = fault.action
        return answer
    body = truncate(answer.body) if fault.kind == "truncated" else fault.body
    headers = [("Content-Type", fault.content_type), ("Cache-Control", "no-cache, private")]
    return SandboxResponse(200, headers, body)


def _json(status: int, payload: object, headers: list[tuple[str, str]]) -> SandboxResponse:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    base = [("Content-Type", "application/json"), ("Cache-Control", "no-cache, private")]
    return SandboxResponse(status, base + headers, body)


def _authenticate(state: SandboxState, headers: dict[str, str]) -> None:
    token = headers.get("x-access-token", "").strip()
    expected = state.options.token
    if not token or (expected is not None and not hmac.compare_digest(token.encode(), expected.encode())):
        raise SandboxError("Unauthenticated.", status=401)


def _throttle(state: SandboxState) -> list[tuple[str, str]]:
    allowed, remaining, retry_after = state.limiter.hit()
    if state.limiter.limit is None:
        return []
    headers = [("X-RateLimit-Limit", str(state.limiter.limit)), ("X-RateLimit-Remaining", str(remaining))]
    if not allowed:
        raise SandboxError("Too Many Attempts.", status=429, headers={
            "Retry-After": str(retry_after), "X-RateLimit-Limit": str(state.limiter.limit),
            "X-RateLimit-Remaining": "0"})
    return headers


# -- endpoints ------------------------------------------------------------------------------

Endpoint = Callable[[SandboxState, Request], object]


def _products(state: SandboxState, request: Request) -> object:
    return state.catalog.to_json()


def _balance(state: SandboxState, request: Request) -> object:
    return number(state.balance)


def _cards(state: SandboxState, request: Request) -> object:
    return {"data": [dict(card) for card in state.cards]}


def _order(state: SandboxState, request: Request) -> object:
    return state.order(int(request.params[0])).to_json()


def _pricing(state: SandboxState, request: Request) -> object:
    return operations.calculate_pricing(state, request.scalars())


def _create(state: SandboxState, request: Request) -> object:
    return operations.create_order(state, request.json_body())


def _extend(state: SandboxState, request: Request) -> object:
    return operations.extend_order(state, int(request.params[0]), request.json_body())


def _toggle(state: SandboxState, request: Request) -> object:
    return operations.toggle_auto_extend(state, request.json_body())


def _list_orders(state: SandboxState, request: Request) -> object:
    errors = Errors()
    scalars = request.scalars()
    page = _bounded(errors, scalars, "page", 1, 1, None)
    per_page = _bounded(errors, scalars, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    product_id = operations.integer_field(errors, scalars, "product_id", required=False)
    location_id = operations.integer_field(errors, scalars, "location_id", required=False)
    order_ids = _order_ids(errors, request)
    expiring = scalars.get("status_is_expiring_soon")
    expiring_soon = False if operations.is_blank(expiring) else operations.as_bool(expiring)
    if expiring_soon is None:
        errors.add("status_is_expiring_soon", "The status is expiring soon field must be true or false.")
    sort_by, order = scalars.get("sort_by") or None, scalars.get("order") or None
    if sort_by and not order:
        errors.add("order", "The order field is required when sort by is present.")
    if order and not sort_by:
        errors.add("sort_by", "The sort by field is required when order is present.")
    if sort_by and sort_by not in SORT_KEYS:
        errors.add("sort_by", "The selected sort by is invalid.")
    if order and order.lower() not in ("asc", "desc"):
        errors.add("order", "The selected order is invalid.")
    errors.raise_if_any()
    statuses = tuple(s for s in request.many("statuses") if s)
    query = OrderQuery(
        product_id=product_id, location_id=location_id, status=scalars.get("status") or None,
        statuses=statuses, note_search=scalars.get("note_search") or None, order_ids=order_ids,
        expiring_soon=bool(expiring_soon), sort_by=sort_by,
        descending=(order or "desc").lower() == "desc",
    )
    found = state.find_orders(query)
    total = len(found)
    start = (page - 1) * per_page
    items = found[start:start + per_page]
    return {
        "data": [order_.to_json() for order_ in items],
        "meta": {
            "current_page": page,
            "from": start + 1 if items else None,
            "last_page": max(1, math.ceil(total / per_page)),
            "path": request.base_url + request.path,
            "per_page": per_page,
            "to": start + len(items) if items else None,
            "total": total,
        },
    }


def _bounded(errors: Errors, data: dict, field: str, default: int, low: int, high: int | None) -> int:
    value = operations.integer_field(errors, data, field, required=False)
    if value is None:
        return default
    if value < low:
        errors.add(field, f"The {field.replace('_', ' ')} field must be at least {low}.")
    elif high is not None and value > high:
        errors.add(field, f"The {field.replace('_', ' ')} field must not be greater than {high}.")
    return value


def _order_ids(errors: Errors, request: Request) -> tuple[int, ...] | None:
    """``order_ids=789,1011``, ``order_ids[]=789&order_ids[]=1011`` or ``order_ids[0]=789``."""
    parts = [part.strip() for value in request.many("order_ids") for part in value.split(",")]
    parts = [part for part in parts if part]
    if not parts:
        return None
    ids = []
    for index, part in enumerate(parts):
        value = operations.as_int(part)
        if value is None:
            errors.add(f"order_ids.{index}", f"The order_ids.{index} field must be an integer.")
        else:
            ids.append(value)
    return tuple(ids)


_ROUTES: list[tuple[re.Pattern[str], dict[str, Endpoint]]] = [
    (re.compile(r"/products"), {"GET": _products}),
    (re.compile(r"/orders"), {"GET": _list_orders, "POST": _create}),
    (re.compile(r"/orders/calculate-pricing"), {"GET": _pricing}),
    (re.compile(r"/orders/toggle-auto-extend"), {"POST": _toggle}),
    (re.compile(r"/orders/(\d+)"), {"GET": _order}),
    (re.compile(r"/orders/(\d+)/extend"), {"POST": _extend}),
    (re.compile(r"/balance"), {"GET": _balance}),
    (re.compile(r"/cards"), {"GET": _cards}),
]


def _resolve(request: Request, route: str) -> Endpoint:
    for pattern, methods in _ROUTES:
        match = pattern.fullmatch(route)
        if match is None:
            continue
        if request.method not in methods:
            allowed = ", ".join(methods)
            raise SandboxError(
                f"The {request.method} method is not supported for route {route.lstrip('/')}. "
                f"Supported methods: {allowed}.", status=405, headers={"Allow": allowed})
        request.params = match.groups()
        return methods[request.method]
    raise SandboxError(f"The route {route.lstrip('/')} could not be found.", status=404)
