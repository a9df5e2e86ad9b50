"""Textual's Footer, minus the redraws that change nothing.

Textual's Footer recomposes (removes and remounts every key) whenever the screen publishes
``bindings_updated``: on every focus change and every ``refresh_bindings()``, even when the keys
it shows are the same. Each recompose is a layout and a repaint of the whole footer line. This
one recomposes only when what it would show (keys, descriptions, enabled state) has changed.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._shown_keys: tuple | None = None

    def _keys_signature(self, screen: Screen) -> tuple:
        app = screen.app
        return tuple(
            (binding.key, app.get_key_display(binding), binding.description, binding.action, enabled, tooltip)
            for (_node, binding, enabled, tooltip) in screen.active_bindings.values()
            if binding.show or binding.key == app.COMMAND_PALETTE_BINDING
        ) + (self.show_command_palette, self.compact)

    def compose(self):
        # Textual's Footer starts empty and fills itself after the first ``bindings_updated``
        # (one more layout and repaint right after the first frame); the keys are known now.
        self._bindings_ready = True
        self._shown_keys = self._keys_signature(self.screen)
        yield from super().compose()

    def bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            signature = self._keys_signature(screen)
            if signature == self._shown_keys:
                self._bindings_ready = True
                return
            self._shown_keys = signature
        super().bindings_changed(screen)
