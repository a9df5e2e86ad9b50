"""The token store: environment → OS keyring → opt-in 0600 file (no Textual import).

Resolution order (PRODUCT.md, "Token store"): ``IPROYAL_TOKEN`` → the OS keyring (service
``royal-tui``, one entry per profile) → the opt-in file :func:`royal_tui.paths.token_file`
(refused unless its mode is 0600 or narrower) → nothing, and the caller asks for a token.

Every keyring call — including the backend detection done by ``keyring.get_keyring()`` — runs in
a *daemon* thread and is waited for with a timeout: a locked Secret Service over SSH can block
forever waiting for an unlock prompt nobody sees. A daemon thread that never returns is simply
abandoned and does not hold up the exit (a ``ThreadPoolExecutor`` or ``asyncio.to_thread``
worker would). ``keyring`` itself is imported lazily, inside that thread, for startup speed.

The token never appears in a message, a repr, or an exception raised from here.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

from royal_tui.token_file import (  # noqa: F401 - part of this module's API
    MAX_TOKEN_LENGTH,
    _clean,
    _read_checked,
    _token_path,
    delete_file,
    display_path,
    read_file,
    store_in_file,
    validate_token,
)

__all__ = [
    "ENV_VAR",
    "KEYRING_TIMEOUT_S",
    "MAX_TOKEN_LENGTH",
    "SERVICE",
    "WAYS_OUT",
    "Cleared",
    "KeyringProblem",
    "KeyringUnavailable",
    "Resolved",
    "TokenSource",
    "aclear",
    "akeyring_delete",
    "akeyring_get",
    "akeyring_set",
    "aresolve",
    "clear",
    "delete_file",
    "keyring_delete",
    "keyring_get",
    "keyring_set",
    "read_file",
    "resolve",
    "show_source",
    "store_in_file",
    "validate_token",
]

SERVICE = "royal-tui"
ENV_VAR = "IPROYAL_TOKEN"
#: Seconds to wait for any keyring call; read at call time, so tests can patch it.
KEYRING_TIMEOUT_S = 5.0

WAYS_OUT = (
    "Ways out: set the token in the environment for this shell "
    "(read -rs IPROYAL_TOKEN && export IPROYAL_TOKEN); "
    "or start and unlock a keyring "
    "(dbus-run-session -- sh -c 'echo -n pass | gnome-keyring-daemon --unlock "
    "--components=secrets; royal-tui'); "
    "or store the token in a file only you can read (royal-tui token set --file); "
    "or enter it at the login screen and use it for this session only."
)


class TokenSource(StrEnum):
    ENV = "env"
    KEYRING = "keyring"
    FILE = "file"
    SESSION = "session"


# --- problems -------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyringProblem:
    """Why the OS keyring could not be used. ``message`` is one plain sentence (no token)."""

    kind: str  # "no-backend" | "locked" | "error" | "timeout"
    message: str
    backend: str | None = None  # the keyring backend's name, when known

    NO_BACKEND = "no-backend"
    LOCKED = "locked"
    ERROR = "error"
    TIMEOUT = "timeout"

    @property
    def ways_out(self) -> str:
        return WAYS_OUT

    def explain(self) -> str:
        """The message and the ways out, as one paragraph."""
        return f"{self.message} {WAYS_OUT}"

    def __str__(self) -> str:
        return self.explain()


class KeyringUnavailable(Exception):
    """A keyring call could not be made; ``problem`` says why in plain words."""

    def __init__(self, problem: KeyringProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


@dataclass(frozen=True)
class Resolved:
    """Where the token came from. ``token`` is left out of the repr."""

    token: str | None = field(repr=False)
    source: str | None  # a TokenSource value, or None when no token was found
    problem: KeyringProblem | None = None  # the keyring was tried and could not be used
    file_problem: str | None = None  # the token file exists but was refused (e.g. mode 0644)
    backend: str | None = None  # the keyring backend's name, when the keyring answered

    @property
    def problems(self) -> list[str]:
        """Every problem as plain text, keyring first (with its ways out)."""
        texts = [self.problem.explain()] if self.problem else []
        if self.file_problem:
            texts.append(self.file_problem)
        return texts


class Cleared(list):
    """Where the token was removed from (``["keyring", "file"]``), plus ``problem``: why the
    keyring could not be checked, if it could not."""

    def __init__(self, removed=(), problem: KeyringProblem | None = None) -> None:
        super().__init__(removed)
        self.problem = problem

    def __repr__(self) -> str:
        return f"Cleared({list(self)!r}, problem={self.problem!r})"


# --- keyring, off the calling thread --------------------------------------------------------

T = TypeVar("T")


class _NoBackend(Exception):
    def __init__(self, backend: str) -> None:
        super().__init__(backend)
        self.backend = backend


def _backend_name(backend: Any) -> str:
    name = getattr(backend, "name", None)
    return name if isinstance(name, str) and name else type(backend).__name__


def _backend() -> tuple[Any, str]:
    """The keyring backend and its name; ``_NoBackend`` when there is no usable one."""
    import keyring
    from keyring.backends import fail, null

    backend = keyring.get_keyring()
    name = _backend_name(backend)
    if isinstance(backend, (fail.Keyring, null.Keyring)):
        raise _NoBackend(name)
    if hasattr(backend, "backends") and not getattr(backend, "backends"):
        raise _NoBackend(name)  # a chainer with nothing to chain
    return backend, name


def _problem_from(error: BaseException, secret: str | None = None) -> KeyringProblem:
    from keyring.errors import KeyringLocked, NoKeyringError

    if isinstance(error, _NoBackend):
        return KeyringProblem(
            KeyringProblem.NO_BACKEND,
            f"No OS keyring is available here (keyring backend: {error.backend}).",
            error.backend,
        )
    if isinstance(error, NoKeyringError):
        return KeyringProblem(KeyringProblem.NO_BACKEND, "No OS keyring is available here.")
    if isinstance(error, KeyringLocked):
        return KeyringProblem(
            KeyringProblem.LOCKED,
            "The OS keyring is locked and could not be unlocked from this terminal.",
        )
    detail = _short(error, secret)
    return KeyringProblem(KeyringProblem.ERROR, f"The OS keyring could not be used ({detail}).")


def _short(error: BaseException, secret: str | None) -> str:
    """``ClassName: first line`` of an exception, at most 200 characters, the token masked."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    if secret:
        text = text.replace(secret, "***")
    text = text[:200]
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _timeout_problem(seconds: float) -> KeyringProblem:
    return KeyringProblem(
        KeyringProblem.TIMEOUT,
        f"The OS keyring did not answer within {seconds:g} s "
        "(a locked keyring over SSH may be waiting for an unlock prompt nobody can see).",
    )


