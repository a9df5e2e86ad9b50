"""The log file: ``<user log dir>/royal-tui.log``, secrets redacted, never the terminal.

No Textual import. :func:`setup_logging` attaches one rotating file handler (1 MB × 3 backups,
mode 0600, folder 0700) to the ``royal_tui`` logger; it is idempotent. Every record that reaches
the handler goes through :class:`RedactingFilter` first, which rewrites the record's final
message (and any traceback text) so that

- each value given to :func:`register_secret` (the API token, proxy passwords) becomes ``***``;
- ``X-Access-Token: …`` / ``Authorization: Bearer …`` / ``password=…`` values become ``***``;
- the password of ``scheme://user:pass@host`` and ``user:pass@host`` becomes ``***``.

The filter rewrites the record in place, so a handler further up (the root logger's, if some
other code configured one) only ever sees the redacted text. :func:`log_request` is the
``on_response`` hook of :class:`royal_tui.api.client.ResellerClient`: one INFO line per HTTP
exchange, ``GET /orders 200 35 ms`` — the path without its query string, never a body.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import threading
from pathlib import Path

__all__ = [
    "LOG_FILE_NAME",
    "LOGGER_NAME",
    "RedactingFilter",
    "log_file",
    "log_request",
    "redact",
    "register_secret",
    "setup_logging",
    "stop_logging",
]

LOGGER_NAME = "royal_tui"
LOG_FILE_NAME = "royal-tui.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 3
REDACTED = "***"
#: Shorter values are not registered: replacing them everywhere would garble the log.
MIN_SECRET_LENGTH = 3

_lock = threading.Lock()
_secrets: set[str] = set()
_handler: logging.Handler | None = None

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # Header-like "X-Access-Token: value", "Authorization: Bearer value"
    (re.compile(r"(?i)(x-access-token[\"']?\s*[:=]\s*[\"']?)[^\s\"',;}]+"), r"\1" + REDACTED),
    (re.compile(r"(?i)(authorization[\"']?\s*[:=]\s*[\"']?(?:bearer\s+|basic\s+)?)[^\s\"',;}]+"),
     r"\1" + REDACTED),
    (re.compile(r"(?i)\b((?:password|passwd|pass|token)[\"']?\s*[:=]\s*[\"']?)[^\s\"',;&}]+"),
     r"\1" + REDACTED),
    # URL userinfo: scheme://user:pass@host → scheme://user:***@host
    (re.compile(r"(://[^\s:/@]*):[^\s/@]+@"), r"\1:" + REDACTED + "@"),
    # Bare proxy strings: user:pass@host → user:***@host
    (re.compile(r"(?<![\w/:])([\w.+-]+):[^\s:/@]+@(?=[\w\[])"), r"\1:" + REDACTED + "@"),
)


def log_file(directory: Path | str | None = None) -> Path:
    """Where the log goes: ``<directory or paths.log_dir()>/royal-tui.log``."""
    if directory is None:
        from royal_tui.paths import log_dir

        directory = log_dir()
    return Path(directory) / LOG_FILE_NAME


def register_secret(value: str | None) -> None:
    """Redact ``value`` (a token, a proxy password) from every later log line."""
    register_secrets((value,))


def register_secrets(values) -> None:
    """:func:`register_secret` for many values at once (a page of proxies: one lock, not one per proxy)."""
    texts = {text for text in (str(v).strip() for v in values if v) if len(text) >= MIN_SECRET_LENGTH}
    if texts:
        with _lock:
            _secrets.update(texts)


#: The registered secrets, longest first, and the registry (its identity and size) they were
#: sorted from: sorted again only when secrets were added, not for every log line.
_longest_first: tuple[int, int, list[str]] = (0, -1, [])


def _secrets_longest_first() -> list[str]:
    global _longest_first
    with _lock:
        key = (id(_secrets), len(_secrets))  # secrets are only ever added
        if _longest_first[:2] != key:
            _longest_first = (*key, sorted(_secrets, key=len, reverse=True))
        return _longest_first[2]


def redact(text: str) -> str:
    """``text`` with every registered secret and every known secret pattern replaced by ``***``."""
    for secret in _secrets_longest_first():  # longest first: no partial leftovers
        if secret in text:
            text = text.replace(secret, REDACTED)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites each record's final message (and traceback text) with :func:`redact`."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep the template, drop the arguments
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        if record.exc_info:
            if not record.exc_text:
                record.exc_text = self._formatter.formatException(record.exc_info)
            record.exc_info = None  # only the redacted text is formatted from now on
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Opens (and re-opens after a rollover) the file with mode 0600; never writes to stderr."""

    def _open(self):  # noqa: ANN202 - logging's own signature
        def opener(path: str, flags: int) -> int:
            return os.open(path, flags, 0o600)

        return open(  # noqa: SIM115 - the handler owns the stream
            self.baseFilename, self.mode, encoding=self.encoding, errors=self.errors, opener=opener
        )

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802
        # logging's default prints a traceback to stderr — over the TUI. A lost line is better.
        pass


def _prepare(path: Path) -> None:
    directory = path.parent
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        os.chmod(directory, 0o700)
    except OSError:
        pass
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)  # an older, wider file is narrowed


def setup_logging(directory: Path | str | None = None, level: int = logging.INFO) -> Path:
    """Send the ``royal_tui`` loggers to ``<log dir>/royal-tui.log``; returns that path.

    Idempotent: a second call for the same file changes nothing; a call for another file
    replaces the handler. Raises ``OSError`` when the folder or the file cannot be created.
    """
    global _handler
    path = log_file(directory)
    logger = logging.getLogger(LOGGER_NAME)
    with _lock:
        current = _handler
    if (
        current is not None
        and current in logger.handlers
        and Path(getattr(current, "baseFilename", "")) == path.absolute()
        and path.exists()
    ):
        logger.setLevel(level)
        return path
    _prepare(path)
    handler = _PrivateRotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    with _lock:
        previous, _handler = _handler, handler
    if previous is not None:
        logger.removeHandler(previous)
        previous.close()
    logger.addHandler(handler)
    logger.setLevel(level)
    return path


_request_log = logging.getLogger(f"{LOGGER_NAME}.http")


def log_request(method: str, path: str, status: int | None, duration: float) -> None:
    """``GET /orders 200 35 ms``: the path without its query string; ``-`` when no answer came."""
    bare = str(path).split("?", 1)[0].split("#", 1)[0]
    shown = "-" if status is None else str(status)
    millis = max(0, round(float(duration) * 1000))
    _request_log.info("%s %s %s %d ms", str(method).upper(), bare, shown, millis)


def stop_logging() -> None:
    """Detach and close the log file handler (tests; a clean exit)."""
    global _handler
    with _lock:
        handler, _handler = _handler, None
    if handler is not None:
        logging.getLogger(LOGGER_NAME).removeHandler(handler)
        handler.close()
