"""The sandbox's state: catalog, balance, cards and orders of one account, plus the clock.

Time-driven changes are applied lazily by :meth:`SandboxState.tick` (the request handler calls
it before every request): an ``in-progress`` order whose ``provision_at`` has passed becomes
``confirmed`` with ``quantity`` proxies; a ``confirmed`` order whose expiry has passed becomes
``expired`` (and loses its proxies). The sandbox never auto-extends an order by itself: the
``auto_extend_settings`` are stored and shown, nothing more.

Thread-safety: callers hold :attr:`SandboxState.lock` (an ``RLock``) around every use; the
request handler does.
"""

from __future__ import annotations

import heapq
import random
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from royal_tui.sandbox.catalog import Catalog, build_catalog
from royal_tui.sandbox.errors import NotFound
from royal_tui.sandbox.options import FaultInjector, RateLimiter, SandboxOptions, utc_now
from royal_tui.sandbox.orders import Order
from royal_tui.sandbox.seed import DEMO_BALANCE, demo_cards, generate_orders

__all__ = ["OrderQuery", "SandboxOptions", "SandboxState", "EXPIRING_SOON"]

#: ``status_is_expiring_soon`` selects confirmed orders expiring within this long from now.
EXPIRING_SOON = timedelta(days=3)
#: ``sort_by`` values (``created_at`` is the creation order, i.e. the id order).
SORT_KEYS = ("id", "created_at", "expire_date", "quantity", "status")


@dataclass(frozen=True)
class OrderQuery:
    """The filters of ``GET /orders`` (all optional; they combine with AND).

    ``location_id`` matches orders in that location and, for a country, in its cities.
    ``status`` and ``statuses`` both apply when both are given. An unknown status or product id
    simply matches nothing (only malformed values are refused, by the handler).
    """

    product_id: int | None = None
    location_id: int | None = None
    status: str | None = None
    statuses: tuple[str, ...] = ()
    note_search: str | None = None
    order_ids: tuple[int, ...] | None = None
    expiring_soon: bool = False
    sort_by: str | None = None
    descending: bool = True


class SandboxState:
    """One sandbox account. ``SandboxState(SandboxOptions(clock=..., seed=...))``."""

    def __init__(self, options: SandboxOptions | None = None) -> None:
        self.options = options or SandboxOptions()
        self.clock = self.options.clock or utc_now
        self.lock = threading.RLock()
        self.started_at = self.now().replace(microsecond=0)
        self.catalog: Catalog = build_catalog()
        self.balance: Decimal = DEMO_BALANCE
        self.cards: list[dict] = demo_cards(self.started_at)
        self.orders: dict[int, Order] = {}
        #: Every money movement and state change made through the API, oldest first.
        self.ledger: list[dict] = []
        self.limiter = RateLimiter(self.options.rate_limit, self.clock)
        self.faults = FaultInjector(self.options)
        #: RNG for things created after start-up (ports of new orders).
        self.rng = random.Random(f"runtime:{self.options.seed}")
        self._provisioning: list[tuple[datetime, int]] = []
        self._expiries: list[tuple[datetime, int]] = []
        orders = generate_orders(
            self.catalog, self.started_at, self.options.order_count, self.options.seed,
            self.options.provision_delay,
        )
        for order in orders:
            self.add(order)

    # -- time -------------------------------------------------------------------------------

    def now(self) -> datetime:
        moment = self.clock()
        if moment.tzinfo is None:
            raise ValueError("the sandbox clock must return an aware (UTC) datetime")
        return moment.astimezone(timezone.utc)

    def add(self, order: Order) -> None:
        """Store an order and schedule its time-driven changes."""
        self.orders[order.id] = order
        self.schedule(order)

    def schedule(self, order: Order) -> None:
        if order.status == "in-progress" and order.provision_at is not None:
            heapq.heappush(self._provisioning, (order.provision_at, order.id))
        elif order.status == "confirmed":
            heapq.heappush(self._expiries, (order.expire_at, order.id))

    def tick(self) -> None:
        """Apply every provisioning and expiry that is due by the clock's now."""
        now = self.now()
        while self._provisioning and self._provisioning[0][0] <= now:
            _, order_id = heapq.heappop(self._provisioning)
            order = self.orders.get(order_id)
            if order is not None and order.status == "in-progress":
                order.status = "confirmed"
                order.provision_at = None
                self.schedule(order)
        while self._expiries and self._expiries[0][0] <= now:
            due, order_id = heapq.heappop(self._expiries)
            order = self.orders.get(order_id)
            if order is not None and order.status == "confirmed" and order.expire_at == due:
                order.status = "expired"
                order.assigned = None

    # -- reads ------------------------------------------------------------------------------

    def order(self, order_id: int) -> Order:
        try:
            return self.orders[order_id]
        except KeyError:
            raise NotFound() from None

    def card(self, card_id: object) -> dict | None:
        return next((card for card in self.cards if card["id"] == card_id), None)

    def next_order_id(self) -> int:
        return max(self.orders, default=12299) + 1

    def find_orders(self, query: OrderQuery) -> list[Order]:
        """Orders matching ``query``, sorted (newest first unless ``sort_by`` says otherwise)."""
        orders = list(self.orders.values())
        if query.product_id is not None:
            orders = [o for o in orders if o.product.id == query.product_id]
        if query.location_id is not None:
            orders = [o for o in orders if o.location.id == query.location_id
                      or (o.location.parent is not None and o.location.parent.id == query.location_id)]
        if query.status is not None:
            orders = [o for o in orders if o.status == query.status]
        if query.statuses:
            orders = [o for o in orders if o.status in query.statuses]
        if query.note_search:
            needle = query.note_search.casefold()
            orders = [o for o in orders if o.note is not None and needle in o.note.casefold()]
        if query.order_ids is not None:
            wanted = set(query.order_ids)
            orders = [o for o in orders if o.id in wanted]
        if query.expiring_soon:
            now = self.now()
            orders = [o for o in orders if o.status == "confirmed" and o.expire_at <= now + EXPIRING_SOON]
        key = _sort_key(query.sort_by)
        orders.sort(key=lambda o: (key(o), o.id), reverse=query.descending)
        return orders

    def snapshot(self) -> dict:
        """Everything an API client can observe, as JSON-ready data (for determinism checks)."""
        return {
            "balance": str(self.balance),
            "cards": self.cards,
            "products": self.catalog.to_json(),
            "orders": [order.to_json() for order in self.orders.values()],
        }

    # -- writes -----------------------------------------------------------------------------

    def record(self, kind: str, **details: object) -> None:
        self.ledger.append({"kind": kind, "at": self.now().isoformat(), **details})


def _sort_key(sort_by: str | None):
    if sort_by == "expire_date":
        return lambda order: order.expire_at
    if sort_by == "quantity":
        return lambda order: order.quantity
    if sort_by == "status":
        return lambda order: order.status
    return lambda order: order.id  # id, created_at, default
