"""``royal-tui doctor``: what this terminal and machine offer, one line per item, never a secret.

No Textual import at module level (only its version is read, lazily). Every check is guarded:
a failing one prints its problem on its line, and the command still exits 0.
"""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import Callable, Mapping
from typing import TextIO

__all__ = ["colour_depth", "doctor_lines", "run_doctor"]

#: Seconds to wait for the keyring (it can hang on a locked Secret Service over SSH).
KEYRING_TIMEOUT_S = 3.0


def colour_depth(env: Mapping[str, str]) -> str:
    """A guess from the environment: ``none (NO_COLOR is set)``, ``truecolor``, ``256``, ``16``."""
    if env.get("NO_COLOR", "") != "":
        return "none — colours are off (NO_COLOR is set)"
    colorterm = env.get("COLORTERM", "").lower()
    term = env.get("TERM", "").lower()
    if colorterm in ("truecolor", "24bit"):
        return "truecolor"
    if term == "dumb":
        return "none (TERM=dumb)"
    if "256" in term or "direct" in term:
        return "256"
    if term:
        return "16"
    return "unknown (TERM is not set)"


def _version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "not installed"


def _textual_version() -> str:
    found = _version("textual")
    if found != "not installed":
        return found
    try:
        import textual  # noqa: PLC0415 - only for its version

        return getattr(textual, "__version__", "unknown")
    except Exception:  # noqa: BLE001
        return "not installed"


def _presence(env: Mapping[str, str], name: str) -> str:
    return "yes" if env.get(name) else "no"


def _keyring_backend() -> str:
    from royal_tui import credentials

    def op() -> str:
        backend, name = credentials._backend()
        return f"{name} ({type(backend).__module__}.{type(backend).__name__})"

    try:
        return credentials._call(op, KEYRING_TIMEOUT_S)
    except credentials.KeyringUnavailable as error:
        return f"unusable — {error.problem.message}"


def _token_source(profile: str, env: Mapping[str, str]) -> str:
    from royal_tui import credentials

    text = credentials.show_source(profile, env, timeout=KEYRING_TIMEOUT_S)
    token = credentials._from_env(env)
    if token and token in text:  # belt and braces: show_source never includes it
        text = text.replace(token, "***")
    return text.replace("\n", "\n    ")


def _config_lines(env: Mapping[str, str]) -> tuple[list[str], str]:
    from royal_tui.config import load_config
    from royal_tui.paths import config_file

    path = config_file()
    state = "exists" if path.is_file() else "not found; defaults are used"
    config, warnings = load_config(path, env)
    lines = [f"Config file: {path} ({state})"]
    lines.extend(f"Config warning: {warning}" for warning in warnings)
    return lines, config.profile


def _api_url(env: Mapping[str, str]) -> str:
    from royal_tui.launch import DEFAULT_BASE_URL

    custom = env.get("IPROYAL_API_URL", "").strip()
    if not custom:
        return f"{DEFAULT_BASE_URL} (default)"
    from royal_tui.api import _http
    from royal_tui.api.errors import InsecureURL

    try:
        url = _http.normalize_base_url(custom)
        shown = f"{url.scheme}://{_http.display_host(url)}{url.path}"  # no user:pass@
    except InsecureURL as error:
        return f"IPROYAL_API_URL is set but refused — {getattr(error, 'message', None) or error}"
    except Exception:  # noqa: BLE001 - an unusable URL is reported, not raised
        return "IPROYAL_API_URL is set but is not a usable URL"
    return f"{shown} (from IPROYAL_API_URL)"


def _guard(label: str, check: Callable[[], str]) -> str:
    try:
        return f"{label}: {check()}"
    except Exception as error:  # noqa: BLE001 - one failing check must not hide the others
        return f"{label}: could not be checked ({type(error).__name__})"


def doctor_lines(env: Mapping[str, str] | None = None, profile: str | None = None) -> list[str]:
    """The report, one item a line (continuation lines are indented)."""
    from royal_tui import __version__

    env = os.environ if env is None else env
    lines = [
        f"royal-tui: {__version__}",
        f"Python: {platform.python_version()} ({sys.executable})",
        _guard("Textual", _textual_version),
        f"TERM: {env.get('TERM') or '(not set)'}",
        f"COLORTERM: {env.get('COLORTERM') or '(not set)'}",
        f"Colours: {colour_depth(env)}",
        f"Inside tmux: {_presence(env, 'TMUX')}",
        f"Inside screen: {_presence(env, 'STY')}",
        f"Over SSH: {_presence(env, 'SSH_CONNECTION')}",
    ]
    clipboard = "OSC 52 (the terminal must allow it; nothing is needed on this machine)"
    if env.get("TMUX"):
        clipboard += "; in tmux add `set -g set-clipboard on` to ~/.tmux.conf"
    elif env.get("STY"):
        clipboard += "; GNU screen may not pass OSC 52 through"
    lines.append(f"Clipboard: {clipboard}")
    lines.append(_guard("Keyring backend", _keyring_backend))
    try:
        config_lines, config_profile = _config_lines(env)
    except Exception as error:  # noqa: BLE001
        config_lines, config_profile = [f"Config file: could not be read ({type(error).__name__})"], "default"
    profile = profile or config_profile
    lines.append(f"Profile: {profile}")
    lines.append(_guard("Token source", lambda: _token_source(profile, env)))
    lines.extend(config_lines)

    def log_path() -> str:
        from royal_tui.logs import log_file

        path = log_file()
        return f"{path} ({'exists' if path.exists() else 'not yet created'})"

    lines.append(_guard("Log file", log_path))
    lines.append(_guard("API base URL", lambda: _api_url(env)))
    return lines


def run_doctor(profile: str | None = None, out: TextIO | None = None) -> int:
    """Print the report; always exits 0."""
    out = sys.stdout if out is None else out
    for line in doctor_lines(profile=profile):
        print(line, file=out)
    return 0
