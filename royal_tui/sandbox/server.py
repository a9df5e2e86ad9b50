"""The sandbox as a real HTTP server on the loopback interface (``royal-tui sandbox``).

``make_server(options, port=0)`` gives a bound, not yet serving, :class:`SandboxServer`
(tests run ``serve_forever`` in a thread); :func:`serve` prints one line and serves until
Ctrl-C. Requests are handled on threads; the state's lock serialises them.

Scripted faults (:mod:`royal_tui.sandbox.faults`): ``drop`` / ``drop-after`` close the socket
without a response; ``timeout`` / ``timeout-after`` keep the connection open without a byte of
answer until the client closes it (its read timeout), the server closes, or ``TIMEOUT_HOLD``.
"""

from __future__ import annotations

import ipaddress
import select
import signal
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, TextIO
from urllib.parse import parse_qsl, unquote

from royal_tui.sandbox.app import PREFIX, handle
from royal_tui.sandbox.faults import TIMEOUT
from royal_tui.sandbox.state import SandboxOptions, SandboxState

LOOPBACK_NAMES = {"localhost": "127.0.0.1"}
#: Longest a scripted ``timeout`` holds a connection open without answering (seconds).
TIMEOUT_HOLD = 300.0


class SandboxServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], state: SandboxState,
                 log: Callable[[str], None] | None = None) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.state = state
        self.log = log
        #: Set by :meth:`server_close`: handlers holding a ``timeout`` fault let go.
        self.closing = threading.Event()
        super().__init__(address, _Handler)

    def server_close(self) -> None:
        self.closing.set()
        super().server_close()

    @property
    def port(self) -> int:
        return self.server_address[1]

    @property
    def base_url(self) -> str:
        host = self.server_address[0]
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}{PREFIX}"


class _Handler(BaseHTTPRequestHandler):
    server: SandboxServer
    protocol_version = "HTTP/1.1"
    server_version = "royal-tui-sandbox"
    sys_version = ""

    def _body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _serve(self) -> None:
        try:
            body = self._body()
        except ValueError:
            self.send_error(400, "Malformed request body")
            return
        # http.server decodes the request line as latin-1; the bytes were (most likely) UTF-8.
        raw = self.path.encode("latin-1", "replace").decode("utf-8", "replace")
        path, _, query = raw.partition("?")
        host = self.headers.get("Host") or f"127.0.0.1:{self.server.port}"
        answer = handle(
            self.server.state, self.command, unquote(path), parse_qsl(query, keep_blank_values=True),
            self.headers.items(), body, base_url=f"http://{host}",
        )
        delay = self.server.state.options.latency_seconds
        if delay > 0:
            time.sleep(delay)
        if answer.action is not None:
            self._no_answer(answer.action)
            return
        self.send_response(answer.status)
        for name, value in answer.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(answer.body)

    def _no_answer(self, action: str) -> None:
        """A scripted ``drop`` (close now) or ``timeout`` (hold the connection, silent, until the
        client gives up, the server closes, or :data:`TIMEOUT_HOLD` seconds pass)."""
        self.close_connection = True
        if self.server.log is not None:
            line = self.requestline.encode("latin-1", "replace").decode("utf-8", "replace")
            self.server.log(f"{line.rsplit(' ', 1)[0]} → {action} (scripted fault)")
        if action == TIMEOUT:
            deadline = time.monotonic() + TIMEOUT_HOLD
            while time.monotonic() < deadline and not self.server.closing.is_set():
                readable, _, _ = select.select([self.connection], [], [], 0.1)
                if readable:
                    try:
                        if not self.connection.recv(4096):
                            break  # the client closed its end
                    except OSError:
                        break
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if self.server.log is not None:
            line = self.requestline.encode("latin-1", "replace").decode("utf-8", "replace")
            self.server.log(f"{line.rsplit(' ', 1)[0]} → {code}")

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's name
        if self.server.log is not None:
            self.server.log(format % args)


def _loopback(host: str) -> str:
    host = LOOPBACK_NAMES.get(host, host)
    try:
        is_loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        is_loopback = False
    if not is_loopback:
        raise ValueError(f"the sandbox only listens on loopback addresses, not {host!r}")
    return host


def make_server(
    options: SandboxOptions | None = None,
    port: int = 8077,
    host: str = "127.0.0.1",
    *,
    state: SandboxState | None = None,
    log: Callable[[str], None] | None = None,
) -> SandboxServer:
    """A bound server (port 0 → an ephemeral port; see ``server.port`` / ``server.base_url``).

    Raises ``ValueError`` for a non-loopback host and ``OSError`` when the port is taken.
    """
    return SandboxServer((_loopback(host), port), state or SandboxState(options), log=log)


def token_policy(options: SandboxOptions) -> str:
    """How the server checks tokens, in words (never the token itself)."""
    if options.token is None:
        return "any non-empty token accepted"
    return "the one given with --token"


def serve(options: SandboxOptions | None = None, port: int = 8077, host: str = "127.0.0.1",
          *, out: TextIO | None = None) -> int:
    """Serve until Ctrl-C (or SIGTERM). Bind errors (``OSError``) propagate to the caller."""
    options = options or SandboxOptions()
    out = out or sys.stdout
    server = make_server(options, port, host, log=lambda line: print(line, file=sys.stderr, flush=True))
    print(f"royal-tui sandbox listening on {server.base_url} — token: {token_policy(options)}",
          file=out, flush=True)
    previous = _stop_on_sigterm()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("royal-tui sandbox stopped.", file=out, flush=True)
    finally:
        server.server_close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _stop_on_sigterm():
    """Treat SIGTERM like Ctrl-C (clean exit, no traceback); only possible on the main thread."""
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, _interrupt)