def _spawn(op: Callable[[], T], done: Callable[[T | None, BaseException | None], None]) -> None:
    def target() -> None:
        try:
            value = op()
        except BaseException as error:  # noqa: BLE001 — reported to the waiting side
            done(None, error)
        else:
            done(value, None)

    threading.Thread(target=target, name="royal-tui-keyring", daemon=True).start()


def _timeout(timeout: float | None) -> float:
    return KEYRING_TIMEOUT_S if timeout is None else timeout


def _call(op: Callable[[], T], timeout: float | None, secret: str | None = None) -> T:
    seconds = _timeout(timeout)
    box: dict[str, Any] = {}
    finished = threading.Event()

    def done(value: Any, error: BaseException | None) -> None:
        box["value"], box["error"] = value, error
        finished.set()

    _spawn(op, done)
    if not finished.wait(seconds):
        raise KeyringUnavailable(_timeout_problem(seconds))
    if box["error"] is not None:
        raise KeyringUnavailable(_problem_from(box["error"], secret)) from None
    return box["value"]


async def _acall(op: Callable[[], T], timeout: float | None, secret: str | None = None) -> T:
    seconds = _timeout(timeout)
    loop = asyncio.get_running_loop()
    future: asyncio.Future = loop.create_future()

    def settle(value: Any, error: BaseException | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(KeyringUnavailable(_problem_from(error, secret)))
        else:
            future.set_result(value)

    def done(value: Any, error: BaseException | None) -> None:
        try:
            loop.call_soon_threadsafe(settle, value, error)
        except RuntimeError:
            pass  # the loop is closed: nobody is waiting any more

    _spawn(op, done)
    try:
        return await asyncio.wait_for(future, seconds)
    except (asyncio.TimeoutError, TimeoutError):
        raise KeyringUnavailable(_timeout_problem(seconds)) from None


def _get_op(profile: str) -> Callable[[], tuple[str | None, str]]:
    def op() -> tuple[str | None, str]:
        backend, name = _backend()
        return backend.get_password(SERVICE, profile), name

    return op


def _set_op(profile: str, token: str) -> Callable[[], str]:
    def op() -> str:
        backend, name = _backend()
        backend.set_password(SERVICE, profile, token)
        return name

    return op


def _delete_op(profile: str) -> Callable[[], bool]:
    def op() -> bool:
        from keyring.errors import PasswordDeleteError

        backend, _name = _backend()
        try:
            backend.delete_password(SERVICE, profile)
        except PasswordDeleteError:
            return False  # nothing stored for this profile
        return True

    return op


def keyring_get(profile: str = "default", timeout: float | None = None) -> str | None:
    """The profile's token from the keyring, or None; ``KeyringUnavailable`` if unreachable."""
    token, _name = _call(_get_op(profile), timeout)
    return _clean(token)


def keyring_set(profile: str, token: str, timeout: float | None = None) -> str:
    """Store a (validated) token; returns the backend's name. ``KeyringUnavailable`` on failure."""
    token = validate_token(token)
    return _call(_set_op(profile, token), timeout, secret=token)


def keyring_delete(profile: str = "default", timeout: float | None = None) -> bool:
    """Remove the profile's token; False when there was none."""
    return _call(_delete_op(profile), timeout)


async def akeyring_get(profile: str = "default", timeout: float | None = None) -> str | None:
    token, _name = await _acall(_get_op(profile), timeout)
    return _clean(token)


async def akeyring_set(profile: str, token: str, timeout: float | None = None) -> str:
    token = validate_token(token)
    return await _acall(_set_op(profile, token), timeout, secret=token)


async def akeyring_delete(profile: str = "default", timeout: float | None = None) -> bool:
    return await _acall(_delete_op(profile), timeout)


def _from_env(env: Mapping[str, str] | None) -> str | None:
    env = os.environ if env is None else env
    return _clean(env.get(ENV_VAR, ""))


def _after_keyring(
    answer: tuple[str | None, str] | None, problem: KeyringProblem | None
) -> Resolved:
    backend = None
    if answer is not None:
        token, backend = _clean(answer[0]), answer[1]
        if token:
            return Resolved(token, TokenSource.KEYRING.value, None, backend=backend)
    token, file_problem = _read_checked()
    if token:
        return Resolved(token, TokenSource.FILE.value, problem, backend=backend)
    return Resolved(None, None, problem, file_problem, backend=backend)


def resolve(
    profile: str = "default", env: Mapping[str, str] | None = None, *, timeout: float | None = None
) -> Resolved:
    """env ``IPROYAL_TOKEN`` → keyring → the 0600 file → nothing (``env`` defaults to os.environ)."""
    token = _from_env(env)
    if token:
        return Resolved(token, TokenSource.ENV.value)
    try:
        answer, problem = _call(_get_op(profile), timeout), None
    except KeyringUnavailable as error:
        answer, problem = None, error.problem
    return _after_keyring(answer, problem)


async def aresolve(
    profile: str = "default", env: Mapping[str, str] | None = None, *, timeout: float | None = None
) -> Resolved:
    """:func:`resolve` for the event loop: the keyring is awaited, never blocks the loop."""
    token = _from_env(env)
    if token:
        return Resolved(token, TokenSource.ENV.value)
    try:
        answer, problem = await _acall(_get_op(profile), timeout), None
    except KeyringUnavailable as error:
        answer, problem = None, error.problem
    return _after_keyring(answer, problem)


# --- clear and describe ---------------------------------------------------------------------


def clear(profile: str = "default", *, timeout: float | None = None) -> Cleared:
    """Remove the token from the keyring (if reachable) and the file.

    Returns the places it was removed from (a list, e.g. ``["keyring", "file"]``) with
    ``.problem`` set when the keyring could not be reached. The file is shared by all profiles.
    """
    removed: list[str] = []
    problem = None
    try:
        if keyring_delete(profile, timeout):
            removed.append(TokenSource.KEYRING.value)
    except KeyringUnavailable as error:
        problem = error.problem
    if delete_file():
        removed.append(TokenSource.FILE.value)
    return Cleared(removed, problem)


async def aclear(profile: str = "default", *, timeout: float | None = None) -> Cleared:
    removed: list[str] = []
    problem = None
    try:
        if await akeyring_delete(profile, timeout):
            removed.append(TokenSource.KEYRING.value)
    except KeyringUnavailable as error:
        problem = error.problem
    if delete_file():
        removed.append(TokenSource.FILE.value)
    return Cleared(removed, problem)


def describe(resolved: Resolved, profile: str = "default") -> str:
    """One line saying where the token comes from (never the token)."""
    if resolved.source == TokenSource.ENV:
        return f"{ENV_VAR} (environment)"
    if resolved.source == TokenSource.KEYRING:
        return f"OS keyring (service {SERVICE}, profile {profile}, backend {resolved.backend})"
    if resolved.source == TokenSource.FILE:
        return f"file {display_path(_token_path())} (0600)"
    if resolved.source == TokenSource.SESSION:
        return "this session only (not stored)"
    return "none — royal-tui will ask for it at startup"


def show_source(
    profile: str = "default", env: Mapping[str, str] | None = None, *, timeout: float | None = None
) -> str:
    """Where the token would come from, plus any keyring or file problem (never the token)."""
    resolved = resolve(profile, env, timeout=timeout)
    lines = [describe(resolved, profile)]
    if resolved.token is not None:
        # A token was found: the problems are worth knowing, the ways out are not needed.
        if resolved.problem is not None:
            lines.append(f"(keyring not used: {resolved.problem.message})")
        if resolved.file_problem:
            lines.append(f"({resolved.file_problem})")
    else:
        lines.extend(resolved.problems)
    return "\n".join(lines)
