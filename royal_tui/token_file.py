"""The opt-in token file ``<user config dir>/royal-tui/token`` (mode 0600) and token validation.

No Textual, no keyring: :mod:`royal_tui.credentials` builds the token store on top of this.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

MAX_TOKEN_LENGTH = 512


# --- validation -----------------------------------------------------------------------------


def validate_token(token: str) -> str:
    """The token without surrounding whitespace, or ``ValueError`` with a plain message.

    Tokens travel in an HTTP header, so only printable ASCII without spaces is accepted.
    """
    if not isinstance(token, str):
        raise ValueError("The token must be text.")
    token = token.strip()
    if not token:
        raise ValueError("The token is empty.")
    if len(token) > MAX_TOKEN_LENGTH:
        raise ValueError(f"The token is too long ({len(token)} characters; at most {MAX_TOKEN_LENGTH}).")
    if not all("!" <= ch <= "~" for ch in token):
        raise ValueError(
            "The token contains spaces, control or non-ASCII characters; "
            "paste it again without anything around it."
        )
    return token


def _clean(token: str | None) -> str | None:
    if token is None:
        return None
    token = token.strip()
    return token or None


# --- the opt-in file ------------------------------------------------------------------------


def _token_path() -> Path:
    from royal_tui.paths import token_file

    return token_file()


def _read_checked() -> tuple[str | None, str | None]:
    """(token, problem) from the token file; (None, None) when there is no file."""
    path = _token_path()
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None, None
    except OSError as error:
        return None, f"The token file {display_path(path)} cannot be read ({error.strerror})."
    try:
        info = os.fstat(fd)
        mode = info.st_mode & 0o777
        if mode & 0o077:
            return None, (
                f"The token file {display_path(path)} is readable by others (mode {mode:04o}), "
                f"so it was not used; run: chmod 600 {path}"
            )
        with os.fdopen(fd, "r", encoding="utf-8", errors="replace") as stream:
            fd = -1
            text = stream.read(MAX_TOKEN_LENGTH * 2 + 2)
    except OSError as error:
        return None, f"The token file {display_path(path)} cannot be read ({error.strerror})."
    finally:
        if fd >= 0:
            os.close(fd)
    lines = text.splitlines()
    return _clean(lines[0] if lines else ""), None


def read_file() -> str | None:
    """The token in the 0600 file, or None (no file, empty, or refused for its mode)."""
    token, _problem = _read_checked()
    return token


def store_in_file(token: str) -> Path:
    """Write the token to :func:`paths.token_file` with mode 0600, atomically; its path."""
    token = validate_token(token)
    path = _token_path()
    directory = path.parent
    if not directory.exists():
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(directory, 0o700)
    temp = directory / f".{path.name}.{os.getpid()}.{threading.get_ident()}.{os.urandom(4).hex()}.tmp"
    fd = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        try:
            os.fchmod(fd, 0o600)
            os.write(fd, (token + "\n").encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
    return path


def delete_file() -> bool:
    """Remove the token file; False when there was none."""
    try:
        _token_path().unlink()
    except FileNotFoundError:
        return False
    return True


def display_path(path: Path) -> str:
    """The path with the home folder as ``~``."""
    try:
        return "~/" + str(Path(path).relative_to(Path.home()))
    except (ValueError, RuntimeError):
        return str(path)


# --- resolution -----------------------------------------------------------------------------
