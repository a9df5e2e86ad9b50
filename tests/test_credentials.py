"""The token store: resolution order, every keyring failure, the 0600 file."""

from __future__ import annotations

import os
import stat
import threading
import time

import keyring
import keyring.backend
import keyring.backends.fail
import keyring.errors
import pytest

from royal_tui import credentials, paths
from royal_tui.memory_keyring import memory_keyring

SECRET = "tok-Secret-0123456789abcdef"
OTHER = "tok-Other-9876543210"


class RaisingKeyring(keyring.backend.KeyringBackend):
    priority = 1

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error

    def get_password(self, service, username):
        raise self.error

    def set_password(self, service, username, password):
        raise type(self.error)(f"{self.error} while storing {password}")  # a leaky backend

    def delete_password(self, service, username):
        raise self.error


class BlockingKeyring(keyring.backend.KeyringBackend):
    """A locked Secret Service over SSH: every call waits for a prompt nobody answers."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def get_password(self, service, username, *more):
        self.release.wait()

    set_password = delete_password = get_password


@pytest.fixture
def use_keyring():
    previous = keyring.get_keyring()
    used = []

    def use(backend):
        used.append(backend)
        keyring.set_keyring(backend)
        return backend

    yield use
    for backend in used:
        if isinstance(backend, BlockingKeyring):
            backend.release.set()  # let the abandoned thread finish
    keyring.set_keyring(previous)


@pytest.fixture
def memory(use_keyring):
    return use_keyring(memory_keyring())


def failing_backends():
    return {
        "no-backend": lambda: keyring.backends.fail.Keyring(),
        "locked": lambda: RaisingKeyring(keyring.errors.KeyringLocked("Collection is locked")),
        "error": lambda: RaisingKeyring(
            keyring.errors.KeyringError("org.freedesktop.DBus.Error.ServiceUnknown")
        ),
        "timeout": BlockingKeyring,
    }


@pytest.fixture(params=list(failing_backends()))
def broken(request, use_keyring, monkeypatch):
    monkeypatch.setattr(credentials, "KEYRING_TIMEOUT_S", 0.2)
    use_keyring(failing_backends()[request.param]())
    return request.param


def assert_plain(problem: credentials.KeyringProblem, kind: str, *secrets: str) -> None:
    assert problem.kind == kind
    assert problem.message and "\n" not in problem.message and "Traceback" not in problem.message
    text = problem.explain()
    for needle in (
        "read -rs IPROYAL_TOKEN && export IPROYAL_TOKEN",
        "dbus-run-session",
        "gnome-keyring-daemon --unlock",
        "royal-tui token set --file",
        "session only",
    ):
        assert needle in text
    for secret in secrets:
        assert secret not in text
        assert secret not in repr(problem)


# --- resolution order -----------------------------------------------------------------------


def test_env_beats_keyring_beats_file(memory):
    credentials.store_in_file(OTHER)
    memory.set_password("royal-tui", "default", SECRET)
    env = {"IPROYAL_TOKEN": "  tok-env  "}

    resolved = credentials.resolve("default", env)
    assert (resolved.token, resolved.source, resolved.problem) == ("tok-env", "env", None)

    resolved = credentials.resolve("default", {})
    assert (resolved.token, resolved.source, resolved.problem) == (SECRET, "keyring", None)
    assert resolved.backend

    memory.store.clear()
    resolved = credentials.resolve("default", {"IPROYAL_TOKEN": "   "})
    assert (resolved.token, resolved.source, resolved.problem) == (OTHER, "file", None)

    credentials.delete_file()
    resolved = credentials.resolve("default", {})
    assert (resolved.token, resolved.source, resolved.problem) == (None, None, None)


def test_env_defaults_to_os_environ(memory, monkeypatch):
    monkeypatch.setenv("IPROYAL_TOKEN", SECRET)
    assert credentials.resolve().source == "env"


def test_one_keyring_entry_per_profile(memory):
    credentials.keyring_set("work", SECRET)
    assert memory.store == {("royal-tui", "work"): SECRET}
    assert credentials.resolve("work", {}).token == SECRET
    assert credentials.resolve("default", {}).token is None


def test_resolved_repr_hides_the_token(memory):
    memory.set_password("royal-tui", "default", SECRET)
    resolved = credentials.resolve("default", {})
    assert SECRET not in repr(resolved)


@pytest.mark.anyio
async def test_aresolve_follows_the_same_order(memory):
    credentials.store_in_file(OTHER)
    assert (await credentials.aresolve("default", {})).source == "file"
    await credentials.akeyring_set("default", SECRET)
    assert (await credentials.aresolve("default", {})).token == SECRET
    assert (await credentials.aresolve("default", {"IPROYAL_TOKEN": "x"})).source == "env"
    assert await credentials.akeyring_get("default") == SECRET
    assert await credentials.akeyring_delete("default") is True
    assert await credentials.akeyring_delete("default") is False


# --- keyring failures -----------------------------------------------------------------------


def test_every_keyring_failure_falls_back_to_the_file(broken):
    path = credentials.store_in_file(OTHER)
    started = time.monotonic()
    resolved = credentials.resolve("default", {})
    assert time.monotonic() - started < 1.0
    assert (resolved.token, resolved.source) == (OTHER, "file")
    assert_plain(resolved.problem, broken, OTHER)
    assert SECRET not in repr(resolved) and OTHER not in repr(resolved)

    path.unlink()
    resolved = credentials.resolve("default", {})
    assert (resolved.token, resolved.source) == (None, None)
    assert_plain(resolved.problem, broken)
    assert "No OS keyring" in credentials.show_source("default", {}) or broken != "no-backend"


@pytest.mark.anyio
async def test_every_keyring_failure_async(broken):
    credentials.store_in_file(OTHER)
    started = time.monotonic()
    resolved = await credentials.aresolve("default", {})
    assert time.monotonic() - started < 1.0
    assert resolved.source == "file"
    assert_plain(resolved.problem, broken, OTHER)
    with pytest.raises(credentials.KeyringUnavailable) as caught:
        await credentials.akeyring_set("default", SECRET)
    assert_plain(caught.value.problem, broken, SECRET)
    assert SECRET not in str(caught.value)


def test_storing_reports_the_problem_without_the_token(broken):
    started = time.monotonic()
    with pytest.raises(credentials.KeyringUnavailable) as caught:
        credentials.keyring_set("default", SECRET)
    assert time.monotonic() - started < 1.0
    assert_plain(caught.value.problem, broken, SECRET)
    assert SECRET not in str(caught.value) and SECRET not in repr(caught.value)
    assert caught.value.__cause__ is None and caught.value.__context__ is None or broken == "timeout"


def test_problem_messages_name_the_cause(use_keyring):
    use_keyring(RaisingKeyring(keyring.errors.KeyringError("org.freedesktop.DBus.Error.ServiceUnknown")))
    problem = credentials.resolve("default", {}).problem
    assert "org.freedesktop.DBus.Error.ServiceUnknown" in problem.message
    use_keyring(keyring.backends.fail.Keyring())
    assert "No OS keyring" in credentials.resolve("default", {}).problem.message


def test_null_backend_counts_as_none(use_keyring):
    import keyring.backends.null

    use_keyring(keyring.backends.null.Keyring())
    with pytest.raises(credentials.KeyringUnavailable) as caught:
        credentials.keyring_set("default", SECRET)
    assert caught.value.problem.kind == "no-backend"


def test_timeout_leaves_a_daemon_thread(use_keyring, monkeypatch):
    monkeypatch.setattr(credentials, "KEYRING_TIMEOUT_S", 0.2)
    use_keyring(BlockingKeyring())
    started = time.monotonic()
    with pytest.raises(credentials.KeyringUnavailable) as caught:
        credentials.keyring_get("default")
    assert 0.15 < time.monotonic() - started < 1.0
    assert caught.value.problem.kind == "timeout"
    assert "0.2 s" in caught.value.problem.message
    stuck = [t for t in threading.enumerate() if t.name == "royal-tui-keyring" and t.is_alive()]
    assert stuck and all(t.daemon for t in stuck)


def test_show_source_lines(memory):
    assert credentials.show_source("default", {}) == "none — royal-tui will ask for it at startup"
    credentials.store_in_file(SECRET)
    line = credentials.show_source("default", {})
    assert line.startswith("file ") and line.endswith("royal-tui/token (0600)")
    memory.set_password("royal-tui", "default", SECRET)
    line = credentials.show_source("default", {})
    assert line.startswith("OS keyring (service royal-tui, profile default, backend ")
    assert credentials.show_source("default", {"IPROYAL_TOKEN": SECRET}) == "IPROYAL_TOKEN (environment)"
    for env in ({}, {"IPROYAL_TOKEN": SECRET}):
        assert SECRET not in credentials.show_source("default", env)


# --- the file -------------------------------------------------------------------------------


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_store_in_file_is_0600_in_a_0700_dir():
    assert not paths.config_dir().exists()
    path = credentials.store_in_file(f"  {SECRET}\n")
    assert path == paths.token_file()
    assert mode(path) == 0o600
    assert mode(paths.config_dir()) == 0o700
    assert credentials.read_file() == SECRET


def test_overwrite_is_atomic_and_keeps_0600(monkeypatch):
    credentials.store_in_file(SECRET)
    monkeypatch.setattr(os, "umask", os.umask)  # restore whatever the test does
    old = os.umask(0)
    try:
        path = credentials.store_in_file(OTHER)
    finally:
        os.umask(old)
    assert mode(path) == 0o600
    assert credentials.read_file() == OTHER
    assert sorted(p.name for p in path.parent.iterdir()) == ["token"]  # no temp file left


def test_a_wider_file_is_refused_with_the_chmod_hint():
    path = credentials.store_in_file(SECRET)
    os.chmod(path, 0o644)
    assert credentials.read_file() is None
    resolved = credentials.resolve("default", {})
    assert resolved.token is None and resolved.source is None
    assert f"chmod 600 {path}" in resolved.file_problem
    assert SECRET not in resolved.file_problem
    assert f"chmod 600 {path}" in credentials.show_source("default", {})


@pytest.mark.parametrize(
    "bad", ["", "   ", "two words", "tab\there", "nul\x00", "x" * 513, "caf\u00e9"]
)
def test_invalid_tokens_are_refused_plainly(bad):
    with pytest.raises(ValueError) as caught:
        credentials.store_in_file(bad)
    assert bad.strip() not in str(caught.value) or not bad.strip()
    with pytest.raises(ValueError):
        credentials.keyring_set("default", bad)
    assert not paths.token_file().exists()


def test_longest_token_is_accepted():
    credentials.store_in_file("x" * 512)
    assert credentials.read_file() == "x" * 512


# --- clear ----------------------------------------------------------------------------------


def test_clear_removes_from_both(memory):
    credentials.keyring_set("default", SECRET)
    credentials.store_in_file(SECRET)
    removed = credentials.clear("default")
    assert list(removed) == ["keyring", "file"] and removed.problem is None
    assert memory.store == {} and not paths.token_file().exists()
    again = credentials.clear("default")
    assert list(again) == [] and not again


@pytest.mark.anyio
async def test_aclear_reports_the_keyring_problem(broken):
    credentials.store_in_file(SECRET)
    removed = await credentials.aclear("default")
    assert list(removed) == ["file"]
    assert removed.problem is not None and removed.problem.kind == broken
    assert SECRET not in repr(removed)
