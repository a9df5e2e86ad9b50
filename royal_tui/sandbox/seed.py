"""The demo account: balance, saved cards and orders, generated from a seed relative to "now".

Order ids run from 12300 upwards in creation order (12300..12359 for the default 60 orders).
A few ids are always the same kind of order when they are in range (see :data:`SPECIAL`):

- 12345 — Static Residential, 30 Days, Canada, 5 proxies, confirmed, expires in 10 days (the
  docs' extend example), one earlier extension in its history.
- 12346 — Datacenter, 1,000 proxies, auto-extend on (balance).
- 12347 — Static Residential, IPv6 proxies.
- 12348 — Sneaker DC, note ``"[bold]VIP[/bold] client — handle with care"`` (literal markup).
- 12340 / 12341 / 12342 — confirmed, expiring in 5 h / 1 d 2 h / 2 d 20 h (12341 auto-extends by card).
- 12310, 12313, 12314 expired; 12311, 12316 refunded; 12312, 12315 unpaid.
- the two newest orders are ``in-progress``: they get proxies ``provision_delay`` seconds after
  the state was created.
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta
from decimal import Decimal
from functools import lru_cache

from royal_tui.sandbox.catalog import Catalog, Location, Plan, Product
from royal_tui.sandbox.orders import Order, format_time
from royal_tui.sandbox.pricing import compute_quote, number

BASE_ORDER_ID = 12300
DEMO_BALANCE = Decimal("884.05")
MARKUP_NOTE = "[bold]VIP[/bold] client — handle with care"

NOTES = (
    "example note",
    "Client: Acme Corp",
    "Shop #3 — EU accounts",
    "Backup pool",
    "Ticket 4411: replace flagged IPs",
    "SEO monitoring (Google, Bing)",
    "Résumé scraper — ünïcödé ✓ 日本語",
    "test",
    "Price tracking for the marketing team; renew every month unless the client says otherwise, "
    "and check the IP reputation report before renewing (see the shared sheet).",
)
ANSWERS = {
    11: ("I need 128.158.97", "Same subnet for all IPs, please", "No special requirements"),
    22: ("amazon.com, ebay.com", "google.com", "instagram.com"),
    31: ("Nike SNKRS", "Footsites, Shopify", "Supreme, Adidas Confirmed"),
    32: ("yes", "no"),
}
QUANTITIES = (1, 2, 3, 5, 5, 5, 10, 10, 10, 15, 20, 25, 30, 50, 50, 75, 100, 120, 150, 250)

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)

#: Orders whose kind is fixed (when their id is within the generated range).
SPECIAL: dict[int, dict] = {
    12345: dict(product=123, plan=456, location=789, status="confirmed", quantity=5, periods=2,
                expires_in=10 * DAY + 3 * HOUR, note="Main scraping pool", answers={11: 0}),
    12346: dict(product=124, plan=901, location=2011, status="confirmed", quantity=1000, periods=1,
                expires_in=21 * DAY, note="Bulk crawler fleet", auto_extend="balance", answers={21: 0, 22: 0}),
    12347: dict(product=123, plan=679, location=4561, status="confirmed", quantity=8, periods=1,
                expires_in=40 * DAY, note="IPv6 pool", ipv6=True),
    12348: dict(product=125, plan=951, location=3011, status="confirmed", quantity=25, periods=3,
                expires_in=15 * DAY, note=MARKUP_NOTE, answers={31: 0, 32: 0}),
    12340: dict(product=123, plan=456, location=4562, status="confirmed", quantity=3, periods=4,
                expires_in=5 * HOUR, note=None),
    12341: dict(product=124, plan=902, location=2021, status="confirmed", quantity=20, periods=2,
                expires_in=DAY + 2 * HOUR, note="Backup pool", auto_extend="card"),
    12342: dict(product=125, plan=952, location=3021, status="confirmed", quantity=10, periods=1,
                expires_in=2 * DAY + 20 * HOUR, note=None),
    12310: dict(product=123, status="expired"),
    12311: dict(product=124, status="refunded"),
    12312: dict(product=125, status="unpaid"),
    12313: dict(product=124, status="expired"),
    12314: dict(product=125, status="expired"),
    12315: dict(product=123, status="unpaid"),
    12316: dict(product=123, status="refunded"),
}
_NEWEST = (dict(product=123, plan=456, location=789, quantity=10, status="in-progress"),
           dict(product=124, plan=902, location=2011, quantity=50, status="in-progress"))
_STATUS_WEIGHTS = (("confirmed", 55), ("expired", 30), ("refunded", 8), ("unpaid", 7))
_PRODUCT_WEIGHTS = (123, 123, 123, 123, 123, 124, 124, 124, 125, 125)


def demo_cards(now: datetime) -> list[dict]:
    """The demo account's saved cards (the ``/cards`` items)."""
    return [
        {"id": 501, "provider": "stripe", "payment_method": "card", "card_type": "visa",
         "last_four_digits": "4242", "expiry_date": f"08/{(now.year + 2) % 100:02d}", "is_default": True},
        {"id": 502, "provider": "stripe", "payment_method": "card", "card_type": "mastercard",
         "last_four_digits": "5454", "expiry_date": f"03/{(now.year + 1) % 100:02d}", "is_default": False},
    ]


