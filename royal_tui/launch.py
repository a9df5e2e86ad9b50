"""Build the TUI from the command line's choices: the one factory the CLI and the tests share."""

from __future__ import annotations

import os
from typing import Mapping

DEFAULT_BASE_URL = "https://apid.iproyal.com/v1/reseller"


def make_app(*, base_url: str | None = None, demo: bool = False, profile: str | None = None,
             env: Mapping[str, str] | None = None, transport=None):
    """The app for ``royal-tui`` / ``royal-tui --demo``.

    Without ``demo`` the token comes from the token store (env → keyring → 0600 file); when
    none is found the app opens on the login screen, saying why (e.g. a locked keyring).
    Raises ``InsecureURL`` for plain http to a non-loopback host.
    """
    from royal_tui.api.client import ResellerClient
    from royal_tui.config import load_config
    from royal_tui.logs import log_request, register_secret
    from royal_tui.ui.app import RoyalApp

    env = os.environ if env is None else env
    config, warnings = load_config(env=env)
    _start_logging()
    if demo:
        from royal_tui.cli import demo_client

        # The demo token is public: not registered, or the word "demo" would vanish from the log.
        client = demo_client(on_response=log_request)
        return settled(RoyalApp(client, token_source="demo", config=config, warnings=warnings))

    url = base_url or env.get("IPROYAL_API_URL") or DEFAULT_BASE_URL

    def build(token: str) -> ResellerClient:
        return ResellerClient(token, url, transport=transport, on_response=log_request)

    def client_factory(token: str) -> ResellerClient:
        register_secret(token)  # redacted from the log from now on
        return build(token)

    build("probe")  # refuses an insecure URL before anything else happens
    from royal_tui import credentials

    profile = profile or config.profile
    resolved = credentials.resolve(profile, env)
    reason = "\n\n".join(resolved.problems)  # why the keyring or the file could not be used
    client = client_factory(resolved.token) if resolved.token else None
    if resolved.token is not None:
        warnings.extend(resolved.problems)
    return settled(RoyalApp(
        client,
        token_source=resolved.source or "none",
        config=config,
        warnings=warnings,
        client_factory=client_factory,
        login_reason=reason,
        keyring_ok=resolved.problem is None,
    ))


def settled(app):
    """Move what exists now (modules, classes, the app, the demo's sandbox) out of the GC's sight.

    These objects live as long as the process. Left in the collector's generations, every full
    collection while the screen is first built walks all of them again (tens of ms at start);
    ``gc.freeze`` puts them in the permanent generation, which collections skip.
    """
    import gc

    gc.freeze()
    return app


def _start_logging() -> None:
    """Open the log file; an unwritable log dir must not stop the app (nothing is logged)."""
    from royal_tui.logs import setup_logging

    try:
        setup_logging()
    except OSError:
        pass
