"""HTTP plumbing for the client: URL safety, query encoding, error bodies, Retry-After.

Pure functions (no I/O) so they can be tested on their own.
"""

from __future__ import annotations

import ipaddress
import json
import re
import time
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote

import httpx

from .errors import (
    ApiError,
    AuthError,
    Forbidden,
    InsecureURL,
    MalformedResponse,
    NetworkError,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    ServerError,
    ValidationFailed,
)

MAX_SERVER_TEXT = 300
REDACTED = "<redacted>"

# --- base URL --------------------------------------------------------------------------------


def is_loopback(host: str) -> bool:
    """``localhost``, 127.0.0.0/8 or ``::1`` — addresses that never leave this machine."""
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def normalize_base_url(base_url: str) -> httpx.URL:
    """The API root without a trailing slash; :class:`InsecureURL` unless it is safe.

    ``https://`` is always accepted; ``http://`` only for a loopback host, so that the token
    never crosses a network in clear text.
    """
    try:
        url = httpx.URL(base_url.strip())
    except (httpx.InvalidURL, TypeError, ValueError):
        raise InsecureURL("The API address is not a valid URL; use https://host/path.") from None
    scheme = url.scheme.lower()
    if not url.host or scheme not in ("http", "https"):
        raise InsecureURL("The API address must be a full URL starting with https://.")
    if scheme == "http" and not is_loopback(url.host):
        raise InsecureURL()
    return url.copy_with(query=None, fragment=None, path=url.path.rstrip("/") or "")


def display_host(url: httpx.URL) -> str:
    """``apid.iproyal.com``, ``127.0.0.1:8077`` or ``[::1]:8077``."""
    host = f"[{url.host}]" if ":" in url.host else url.host
    return f"{host}:{url.port}" if url.port is not None else host


# --- requests --------------------------------------------------------------------------------


def encode_query(params: Iterable[tuple[str, Any]]) -> str:
    """``k=v&...`` as the provider's examples write it.

    ``None`` values are dropped; booleans become ``1``/``0`` (what Laravel's ``boolean`` rule
    accepts); spaces become ``%20``; commas stay literal so ``order_ids=789,1011`` goes out
    exactly as in ``orders-docs.txt``; brackets in names are percent-encoded
    (``statuses%5B%5D=a``), as PHP's ``http_build_query`` does.
    """
    parts = []
    for key, value in params:
        if value is None:
            continue
        if isinstance(value, bool):
            value = "1" if value else "0"
        parts.append(f"{quote(key, safe='')}={quote(str(value), safe=',')}")
    return "&".join(parts)


# --- responses -------------------------------------------------------------------------------

_WHITESPACE = re.compile(r"\s+")


def clean_text(text: str, secret: str = "", limit: int = MAX_SERVER_TEXT) -> str:
    """Server text made safe to show: no control or format characters (escape sequences,
    bidi overrides), whitespace collapsed, the token redacted, truncated."""
    if secret:
        text = text.replace(secret, REDACTED)
    kept = "".join(
        " " if ch.isspace() else ch
        for ch in text
        if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co")
    )
    kept = _WHITESPACE.sub(" ", kept).strip()
    if secret:
        kept = kept.replace(secret, REDACTED)
    if len(kept) > limit:
        kept = kept[: limit - 1].rstrip() + "…"
    return kept


def looks_like_html(response: httpx.Response) -> bool:
    ctype = response.headers.get("content-type", "").lower()
    if "html" in ctype:
        return True
    head = response.content[:64].lstrip().lower()
    return head.startswith(b"<")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"non-standard JSON constant {name}")


def loads(body: bytes) -> Any:
    """Strict JSON (no NaN/Infinity); floats become exact :class:`Decimal`."""
    return json.loads(body, parse_float=Decimal, parse_constant=_reject_constant)


def decode_json(response: httpx.Response) -> Any:
    """The JSON of a 2xx answer, else :class:`MalformedResponse` saying what came instead."""
    status = response.status_code
    if not response.content.strip():
        raise MalformedResponse(
            f"The API sent an empty answer (HTTP {status}) where data was expected."
        )
    if looks_like_html(response):
        raise MalformedResponse(
            f"The server answered with an HTML page (HTTP {status}) instead of data; "
            "a proxy, firewall or captive portal may be in the way."
        )
    try:
        return loads(response.content)
    except (ValueError, RecursionError):
        message = f"The API sent invalid or truncated JSON (HTTP {status})."
        raise MalformedResponse(message) from None


def server_message(response: httpx.Response, secret: str = "") -> tuple[str | None, Any]:
    """The server's own explanation of an error, and the parsed JSON body (or ``None``).

    Accepts ``{"message": ...}`` (also ``error`` / ``error.message`` / ``detail``), a bare JSON
    string, plain text; an HTML page becomes a short note; an empty body gives ``None``.
    """
    body = response.content
    if not body.strip():
        return None, None
    if looks_like_html(response):
        return f"the server answered with an HTML page (HTTP {response.status_code})", None
    try:
        data = loads(body)
    except (ValueError, RecursionError):
        text = body[:2000].decode("utf-8", "replace")
        first_line = text.strip().splitlines()[0] if text.strip() else ""
        return (clean_text(first_line, secret) or None), None
    if isinstance(data, str):
        return clean_text(data, secret) or None, data
    if isinstance(data, Mapping):
        candidates = [data.get("message"), data.get("error"), data.get("detail")]
        if isinstance(data.get("error"), Mapping):
            candidates.insert(1, data["error"].get("message"))
        for candidate in candidates:
            if isinstance(candidate, str) and candidate.strip():
                return clean_text(candidate, secret), data
    return None, data


