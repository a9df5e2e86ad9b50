"""Errors the sandbox answers with, shaped like Laravel's JSON error bodies."""

from __future__ import annotations


class SandboxError(Exception):
    """An error answer: HTTP ``status`` and a JSON body with at least ``message``."""

    status = 400

    def __init__(self, message: str, status: int | None = None, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        self.headers = headers or {}

    def body(self) -> dict:
        return {"message": self.message}


class NotFound(SandboxError):
    status = 404

    def __init__(self, message: str = "Order not found.") -> None:
        super().__init__(message)


class ValidationFailed(SandboxError):
    """422 with Laravel's summary message: ``"<first error> (and N more error(s))"``."""

    status = 422

    def __init__(self, errors: dict[str, list[str]], message: str | None = None) -> None:
        self.errors = {field: list(messages) for field, messages in errors.items() if messages}
        super().__init__(message or summary(self.errors))

    def body(self) -> dict:
        return {"message": self.message, "errors": self.errors}


def summary(errors: dict[str, list[str]]) -> str:
    messages = [message for field_messages in errors.values() for message in field_messages]
    if not messages:
        return "The given data was invalid."
    more = len(messages) - 1
    if more == 0:
        return messages[0]
    return f"{messages[0]} (and {more} more error{'s' if more > 1 else ''})"


class Errors:
    """Collects field errors in order; ``raise_if_any()`` turns them into a 422."""

    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.fields.setdefault(field, []).append(message)

    def __contains__(self, field: str) -> bool:
        return field in self.fields

    def __bool__(self) -> bool:
        return bool(self.fields)

    def raise_if_any(self) -> None:
        if self.fields:
            raise ValidationFailed(self.fields)
