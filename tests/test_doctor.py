"""`royal-tui doctor`, run as a user runs it: every item, exit 0, never a secret."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SECRET = "some-secret"


def doctor(tmp_path: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("IPROYAL_", "ROYAL_TUI_")) and k not in ("NO_COLOR", "TMUX", "STY")
    }
    env.update(
        IPROYAL_TOKEN=SECRET,
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        TERM="xterm-256color",
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_STATE_HOME=str(tmp_path / "state"),
    )
    env.update(extra)
    return subprocess.run(
        [sys.executable, "-m", "royal_tui", "doctor", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_doctor_reports_every_item_and_no_secret(tmp_path: Path) -> None:
    result = doctor(tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for item in (
        "royal-tui:",
        "Python:",
        "Textual:",
        "TERM: xterm-256color",
        "COLORTERM:",
        "Colours: 256",
        "tmux",
        "screen",
        "SSH",
        "Clipboard: OSC 52",
        "Keyring backend:",
        "Token source: IPROYAL_TOKEN",
        "Config file:",
        str(tmp_path / "config"),
        "Log file:",
        str(tmp_path / "state"),
        "API base URL: https://apid.iproyal.com/v1/reseller",
    ):
        assert item in out, item
    assert "fail" in out.split("Keyring backend:", 1)[1].splitlines()[0].lower()
    for stream in (result.stdout, result.stderr):
        assert SECRET not in stream
        assert "Traceback" not in stream
    assert result.stderr == ""


def test_doctor_no_color_and_tmux_hint(tmp_path: Path) -> None:
    result = doctor(tmp_path, NO_COLOR="1", TMUX="/tmp/tmux-0/default,1,0", COLORTERM="truecolor")
    assert result.returncode == 0, result.stderr
    assert "colours are off" in result.stdout.lower()
    assert "Inside tmux: yes" in result.stdout
    assert "set-clipboard on" in result.stdout
    assert SECRET not in result.stdout + result.stderr


def test_doctor_config_warnings_and_url(tmp_path: Path) -> None:
    config = tmp_path / "config" / "royal-tui"
    config.mkdir(parents=True)
    (config / "config.toml").write_text("page_size = 500\n")
    result = doctor(
        tmp_path,
        "--profile",
        "work",
        COLORTERM="truecolor",
        IPROYAL_API_URL=f"https://user:{SECRET}@api.example.test/v1/reseller",
    )
    assert result.returncode == 0, result.stderr
    assert "(exists)" in result.stdout
    assert "Config warning: config.toml: page_size" in result.stdout
    assert "Colours: truecolor" in result.stdout
    assert "Profile: work" in result.stdout
    assert "https://api.example.test/v1/reseller (from IPROYAL_API_URL)" in result.stdout
    assert SECRET not in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_doctor_without_token_or_keyring_says_why(tmp_path: Path) -> None:
    result = doctor(tmp_path, IPROYAL_TOKEN="")
    assert result.returncode == 0, result.stderr
    assert "Token source: none" in result.stdout
    assert "No OS keyring" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_doctor_help() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "royal_tui", "doctor", "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    assert "never a secret" in result.stdout
