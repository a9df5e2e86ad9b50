"""``royal-tui token set|show-source|clear`` run as a user runs them: a subprocess.

The subprocess gets its own keyring backend through ``PYTHON_KEYRING_BACKEND``: a small module
written into tmp_path that keeps a JSON dict in a file the test can read.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
import time

import pytest

from royal_tui import paths

SECRET = "tok-Cli-Secret-0123456789"

BACKEND_MODULE = textwrap.dedent(
    '''
    import json, os, threading
    import keyring.backend, keyring.errors

    class FileKeyring(keyring.backend.KeyringBackend):
        priority = 1
        name = "test file keyring"

        def _path(self):
            return os.environ["TEST_KEYRING_FILE"]

        def _load(self):
            try:
                with open(self._path()) as stream:
                    return json.load(stream)
            except FileNotFoundError:
                return {}

        def _save(self, data):
            with open(self._path(), "w") as stream:
                json.dump(data, stream)

        def get_password(self, service, username):
            return self._load().get(f"{service}/{username}")

        def set_password(self, service, username, password):
            data = self._load()
            data[f"{service}/{username}"] = password
            self._save(data)

        def delete_password(self, service, username):
            data = self._load()
            if data.pop(f"{service}/{username}", None) is None:
                raise keyring.errors.PasswordDeleteError("not found")
            self._save(data)

    class BlockingKeyring(keyring.backend.KeyringBackend):
        priority = 1

        def get_password(self, service, username, *more):
            threading.Event().wait()

        set_password = delete_password = get_password
    '''
)


@pytest.fixture
def keyring_file(tmp_path):
    (tmp_path / "royal_test_keyring.py").write_text(BACKEND_MODULE)
    return tmp_path / "keyring.json"


def run(*args, stdin="", env=None, tmp_path=None, backend="royal_test_keyring.FileKeyring"):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("IPROYAL_", "ROYAL_TUI_"))}
    base["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(tmp_path), os.environ.get("PYTHONPATH", "")) if p
    )
    base["PYTHON_KEYRING_BACKEND"] = backend
    base["TEST_KEYRING_FILE"] = str(tmp_path / "keyring.json")
    base.update(env or {})
    return subprocess.run(
        [sys.executable, *(args if args[0] == "-c" else ("-m", "royal_tui", *args))],
        input=stdin,
        capture_output=True,
        text=True,
        env=base,
        timeout=60,
    )


def stored(keyring_file) -> dict:
    return json.loads(keyring_file.read_text()) if keyring_file.exists() else {}


def test_set_stores_in_the_keyring_from_stdin(tmp_path, keyring_file):
    result = run("token", "set", stdin=f"{SECRET}\nignored second line\n", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert stored(keyring_file) == {"royal-tui/default": SECRET}
    assert "OS keyring" in result.stdout and "profile default" in result.stdout
    assert "test file keyring" in result.stdout
    assert SECRET not in result.stdout + result.stderr
    assert not paths.token_file().exists()


def test_set_uses_the_profile(tmp_path, keyring_file):
    result = run("token", "set", "--profile", "work", stdin=SECRET, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert stored(keyring_file) == {"royal-tui/work": SECRET}
    result = run("token", "--profile", "other", "set", stdin=SECRET, tmp_path=tmp_path)
    assert "royal-tui/other" in stored(keyring_file)
    result = run("token", "set", stdin=SECRET, tmp_path=tmp_path, env={"ROYAL_TUI_PROFILE": "envprof"})
    assert "royal-tui/envprof" in stored(keyring_file)


def test_set_file_writes_a_0600_file(tmp_path, keyring_file):
    result = run("token", "set", "--file", stdin=SECRET + "\n", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    path = paths.token_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().strip() == SECRET
    assert str(path) in result.stdout
    assert SECRET not in result.stdout + result.stderr
    assert stored(keyring_file) == {}


def test_show_source_names_the_source_never_the_token(tmp_path, keyring_file):
    result = run("token", "show-source", tmp_path=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("none")

    run("token", "set", "--file", stdin=SECRET, tmp_path=tmp_path)
    result = run("token", "show-source", tmp_path=tmp_path)
    assert result.stdout.startswith("file ") and "(0600)" in result.stdout

    run("token", "set", stdin=SECRET, tmp_path=tmp_path)
    result = run("token", "show-source", tmp_path=tmp_path)
    assert result.stdout.startswith("OS keyring (service royal-tui, profile default, backend")

    result = run("token", "show-source", tmp_path=tmp_path, env={"IPROYAL_TOKEN": SECRET})
    assert result.stdout.strip() == "IPROYAL_TOKEN (environment)"
    assert SECRET not in result.stdout + result.stderr


def test_clear_removes_it(tmp_path, keyring_file):
    run("token", "set", stdin=SECRET, tmp_path=tmp_path)
    run("token", "set", "--file", stdin=SECRET, tmp_path=tmp_path)
    result = run("token", "clear", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "OS keyring" in result.stdout and "file" in result.stdout
    assert stored(keyring_file) == {} and not paths.token_file().exists()
    result = run("token", "clear", tmp_path=tmp_path)
    assert result.returncode == 0
    assert "nothing to remove" in result.stdout


def test_no_keyring_is_one_plain_paragraph(tmp_path, keyring_file):
    result = run("token", "set", stdin=SECRET, tmp_path=tmp_path, backend="keyring.backends.fail.Keyring")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    for needle in ("No OS keyring", "read -rs IPROYAL_TOKEN", "dbus-run-session", "token set --file"):
        assert needle in result.stderr
    assert SECRET not in result.stdout + result.stderr
    # clearing with no keyring at all is not a failure
    result = run("token", "clear", tmp_path=tmp_path, backend="keyring.backends.fail.Keyring")
    assert result.returncode == 0 and "Traceback" not in result.stderr


def test_a_blocked_keyring_times_out_and_exits(tmp_path, keyring_file):
    code = (
        "import royal_tui.credentials as c; c.KEYRING_TIMEOUT_S = 0.3; "
        "from royal_tui.cli import main; raise SystemExit(main(['token', 'set']))"
    )
    started = time.monotonic()
    result = run("-c", code, stdin=SECRET, tmp_path=tmp_path, backend="royal_test_keyring.BlockingKeyring")
    assert time.monotonic() - started < 20
    assert result.returncode == 1
    assert "did not answer" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("extra", [[SECRET], ["--token", SECRET], [f"--token={SECRET}"], ["--file", SECRET]])
def test_the_token_is_never_an_argument(tmp_path, keyring_file, extra):
    result = run("token", "set", *extra, stdin=SECRET, tmp_path=tmp_path)
    assert result.returncode == 2
    assert "never taken from the command line" in result.stderr or "unrecognized" in result.stderr
    assert SECRET not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert stored(keyring_file) == {}


@pytest.mark.parametrize("given", ["", "two words"])
def test_bad_input_is_refused_plainly(tmp_path, keyring_file, given):
    result = run("token", "set", stdin=given, tmp_path=tmp_path)
    assert result.returncode == 1
    assert "Nothing stored" in result.stderr or "nothing stored" in result.stderr
    assert "Traceback" not in result.stderr
    assert stored(keyring_file) == {}
