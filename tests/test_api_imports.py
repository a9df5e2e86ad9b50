"""The API layer stays headless: importing it must not pull in Textual (nor the sandbox/UI)."""

from __future__ import annotations

import subprocess
import sys


def test_import_does_not_pull_textual_or_sandbox() -> None:
    code = (
        "import sys, royal_tui.api, royal_tui.api.client, royal_tui.api.models; "
        "bad = [m for m in sys.modules if m == 'textual' or m.startswith(('textual.', "
        "'royal_tui.sandbox', 'royal_tui.ui', 'rich'))]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
