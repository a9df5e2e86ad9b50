"""The error family raised by :class:`royal_tui.api.ResellerClient` and the models.

Every error carries ``.message``: a short, human sentence that is safe to show on screen
(it never contains the API token nor a request body; text that came from the server has had its
control characters removed and is truncated) and ``.status``: the HTTP status when there was a
response, else ``None``.

Which error means what, for a caller deciding what to tell the user:

=====================  ============================================================
``AuthError``          401 — the token is missing, wrong or revoked: show the login.
``Forbidden``          403 — the token is valid but may not do this.
``NotFound``           404 — e.g. the order is gone: refresh.
``ValidationFailed``   422 — ``field_errors`` maps request fields to messages.
``RateLimited``        429 — after the read retries were exhausted (or at once for a write);
                       ``retry_after`` in seconds when the server said.
``ServerError``        5xx on a read, after the retries were exhausted.
``NetworkError``       no usable answer on a read (DNS, refused, TLS, timeout) after the
                       retries; or a write that failed *before anything was sent*.
``MalformedResponse``  the answer was not what the API documents (HTML, broken JSON, wrong
                       shape) on a read.
``OutcomeUnknown``     a write (POST) whose fate is unknown: it may or may not have taken
                       effect. Never retried automatically; re-read the state to find out.
``InsecureURL``        raised by the constructor: plain ``http://`` to a non-loopback host.
=====================  ============================================================
"""

from __future__ import annotations

__all__ = [
    "ApiError",
    "AuthError",
    "Forbidden",
    "NotFound",
    "ValidationFailed",
    "RateLimited",
    "ServerError",
    "NetworkError",
    "MalformedResponse",
    "OutcomeUnknown",
    "InsecureURL",
]


class ApiError(Exception):
    """Base class of every error the API layer raises on purpose."""

    default_message = "The API request failed."

    def __init__(self, message: str | None = None, *, status: int | None = None) -> None:
        self.message: str = message or self.default_message
        self.status: int | None = status
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, status={self.status!r})"


class AuthError(ApiError):
    """401: the API did not accept the token."""

    default_message = (
        "The API did not accept the token (HTTP 401). Log in again with a valid token."
    )

    def __init__(self, message: str | None = None, *, status: int | None = 401) -> None:
        super().__init__(message, status=status)


class Forbidden(ApiError):
    """403: the token may not do this."""

    default_message = "The API refused this request (HTTP 403): this token is not allowed to do it."

    def __init__(self, message: str | None = None, *, status: int | None = 403) -> None:
        super().__init__(message, status=status)


class NotFound(ApiError):
    """404: the resource does not exist (any more)."""

    default_message = "Not found (HTTP 404): it may have been removed. Refresh and try again."

    def __init__(self, message: str | None = None, *, status: int | None = 404) -> None:
        super().__init__(message, status=status)


class ValidationFailed(ApiError):
    """422: the request was rejected; ``field_errors`` says why, field by field."""

    default_message = "The API rejected the request as invalid (HTTP 422)."

    def __init__(
        self,
        message: str | None = None,
        field_errors: dict[str, list[str]] | None = None,
        *,
        status: int | None = 422,
    ) -> None:
        super().__init__(message, status=status)
        self.field_errors: dict[str, list[str]] = dict(field_errors or {})

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.message!r}, field_errors={self.field_errors!r}, "
            f"status={self.status!r})"
        )


class RateLimited(ApiError):
    """429: too many requests. ``retry_after`` is in seconds when the server said."""

    default_message = "The API is rate limiting requests (HTTP 429). Wait a moment and try again."

    def __init__(
        self,
        message: str | None = None,
        retry_after: float | None = None,
        *,
        status: int | None = 429,
    ) -> None:
        if message is None and retry_after is not None:
            message = (
                f"The API is rate limiting requests (HTTP 429). "
                f"Try again in {max(1, round(retry_after))} s."
            )
        super().__init__(message, status=status)
        self.retry_after: float | None = retry_after

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.message!r}, retry_after={self.retry_after!r}, "
            f"status={self.status!r})"
        )


class ServerError(ApiError):
    """5xx on a read, after the retries were exhausted."""

    default_message = "The API server had a problem. Try again later."


class NetworkError(ApiError):
    """No usable answer: DNS, connection refused, TLS, timeout (after retries for reads)."""

    default_message = "Could not reach the API. Check the network connection and try again."


class MalformedResponse(ApiError):
    """The answer could not be understood: HTML, invalid JSON, or the wrong shape."""

    default_message = "The API answered with something this app cannot understand."


class OutcomeUnknown(ApiError):
    """A write whose fate is unknown: it may or may not have taken effect."""

    default_message = (
        "The outcome is unknown: the request may or may not have taken effect. "
        "Check the order list before trying again."
    )


class InsecureURL(ApiError, ValueError):
    """The base URL would send the token in clear text (``http://`` to a non-loopback host)."""

    default_message = (
        "Refusing a plain http:// API address for a host that is not this machine: "
        "the token would cross the network unencrypted. Use https://."
    )
