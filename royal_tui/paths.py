"""Where royal-tui keeps its files (no Textual import).

Everything goes through :mod:`platformdirs` so the platform conventions and the XDG variables
(``XDG_CONFIG_HOME``, ``XDG_STATE_HOME`` …) are honoured; each call reads the environment afresh,
which is what lets the tests point them at temporary folders. Nothing here creates a folder:
the code that writes a file creates what it needs.

On Linux, by default:

- config: ``~/.config/royal-tui/config.toml`` (and the opt-in ``token`` file next to it)
- logs:   ``~/.local/state/royal-tui/log/``
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

__all__ = [
    "APP_NAME",
    "CONFIG_FILE_NAME",
    "TOKEN_FILE_NAME",
    "config_dir",
    "config_file",
    "log_dir",
    "token_file",
]

APP_NAME = "royal-tui"
CONFIG_FILE_NAME = "config.toml"
TOKEN_FILE_NAME = "token"


def config_dir() -> Path:
    """``<user config dir>/royal-tui``."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def config_file() -> Path:
    """``<user config dir>/royal-tui/config.toml`` — what ``royal-tui config path`` prints."""
    return config_dir() / CONFIG_FILE_NAME


def token_file() -> Path:
    """``<user config dir>/royal-tui/token`` — the opt-in 0600 token file of PRODUCT.md."""
    return config_dir() / TOKEN_FILE_NAME


def log_dir() -> Path:
    """The user log dir for royal-tui (``~/.local/state/royal-tui/log`` on Linux)."""
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
