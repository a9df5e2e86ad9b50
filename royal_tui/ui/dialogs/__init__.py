"""Modal dialogs (each a ``ModalScreen`` that always dismisses with a value)."""

from __future__ import annotations

from royal_tui.ui.dialogs.export import ExportDialog

__all__ = ["ExportDialog"]
