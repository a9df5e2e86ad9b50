"""The home screen: product tabs, filters, the orders table, the detail pane, paging."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Input, Select, Static, Tab, Tabs
from textual.worker import WorkerState

from royal_tui.api.errors import ApiError, AuthError, NotFound, OutcomeUnknown
from royal_tui.api.models import Order, OrdersPage, Product
from royal_tui.filters import OrderFilters
from royal_tui.formatting import money, one_line, page_summary, utc_date
from royal_tui.ui.screens.settled_layout import SettledLayout
from royal_tui.ui.widgets.account_bar import AccountBar
from royal_tui.ui.widgets.filters import FilterBar
from royal_tui.ui.widgets.footer import Footer
from royal_tui.ui.widgets.order_detail import OrderDetail
from royal_tui.ui.widgets.orders_table import OrdersTable

#: Below this width the detail pane is not beside the table but opened over it (enter / d).
NARROW_WIDTH = 110


def remember_passwords(orders) -> None:
    """Proxy passwords on screen are secrets the log must never contain."""
    from royal_tui.logs import register_secrets

    # An order's proxies usually share one password: each distinct one is registered once.
    register_secrets({proxy.password for order in orders for proxy in order.proxies})


def problem_text(error: BaseException) -> str:
    """One short line for an error; never a traceback, never a secret."""
    if isinstance(error, ApiError):
        return error.message
    return f"Unexpected problem ({type(error).__name__}). The log has details."


@dataclass(frozen=True)
class PageRequest:
    """What the table is showing (or about to show)."""

    product_id: int
    page: int = 1
    filters: OrderFilters = field(default_factory=OrderFilters)


class OrdersScreen(SettledLayout, Screen[None]):
    """Orders of one product at a time, a page at a time, fetched from the server."""

    AUTO_FOCUS = "#orders"

    #: Pause in typing (note search, order ids) before a request is sent. Tests set 0.
    TYPING_DEBOUNCE_S = 0.35
    #: How often an in-progress order on display is re-read until its proxies arrive.
    PROVISION_POLL_S = 3.0
    #: A request answered sooner than this shows no loading indicator: it would only flash
    #: (a repaint of the whole table, twice, for nothing).
    LOADING_DELAY_S = 0.15
    #: The first frame waits this long for the first page (or a problem to show) to be painted
    #: with it: one frame instead of an empty screen followed by a full repaint.
    FIRST_PAINT_HOLD_S = 0.15
    FIRST_PAINT_PARTS = frozenset({"tabs", "page"})

    # Short descriptions fit the footer; the tooltip is the full text for help and the palette.
    BINDINGS = [
        Binding("left_square_bracket", "page(-1)", "Prev", show=False, tooltip="Previous page of orders", id="orders.prev_page"),
        Binding("right_square_bracket", "page(1)", "Next", show=False, tooltip="Next page of orders", id="orders.next_page"),
        Binding("r", "refresh", "Refresh", tooltip="Reload the orders and the balance", id="orders.refresh"),
        Binding("slash", "focus_filter('note')", "Search", tooltip="Search the orders' notes", id="orders.search"),
        Binding("s", "focus_filter('status')", "Status", show=False, tooltip="Filter by status", id="orders.filter_status"),
        Binding("l", "focus_filter('location')", "Location", show=False, tooltip="Filter by location", id="orders.filter_location"),
        Binding("i", "focus_filter('ids')", "IDs", show=False, tooltip="Filter by order ids", id="orders.filter_ids"),
        Binding("escape", "back", "Back", show=False, tooltip="Leave a field, close the detail or clear filters", id="orders.back"),
        Binding("p", "reveal", "Passwords", show=False, tooltip="Show or hide the proxy passwords", id="orders.reveal"),
        Binding("c", "copy", "Copy", tooltip="Copy the order's proxies to the clipboard", id="orders.copy"),
        Binding("x", "export", "Export", tooltip="Export the order's proxies to a file", id="orders.export"),
        Binding("n", "buy", "Buy", tooltip="Buy proxies (purchase wizard)", id="orders.buy"),
        Binding("e", "extend", "Extend", tooltip="Extend the highlighted order", id="orders.extend"),
        Binding("a", "auto_extend", "Auto-extend", show=False, tooltip="Turn auto-extend on or off", id="orders.auto_extend"),
        Binding("d", "toggle_detail", "Detail", show=False, tooltip="Show or hide the detail pane", id="orders.detail"),
        *(
            Binding(str(n), f"tab({n})", f"Tab {n}", show=False, tooltip=f"Product tab {n}", id=f"orders.tab_{n}")
            for n in range(1, 10)
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.products: tuple[Product, ...] = ()
        self.request: PageRequest | None = None
        self.page: OrdersPage | None = None
        self._loading_timer: Timer | None = None
        #: The in-progress order whose re-reads are failing and the user was told so.
        self.refresh_warned: int | None = None

    def compose(self) -> ComposeResult:
        yield AccountBar(self.app.token_source, self.app.api_host, id="account")
        yield Tabs(id="products")
        yield FilterBar(id="filters")
        with Horizontal(id="main"):
            with Vertical(id="orders-body"):
                yield OrdersTable(id="orders")
                yield Static("", id="orders-message", markup=False)
            yield OrderDetail(id="detail")
        yield Static("", id="pager", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        if self.app.client is None:  # the login screen comes first; it refreshes this screen
            self.show_problem("Not logged in yet.")
        else:
            self.show_loading()
            self.load_products()
            self.load_balance()
        interval = self.app.config.auto_refresh
        if interval > 0:
            self.set_interval(interval, self.auto_refresh, name="auto-refresh")

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW_WIDTH, "-narrow")
        if self.focused is None:  # e.g. widened while the detail was open over the table
            self.refocus_table()

    # ----------------------------------------------------------------- loading
    @work(group="products", exclusive=True, exit_on_error=False)
    async def load_products(self) -> None:
        try:
            products = await self.app.client.products()
        except Exception as error:  # noqa: BLE001 - shown to the user, not raised
            self.show_problem(f"Could not load products: {problem_text(error)} Press r to retry.")
            self.auth_expired(error)
            return
        self.products = products
        if products and self.request is None:
            # The first page need not wait for the tabs to be mounted: the first tab is the one
            # that becomes active, and ``tab_activated`` sees this request is already under way.
            self.load_orders(PageRequest(products[0].id, 1, self.query_one(FilterBar).filters))
        tabs = self.query_one(Tabs)
        await tabs.clear()
        # All tabs mounted together: one layout and one paint, not one per tab.
        added = [tabs.add_tab(Tab(Text(one_line(product.name, 40)), id=f"product-{product.id}")) for product in products]
        for adding in added:
            await adding
        self.first_paint_ready("tabs")
        if not products:
            self.show_problem("This account has no products.")

    @work(group="balance", exclusive=True, exit_on_error=False)
    async def load_balance(self) -> None:
        bar = self.query_one(AccountBar)
        try:
            bar.balance = await self.app.client.balance()
            bar.balance_error = False
        except Exception as error:  # noqa: BLE001 - the header says "unavailable"
            bar.balance_error = True
            self.auth_expired(error)

    @work(group="orders", exclusive=True, exit_on_error=False)
    async def load_orders(
        self, request: PageRequest, delay: float = 0.0, quiet: bool = False, select: int | None = None
    ) -> None:
        """Fetch one page. Exclusive: a newer call cancels this one, sleep (debounce) included."""
        self.request = request
        table = self.query_one(OrdersTable)
        if delay:
            await asyncio.sleep(delay)
        if not quiet:
            self.show_loading()
        try:
            page = await self.app.client.orders(
                request.product_id,
                page=request.page,
                per_page=self.app.page_size,
                **request.filters.query(),
            )
        except Exception as error:  # noqa: BLE001
            if self.request == request:
                self.hide_loading()
                if not quiet:
                    self.show_problem(f"Could not load orders: {problem_text(error)} Press r to retry.")
                self.auth_expired(error)
            return
        if self.request != request:  # a newer request superseded this answer
            return
        remember_passwords(page.orders)
        self.page = page
        self.hide_loading()
        if select is None:
            selected = table.highlighted_order
            select = selected.id if selected else None
        table.show_orders(page.orders, self.app.now(), select=select)
        self.update_pager()
        self.first_paint_ready("page")
        if page.orders:
            self.show_problem(None)
            self.show_detail(table.highlighted_order)
        else:
            self.show_detail(None)
            if page.meta.total and request.page > 1:
                self.show_problem(f"Page {request.page} is empty — press [ to go back.")
            elif request.filters.active:
                self.show_problem("No orders match these filters — press escape to clear them.")
            else:
                self.show_problem(f"No {one_line(self.current_product_name(), 40)} orders yet.")

    @work(group="provisioning", exclusive=True, exit_on_error=False)
    async def watch_provisioning(self, order_id: int) -> None:
        """Re-read an in-progress order until it is confirmed (or gone), updating row and pane."""
        while True:
            await asyncio.sleep(self.PROVISION_POLL_S)
            try:
                order = await self.app.client.order(order_id)
            except NotFound:
                return
            except AuthError as error:
                self.auth_expired(error)  # logging in reloads the page, which watches again
                return
            except Exception as error:  # noqa: BLE001 - said once, then tried again at each tick
                if self.refresh_warned != order_id:  # once per failing streak, not per tick
                    self.refresh_warned = order_id
                    self.notify(
                        f"Could not refresh order #{order_id}: {problem_text(error)} "
                        f"Trying again every {self.PROVISION_POLL_S:g} s; press r to reload the page.",
                        title="Order not refreshed",
                        severity="warning",
                        markup=False,
                    )
                continue
            self.refresh_warned = None
            remember_passwords((order,))
            self.query_one(OrdersTable).update_order(order, self.app.now())
            detail = self.query_one(OrderDetail)
            if detail.order is not None and detail.order.id == order_id:
                detail.show(order, self.app.now())
            if order.status != "in-progress":
                return

    def auto_refresh(self) -> None:
        """The auto-refresh tick: never stacks requests on a slow link."""
        busy = any(
            worker.group in ("orders", "products") and worker.state in (WorkerState.PENDING, WorkerState.RUNNING)
            for worker in self.workers
        )
        if busy or self.request is None:
            return
        self.load_orders(self.request, quiet=True)
        self.load_balance()

    # ------------------------------------------------------------------ events
    @on(Tabs.TabActivated, "#products")
    def tab_activated(self, event: Tabs.TabActivated) -> None:
        if event.tab.id is None:
            return
        product_id = int(event.tab.id.removeprefix("product-"))
        filter_bar = self.query_one(FilterBar)
        filter_bar.set_locations(self.product(product_id).locations if self.product(product_id) else ())
        request = PageRequest(product_id, 1, filter_bar.filters)
        if request != self.request:  # else: already requested (the first page, see load_products)
            self.query_one(OrdersTable).show_orders((), self.app.now())
            self.load_orders(request)
        self.query_one(OrdersTable).focus()

    @on(FilterBar.Changed)
    def filters_changed(self, event: FilterBar.Changed) -> None:
        if self.request is None:
            return
        delay = self.TYPING_DEBOUNCE_S if event.typed else 0.0
        self.load_orders(PageRequest(self.request.product_id, 1, event.filters), delay=delay)

    @on(FilterBar.Done)
    def filter_done(self) -> None:
        self.query_one(OrdersTable).focus()

    @on(DataTable.RowHighlighted, "#orders")
    def row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        order = self.query_one(OrdersTable).highlighted_order
        if order is not None and order is self.query_one(OrderDetail).order:
            return  # already shown (a new page shows its highlighted order before this arrives)
        self.show_detail(order)

    @on(DataTable.RowSelected, "#orders")
    def row_selected(self) -> None:
        if self.has_class("-narrow"):
            self.add_class("-detail-open")

    # ----------------------------------------------------------------- actions
    def auth_expired(self, error: BaseException) -> None:
        """A 401: bring the login screen over this one; logging in reloads what was shown."""
        if isinstance(error, AuthError):
            self.app.request_login("The API no longer accepts the token (401). Log in again; you will be back where you were.")

    def action_page(self, delta: int) -> None:
        if self.request is None:
            return
        target = self.request.page + delta
        last = self.page.meta.last_page if self.page else 1
        if target < 1 or target > max(last, 1):
            self.app.bell()
            return
        self.load_orders(PageRequest(self.request.product_id, target, self.request.filters))

    def action_refresh(self) -> None:
        if self.app.client is None:
            self.app.request_login()
            return
        self.load_balance()
        if not self.products:
            self.load_products()
        elif self.request is not None:
            self.load_orders(self.request)

    def action_tab(self, number: int) -> None:
        if 1 <= number <= len(self.products):
            self.query_one(Tabs).active = f"product-{self.products[number - 1].id}"

    def action_focus_filter(self, which: str) -> None:
        self.remove_class("-detail-open")
        self.query_one(f"#filter-{which}").focus()

    def action_back(self) -> None:
        """escape: leave a filter field, else close the detail (narrow), else clear the filters."""
        focused = self.focused
        if isinstance(focused, (Input, Select)):
            self.query_one(OrdersTable).focus()
        elif self.has_class("-detail-open"):
            self.close_detail_overlay()
        elif self.query_one(FilterBar).filters.active:
            self.query_one(FilterBar).clear_filters()
            if self.request is not None:
                self.load_orders(PageRequest(self.request.product_id, 1, OrderFilters()))

    def action_reveal(self) -> None:
        detail = self.query_one(OrderDetail)
        detail.reveal_passwords = not detail.reveal_passwords

    def action_toggle_detail(self) -> None:
        if not self.has_class("-narrow"):
            self.toggle_class("-detail-hidden")
        elif self.has_class("-detail-open"):
            self.close_detail_overlay()
        else:
            self.add_class("-detail-open")

    def close_detail_overlay(self) -> None:
        """Narrow terminals: back from the detail to the table, which gets the keyboard again
        (hidden under the detail, it had lost the focus)."""
        self.remove_class("-detail-open")
        self.refocus_table()

    def refocus_table(self) -> None:
        """Give the table the focus once it is shown again, unless something else has it."""
        table = self.query_one(OrdersTable)

        def focus() -> None:
            if self.focused is None and table.display:
                table.focus()

        self.call_after_refresh(focus)

    def action_copy(self) -> None:
        from royal_tui.export import ExportError, count_label, render

        order = self.query_one(OrdersTable).highlighted_order
        if order is None:
            return
        fmt = self.app.config.export_format
        try:
            text = render(order, fmt)
        except ExportError as error:
            self.notify(str(error), title="Nothing copied", severity="warning", markup=False)
            return
        self.app.copy_to_clipboard(text)
        self.notify(
            f"Copied {count_label(order, fmt)} to the clipboard (through the terminal, OSC 52).",
            markup=False,
        )

    def action_buy(self) -> None:
        from royal_tui.ui.screens.purchase import PurchaseScreen

        if not self.products:
            self.notify("The products have not loaded yet — press r to retry.", severity="warning")
            return
        current = self.request.product_id if self.request else None
        ordered = sorted(self.products, key=lambda p: p.id != current)  # the current tab first
        self.app.push_screen(PurchaseScreen(tuple(ordered)), self.bought)

    def bought(self, order: Order | None) -> None:
        """Back from the wizard: show the new order (unfiltered page 1 of its product) and watch it."""
        if order is None:
            return
        self.notify(
            f"Order #{order.id} created: {order.quantity} × {one_line(order.plan_name, 30)}, "
            f"{one_line(order.location, 40)}. "
            "Its proxies are being provisioned.",
            title="Bought",
            markup=False,
        )
        self.load_balance()
        product = next((p for p in self.products if p.name == order.product_name), None)
        product_id = product.id if product else (self.request.product_id if self.request else None)
        if product_id is None:
            return
        filter_bar = self.query_one(FilterBar)
        filter_bar.clear_filters()
        tabs = self.query_one(Tabs)
        with tabs.prevent(Tabs.TabActivated):
            tabs.active = f"product-{product_id}"
        filter_bar.set_locations(product.locations if product else ())
        self.remove_class("-detail-hidden")
        self.load_orders(PageRequest(product_id, 1, OrderFilters()), select=order.id)

    def action_extend(self) -> None:
        from royal_tui.ui.dialogs.extend import ExtendDialog

        order = self.query_one(OrdersTable).highlighted_order
        if order is None:
            return
        self.app.push_screen(ExtendDialog(order, self.products, self.app.now), self.order_changed)

    def order_changed(self, order: Order | None, message: str | None = None) -> None:
        """An order came back changed (extended, auto-extend toggled): update its row and pane."""
        if order is None:
            return
        self.query_one(OrdersTable).update_order(order, self.app.now())
        detail = self.query_one(OrderDetail)
        if detail.order is not None and detail.order.id == order.id:
            detail.show(order, self.app.now())
        self.load_balance()
        self.notify(
            message or f"Order #{order.id} now expires {utc_date(order.expire_date)}.",
            title="Extended" if message is None else "Auto-extend",
            markup=False,
        )

    def action_auto_extend(self) -> None:
        order = self.query_one(OrdersTable).highlighted_order
        if order is None:
            return
        self.toggle_auto_extend(order)

    @work(group="auto-extend", exclusive=True, exit_on_error=False)
    async def toggle_auto_extend(self, order: Order) -> None:
        """Ask first (saying what will be charged and when), then switch, then re-read the order."""
        from royal_tui.extend import current_plan, location_id_of, product_of, why_not_extendable
        from royal_tui.ui.dialogs.confirm import ConfirmDialog

        client = self.app.client
        turning_on = not order.auto_extend_enabled
        product = product_of(order, self.products)
        plan = current_plan(order, product) if product else None
        if turning_on:
            reason = why_not_extendable(order)
            if reason is not None or plan is None:
                self.notify(reason or "This order's plan is not in the catalog.", severity="warning", markup=False)
                return
            price = "today's price"
            try:
                location_id = location_id_of(order, product) or product.locations[0].id
                quote = await client.calculate_pricing(product.id, plan.id, location_id, order.quantity, order_id=order.id)
                price = f"{money(quote.price_with_vat)} at today's price"
            except (ApiError, IndexError):
                pass
            text = (
                f"Turn on auto-extend for order #{order.id}?\n\nWhen it expires on {utc_date(order.expire_date)}, "
                f"it will be extended by {one_line(plan.name, 30)} for {price}, paid from your account balance, "
                "and again at every expiry until you turn it off."
            )
            title, yes = "Auto-extend", "Turn on"
        else:
            text = (
                f"Turn off auto-extend for order #{order.id}?\n\nNothing will be charged; the order "
                f"expires on {utc_date(order.expire_date)} unless you extend it (e)."
            )
            title, yes = "Auto-extend", "Turn off"
        if not await self.app.push_screen_wait(ConfirmDialog(title, text, yes=yes)):
            return
        settings = order.auto_extend_settings
        plan_id = plan.id if plan else (settings.product_plan_id if settings else None)
        if plan_id is None:
            self.notify("This order's plan is not in the catalog.", severity="warning", markup=False)
            return
        try:
            await client.toggle_auto_extend(
                order.id, turning_on, plan_id,
                payment_type=(settings.payment_type if settings and not turning_on else "balance") or "balance",
                card_id=settings.card_id if settings and not turning_on else None,
            )
        except OutcomeUnknown as error:
            # The switch may or may not have happened: the order itself says which.
            try:
                fresh = await client.order(order.id)
            except ApiError:
                self.notify(
                    f"{error.message} Press r to see whether auto-extend changed.",
                    severity="error", markup=False,
                )
                return
            state = "on" if fresh.auto_extend_enabled else "off"
            self.order_changed(fresh, f"The answer was lost; the order now shows auto-extend {state}.")
            return
        except ApiError as error:
            self.notify(f"Auto-extend was not changed: {error.message}", severity="error", markup=False)
            return
        try:
            fresh = await client.order(order.id)
        except ApiError as error:
            self.notify(f"Auto-extend was switched, but the order could not be re-read: {error.message}",
                        severity="warning", markup=False)
            return
        state = "on" if fresh.auto_extend_enabled else "off"
        self.order_changed(fresh, f"Auto-extend is {state} for order #{fresh.id}.")

    def action_export(self) -> None:
        from royal_tui.ui.dialogs.export import ExportDialog

        order = self.query_one(OrdersTable).highlighted_order
        if order is None:
            return
        if not order.proxies:
            self.notify(
                f"Order {order.id} has no proxies to export.", severity="warning", markup=False
            )
            return

        def exported(path) -> None:
            if path is not None:
                self.notify(f"Exported {len(order.proxies):,} proxies to {path} (mode 0600).", markup=False)

        self.app.push_screen(ExportDialog(order, self.app.config.export_format), exported)

    # ----------------------------------------------------------------- helpers
    def product(self, product_id: int) -> Product | None:
        return next((p for p in self.products if p.id == product_id), None)

    def current_product_name(self) -> str:
        product = self.product(self.request.product_id) if self.request else None
        return product.name if product else ""

    def show_detail(self, order: Order | None) -> None:
        self.query_one(OrderDetail).show(order, self.app.now())
        if order is not None and order.status == "in-progress":
            self.watch_provisioning(order.id)
        else:
            self.workers.cancel_group(self, "provisioning")

    def update_pager(self) -> None:
        if self.page is None or self.request is None:
            return
        meta = self.page.meta
        summary = page_summary(meta.current_page, meta.last_page, meta.total)
        described = self.request.filters.describe()
        text = Text()
        if described:
            text.append("filtered: ", style="bold")
            text.append(described)
            text.append("   ")
        text.append(summary)
        if meta.last_page > 1:  # the keys are not in the footer: say them where they matter
            text.append("   [", style="bold")
            text.append(" prev ")
            text.append("]", style="bold")
            text.append(" next")
        self.query_one("#pager", Static).update(text)

    def show_loading(self) -> None:
        """The table's loading indicator, once a request has taken ``LOADING_DELAY_S``."""
        if self.LOADING_DELAY_S <= 0:
            self.query_one(OrdersTable).loading = True
        elif self._loading_timer is None:
            self._loading_timer = self.set_timer(self.LOADING_DELAY_S, self._loading_due, name="loading")

    def _loading_due(self) -> None:
        self._loading_timer = None
        self.query_one(OrdersTable).loading = True

    def hide_loading(self) -> None:
        if self._loading_timer is not None:
            self._loading_timer.stop()
            self._loading_timer = None
        self.query_one(OrdersTable).loading = False

    def show_problem(self, message: str | None) -> None:
        """Show a message in place of the table (empty page, failure), or hide it."""
        box = self.query_one("#orders-message", Static)
        table = self.query_one(OrdersTable)
        if message is None:
            box.display = False
            table.display = True
        else:
            self.hide_loading()
            box.update(message)
            box.display = True
            table.display = False
            self.first_paint_ready("problem")