def field_errors(data: Any, secret: str = "") -> dict[str, list[str]]:
    """Laravel's ``{"errors": {"field": ["msg", ...]}}``, tolerating a bare string per field."""
    errors = data.get("errors") if isinstance(data, Mapping) else None
    if not isinstance(errors, Mapping):
        return {}
    result: dict[str, list[str]] = {}
    for key, value in errors.items():
        values = value if isinstance(value, list | tuple) else [value]
        messages = [clean_text(str(v), secret) for v in values if v is not None and str(v).strip()]
        if messages:
            result[clean_text(str(key), secret, limit=100)] = messages
    return result


def parse_retry_after(value: str | None, now: Callable[[], float] = time.time) -> float | None:
    """``Retry-After`` as seconds from now: delta-seconds or an HTTP-date; ``None`` if absent
    or unreadable; never negative."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        seconds = when.timestamp() - now()
    if seconds != seconds:  # NaN
        return None
    return max(0.0, seconds)


def error_for_response(
    response: httpx.Response, *, write: bool, secret: str = "", attempts: int = 1
) -> ApiError:
    """The error for a non-2xx answer. Writes turn 5xx into :class:`OutcomeUnknown`."""
    status = response.status_code
    detail, data = server_message(response, secret)
    html = looks_like_html(response) and bool(response.content.strip())
    if status == 401:
        return AuthError()
    if status == 403:
        return Forbidden(f"The API refused this request (HTTP 403): {detail}" if detail else None)
    if status == 404:
        return NotFound(None if html or not detail else detail)
    if status == 422:
        errors = field_errors(data, secret)
        message = None if html else detail
        if not message and errors:
            message = next(iter(errors.values()))[0]
        return ValidationFailed(message, errors)
    if status == 429:
        return RateLimited(retry_after=parse_retry_after(response.headers.get("retry-after")))
    if 500 <= status <= 599:
        if write:
            return OutcomeUnknown(
                f"The server failed while handling the request (HTTP {status}), so the outcome "
                "is unknown: it may or may not have taken effect. Check the orders before "
                "trying again.",
                status=status,
            )
        what = f"{detail[0].upper()}{detail[1:]}" if html and detail else (
            f"The API server had a problem (HTTP {status})" + (f": {detail}" if detail else "")
        )
        tries = f" (tried {attempts} times)" if attempts > 1 else ""
        return ServerError(f"{what.rstrip('.')}{tries}. Try again later.", status=status)
    if html:
        return ApiError(f"{detail[0].upper()}{detail[1:]}.", status=status)
    suffix = f": {detail}" if detail else "."
    return ApiError(f"The API answered with an unexpected HTTP {status}{suffix}", status=status)


# --- transport failures ----------------------------------------------------------------------

# Raised before a single byte of the request could have reached the server.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.ProxyError,
            httpx.UnsupportedProtocol)

_DNS_HINTS = ("name or service not known", "nodename nor servname", "getaddrinfo",
              "name resolution", "no address associated", "no such host")
_TLS_HINTS = ("ssl", "tls", "certificate", "handshake")


def describe_transport_error(exc: Exception, host: str) -> str:
    """What went wrong, in words, without echoing the exception (or anything it carries)."""
    text = str(exc).lower()
    if isinstance(exc, httpx.ConnectTimeout):
        return f"Connecting to {host} timed out"
    if isinstance(exc, httpx.ConnectError):
        if any(h in text for h in _DNS_HINTS):
            return f"Could not find {host} (DNS lookup failed)"
        if any(h in text for h in _TLS_HINTS):
            return f"Could not set up a secure (TLS) connection to {host}"
        if "refused" in text:
            return f"{host} refused the connection"
        return f"Could not connect to {host}"
    if isinstance(exc, httpx.PoolTimeout):
        return f"Timed out waiting for a free connection to {host}"
    if isinstance(exc, httpx.ReadTimeout):
        return f"{host} did not answer in time"
    if isinstance(exc, httpx.WriteTimeout):
        return f"Sending the request to {host} timed out"
    if isinstance(exc, httpx.ProxyError):
        return f"The HTTP proxy failed while connecting to {host}"
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
        return f"The connection to {host} was interrupted"
    return f"Network error while talking to {host}"


def transport_error(exc: Exception, host: str, *, write: bool, attempts: int = 1) -> ApiError:
    reason = describe_transport_error(exc, host)
    if write and not isinstance(exc, NOT_SENT):
        return OutcomeUnknown(
            f"{reason}, so the outcome is unknown: the request may or may not have taken "
            "effect. Check the orders before trying again."
        )
    if isinstance(exc, httpx.DecodingError):
        return MalformedResponse(f"The answer from {host} could not be decoded.")
    if write:
        return NetworkError(
            f"{reason}. Nothing was sent; check the network connection and try again."
        )
    tries = f" (tried {attempts} times)" if attempts > 1 else ""
    return NetworkError(f"{reason}{tries}. Check the network connection and try again.")


def sanitized_cause(exc: BaseException, secret: str = "") -> BaseException | None:
    """A copy of an httpx exception without its ``request`` (whose headers hold the token),
    its own cause and context, or the token in its text, to chain our errors to."""
    text = str(exc)
    if secret:
        text = text.replace(secret, REDACTED)
    try:
        copy = type(exc)(text)
    except Exception:
        return None
    copy.__traceback__ = None
    return copy
