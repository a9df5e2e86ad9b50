"""The purchase wizard: product → plan and location → details → review, with a live quote.

Money rules: one ``POST /orders`` per confirmation, the button disabled while it is in flight, a
second press ignored; an unknown outcome is reconciled by re-reading the orders, never retried.
"""

from __future__ import annotations

import asyncio
from decimal import Decimal

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    Button, Checkbox, ContentSwitcher, Input, Label, OptionList, RadioSet, Select, Static,
)
from textual.widgets.option_list import Option

from royal_tui.api.errors import ApiError, OutcomeUnknown, ValidationFailed
from royal_tui.api.models import Order, OrderRequest, Product
from royal_tui.formatting import money, one_line
from royal_tui.purchase import STEPS, buyable, coupon_problem, quantity_problem, step_of_field, stock_label
from royal_tui.quote import QuoteRequest, insufficient
from royal_tui.ui.screens.purchase_parts import QuestionField, reconcile_message, review_text
from royal_tui.ui.widgets.footer import Footer
from royal_tui.ui.widgets.limited_input import LimitedInput
from royal_tui.ui.widgets.payment import PaymentChoice
from royal_tui.ui.widgets.quote_panel import QuotePanel, fetch_into

STEP_TITLES = {"product": "Product", "options": "Plan & location", "details": "Details", "review": "Review"}


