"""The extend dialog: plan, payment, a live quote, the new expiry, one POST per confirmation."""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Label, RadioButton, RadioSet, Static

from royal_tui.api.errors import ApiError, OutcomeUnknown, ValidationFailed
from royal_tui.api.models import Order, Plan, Product
from royal_tui.extend import current_plan, location_id_of, new_expiry, why_not_extendable
from royal_tui.formatting import money, one_line, relative, utc_date
from royal_tui.quote import QuoteRequest, insufficient
from royal_tui.ui.widgets.payment import PaymentChoice
from royal_tui.ui.widgets.quote_panel import QuotePanel, fetch_into


class ExtendDialog(ModalScreen[Order | None]):
    """Dismisses with the updated order, or None when nothing changed."""

    DEFAULT_CSS = """
    ExtendDialog {
        align: center middle;
    }
    ExtendDialog > #extend-box {
        width: 104;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $primary;
        border-title-style: bold;
        background: $surface;
    }
    ExtendDialog #extend-columns {
        height: auto;
    }
    ExtendDialog #extend-form {
        width: 1fr;
        height: auto;
        padding: 0 1;
    }
    ExtendDialog QuotePanel {
        width: 44;
        padding: 0 1;
        border-left: vkey $panel-lighten-2;
    }
    ExtendDialog.-narrow #extend-columns {
        layout: vertical;
    }
    ExtendDialog.-narrow QuotePanel {
        width: 100%;
        border-left: none;
        border-top: hkey $panel-lighten-2;
        padding: 0 1;
    }
    ExtendDialog #extend-error.-empty, ExtendDialog #extend-outcome.-empty {
        display: none;
    }
    ExtendDialog.-narrow RadioSet, ExtendDialog.-narrow Checkbox {
        border: none;
        padding: 0;
    }
    ExtendDialog.-narrow .field-label {
        margin-top: 0;
    }
    ExtendDialog.-narrow #extend-buttons {
        margin-top: 0;
    }
    ExtendDialog .field-label {
        color: $accent;
        text-style: bold;
        margin-top: 1;
    }
    ExtendDialog #extend-plans, ExtendDialog PaymentChoice {
        width: 100%;
    }
    ExtendDialog #extend-error {
        color: $error;
        height: auto;
    }
    ExtendDialog #extend-outcome {
        color: $warning;
        height: auto;
    }
    ExtendDialog #extend-refusal {
        padding: 1 1;
        color: $warning;
    }
    ExtendDialog #extend-buttons {
        height: auto;
        padding: 0 1;
        margin-top: 1;
    }
    ExtendDialog #extend-buttons Button {
        margin-right: 2;
    }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without extending", id="extend.cancel"),
    ]

    def __init__(self, order: Order, products: tuple[Product, ...], now) -> None:
        super().__init__()
        self.order = order
        self.product = next((p for p in products if p.name == order.product_name), None)
        self.now = now
        self.refusal = why_not_extendable(order)
        if self.refusal is None and self.product is None:
            self.refusal = f"The catalog has no product named “{one_line(order.product_name, 40)}”, so it cannot be priced."
        self.balance: Decimal | None = None
        self.sending = False
        self.result: Order | None = None

    # ------------------------------------------------------------ composition
    def compose(self) -> ComposeResult:
        box = VerticalScroll(id="extend-box")
        box.border_title = f"Extend order #{self.order.id}"
        with box:
            yield Static(self.summary(), id="extend-summary")
            if self.refusal is not None:
                yield Static(self.refusal, id="extend-refusal", markup=False)
                with Horizontal(id="extend-buttons"):
                    yield Button("Close", id="extend-close", variant="primary")
                return
            with Horizontal(id="extend-columns"):
                with Vertical(id="extend-form"):
                    yield Label("Extend with", classes="field-label")
                    yield RadioSet(*self.plan_buttons(), id="extend-plans")
                    yield Static("", id="extend-new-expiry")
                    yield Label("Pay with", classes="field-label")
                    yield PaymentChoice(id="extend-payment")
                    yield Checkbox("Keep extending automatically with this plan", id="extend-keep")
                yield QuotePanel(id="extend-quote")
            yield Static("", id="extend-error", classes="-empty", markup=False)
            yield Static("", id="extend-outcome", classes="-empty", markup=False)
            with Horizontal(id="extend-buttons"):
                yield Button("Extend", id="extend-confirm", variant="success", disabled=True)
                yield Button("Cancel", id="extend-cancel")

    def summary(self) -> Text:
        order = self.order
        text = Text()
        text.append(f" {one_line(order.product_name, 30)}", style="bold")
        text.append(f" · {order.quantity:,} proxies · {one_line(order.location, 30)} · {one_line(order.plan_name, 16)}\n")
        text.append(" Expires ", style="dim")
        text.append(utc_date(order.expire_date))
        rel = relative(order.expire_date, self.now())
        if rel:
            text.append(f" ({rel})", style="dim")
        return text

    def plan_buttons(self) -> list[RadioButton]:
        current = current_plan(self.order, self.product)
        buttons = []
        for index, plan in enumerate(self.product.plans):
            label = Text(one_line(plan.name, 20), style="bold")
            label.append(f"  {money(plan.price)} per proxy", style="dim")
            chosen = plan is current if current is not None else index == 0
            buttons.append(RadioButton(label, value=chosen, id=f"extend-plan-{plan.id}"))
        return buttons

    def on_resize(self) -> None:
        self.set_class(self.app.size.width < 100, "-narrow")

    def on_mount(self) -> None:
        if self.refusal is not None:
            self.query_one("#extend-close").focus()
            return
        self.query_one("#extend-plans").focus()
        self.update_expiry()
        self.load_account()
        self.fetch_quote()

    @work(group="extend-account", exclusive=True, exit_on_error=False)
    async def load_account(self) -> None:
        try:
            self.balance = await self.app.client.balance()
        except Exception:  # noqa: BLE001 - then no "balance after" is shown
            self.balance = None
        try:
            cards = await self.app.client.cards()
        except Exception:  # noqa: BLE001 - balance payment stays available
            cards = ()
        await self.query_one(PaymentChoice).set_cards(cards)
        self.refresh_quote()

    # ------------------------------------------------------------ choices and the quote
    @property
    def plan(self) -> Plan | None:
        pressed = self.query_one("#extend-plans", RadioSet).pressed_button
        if pressed is None or pressed.id is None:
            return None
        plan_id = int(pressed.id.removeprefix("extend-plan-"))
        return next((p for p in self.product.plans if p.id == plan_id), None)

    def quote_request(self) -> QuoteRequest | None:
        plan = self.plan
        if plan is None:
            return None
        location_id = location_id_of(self.order, self.product)
        if location_id is None:  # the order's own location is used for an extension quote anyway
            location_id = self.product.locations[0].id if self.product.locations else 0
        return QuoteRequest(self.product.id, plan.id, location_id, self.order.quantity, order_id=self.order.id)

    @on(RadioSet.Changed, "#extend-plans")
    def plan_changed(self) -> None:
        self.update_expiry()
        self.fetch_quote()

    @on(RadioSet.Changed, "#extend-payment")
    def payment_changed(self) -> None:
        self.refresh_quote()

    def update_expiry(self) -> None:
        plan = self.plan
        moved = new_expiry(self.order, plan, self.now()) if plan else None
        text = Text(" New expiry ", style="dim")
        text.append(utc_date(moved) if moved else "as the plan decides", style="bold")
        self.query_one("#extend-new-expiry", Static).update(text)

    @work(group="extend-quote", exclusive=True, exit_on_error=False)
    async def fetch_quote(self) -> None:
        request = self.quote_request()
        panel = self.query_one(QuotePanel)
        if request is None:
            panel.clear()
            return
        panel.show_pending()
        self.update_button()
        if await fetch_into(panel, self.app.client, request, wanted=self.quote_request, balance=self.balance,
                            paying_from_balance=self.card_id is None):
            self.update_button()

    def refresh_quote(self) -> None:
        self.query_one(QuotePanel).rebalance(self.balance, paying_from_balance=self.card_id is None)
        self.update_button()

    @property
    def card_id(self) -> int | None:
        return self.query_one(PaymentChoice).card_id

    def ready_quote(self):
        return self.query_one(QuotePanel).quote_for(self.quote_request())

    def update_button(self) -> None:
        if self.refusal is not None or self.result is not None:
            return
        button = self.query_one("#extend-confirm", Button)
        error = self.query_one("#extend-error", Static)
        quote = self.ready_quote()
        if self.sending:
            button.disabled = True
            return
        if quote is None:
            button.label, button.disabled = "Extend", True
            return
        button.label = f"Extend for {money(quote.price_with_vat)}"
        if self.card_id is None and insufficient(self.balance, quote):
            button.disabled = True
            self.say(
                "#extend-error",
                f"Insufficient balance: {money(self.balance)} available, {money(quote.price_with_vat)} "
                "needed. Pay with a saved card instead."
            )
            return
        if str(error.content).startswith("Insufficient balance"):
            self.say("#extend-error", "")
        button.disabled = False

    # ------------------------------------------------------------ confirming
    @on(Button.Pressed, "#extend-confirm")
    def confirm(self) -> None:
        if self.result is not None:  # an unknown outcome that turned out to be an extension
            self.dismiss(self.result)
            return
        if self.sending or self.ready_quote() is None or self.query_one("#extend-confirm", Button).disabled:
            return
        self.sending = True
        button = self.query_one("#extend-confirm", Button)
        button.disabled = True
        button.label = "Extending…"
        self.say("#extend-error", "")
        self.say("#extend-outcome", "")
        self.send(self.plan, self.card_id, self.query_one("#extend-keep", Checkbox).value)

    @work(group="paid", exit_on_error=False)
    async def send(self, plan: Plan, card_id: int | None, keep: bool) -> None:
        client = self.app.client
        try:
            order = await client.extend_order(self.order.id, plan.id, card_id=card_id)
        except ValidationFailed as error:
            self.fail(" ".join(m for ms in error.field_errors.values() for m in ms) or error.message)
            return
        except OutcomeUnknown as error:
            self.say("#extend-outcome", f"The outcome is unknown: {error.message} Checking the order…")
            await self.reconcile()
            return
        except ApiError as error:
            self.fail(f"Not extended: {error.message}")
            return
        if keep:
            try:
                await client.toggle_auto_extend(
                    order.id, True, plan.id, payment_type="card" if card_id else "balance", card_id=card_id
                )
                order = await client.order(order.id)
            except ApiError as error:
                self.app.notify(
                    f"Order #{order.id} was extended, but auto-extend could not be turned on: {error.message}",
                    severity="warning", markup=False,
                )
        self.dismiss(order)

    def say(self, selector: str, message: str) -> None:
        """Show a message line, or hide it when there is nothing to say."""
        widget = self.query_one(selector, Static)
        widget.update(message)
        widget.set_class(not message, "-empty")

    def fail(self, message: str) -> None:
        self.sending = False
        self.say("#extend-error", message)
        self.update_button()

    async def reconcile(self) -> None:
        """Re-read the order: did its expiry move? Say so plainly; never extend again by itself."""
        try:
            fresh = await self.app.client.order(self.order.id)
        except ApiError as error:
            self.sending = False
            self.say(
                "#extend-outcome",
                f"The outcome is unknown and the order could not be re-read ({error.message}). Do not "
                "extend again before checking the order (press r on the orders screen)."
            )
            self.update_button()
            return
        before, after = self.order.expire_date, fresh.expire_date
        if before is not None and after is not None and after > before:
            self.result = fresh
            self.say(
                "#extend-outcome",
                f"The outcome was unknown, but the order now expires {utc_date(after)} instead of "
                f"{utc_date(before)}: the extension went through."
            )
            button = self.query_one("#extend-confirm", Button)
            button.label, button.disabled = "Close", False
            return
        self.sending = False
        self.say(
            "#extend-outcome",
            "The outcome was unknown, and the order's expiry has not moved: as far as the server "
            "shows, it was not extended. Nothing is retried automatically — confirm again only if "
            "you still want it."
        )
        self.update_button()

    @on(Button.Pressed, "#extend-cancel")
    @on(Button.Pressed, "#extend-close")
    def action_cancel(self) -> None:
        if self.sending and self.result is None:
            return  # the request is in flight: its outcome is shown here first
        self.dismiss(self.result)
