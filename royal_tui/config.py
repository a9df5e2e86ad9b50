"""The user's settings: ``config.toml`` plus a few environment overrides (no Textual import).

``load_config()`` never raises for bad content: each value it cannot use becomes a plain-language
warning (for the UI to show once) and the default is used instead. The environment wins over the
file for the settings that matter over SSH: ``ROYAL_TUI_PROFILE``, ``ROYAL_TUI_THEME``,
``ROYAL_TUI_PAGE_SIZE`` and ``ROYAL_TUI_AUTO_REFRESH`` (an empty variable counts as unset).

What this module cannot check is left to the app: whether ``theme`` names a theme Textual knows,
and whether each ``[keys]`` entry names a binding id that exists.
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

__all__ = ["Config", "EXAMPLE_CONFIG", "ENV_VARS", "load_config"]

MIN_AUTO_REFRESH = 5.0
MAX_AUTO_REFRESH = 86_400.0
PAGE_SIZE_RANGE = (1, 100)

#: Environment variable → the setting it overrides.
ENV_VARS: Mapping[str, str] = MappingProxyType(
    {
        "ROYAL_TUI_PROFILE": "profile",
        "ROYAL_TUI_THEME": "theme",
        "ROYAL_TUI_PAGE_SIZE": "page_size",
        "ROYAL_TUI_AUTO_REFRESH": "auto_refresh",
    }
)

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_BINDING_ID = re.compile(r"[A-Za-z0-9_]+(\.[A-Za-z0-9_-]+)*")


@dataclass(frozen=True)
class Config:
    profile: str = "default"
    theme: str = "textual-dark"
    auto_refresh: float = 0.0  # seconds between refreshes; 0 = off, otherwise at least 5
    page_size: int = 25  # orders per page, 1..100
    export_format: str = "ip_port_user_pass"  # a key of royal_tui.export.FORMATS
    keys: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # binding id → key(s), comma-separated: {"orders.refresh": "f5,r"}; for App.set_keymap


class _Bad(ValueError):
    """A value that cannot be used; the message completes "<setting> must …"."""


# --- validators: raw value → clean value, or _Bad -------------------------------------------


def _name(what: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str) or not _NAME.fullmatch(value.strip()):
            raise _Bad(f"be a {what} of letters, digits, '.', '_' or '-' (at most 64)")
        return value.strip()

    return check


def _auto_refresh(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _Bad("be a number of seconds (0 turns it off)")
    seconds = float(value)
    if not math.isfinite(seconds) or seconds < 0 or seconds > MAX_AUTO_REFRESH:
        raise _Bad(f"be 0 (off) or {MIN_AUTO_REFRESH:g}–{MAX_AUTO_REFRESH:g} seconds")
    if 0 < seconds < MIN_AUTO_REFRESH:
        raise _Bad(f"be 0 (off) or at least {MIN_AUTO_REFRESH:g} seconds")
    return seconds


def _page_size(value: Any) -> int:
    low, high = PAGE_SIZE_RANGE
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _Bad(f"be {low}–{high}")
    return value


def _export_format(value: Any) -> str:
    from royal_tui.export import FORMATS  # lazy: keep startup light

    if not isinstance(value, str) or value not in FORMATS:
        raise _Bad("be one of " + ", ".join(FORMATS))
    return value


_FIELDS: Mapping[str, Callable[[Any], Any]] = {
    "profile": _name("profile name"),
    "theme": _name("theme name"),
    "auto_refresh": _auto_refresh,
    "page_size": _page_size,
    "export_format": _export_format,
}


def _shown(value: Any) -> str:
    """A value as it would be written in config.toml: ``"nord"``, ``25``, ``0``, ``7.5``."""
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """``orders.refresh = "f5"`` unquoted is a nested table in TOML: flatten it back."""
    flat: dict[str, Any] = {}
    for name, value in table.items():
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{prefix}{name}."))
        else:
            flat[f"{prefix}{name}"] = value
    return flat


def _keys(table: Any, where: str, warnings: list[str]) -> Mapping[str, str]:
    if not isinstance(table, Mapping):
        warnings.append(f'{where}: [keys] must be a table of binding-id = "key,key"; ignored')
        return MappingProxyType({})
    keys: dict[str, str] = {}
    for binding, value in _flatten(table).items():
        parts = [p.strip() for p in value.split(",")] if isinstance(value, str) else []
        if not _BINDING_ID.fullmatch(binding):
            warnings.append(f"{where}: [keys] {binding!r} is not a binding id; ignored")
        elif not parts or not all(parts) or any(" " in p for p in parts):
            warnings.append(
                f'{where}: [keys] {binding} must be key names separated by commas, like "f5,r"; '
                "ignored"
            )
        else:
            keys[binding] = ",".join(parts)
    return MappingProxyType(keys)


# --- sources --------------------------------------------------------------------------------


def _read_toml(path: Path, warnings: list[str]) -> dict[str, Any]:
    try:
        with path.open("rb") as stream:
            return tomllib.load(stream)
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as exc:
        warnings.append(f"{path.name}: not valid TOML — {exc}; using the defaults")
    except UnicodeDecodeError:
        warnings.append(f"{path.name}: not UTF-8 text; using the defaults")
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        warnings.append(f"{path.name}: cannot be read ({reason}); using the defaults")
    return {}


def _from_file(data: Mapping[str, Any], where: str, warnings: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    defaults = Config()
    for key, raw in data.items():
        if key == "keys":
            values["keys"] = _keys(raw, where, warnings)
        elif key in _FIELDS:
            try:
                values[key] = _FIELDS[key](raw)
            except _Bad as exc:
                default = _shown(getattr(defaults, key))
                warnings.append(f"{where}: {key} must {exc}; using {default}")
        else:
            warnings.append(f"{where}: unknown setting {key!r} ignored")
    return values


def _parse_env(setting: str, text: str) -> Any:
    """Environment values are text: turn numbers into numbers before validating."""
    if setting == "page_size":
        try:
            return int(text)
        except ValueError:
            raise _Bad("be a whole number") from None
    if setting == "auto_refresh":
        if text.lower() in ("off", "no", "false"):
            return 0.0
        try:
            return float(text)
        except ValueError:
            raise _Bad("be a number of seconds (0 turns it off)") from None
    return text


def _apply_env(config: Config, env: Mapping[str, str], warnings: list[str]) -> Config:
    for var, setting in ENV_VARS.items():
        text = env.get(var, "").strip()
        if not text:
            continue
        try:
            value = _FIELDS[setting](_parse_env(setting, text))
        except _Bad as exc:
            current = _shown(getattr(config, setting))
            warnings.append(f"{var}: {setting} must {exc}; using {current}")
            continue
        config = replace(config, **{setting: value})
    return config


def load_config(
    path: Path | None = None, env: Mapping[str, str] | None = None
) -> tuple[Config, list[str]]:
    """The settings and the warnings about values that were ignored.

    ``path`` defaults to :func:`royal_tui.paths.config_file` and ``env`` to ``os.environ``.
    A missing file gives the defaults without a warning.
    """
    if path is None:
        from royal_tui.paths import config_file

        path = config_file()
    if env is None:
        env = os.environ
    warnings: list[str] = []
    data = _read_toml(Path(path), warnings)
    config = Config(**_from_file(data, Path(path).name, warnings))
    return _apply_env(config, env, warnings), warnings


EXAMPLE_CONFIG = """\
# royal-tui configuration — `royal-tui config path` prints where this file lives.
# Every setting is optional: delete a line to get the default shown here.
# A value royal-tui cannot use is reported once at startup and the default is used instead.