class PurchaseScreen(Screen[Order | None]):
    """Buy proxies. Dismisses with the new order, or None when cancelled."""

    #: Pause in typing (quantity, coupon) before a quote is asked for. Tests set 0.
    QUOTE_DEBOUNCE_S = 0.4

    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Back a step (cancel on the first step)", id="purchase.back"),
        Binding("ctrl+s", "next", "Continue", tooltip="Continue to the next step", id="purchase.next"),
    ]

    def __init__(self, products: tuple[Product, ...]) -> None:
        super().__init__()
        self.products = products
        self.product: Product | None = None
        self.plan = None
        self.location = None
        self.balance: Decimal | None = None
        self.buying = False
        self.created: Order | None = None
        self.known_ids: set[int] | None = None

    # ------------------------------------------------------------ composition
    def compose(self) -> ComposeResult:
        yield Static("", id="wizard-steps")
        with Horizontal(id="wizard-body"):
            with ContentSwitcher(initial="step-product", id="steps"):
                with Vertical(id="step-product", classes="step"):
                    yield Label("Which product?", classes="step-title")
                    yield OptionList(*(Option(Text(one_line(p.name, 40)), id=str(p.id)) for p in self.products), id="product-list")
                with Vertical(id="step-options", classes="step"):
                    yield Label("Plan", id="plan-title", classes="step-title")
                    yield OptionList(id="plan-list")
                    yield Label("Location", id="location-title", classes="step-title")
                    yield OptionList(id="location-list")
                    yield Static("", id="options-error", classes="field-error", markup=False)
                with VerticalScroll(id="step-details", classes="step"):
                    yield Label("Quantity", classes="field-label")
                    yield LimitedInput(placeholder="how many proxies", id="quantity", max_length=12, what="the quantity")
                    yield Static("", id="quantity-error", classes="field-error", markup=False)
                    yield Label("Coupon (optional)", classes="field-label")
                    yield LimitedInput(placeholder="e.g. DISCOUNT2024", id="coupon", max_length=80, what="the coupon")
                    yield Static("", id="coupon-error", classes="field-error", markup=False)
                    yield Vertical(id="questions")
                    yield Checkbox("Extend automatically when it expires", id="auto-extend")
                    yield Label("Pay with", classes="field-label")
                    yield PaymentChoice(id="payment")
                    yield Static("", id="payment-error", classes="field-error", markup=False)
                    yield Button("Review order", id="to-review", variant="primary")
                with VerticalScroll(id="step-review", classes="step"):
                    yield Label("Review", classes="step-title")
                    yield Static("", id="review-summary")
                    yield Static("", id="review-error", classes="field-error", markup=False)
                    yield Static("", id="review-outcome", markup=False)
                    yield Button("Buy", id="buy", variant="success", disabled=True)
            yield QuotePanel(id="quote")
        yield Footer()

    def on_resize(self) -> None:
        self.set_class(self.size.width < 100, "-narrow")

    def on_mount(self) -> None:
        self.query_one(QuotePanel).display = False
        self.load_account()
        self.show_step("product")

    @work(group="account", exclusive=True, exit_on_error=False)
    async def load_account(self) -> None:
        """The balance (for "balance after") and the saved cards (payment choices)."""
        try:
            self.balance = await self.app.client.balance()
        except Exception:  # noqa: BLE001 - the quote panel simply shows no "balance after"
            self.balance = None
        try:
            cards = await self.app.client.cards()
        except Exception:  # noqa: BLE001 - balance payment stays available
            cards = ()
        await self.query_one(PaymentChoice).set_cards(cards)
        self.refresh_quote_panel()

    # ------------------------------------------------------------ steps
    @property
    def step(self) -> str:
        return (self.query_one(ContentSwitcher).current or "step-product").removeprefix("step-")

    def show_step(self, step: str) -> None:
        self.query_one(ContentSwitcher).current = f"step-{step}"
        line = Text()
        for index, name in enumerate(STEPS, 1):
            if index > 1:
                line.append("  ›  ", style="dim")
            style = "bold reverse" if name == step else ("" if STEPS.index(name) < STEPS.index(step) else "dim")
            line.append(f" {index} {STEP_TITLES[name]} ", style=style)
        self.query_one("#wizard-steps", Static).update(line)
        focus = {"product": "#product-list", "options": "#plan-list", "details": "#quantity", "review": "#buy"}[step]
        widget = self.query_one(focus)
        if step == "review" and widget.disabled:
            widget = self.query_one("#step-review")
        widget.focus()
        self.call_after_refresh(widget.scroll_visible, animate=False)
        self.query_one(QuotePanel).display = step in ("details", "review") or self.quote_request() is not None
        if step == "review":
            self.prepare_review()

    def action_back(self) -> None:
        if self.buying:
            return  # a purchase is in flight: stay and see how it ends
        if isinstance(self.focused, Select) and self.focused.expanded:
            return
        index = STEPS.index(self.step)
        if index == 0:
            self.dismiss(None)
        else:
            self.show_step(STEPS[index - 1])

    def action_next(self) -> None:
        if self.step == "details":
            self.to_review()
        elif self.step == "options":
            if self.plan and self.location:
                self.show_step("details")
            else:
                missing = "a plan" if self.plan is None else "a location"
                self.query_one("#options-error", Static).update(f"Choose {missing} first (enter picks).")

    # ------------------------------------------------------------ step 1: product
    @on(OptionList.OptionSelected, "#product-list")
    def product_selected(self, event: OptionList.OptionSelected) -> None:
        product = next(p for p in self.products if str(p.id) == event.option.id)
        self.choose_product(product)
        self.show_step("options")

    def choose_product(self, product: Product) -> None:
        if self.product is not None and self.product.id == product.id:
            return
        self.product, self.plan, self.location = product, None, None
        self.query_one("#plan-title", Label).update("Plan")
        self.query_one("#location-title", Label).update("Location")
        plans = self.query_one("#plan-list", OptionList)
        plans.clear_options()
        for plan in product.plans:
            limits = f"{plan.min_quantity or 1}–{plan.max_quantity:,}" if plan.max_quantity else f"from {plan.min_quantity or 1}"
            label = Text(one_line(plan.name, 24), style="bold")
            label.append(f"   {money(plan.price)} per proxy · {limits} proxies", style="dim")
            plans.add_option(Option(label, id=str(plan.id)))
        plans.action_first()  # so that enter picks at once, without an arrow key first
        locations = self.query_one("#location-list", OptionList)
        locations.clear_options()
        for country in product.locations:
            locations.add_option(self._location_option(country, country.name, indent=""))
            for city in country.child_locations:
                locations.add_option(self._location_option(city, f"{country.name} › {city.name}", indent="   "))
        locations.action_first()  # the first place that can be chosen
        self.query_one("#questions", Vertical).remove_children()
        self.query_one("#questions", Vertical).mount_all(QuestionField(q) for q in product.questions)
        self.query_one(QuotePanel).clear()

    @staticmethod
    def _location_option(location, name: str, indent: str) -> Option:
        label = Text(indent + one_line(name, 36))
        label.append(f"   {stock_label(location)}", style="dim" if buyable(location) else "italic dim")
        return Option(label, id=str(location.id), disabled=not buyable(location))

    # ------------------------------------------------------------ step 2: plan and location
    @on(OptionList.OptionSelected, "#plan-list")
    def plan_selected(self, event: OptionList.OptionSelected) -> None:
        self.plan = next(p for p in self.product.plans if str(p.id) == event.option.id)
        self.query_one("#plan-title", Label).update(Text.assemble("Plan  ", ("✓ " + one_line(self.plan.name, 30), "bold")))
        self.query_one("#options-error", Static).update("")
        self.validate_quantity()
        self.schedule_quote()
        if self.location is None:
            self.query_one("#location-list").focus()
        else:
            self.show_step("details")

    @on(OptionList.OptionSelected, "#location-list")
    def location_selected(self, event: OptionList.OptionSelected) -> None:
        self.location = self.find_location(int(event.option.id))
        name = one_line(self.location.name, 40) if self.location else ""
        self.query_one("#location-title", Label).update(Text.assemble("Location  ", ("✓ " + name, "bold")))
        self.query_one("#options-error", Static).update("")
        self.schedule_quote()
        if self.plan is None:
            self.query_one("#plan-list").focus()
        else:
            self.show_step("details")

    def find_location(self, location_id: int):
        for country in self.product.locations:
            if country.id == location_id:
                return country
            for city in country.child_locations:
                if city.id == location_id:
                    return city
        return None

    # ------------------------------------------------------------ step 3: details
    @on(Input.Changed, "#quantity")
    def quantity_changed(self) -> None:
        self.validate_quantity()
        self.schedule_quote()

    @on(Input.Changed, "#coupon")
    def coupon_changed(self) -> None:
        problem = coupon_problem(self.query_one("#coupon", Input).value)
        self.query_one("#coupon-error", Static).update(problem or "")
        self.schedule_quote()

    @on(LimitedInput.Refused, "#quantity, #coupon")
    def field_refused(self, event: LimitedInput.Refused) -> None:
        event.stop()
        self.query_one(f"#{event.input.id}-error", Static).update(event.message)

    @on(Input.Submitted, "#quantity")
    def quantity_submitted(self) -> None:
        self.query_one("#coupon").focus()

    @on(RadioSet.Changed, "#payment")
    def payment_changed(self) -> None:
        self.refresh_quote_panel()
        if self.step == "review":
            self.prepare_review()

    @on(Button.Pressed, "#to-review")
    def to_review(self) -> None:
        problems = self.validate_details()
        if problems:
            self.notify(problems[0], title="Check the details", severity="warning", markup=False)
            return
        self.show_step("review")

    def validate_quantity(self) -> str | None:
        problem = quantity_problem(self.query_one("#quantity", Input).value, self.plan)
        text = self.query_one("#quantity", Input).value
        self.query_one("#quantity-error", Static).update((problem or "") if text.strip() else "")
        return problem

    def validate_details(self) -> list[str]:
        problems = []
        if self.plan is None or self.location is None:
            problems.append("Choose a plan and a location first.")
        quantity = self.validate_quantity()
        if quantity:
            self.query_one("#quantity-error", Static).update(quantity)
            problems.append(quantity)
        coupon = coupon_problem(self.query_one("#coupon", Input).value)
        if coupon:
            problems.append(coupon)
        for field in self.query(QuestionField):
            problem = field.validate()
            if problem:
                problems.append(problem)
        return problems

    # ------------------------------------------------------------ the live quote
    def quote_request(self) -> QuoteRequest | None:
        """The request the current form asks for, or None while the form cannot be priced."""
        if self.product is None or self.plan is None or self.location is None:
            return None
        if quantity_problem(self.query_one("#quantity", Input).value, self.plan):
            return None
        coupon = self.query_one("#coupon", Input).value.strip() or None
        if coupon_problem(coupon or ""):
            return None
        return QuoteRequest(
            self.product.id, self.plan.id, self.location.id,
            int(self.query_one("#quantity", Input).value.strip()), coupon_code=coupon,
        )

    def schedule_quote(self) -> None:
        request = self.quote_request()
        panel = self.query_one(QuotePanel)
        if request is None:
            self.workers.cancel_group(self, "quote")
            panel.clear()
            self.update_buy_button()
            return
        panel.display = True
        if panel.request == request and not panel.stale:
            return
        panel.show_pending()
        self.fetch_quote(request)

    @work(group="quote", exclusive=True, exit_on_error=False)
    async def fetch_quote(self, request: QuoteRequest) -> None:
        """Debounced (the sleep is cancelled by the next keystroke); one request in flight."""
        await asyncio.sleep(self.QUOTE_DEBOUNCE_S)
        panel = self.query_one(QuotePanel)
        if not await fetch_into(panel, self.app.client, request, wanted=self.quote_request, balance=self.balance,
                                paying_from_balance=self.card_id is None):
            return  # the form changed meanwhile: this answer is stale
        self.update_buy_button()
        if self.step == "review":
            self.prepare_review()

    def refresh_quote_panel(self) -> None:
        self.query_one(QuotePanel).rebalance(self.balance, paying_from_balance=self.card_id is None)
        self.update_buy_button()

    @property
    def card_id(self) -> int | None:
        return self.query_one(PaymentChoice).card_id

    # ------------------------------------------------------------ step 4: review and buy
    def prepare_review(self) -> None:
        panel = self.query_one(QuotePanel)
        summary = review_text(self, panel.quote if not panel.stale else None)
        self.query_one("#review-summary", Static).update(summary)
        self.update_buy_button()
        if self.known_ids is None and self.product is not None:
            self.snapshot_orders(self.product.id)

    def ready_quote(self):
        """The quote the Buy button may charge, or None (missing, pending, stale, or for another form)."""
        return self.query_one(QuotePanel).quote_for(self.quote_request())

    def update_buy_button(self) -> None:
        button = self.query_one("#buy", Button)
        error = self.query_one("#review-error", Static)
        quote = self.ready_quote()
        if self.buying:
            if self.created is None:
                button.disabled = True
            return
        if quote is None:
            button.label = "Buy"
            button.disabled = True
            return
        button.label = f"Buy for {money(quote.price_with_vat)}"
        if self.card_id is None and insufficient(self.balance, quote):
            button.disabled = True
            error.update(
                f"Insufficient balance: {money(self.balance)} available, {money(quote.price_with_vat)} needed. "
                "Pay with a saved card, or buy fewer proxies."
            )
            return
        if str(error.content).startswith("Insufficient balance"):
            error.update("")
        button.disabled = False

    @work(group="snapshot", exclusive=True, exit_on_error=False)
    async def snapshot_orders(self, product_id: int) -> None:
        """The newest orders before buying, so an unknown outcome can be checked against them."""
        try:
            page = await self.app.client.orders(product_id, per_page=50)
        except Exception:  # noqa: BLE001 - reconciliation then says it cannot tell
            return
        self.known_ids = {order.id for order in page.orders}

    @on(Button.Pressed, "#buy")
    def buy_pressed(self) -> None:
        if self.created is not None:  # an unknown outcome turned out to be a purchase
            self.dismiss(self.created)
            return
        self.confirm_purchase()

    def confirm_purchase(self) -> None:
        """One confirmation, one POST: a second press while in flight does nothing."""
        if self.buying:
            return
        quote = self.ready_quote()
        if quote is None or self.query_one("#buy", Button).disabled:
            return
        request = self.quote_request()
        answers = {}
        for field in self.query(QuestionField):
            if field.answer:
                answers[field.question.id] = field.answer
        order_request = OrderRequest(
            request.product_id, request.plan_id, request.location_id, request.quantity,
            coupon_code=request.coupon_code,
            auto_extend=self.query_one("#auto-extend", Checkbox).value,
            product_question_answers=answers,
            card_id=self.card_id,
        )
        self.buying = True
        self.query_one("#buy", Button).disabled = True
        self.query_one("#buy", Button).label = "Buying…"
        self.query_one("#review-error", Static).update("")
        self.query_one("#review-outcome", Static).update("")
        self.purchase(order_request)

    @work(group="paid", exit_on_error=False)
    async def purchase(self, order_request: OrderRequest) -> None:
        try:
            order = await self.app.client.create_order(order_request)
        except ValidationFailed as error:
            self.buying = False
            self.show_field_errors(error)
        except OutcomeUnknown as error:
            self.query_one("#review-outcome", Static).update(
                f"The outcome is unknown: {error.message} Checking your orders…"
            )
            await self.reconcile(order_request)
        except ApiError as error:
            self.buying = False
            self.query_one("#review-error", Static).update(f"Not bought: {error.message}")
            self.update_buy_button()
        else:
            self.dismiss(order)

    async def reconcile(self, order_request: OrderRequest) -> None:
        """Re-read the orders and say plainly whether a new one appeared. Never buys again."""
        outcome = self.query_one("#review-outcome", Static)
        try:
            page = await self.app.client.orders(order_request.product_id, per_page=50)
        except ApiError as error:
            self.buying = False
            outcome.update(reconcile_message(None, error.message))
            self.update_buy_button()
            return
        new = [o for o in page.orders if self.known_ids is not None and o.id not in self.known_ids]
        if new:
            self.created = new[0]
            outcome.update(reconcile_message(new[0], None))
            button = self.query_one("#buy", Button)
            button.label = f"Show order #{new[0].id}"
            button.disabled = False
            return
        self.buying = False
        if self.known_ids is None:
            outcome.update(reconcile_message(None, "the orders before buying were not known"))
        else:
            outcome.update(reconcile_message(False, None))
        self.update_buy_button()

    def show_field_errors(self, error: ValidationFailed) -> None:
        """Put each field's message next to its field, on the step that owns it; keep the input."""
        targets = {
            "quantity": "#quantity-error", "coupon_code": "#coupon-error",
            "product_plan_id": "#options-error", "product_location_id": "#options-error",
            "card_id": "#review-error", "balance": "#review-error",
        }
        first_step = None
        for field, messages in error.field_errors.items():
            text = " ".join(messages)
            step = step_of_field(field)
            first_step = first_step or step
            if field.startswith("product_question_answers."):
                question_id = field.rsplit(".", 1)[-1]
                for widget in self.query(QuestionField):
                    if str(widget.question.id) == question_id:
                        widget.show_error(text)
                continue
            target = targets.get(field, "#review-error")
            self.query_one(target, Static).update(text)
        if not error.field_errors:
            self.query_one("#review-error", Static).update(error.message)
        self.update_buy_button()
        if first_step and first_step != "review":
            self.show_step(first_step)
