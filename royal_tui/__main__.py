"""``python -m royal_tui`` — the same as the ``royal-tui`` command."""

from royal_tui.cli import main

raise SystemExit(main())
