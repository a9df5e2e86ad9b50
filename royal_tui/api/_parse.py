"""Tolerant coercion of JSON values into Python types, for the ``from_json`` parsers.

The reseller API is loosely specified (see API.md, "Tolerance"): numbers may arrive as ints,
floats or numeric strings, booleans as ``0``/``1``, nullable fields as ``null``, a resource bare
or wrapped in ``{"data": ...}``, and PHP may serialise a list as an object keyed by index.
Everything here either returns a clean value or raises :class:`MalformedResponse` naming the
resource and field — never another exception, and never echoing the offending value.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from .errors import ApiError, MalformedResponse

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

_MISSING: Any = object()


class Bad(ValueError):
    """A value of the wrong kind; the caller adds which resource and field."""


def malformed(what: str, problem: str) -> MalformedResponse:
    return MalformedResponse(f"The API sent an unexpected {what}: {problem}.")


def mapping(data: object, what: str) -> Mapping[str, Any]:
    """``data`` as a JSON object, else :class:`MalformedResponse`."""
    if not isinstance(data, Mapping):
        raise malformed(what, "expected a JSON object")
    return data


def unwrap(data: object, what: str, marker: str) -> Mapping[str, Any]:
    """A single resource, bare or wrapped in ``{"data": {...}}``.

    ``marker`` is a key the bare resource always has; when it is absent and ``data`` holds an
    object, the inner object is the resource.
    """
    obj = mapping(data, what)
    inner = obj.get("data")
    if marker not in obj and isinstance(inner, Mapping):
        return inner
    return obj


def items(data: object, what: str, key: str = "data") -> list[Any]:
    """A list of resources: a bare list, ``{"data": [...]}``, or a PHP index-keyed object."""
    if isinstance(data, Mapping) and key in data:
        data = data[key]
    try:
        return as_list(data)
    except Bad as exc:
        raise malformed(what, str(exc)) from None


def field(
    obj: Mapping[str, Any],
    key: str,
    conv: Callable[[Any], T],
    what: str,
    default: Any = _MISSING,
) -> T:
    """``conv(obj[key])``; a missing key gives ``default`` or, without one, an error."""
    if key not in obj:
        if default is _MISSING:
            raise malformed(what, f"the field '{key}' is missing")
        return default
    try:
        return conv(obj[key])
    except Bad as exc:
        raise malformed(what, f"the field '{key}' {exc}") from None
    except MalformedResponse:
        raise
    except Exception:  # a converter must never leak a raw exception
        raise malformed(what, f"the field '{key}' could not be read") from None


# --- scalar converters: raise Bad(reason) ------------------------------------------------------


_MAX_DIGITS = 30  # no id, count or amount of money the API sends is anywhere near 10**30


def _numeric(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise Bad("is a boolean, not a number")
    if isinstance(value, int | Decimal):
        dec = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise Bad("is not a finite number")
        dec = Decimal(str(value))
    elif isinstance(value, str):
        try:
            dec = Decimal(value.strip())
        except InvalidOperation:
            raise Bad("is not a number") from None
    else:
        raise Bad("is not a number")
    if not dec.is_finite():
        raise Bad("is not a finite number")
    if dec and dec.adjusted() >= _MAX_DIGITS:  # "1e999999999" would hang int() and the UI
        raise Bad("is too large")
    return dec


def as_decimal(value: Any) -> Decimal:
    """Money and percentages: int, float or numeric string → exact :class:`Decimal`."""
    if value is None:
        raise Bad("is null")
    dec = _numeric(value)
    return dec + 0 if dec == 0 else dec  # normalise -0 to 0


def as_opt_decimal(value: Any) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return as_decimal(value)


def as_int(value: Any) -> int:
    """A whole number from an int, an integral float or a numeric string."""
    if value is None:
        raise Bad("is null")
    dec = _numeric(value)
    if dec != dec.to_integral_value():
        raise Bad("is not a whole number")
    return int(dec)


def as_opt_int(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return as_int(value)


def as_str(value: Any) -> str:
    """Text; numbers are accepted and rendered (``30`` → ``"30"``)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        raise Bad("is not text")
    if isinstance(value, int | Decimal | float):
        return str(value)
    raise Bad("is not text")


def as_opt_str(value: Any) -> str | None:
    return None if value is None else as_str(value)


def as_str_or_empty(value: Any) -> str:
    """Display text where ``null`` simply means "nothing to show"."""
    return "" if value is None else as_str(value)


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def as_bool(value: Any) -> bool:
    """``true``/``false``, ``1``/``0`` or their string forms."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        low = value.strip().lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
    raise Bad("is not a boolean")


def as_bool_null_false(value: Any) -> bool:
    return False if value is None else as_bool(value)


_ZERO_DATES = {"0000-00-00", "0000-00-00 00:00:00", "0000-00-00T00:00:00"}


def as_opt_datetime(value: Any) -> datetime | None:
    """An aware UTC datetime.

    The API sends ``YYYY-MM-DD HH:MM:SS`` without a zone, which is UTC; ISO 8601 with ``T``,
    ``Z`` or an offset is converted to UTC, and a Unix timestamp is accepted too. ``null``, an
    empty string and MySQL's zero date mean "no date".
    """
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        if not text or text in _ZERO_DATES:
            return None
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise Bad("is not a date and time") from None
        if parsed.tzinfo is None:
            return parsed.replace(tzinfo=UTC)
        return parsed.astimezone(UTC)
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(float(value), UTC)
        except (OverflowError, OSError, ValueError):
            raise Bad("is not a valid timestamp") from None
    raise Bad("is not a date and time")


def lenient(conv: Callable[[Any], T]) -> Callable[[Any], T | None]:
    """``conv`` that gives ``None`` instead of failing (for shapes unknown upstream)."""

    def convert(value: Any) -> T | None:
        try:
            return conv(value)
        except Bad:
            return None

    return convert


def as_list(value: Any) -> list[Any]:
    """A JSON array; ``null`` is empty; an object keyed by index (PHP) gives its values."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return list(value)
    if isinstance(value, Mapping):
        return list(value.values())
    raise Bad("is not a list")


def parse_items(value: Any, parse: Callable[[Any], T], what: str) -> tuple[T, ...]:
    """``tuple(parse(x) for x in value)`` for a (tolerant) JSON array field value."""
    try:
        seq = as_list(value)
    except Bad as exc:
        raise malformed(what, str(exc)) from None
    return tuple(parse(item) for item in seq)


# --- parser helpers ---------------------------------------------------------------------------


def guarded(what: str) -> Callable[[F], F]:
    """Turn any stray exception inside a parser into ``MalformedResponse``."""

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except ApiError:
                raise
            except Exception:
                raise malformed(what, "it could not be read") from None

        return wrapper  # type: ignore[return-value]

    return decorate


def optional_object(parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``null`` — or PHP's empty array ``[]`` / ``{}`` — means absent; else ``parse``."""

    def convert(value: Any) -> Any:
        if value is None or (isinstance(value, list | tuple | Mapping) and len(value) == 0):
            return None
        return parse(value)

    return convert
