"""The command line, run as a user runs it: a subprocess, its exit code and output."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from royal_tui import __version__


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("IPROYAL_")}
    base.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "royal_tui", *args],
        capture_output=True,
        text=True,
        env=base,
        timeout=60,
    )


def test_version():
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"royal-tui {__version__}"


def test_help_lists_commands_and_options():
    result = run("--help")
    assert result.returncode == 0
    for word in ("--demo", "--base-url", "sandbox", "IPROYAL_TOKEN"):
        assert word in result.stdout


def test_sandbox_help_lists_every_option():
    result = run("sandbox", "--help")
    assert result.returncode == 0
    for option in (
        "--port", "--latency", "--fail-rate", "--rate-limit", "--vat",
        "--provision-delay", "--orders", "--token",
    ):
        assert option in result.stdout


def test_missing_token_is_one_plain_line():
    result = run()
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "IPROYAL_TOKEN" in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("how", ["flag", "env"])
def test_plain_http_to_a_remote_host_is_refused(how):
    secret = "tok-should-never-be-printed"
    env = {"IPROYAL_TOKEN": secret}
    args: list[str] = []
    if how == "flag":
        args = ["--base-url", "http://api.example.com/v1/reseller"]
    else:
        env["IPROYAL_API_URL"] = "http://api.example.com/v1/reseller"
    result = run(*args, env=env)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "http" in result.stderr.lower()
    assert secret not in result.stderr + result.stdout


def test_bad_sandbox_option_is_refused_plainly():
    result = run("sandbox", "--fail-rate", "2")
    assert result.returncode == 2
    assert "between 0 and 1" in result.stderr
    assert "Traceback" not in result.stderr


def test_sandbox_command_serves_until_interrupted():
    import json
    import re
    import signal
    import urllib.request

    env = {k: v for k, v in os.environ.items() if not k.startswith("IPROYAL_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "royal_tui", "sandbox", "--port", "0", "--orders", "7", "--token", "s3cret-t0ken"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/v1/reseller", line)
        assert match, line
        assert "s3cret-t0ken" not in line
        request = urllib.request.Request(
            f"{match.group(0)}/orders?product_id=123&per_page=100",
            headers={"X-Access-Token": "s3cret-t0ken"},
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            body = json.load(answer)
        assert body["meta"]["total"] <= 7
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    assert process.returncode == 0
    assert "Traceback" not in err
    assert "s3cret-t0ken" not in out + err


def test_no_mouse_is_passed_to_textual(monkeypatch):
    from royal_tui import cli
    from royal_tui.ui.app import RoyalApp

    calls = []
    monkeypatch.setattr(RoyalApp, "run", lambda self, **kwargs: calls.append(kwargs))
    monkeypatch.setattr(cli.sys.stdin, "isatty", lambda: True, raising=False)
    assert cli.main(["--demo", "--no-mouse"]) == 0
    assert cli.main(["--demo"]) == 0
    assert calls == [{"mouse": False}, {"mouse": True}]
