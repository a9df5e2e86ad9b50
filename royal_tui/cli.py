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
    "royal-tui: no API token and no terminal to ask for one — set IPROYAL_TOKEN "
    "(read -rs IPROYAL_TOKEN && export IPROYAL_TOKEN) or store it with `royal-tui token set`; "
    "or try `royal-tui --demo`."
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="royal-tui",
        description="Browse, inspect, buy and extend IPRoyal proxy orders from the terminal.",
        epilog="The API token comes from IPROYAL_TOKEN, the OS keyring (`royal-tui token set`) or a 0600 "
        "file; without one, royal-tui asks for it. Run `royal-tui --demo` to try it without one.",
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
    parser.add_argument(
        "--no-mouse",
        action="store_true",
        help="ignore the mouse (keeps the terminal's own selection working, e.g. over SSH)",
    )
    parser.add_argument(
        "--profile",
        metavar="NAME",
        type=_profile,
        default=None,
        help="which stored token to use (one keyring entry per profile; default: the config's, or 'default')",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sandbox = sub.add_parser(
        "sandbox",
        help="serve the sandbox API on 127.0.0.1 for curl and the TUI",
        description="Serve the stateful sandbox of the reseller API on 127.0.0.1. Point the TUI at it "
        "with --base-url http://127.0.0.1:PORT/v1/reseller.",
        epilog=SANDBOX_FAULTS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sandbox.add_argument("--port", type=int, default=8077, help="TCP port (default 8077; 0 picks a free one)")
    sandbox.add_argument("--latency", type=float, default=0.0, metavar="MS", help="delay every answer by MS milliseconds")
    sandbox.add_argument("--fail-rate", type=_fraction, default=0.0, metavar="F", help="answer this fraction (0–1) of requests with 503")
    sandbox.add_argument("--rate-limit", type=_rate, default=None, metavar="N/min", help="allow N requests a minute, then 429 with Retry-After")
    sandbox.add_argument("--vat", type=float, default=None, metavar="R", help="charge VAT at R percent")
    sandbox.add_argument("--provision-delay", type=float, default=5.0, metavar="S", help="seconds before a new order gets its proxies (default 5)")
    sandbox.add_argument("--orders", type=int, default=None, metavar="N", help="generate N demo orders instead of about 60")
    sandbox.add_argument("--token", default=None, metavar="T", help="accept only this token (default: any non-empty token)")
    sandbox.add_argument("--fault", action="append", type=_fault_spec, default=[], metavar="SPEC",
                         help="script a fault: the next COUNT calls to ENDPOINT answer KIND "
                         "(ENDPOINT:KIND[:COUNT], repeatable; see below)")
    config = sub.add_parser(
        "config",
        help="where the configuration file lives, and an example of it",
        description="royal-tui reads an optional TOML file; these commands say where and what.",
    )
    config_sub = config.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    config_sub.add_parser("path", help="print the configuration file's path")
    config_sub.add_parser("example", help="print a complete, commented example configuration")
    _add_token_parser(sub)
    doctor = sub.add_parser(
        "doctor",
        help="what this terminal and machine offer (keyring, clipboard, colours, paths)",
        description="Report versions, terminal, colours, tmux/screen/SSH, clipboard, keyring "
        "backend, where the token would come from, config and log paths and the API address — "
        "one line each, never a secret.",
    )
    doctor.add_argument(
        "--profile",
        metavar="NAME",
        type=_profile,
        default=argparse.SUPPRESS,
        help="check this profile's token (default: --profile, the config's, or 'default')",
    )
    return parser


def _add_token_parser(sub) -> None:
    # --profile is accepted before or after the action; SUPPRESS keeps one from erasing the other.
    profile = argparse.ArgumentParser(add_help=False)
    profile.add_argument(
        "--profile",
        metavar="NAME",
        type=_profile,
        default=argparse.SUPPRESS,
        help="keyring entry to use (default: $ROYAL_TUI_PROFILE, the config's profile, or 'default')",
    )
    token = sub.add_parser(
        "token",
        parents=[profile],
        help="store, locate or remove the API token (never on the command line)",
        description="Manage the stored API token without the TUI. The token is looked up in this "
        "order: IPROYAL_TOKEN, the OS keyring (service royal-tui, one entry per profile), the "
        "opt-in 0600 file. It is never taken from, or printed to, the command line.",
    )
    token_sub = token.add_subparsers(dest="token_command", metavar="ACTION", required=True)
    token_set = token_sub.add_parser(
        "set",
        parents=[profile],
        help="store a token read from a hidden prompt or stdin",
        description="Read the token from a hidden prompt (or the first line of stdin when it is "
        "not a terminal) and store it in the OS keyring, or with --file in a 0600 file.",
    )
    token_set.add_argument(
        "--file",
        action="store_true",
        help="store it in the 0600 file next to config.toml instead of the OS keyring",
    )
    # Catches a token typed on the command line, so the refusal need not repeat it (argparse's
    # "unrecognized arguments" would print it back).
    token_set.add_argument("stray", nargs="*", help=argparse.SUPPRESS)
    token_set.add_argument("--token", dest="stray_option", nargs="?", const="", help=argparse.SUPPRESS)
    token_sub.add_parser(
        "show-source",
        parents=[profile],
        help="say where the token comes from (never prints it)",
        description="Say where royal-tui would take the token from, and any keyring problem.",
    )
    token_sub.add_parser(
        "clear",
        parents=[profile],
        help="remove the token from the OS keyring and the 0600 file",
        description="Remove the profile's token from the OS keyring, and the 0600 token file.",
    )


def _profile(value: str) -> str:
    import re

    text = value.strip()
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}", text):
        raise argparse.ArgumentTypeError("use letters, digits, '.', '_' or '-' (at most 64)")
    return text


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
    if args.command == "token":
        return run_token(args)
    if args.command == "doctor":
        return run_doctor(args)
    return run_tui(args)


def run_config(args: argparse.Namespace) -> int:
    if args.config_command == "path":
        from royal_tui.paths import config_file

        print(config_file())
    else:
        from royal_tui.config import EXAMPLE_CONFIG

        print(EXAMPLE_CONFIG, end="")
    return 0


def run_doctor(args: argparse.Namespace) -> int:
    """``royal-tui doctor``: one line per item, never a secret; exits 0."""
    from royal_tui.doctor import run_doctor as report

    return report(profile=getattr(args, "profile", None))


TOKEN_PROMPT = "API token (input hidden): "


def run_token(args: argparse.Namespace) -> int:
    """``royal-tui token set|show-source|clear``: plain messages, never a traceback or the token."""
    from royal_tui import credentials

    profile = getattr(args, "profile", None)
    if profile is None:
        from royal_tui.config import load_config

        profile = load_config()[0].profile
    if args.token_command == "show-source":
        print(credentials.show_source(profile))
        return 0
    if args.token_command == "clear":
        return _token_clear(credentials, profile)
    if args.stray or args.stray_option is not None:
        print(
            "royal-tui token set: the token is never taken from the command line (it would stay "
            "in the shell history); run `royal-tui token set` and paste it at the hidden prompt, "
            "or pipe it on stdin. Nothing stored.",
            file=sys.stderr,
        )
        return 2
    return _token_set(credentials, profile, to_file=args.file)


def _read_token_input() -> str:
    if sys.stdin is None:
        return ""
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass(TOKEN_PROMPT)
    return sys.stdin.readline()


def _token_set(credentials, profile: str, *, to_file: bool) -> int:
    try:
        raw = _read_token_input()
    except (EOFError, KeyboardInterrupt):
        print("\nroyal-tui: cancelled; nothing stored.", file=sys.stderr)
        return 1
    if not raw.strip():
        print("royal-tui: no token given; nothing stored.", file=sys.stderr)
        return 1
    try:
        token = credentials.validate_token(raw)
    except ValueError as error:
        print(f"royal-tui: {error} Nothing stored.", file=sys.stderr)
        return 1
    if to_file:
        try:
            path = credentials.store_in_file(token)
        except OSError as error:
            print(
                f"royal-tui: could not write the token file ({error.strerror or error}); nothing stored.",
                file=sys.stderr,
            )
            return 1
        print(f"Token stored in {path} (mode 0600).")
        try:  # a keyring entry would win over the file: say so
            shadowing = credentials.keyring_get(profile, timeout=2.0)
        except credentials.KeyringUnavailable:
            shadowing = None
        if shadowing:
            print(
                f"Note: the OS keyring also holds a token for profile {profile}, and it is used "
                "before the file; remove it with `royal-tui token clear` and set the file again, "
                "or keep using the keyring."
            )
    else:
        try:
            backend = credentials.keyring_set(profile, token)
        except credentials.KeyringUnavailable as error:
            print(f"royal-tui: the token was not stored. {error.problem.explain()}", file=sys.stderr)
            return 1
        print(
            f"Token stored in the OS keyring (service {credentials.SERVICE}, profile {profile}, "
            f"backend {backend})."
        )
    if os.environ.get(credentials.ENV_VAR, "").strip():
        print(f"Note: {credentials.ENV_VAR} is set in this environment and is used first.")
    return 0


def _token_clear(credentials, profile: str) -> int:
    from royal_tui import paths

    try:
        result = credentials.clear(profile)
    except OSError as error:
        print(f"royal-tui: could not remove the token file ({error.strerror or error}).", file=sys.stderr)
        return 1
    places = {
        "keyring": f"the OS keyring (profile {profile})",
        "file": f"the file {credentials.display_path(paths.token_file())}",
    }
    if result:
        print("Token removed from " + " and ".join(places[where] for where in result) + ".")
    else:
        print(f"No stored token found for profile {profile}; nothing to remove.")
    if os.environ.get(credentials.ENV_VAR, "").strip():
        print(f"Note: {credentials.ENV_VAR} is still set in this environment (unset IPROYAL_TOKEN).")
    problem = result.problem
    if problem is not None and problem.kind != problem.NO_BACKEND:
        # The keyring may still hold the token: not a success.
        print(f"royal-tui: the OS keyring could not be checked. {problem.explain()}", file=sys.stderr)
        return 1
    return 0


SANDBOX_FAULTS_HELP = """\
scripted faults (--fault ENDPOINT:KIND[:COUNT], repeatable; COUNT default 1, 0 = forever):
  ENDPOINT  products, orders (the list), order (one), pricing, create, extend, toggle,
            balance, cards, or * (any request)
  KIND      500 (JSON), 502-html, 503 (HTML pages), 429[=S] (Retry-After: S, default 2),
            429-no-retry-after, timeout (no answer; the request is not handled),
            timeout-after (handled, then no answer), drop (connection closed, not handled),
            drop-after (handled, then dropped), malformed (200, invalid JSON),
            truncated (200, the JSON cut in half), wrong-shape (200, {"unexpected":true}),
            empty (200, empty body)
  e.g.      --fault pricing:502-html:2 --fault balance:429=5 --fault create:timeout-after
"""


def _fault_spec(value: str):
    from royal_tui.sandbox.faults import parse_spec

    try:
        return parse_spec(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def run_sandbox(args: argparse.Namespace) -> int:
    from royal_tui.sandbox.options import SandboxOptions
    from royal_tui.sandbox.server import serve

    options = SandboxOptions(
        orders=args.orders,
        vat=args.vat,
        provision_delay=args.provision_delay,
        rate_limit=args.rate_limit,
        token=args.token,
        latency_ms=args.latency,
        fail_rate=args.fail_rate,
        faults=tuple(getattr(args, "fault", None) or ()),
    )
    try:
        serve(options, port=args.port)
    except OSError as error:
        print(f"royal-tui sandbox: cannot listen on 127.0.0.1:{args.port}: {error.strerror}", file=sys.stderr)
        return 1
    return 0


def run_tui(args: argparse.Namespace) -> int:
    from royal_tui.api.errors import InsecureURL
    from royal_tui.launch import make_app

    if not args.demo and not (sys.stdin.isatty() and sys.stdout.isatty()):
        # No terminal to show a login screen on: only a token that needs no questions will do.
        from royal_tui import credentials

        if not credentials.resolve(args.profile or "default").token:
            print(NO_TOKEN_MESSAGE, file=sys.stderr)
            return 2
    try:
        app = make_app(base_url=args.base_url, demo=args.demo, profile=args.profile)
    except InsecureURL as error:
        print(f"royal-tui: {error.message}", file=sys.stderr)
        return 2
    app.run(mouse=not args.no_mouse)
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