class _Generator:
    def __init__(self, catalog: Catalog, now: datetime, seed: int, provision_delay: float) -> None:
        self.catalog = catalog
        self.now = now
        self.seed = seed
        self.rng = random.Random(seed)
        self.provision_at = now + timedelta(seconds=provision_delay)
        self._leaves = {product.id: product.leaf_locations() for product in catalog.products}

    def kind(self, order_id: int, index: int, count: int) -> dict:
        if order_id in SPECIAL:
            return SPECIAL[order_id]
        newest = count - 1 - index
        if newest < len(_NEWEST):
            return _NEWEST[newest]
        rng = self.rng
        statuses, weights = zip(*_STATUS_WEIGHTS)
        return {"product": rng.choice(_PRODUCT_WEIGHTS), "status": rng.choices(statuses, weights)[0]}

    def order(self, order_id: int, index: int, count: int, span: timedelta) -> Order:
        rng = self.rng
        kind = self.kind(order_id, index, count)
        product: Product = self.catalog.product(kind["product"])
        plan: Plan = product.plan(kind.get("plan")) or rng.choice(product.plans)
        location: Location = product.location(kind.get("location")) or rng.choice(self._leaves[product.id])
        quantity = kind.get("quantity") or min(max(rng.choice(QUANTITIES), plan.min_quantity), plan.max_quantity)
        period = plan.days * DAY
        status = kind["status"]
        age = span * (count - 1 - index) / max(count - 1, 1)
        slot = self.now - age - timedelta(minutes=rng.randrange(5, 600))
        periods = 1
        if status == "expired":
            periods = kind.get("periods") or rng.choice((1, 1, 2))
            if slot + periods * period > self.now - HOUR:
                status = "confirmed"  # too recent to have expired
        if status == "confirmed":
            expires_in = kind.get("expires_in") or timedelta(seconds=rng.randrange(3600, int(period.total_seconds())))
            expire_at = self.now + expires_in
            periods = kind.get("periods") or min(6, max(1, math.ceil((expire_at - slot) / period)))
            created = expire_at - periods * period
        elif status == "expired":
            created, expire_at = slot, slot + periods * period
        elif status == "in-progress":
            created = self.now - timedelta(seconds=rng.randrange(10, 120))
            expire_at = created + period
        else:  # unpaid, refunded: the expiry the order would have had
            created, expire_at = slot, slot + period
        note = kind["note"] if "note" in kind else (rng.choice(NOTES) if rng.random() < 0.6 else None)
        http_port = rng.randrange(10000, 60000, 2)
        order = Order(
            id=order_id, product=product, plan=plan, location=location, quantity=quantity,
            status=status, created_at=created, expire_at=expire_at, note=note,
            answers=self.answers(product, kind.get("answers")),
            http_port=http_port, socks5_port=http_port + 1,
            provision_at=self.provision_at if status == "in-progress" else None,
            ipv6=kind.get("ipv6", product.id == 123 and status == "confirmed" and rng.random() < 0.03),
            proxy_key=f"{self.seed}:{order_id}",
        )
        order.history = self.history(order, periods, period)
        order.auto_extend = self.auto_extend(order, kind)
        return order

    def answers(self, product: Product, fixed: dict[int, int] | None) -> list[dict]:
        answers = []
        for question in product.questions:
            if fixed is not None:
                if question.id not in fixed:
                    continue
                pick = fixed[question.id]
            elif question.required or self.rng.random() < 0.35:
                pick = self.rng.randrange(100)
            else:
                continue
            choices = question.options or ANSWERS[question.id]
            answers.append({"question": question.text, "answer": choices[pick % len(choices)]})
        return answers

    def history(self, order: Order, periods: int, period: timedelta) -> list[dict]:
        entries = []
        price = _price(order.product, order.plan, order.location, order.quantity)
        for k in range(1, periods):
            before = order.created_at + k * period
            extended_at = max(order.created_at + HOUR, before - timedelta(seconds=self.rng.randrange(3 * 86400)))
            entries.append({
                "plan_name": order.plan.name,
                "extended_at": format_time(min(extended_at, self.now)),
                "expire_date_before": format_time(before),
                "expire_date_after": format_time(before + period),
                "price": price,
            })
        return entries

    def auto_extend(self, order: Order, kind: dict) -> dict | None:
        payment = kind.get("auto_extend")
        if payment is None and order.id not in SPECIAL and order.status == "confirmed":
            roll = self.rng.random()
            payment = "balance" if roll < 0.12 else "card" if roll < 0.16 else None
        if payment is None:
            return None
        return {"order_id": order.id, "is_enabled": True, "product_plan_id": order.plan.id,
                "payment_type": payment, "card_id": 501 if payment == "card" else None}


@lru_cache(maxsize=4096)
def _price_cached(product: int, plan: int, location: int, quantity: int, key: tuple) -> int | float:
    return number(compute_quote(price=key[0], quantity=quantity, tiers=key[1],
                                plan_discount=key[2], location_discount=key[3]).price)


def _price(product: Product, plan: Plan, location: Location, quantity: int) -> int | float:
    key = (plan.price, tuple(product.tiers), plan.discount_percent, location.discount)
    return _price_cached(product.id, plan.id, location.id, quantity, key)


def generate_orders(catalog: Catalog, now: datetime, count: int, seed: int, provision_delay: float) -> list[Order]:
    """``count`` orders (ids from 12300, oldest first), a pure function of its arguments."""
    generator = _Generator(catalog, now, seed, provision_delay)
    span = max(timedelta(days=240), count * HOUR)
    return [generator.order(BASE_ORDER_ID + i, i, count, span) for i in range(count)]