# Which stored API token to use: the OS keyring keeps one entry per profile (service
# "royal-tui"). Override with ROYAL_TUI_PROFILE or --profile.
profile = "default"

# Colour theme: any Textual theme name, e.g. "textual-dark", "textual-light", "nord",
# "gruvbox", "tokyo-night", "dracula". Override with ROYAL_TUI_THEME.
theme = "textual-dark"

# Refresh the orders list every N seconds; 0 turns it off, otherwise at least 5.
# Override with ROYAL_TUI_AUTO_REFRESH (e.g. ROYAL_TUI_AUTO_REFRESH=60 or =off).
auto_refresh = 0

# Orders per page, 1–100. Override with ROYAL_TUI_PAGE_SIZE.
page_size = 25

# Default format for `c` (copy) and `x` (export), one of:
#   "ip_port_user_pass"     ip:port:user:pass
#   "user_pass_at_ip_port"  user:pass@ip:port
#   "http_url"              http://user:pass@ip:port
#   "socks5_url"            socks5://user:pass@ip:port
#   "csv"                   CSV with a header
#   "json"                  JSON
export_format = "ip_port_user_pass"

# Key remaps: binding id = "key" or "key1,key2" — Textual key names such as "f5", "ctrl+r",
# "pagedown", "right_square_bracket". A remap replaces the binding's keys, so list the old key
# too to keep it. The help screen (? or f1) lists every binding with its id.
[keys]
orders.refresh = "r,f5"
orders.next_page = "right_square_bracket,pagedown"
orders.prev_page = "left_square_bracket,pageup"
"""
