"""The order record the sandbox keeps, and its JSON form (the API's Order object)."""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field
from datetime import datetime, timezone

from royal_tui.sandbox.catalog import Location, Plan, Product

STATUSES = ("unpaid", "in-progress", "confirmed", "refunded", "expired")
#: Statuses whose orders can be extended (an in-progress order is paid, just not provisioned yet).
EXTENDABLE = ("confirmed", "in-progress")

_ALNUM = string.ascii_lowercase + string.digits
_PASSWORD = string.ascii_letters + string.digits


def format_time(moment: datetime) -> str:
    """The API's ``YYYY-MM-DD HH:MM:SS`` (UTC, no zone)."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def make_proxies(key: str, count: int, prefixes: tuple[str, ...], ipv6: bool) -> list[dict]:
    """``count`` distinct proxies, a pure function of ``key`` (so lazily built lists are stable)."""
    rng = random.Random(key)
    username = "".join(rng.choices(_ALNUM, k=10))
    password = "".join(rng.choices(_PASSWORD, k=16))
    subnet = rng.randrange(0x10000)
    seen: set[str] = set()
    proxies = []
    while len(proxies) < count:
        if ipv6:
            ip = f"2a0b:4d07:{subnet:x}:{rng.randrange(0x10000):x}::{rng.randrange(1, 0x10000):x}"
        else:
            ip = f"{rng.choice(prefixes)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
        if ip not in seen:
            seen.add(ip)
            proxies.append({"ip": ip, "username": username, "password": password})
    return proxies


@dataclass
class Order:
    id: int
    product: Product
    plan: Plan
    location: Location
    quantity: int
    status: str
    created_at: datetime
    expire_at: datetime
    note: str | None = None
    answers: list[dict] = field(default_factory=list)
    http_port: int = 12323
    socks5_port: int = 12324
    auto_extend: dict | None = None
    history: list[dict] = field(default_factory=list)
    #: When an in-progress order becomes confirmed (``None`` for other statuses).
    provision_at: datetime | None = None
    ipv6: bool = False
    #: Seed string for this order's proxies; they are generated when asked for.
    proxy_key: str = ""
    #: Proxies set explicitly (an extension that kept only some); ``None``: generated from the key.
    assigned: list[dict] | None = field(default=None, repr=False)

    @property
    def proxies(self) -> list[dict]:
        """The order's proxies: only a confirmed order has any.

        Generated proxies are not kept: they are a pure function of ``proxy_key``, and keeping
        them would grow the sandbox by every order ever listed (about 7 MiB per 1,000 orders).
        """
        if self.status != "confirmed":
            return []
        if self.assigned is None:
            return make_proxies(self.proxy_key, self.quantity, self.product.ip_prefixes, self.ipv6)
        return self.assigned

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "note": self.note,
            "product_name": self.product.name,
            "plan_name": self.plan.name,
            "expire_date": format_time(self.expire_at),
            "status": self.status,
            "location": self.location.display_name,
            "quantity": self.quantity,
            "questions_answers": [dict(answer) for answer in self.answers],
            "proxy_data": {
                "ports": {"socks5": self.socks5_port, "http|https": self.http_port},
                "proxies": [dict(proxy) for proxy in self.proxies],
            },
            "auto_extend_settings": dict(self.auto_extend) if self.auto_extend else None,
            "extended_history": [dict(entry) for entry in self.history],
        }
