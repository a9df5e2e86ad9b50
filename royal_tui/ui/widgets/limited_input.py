"""An Input that says why it refused a paste or a key, instead of only ringing the bell.

Textual's ``Input(max_length=…)`` rejects an edit that would make the value too long, whole
(a 10 kB paste leaves the field as it was), and rings the terminal bell. That is safe but
silent. :class:`LimitedInput` keeps the refusal and posts :class:`LimitedInput.Refused` with a
sentence for the user; the screen that owns the field shows it next to the field (the app
shows it as a notification when nobody did).
"""

from __future__ import annotations

from textual.message import Message
from textual.widgets import Input


class LimitedInput(Input):
    """``Input`` with a ``max_length`` and a named content (``what``) for the refusal message."""

    class Refused(Message):
        """An edit was refused for length; ``message`` says so in one sentence."""

        def __init__(self, input: LimitedInput, message: str) -> None:
            super().__init__()
            self.input = input
            self.message = message

        @property
        def control(self) -> LimitedInput:
            return self.input

    def __init__(self, *args, what: str, max_length: int, **kwargs) -> None:
        super().__init__(*args, max_length=max_length, **kwargs)
        self.what = what
        self._attempted = 0

    def replace(self, text: str, start: int, end: int) -> None:
        value = self.value
        start, end = sorted((max(0, start), min(len(value), end)))
        self._attempted = len(value) - (end - start) + len(text)
        super().replace(text, start, end)

    def restricted(self) -> None:
        super().restricted()
        if self.max_length and self._attempted > self.max_length:
            self.post_message(
                self.Refused(
                    self,
                    f"Not entered: that would make {self.what} {self._attempted:,} characters long; "
                    f"at most {self.max_length:,} fit.",
                )
            )
