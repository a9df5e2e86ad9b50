"""How to pay: the account balance or one of the saved cards (``GET /cards``)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import RadioButton, RadioSet

from royal_tui.api.models import Card
from royal_tui.formatting import one_line


class PaymentChoice(RadioSet):
    """Balance first (the default), then one button per saved card."""

    DEFAULT_CSS = """
    PaymentChoice {
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(RadioButton("Account balance", value=True, id="pay-balance"), id=id)
        self.cards: tuple[Card, ...] = ()

    async def set_cards(self, cards: tuple[Card, ...]) -> None:
        self.cards = cards
        for card in cards:
            await self.mount(RadioButton(Text(f"Card {one_line(card.label, 40)}"), id=f"pay-card-{card.id}"))

    @property
    def card_id(self) -> int | None:
        """None: pay from the balance."""
        pressed = self.pressed_button
        if pressed is None or pressed.id is None or not pressed.id.startswith("pay-card-"):
            return None
        return int(pressed.id.removeprefix("pay-card-"))

    @property
    def card(self) -> Card | None:
        return next((card for card in self.cards if card.id == self.card_id), None)

    def describe(self, balance=None) -> str:
        from royal_tui.formatting import money

        card = self.card
        if card is not None:
            return one_line(card.label, 40)
        return "account balance" + (f" ({money(balance)})" if balance is not None else "")
