"""Pieces of the purchase wizard: a question's field, the review text, the reconcile message."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Checkbox, Input, Label, Select, Static

from royal_tui.api.models import Order, Question, Quote
from royal_tui.formatting import money, one_line
from royal_tui.ui.widgets.limited_input import LimitedInput

if TYPE_CHECKING:
    from royal_tui.ui.screens.purchase import PurchaseScreen


class QuestionField(Vertical):
    """One of the product's questions: a text field, a choice, or a yes/no box."""

    DEFAULT_CSS = """
    QuestionField {
        height: auto;
    }
    """

    def __init__(self, question: Question) -> None:
        super().__init__(id=f"question-{question.id}")
        self.question = question

    @property
    def kind(self) -> str:
        if self.question.options:
            return "choice"
        if (self.question.type or "").lower() == "boolean":
            return "boolean"
        return "text"

    def compose(self) -> ComposeResult:
        label = Text(one_line(self.question.text, 70))
        if self.question.is_required:
            label.append(" *", style="bold red")
        elif "optional" not in self.question.text.lower():  # "Target websites (optional):" says it already
            label.append(" (optional)", style="dim")
        if self.kind == "boolean":
            yield Checkbox(label, id=f"answer-{self.question.id}")
        else:
            yield Label(label, classes="field-label")
            if self.kind == "choice":
                yield Select(
                    [(Text(one_line(option, 60)), option) for option in self.question.options],
                    prompt="choose…",
                    id=f"answer-{self.question.id}",
                )
            else:
                yield LimitedInput(placeholder="your answer", id=f"answer-{self.question.id}", max_length=500, what="the answer")
        yield Static("", classes="field-error", markup=False)

    @property
    def answer(self) -> str:
        widget = self.query_one(f"#answer-{self.question.id}")
        if isinstance(widget, Checkbox):
            return "yes" if widget.value else "no"
        if isinstance(widget, Select):
            return "" if widget.value is Select.NULL else str(widget.value)
        return widget.value.strip()

    def validate(self) -> str | None:
        problem = None
        if self.question.is_required and self.kind != "boolean" and not self.answer:
            problem = f"Answer “{one_line(self.question.text, 40)}” — it is required."
        self.show_error(problem or "")
        return problem

    @on(LimitedInput.Refused)
    def refused(self, event: LimitedInput.Refused) -> None:
        event.stop()
        self.show_error(event.message)

    def show_error(self, message: str) -> None:
        self.query_one(".field-error", Static).update(message)


def review_text(screen: PurchaseScreen, quote: Quote | None) -> Text:
    """Everything once more before money moves."""
    text = Text()

    def row(label: str, value: str, style: str = "") -> None:
        text.append(f"{label:<14}", style="dim")
        text.append(value + "\n", style=style)

    if screen.product is not None:
        row("Product", one_line(screen.product.name, 50))
    if screen.plan is not None:
        row("Plan", one_line(screen.plan.name, 50))
    if screen.location is not None:
        row("Location", one_line(screen.location.name, 50))
    row("Quantity", screen.query_one("#quantity", Input).value.strip())
    coupon = screen.query_one("#coupon", Input).value.strip()
    row("Coupon", one_line(coupon, 40) if coupon else "none")
    for field in screen.query(QuestionField):
        row("Answer", f"{one_line(field.question.text, 30)} → {one_line(field.answer, 30) or '—'}")
    row("Auto-extend", "on" if screen.query_one("#auto-extend", Checkbox).value else "off")
    from royal_tui.ui.widgets.payment import PaymentChoice

    row("Pay with", screen.query_one(PaymentChoice).describe(screen.balance))
    if quote is None:
        row("Charged", "waiting for an up-to-date quote…", "italic")
    else:
        row("Charged", money(quote.price_with_vat), "bold")
        if quote.vat:
            row("", f"including VAT {money(quote.vat)}", "dim")
    return text


def reconcile_message(found: Order | bool | None, problem: str | None) -> str:
    """What an unknown outcome turned out to be, in plain words."""
    if isinstance(found, Order):
        return (
            f"The outcome was unknown, and the orders list now shows a new order #{found.id} "
            f"({found.quantity} × {one_line(found.plan_name, 20)}, {one_line(found.location, 24)}): "
            "the purchase went through. Press the button to see it."
        )
    if found is False:
        return (
            "The outcome was unknown, and no new order appears in your orders list: as far as the "
            "server shows, nothing was bought. Nothing is retried automatically — press Buy again "
            "only if you still want it."
        )
    return (
        f"The outcome is unknown and could not be checked ({problem}). Do not buy again before "
        "checking your orders list (press r there): the purchase may have gone through."
    )
