"""A stateful, deterministic simulator of the IPRoyal reseller API (the other side of the wire).

Never imports Textual nor ``royal_tui.api``. Quick start::

    from royal_tui.sandbox import SandboxOptions, SandboxState, SandboxTransport
    state = SandboxState(SandboxOptions(clock=lambda: FIXED_NOW))
    client = httpx.AsyncClient(transport=SandboxTransport(state),
                               base_url="https://sandbox.invalid/v1/reseller")

``make_server(options, port)`` / ``serve(options, port)`` serve it on 127.0.0.1.
"""

from __future__ import annotations

from typing import Any

from royal_tui.sandbox.options import SandboxOptions
from royal_tui.sandbox.state import SandboxState

__all__ = [
    "SandboxOptions",
    "SandboxState",
    "SandboxTransport",
    "SandboxSyncTransport",
    "handle",
    "make_server",
    "serve",
]

_LAZY = {
    "SandboxTransport": "royal_tui.sandbox.transport",
    "SandboxSyncTransport": "royal_tui.sandbox.transport",
    "handle": "royal_tui.sandbox.app",
    "make_server": "royal_tui.sandbox.server",
    "serve": "royal_tui.sandbox.server",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'royal_tui.sandbox' has no attribute {name!r}")
