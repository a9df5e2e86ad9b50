"""The home screen: product tabs, the orders table, paging, the balance."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static, Tab, Tabs

from royal_tui.api.errors import ApiError
from royal_tui.api.models import OrdersPage, Product
from royal_tui.formatting import page_summary
from royal_tui.ui.widgets.account_bar import AccountBar
from royal_tui.ui.widgets.orders_table import OrdersTable


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


class OrdersScreen(Screen[None]):
    """Orders of one product at a time, a page at a time, fetched from the server."""

    BINDINGS = [
        Binding("left_square_bracket", "page(-1)", "Prev page", key_display="[", id="orders.prev_page"),
        Binding("right_square_bracket", "page(1)", "Next page", key_display="]", id="orders.next_page"),
        Binding("r", "refresh", "Refresh", id="orders.refresh"),
        *(
            Binding(str(n), f"tab({n})", f"Product tab {n}", show=False, id=f"orders.tab_{n}")
            for n in range(1, 10)
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.products: tuple[Product, ...] = ()
        self.request: PageRequest | None = None
        self.page: OrdersPage | None = None

    def compose(self) -> ComposeResult:
        yield AccountBar(self.app.token_source, self.app.client.host, id="account")
        yield Tabs(id="products")
        with Vertical(id="orders-body"):
            yield OrdersTable(id="orders")
            yield Static("", id="orders-message", markup=False)
        yield Static("", id="pager", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OrdersTable).loading = True
        self.load_products()
        self.load_balance()

    # ----------------------------------------------------------------- loading
    @work(group="products", exclusive=True, exit_on_error=False)
    async def load_products(self) -> None:
        try:
            products = await self.app.client.products()
        except Exception as error:  # noqa: BLE001 - shown to the user, not raised
            self.show_problem(f"Could not load products: {problem_text(error)} Press r to retry.")
            return
        self.products = products
        tabs = self.query_one(Tabs)
        await tabs.clear()
        for product in products:
            await tabs.add_tab(Tab(Text(product.name), id=f"product-{product.id}"))
        if not products:
            self.show_problem("This account has no products.")

    @work(group="balance", exclusive=True, exit_on_error=False)
    async def load_balance(self) -> None:
        bar = self.query_one(AccountBar)
        try:
            bar.balance = await self.app.client.balance()
            bar.balance_error = False
        except Exception:  # noqa: BLE001 - the header says "unavailable"
            bar.balance_error = True

    @work(group="orders", exclusive=True, exit_on_error=False)
    async def load_orders(self, request: PageRequest) -> None:
        self.request = request
        table = self.query_one(OrdersTable)
        table.loading = True
        try:
            page = await self.app.client.orders(
                request.product_id, page=request.page, per_page=self.app.page_size
            )
        except Exception as error:  # noqa: BLE001
            if self.request == request:
                table.loading = False
                self.show_problem(f"Could not load orders: {problem_text(error)} Press r to retry.")
            return
        if self.request != request:  # a newer request superseded this answer
            return
        self.page = page
        table.loading = False
        selected = table.highlighted_order
        table.show_orders(page.orders, self.app.now(), select=selected.id if selected else None)
        self.query_one("#pager", Static).update(
            page_summary(page.meta.current_page, page.meta.last_page, page.meta.total)
        )
        if page.orders:
            self.show_problem(None)
        elif page.meta.total and request.page > 1:
            self.show_problem(f"Page {request.page} is empty — press [ to go back.")
        else:
            self.show_problem(f"No {self.current_product_name()} orders yet.")

    # ------------------------------------------------------------------ events
    @on(Tabs.TabActivated, "#products")
    def tab_activated(self, event: Tabs.TabActivated) -> None:
        if event.tab.id is None:
            return
        product_id = int(event.tab.id.removeprefix("product-"))
        self.query_one(OrdersTable).show_orders((), self.app.now())
        self.load_orders(PageRequest(product_id, 1))
        self.query_one(OrdersTable).focus()

    # ----------------------------------------------------------------- actions
    def action_page(self, delta: int) -> None:
        if self.request is None:
            return
        target = self.request.page + delta
        last = self.page.meta.last_page if self.page else 1
        if target < 1 or target > max(last, 1):
            self.app.bell()
            return
        self.load_orders(PageRequest(self.request.product_id, target))

    def action_refresh(self) -> None:
        self.load_balance()
        if not self.products:
            self.load_products()
        elif self.request is not None:
            self.load_orders(self.request)

    def action_tab(self, number: int) -> None:
        if 1 <= number <= len(self.products):
            self.query_one(Tabs).active = f"product-{self.products[number - 1].id}"

    # ----------------------------------------------------------------- helpers
    def current_product_name(self) -> str:
        if self.request is None:
            return ""
        for product in self.products:
            if product.id == self.request.product_id:
                return product.name
        return ""

    def show_problem(self, message: str | None) -> None:
        """Show a message in place of the table (empty page, failure), or hide it."""
        box = self.query_one("#orders-message", Static)
        table = self.query_one(OrdersTable)
        if message is None:
            box.display = False
            table.display = True
        else:
            table.loading = False
            box.update(message)
            box.display = True
            table.display = False
