"""Command line: parse arguments, resolve the token, build and run the app.

Heavy imports (Textual, httpx, the sandbox) happen only on the path that needs
them, so ``--help`` and ``--version`` answer instantly.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence

from royal_tui import __version__

DEFAULT_BASE_URL = "https://apid.iproyal.com/v1/reseller"
DEMO_BASE_URL = "https://demo.sandbox.invalid/v1/reseller"
#: The demo's in-process sandbox accepts this token; it is not a secret.
DEMO_TOKEN = "demo"

NO_TOKEN_MESSAGE = (
    "royal-tui: no API token — set IPROYAL_TOKEN "
    "(read -rs IPROYAL_TOKEN && export IPROYAL_TOKEN), or try `royal-tui --demo`."
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="royal-tui",
        description="Browse, inspect, buy and extend IPRoyal proxy orders from the terminal.",
        epilog="The API token is read from IPROYAL_TOKEN. Run `royal-tui --demo` to try it without one.",
    )
    parser.add_argument("--version", action="version", version=f"royal-tui {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="run against the embedded sandbox: no token, no network, realistic data",
    )
    parser.add_argument(
        "--base-url",
        metavar="URL",
        default=None,
        help="API root (default: $IPROYAL_API_URL or %s); plain http only for loopback hosts"
        % DEFAULT_BASE_URL,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sandbox = sub.add_parser(
        "sandbox",
        help="serve the sandbox API on 127.0.0.1 for curl and the TUI",
        description="Serve the stateful sandbox of the reseller API on 127.0.0.1. Point the TUI at it "
        "with --base-url http://127.0.0.1:PORT/v1/reseller.",
    )
    sandbox.add_argument("--port", type=int, default=8077, help="TCP port (default 8077; 0 picks a free one)")
    sandbox.add_argument("--latency", type=float, default=0.0, metavar="MS", help="delay every answer by MS milliseconds")
    sandbox.add_argument("--fail-rate", type=_fraction, default=0.0, metavar="F", help="answer this fraction (0–1) of requests with 503")
    sandbox.add_argument("--rate-limit", type=_rate, default=None, metavar="N/min", help="allow N requests a minute, then 429 with Retry-After")
    sandbox.add_argument("--vat", type=float, default=None, metavar="R", help="charge VAT at R percent")
    sandbox.add_argument("--provision-delay", type=float, default=5.0, metavar="S", help="seconds before a new order gets its proxies (default 5)")
    sandbox.add_argument("--orders", type=int, default=None, metavar="N", help="generate N demo orders instead of about 60")
    sandbox.add_argument("--token", default=None, metavar="T", help="accept only this token (default: any non-empty token)")
    config = sub.add_parser(
        "config",
        help="where the configuration file lives, and an example of it",
        description="royal-tui reads an optional TOML file; these commands say where and what.",
    )
    config_sub = config.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    config_sub.add_parser("path", help="print the configuration file's path")
    config_sub.add_parser("example", help="print a complete, commented example configuration")
    return parser


def _fraction(value: str) -> float:
    number = float(value)
    if not 0.0 <= number <= 1.0:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return number


def _rate(value: str) -> int:
    text = value.strip().lower().removesuffix("/min")
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("expected N or N/min, e.g. 60/min") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1 request a minute")
    return number


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "sandbox":
        return run_sandbox(args)
    if args.command == "config":
        return run_config(args)
    return run_tui(args)


def run_config(args: argparse.Namespace) -> int:
    if args.config_command == "path":
        from royal_tui.paths import config_file

        print(config_file())
    else:
        from royal_tui.config import EXAMPLE_CONFIG

        print(EXAMPLE_CONFIG, end="")
    return 0


def run_sandbox(args: argparse.Namespace) -> int:
    from royal_tui.sandbox.server import serve
    from royal_tui.sandbox.options import SandboxOptions

    options = SandboxOptions(
        orders=args.orders,
        vat=args.vat,
        provision_delay=args.provision_delay,
        rate_limit=args.rate_limit,
        token=args.token,
        latency_ms=args.latency,
        fail_rate=args.fail_rate,
    )
    try:
        serve(options, port=args.port)
    except OSError as error:
        print(f"royal-tui sandbox: cannot listen on 127.0.0.1:{args.port}: {error.strerror}", file=sys.stderr)
        return 1
    return 0


def run_tui(args: argparse.Namespace) -> int:
    from royal_tui.api.errors import InsecureURL

    try:
        if args.demo:
            client, source = demo_client(), "demo"
        else:
            token = os.environ.get("IPROYAL_TOKEN", "").strip()
            if not token:
                print(NO_TOKEN_MESSAGE, file=sys.stderr)
                return 2
            from royal_tui.api.client import ResellerClient

            base_url = args.base_url or os.environ.get("IPROYAL_API_URL") or DEFAULT_BASE_URL
            client, source = ResellerClient(token, base_url), "env"
    except InsecureURL as error:
        print(f"royal-tui: {error.message}", file=sys.stderr)
        return 2

    from royal_tui.config import load_config
    from royal_tui.ui.app import RoyalApp

    config, warnings = load_config()
    RoyalApp(client, token_source=source, config=config, warnings=warnings).run()
    return 0


def demo_transport(clock=None, **options):
    """An in-process sandbox transport (no sockets) holding the demo account."""
    from royal_tui.sandbox.options import SandboxOptions
    from royal_tui.sandbox.state import SandboxState
    from royal_tui.sandbox.transport import SandboxTransport

    return SandboxTransport(SandboxState(SandboxOptions(clock=clock, token=DEMO_TOKEN, **options)))


def demo_client(clock=None, transport=None, **client_options):
    """A client wired to an in-process sandbox (no sockets, no token needed)."""
    from royal_tui.api.client import ResellerClient

    return ResellerClient(
        DEMO_TOKEN, DEMO_BASE_URL, transport=transport or demo_transport(clock), **client_options
    )
