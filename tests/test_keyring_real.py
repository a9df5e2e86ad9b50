"""The token store against a real OS keyring (Secret Service via gnome-keyring).

`.ci/run` runs this inside ``dbus-run-session`` with an unlocked ``gnome-keyring-daemon`` and
``ROYAL_TUI_REAL_KEYRING=1``; elsewhere it is skipped. Everything talks to the keyring from
subprocesses, exactly as a user's shell would.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import threading

import pytest

pytestmark = [
    pytest.mark.keyring_real,
    pytest.mark.skipif(
        os.environ.get("ROYAL_TUI_REAL_KEYRING") != "1" or shutil.which("secret-tool") is None,
        reason="needs a running Secret Service (see .ci/run)",
    ),
]

TOKEN = "real-keyring-tok-5e1f"


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("IPROYAL_", "PYTHON_KEYRING"))}
    return env


def royal(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "royal_tui", *args], input=stdin, capture_output=True, text=True,
        env=clean_env(), timeout=60,
    )


def lookup() -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["secret-tool", "lookup", "service", "royal-tui", "username", "default"],
        capture_output=True, text=True, timeout=30,
    )


APP_SCRIPT = textwrap.dedent(
    """
    import asyncio, json, sys
    from royal_tui.launch import make_app
    from royal_tui.ui.widgets.orders_table import OrdersTable

    async def main():
        app = make_app(base_url=sys.argv[1])
        async with app.run_test(size=(120, 36)) as pilot:
            for _ in range(200):
                await pilot.pause(0.02)
                tables = app.screen.query(OrdersTable)
                if tables and tables.first().row_count:
                    break
            rows = app.screen.query_one(OrdersTable).row_count if app.screen.query(OrdersTable) else 0
            print(json.dumps({"rows": rows, "source": app.token_source, "screen": type(app.screen).__name__}))

    asyncio.run(main())
    """
)


def test_token_set_then_the_app_finds_it_in_the_keyring_then_clear():
    from royal_tui.sandbox.options import SandboxOptions
    from royal_tui.sandbox.server import make_server

    stored = royal("token", "set", stdin=TOKEN + "\n")
    assert stored.returncode == 0, stored.stderr
    assert TOKEN not in stored.stdout + stored.stderr
    assert lookup().stdout.strip() == TOKEN

    shown = royal("token", "show-source")
    assert "keyring" in shown.stdout.lower() and TOKEN not in shown.stdout

    server = make_server(SandboxOptions(token=TOKEN), port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        run = subprocess.run(
            [sys.executable, "-c", APP_SCRIPT, server.base_url], capture_output=True, text=True,
            env=clean_env(), timeout=120,
        )
    finally:
        server.shutdown()
        server.server_close()
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result == {"rows": result["rows"], "source": "keyring", "screen": "OrdersScreen"}
    assert result["rows"] > 0

    cleared = royal("token", "clear")
    assert cleared.returncode == 0
    assert lookup().stdout.strip() == ""
