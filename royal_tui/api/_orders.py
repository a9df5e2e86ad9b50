"""Order models: ``Order`` and its parts, and the paginated ``OrdersPage``.

Re-exported by :mod:`royal_tui.api.models`; see there for the parsing rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Self

from . import _parse as p

ORDER_STATUSES: tuple[str, ...] = ("unpaid", "in-progress", "confirmed", "refunded", "expired")


@dataclass(frozen=True, slots=True)
class Proxy:
    ip: str
    username: str
    password: str

    @classmethod
    @p.guarded("proxy")
    def from_json(cls, data: Any) -> Self:
        d, w = p.mapping(data, "proxy"), "proxy"
        return cls(
            ip=p.field(d, "ip", p.as_str, w),
            username=p.field(d, "username", p.as_str_or_empty, w, ""),
            password=p.field(d, "password", p.as_str_or_empty, w, ""),
        )


@dataclass(frozen=True, slots=True)
class Ports:
    socks5: int | None
    http: int | None  # the API's "http|https" key

    @classmethod
    @p.guarded("ports")
    def from_json(cls, data: Any) -> Self:
        if data is None or (isinstance(data, list) and not data):
            return cls(None, None)
        d, w = p.mapping(data, "ports"), "ports"
        http_key = next((k for k in ("http|https", "http", "https") if d.get(k) is not None), None)
        return cls(
            socks5=p.field(d, "socks5", p.as_opt_int, w, None),
            http=p.field(d, http_key, p.as_opt_int, w, None) if http_key else None,
        )


@dataclass(frozen=True, slots=True)
class QuestionAnswer:
    question: str
    answer: str

    @classmethod
    @p.guarded("question answer")
    def from_json(cls, data: Any) -> Self:
        d, w = p.mapping(data, "question answer"), "question answer"
        return cls(
            question=p.field(d, "question", p.as_str_or_empty, w, ""),
            answer=p.field(d, "answer", lambda v: "" if v is None else p.as_str(v), w, ""),
        )


@dataclass(frozen=True, slots=True)
class AutoExtendSettings:
    order_id: int | None
    is_enabled: bool
    product_plan_id: int | None
    payment_type: str | None
    card_id: int | None

    @classmethod
    @p.guarded("auto-extend settings")
    def from_json(cls, data: Any) -> Self:
        w = "auto-extend settings"
        d = p.unwrap(data, w, "is_enabled")
        return cls(
            order_id=p.field(d, "order_id", p.as_opt_int, w, None),
            is_enabled=p.field(d, "is_enabled", p.as_bool_null_false, w, False),
            product_plan_id=p.field(d, "product_plan_id", p.as_opt_int, w, None),
            payment_type=p.field(d, "payment_type", p.as_opt_str, w, None),
            card_id=p.field(d, "card_id", p.as_opt_int, w, None),
        )


@dataclass(frozen=True, slots=True)
class Extension:
    """One entry of ``extended_history`` — a shape unknown upstream, so read leniently."""

    plan_name: str | None
    extended_at: datetime | None
    expire_date_before: datetime | None
    expire_date_after: datetime | None
    price: Decimal | None

    @classmethod
    @p.guarded("extension history entry")
    def from_json(cls, data: Any) -> Self:
        d, w = p.mapping(data, "extension history entry"), "extension history entry"
        when = p.lenient(p.as_opt_datetime)
        return cls(
            plan_name=p.field(d, "plan_name", p.lenient(p.as_opt_str), w, None),
            extended_at=p.field(d, "extended_at", when, w, None),
            expire_date_before=p.field(d, "expire_date_before", when, w, None),
            expire_date_after=p.field(d, "expire_date_after", when, w, None),
            price=p.field(d, "price", p.lenient(p.as_opt_decimal), w, None),
        )


@dataclass(frozen=True, slots=True)
class Order:
    id: int
    note: str | None
    product_name: str
    plan_name: str
    expire_date: datetime | None
    status: str  # one of ORDER_STATUSES, or whatever new status the server invents, verbatim
    location: str
    quantity: int
    questions_answers: tuple[QuestionAnswer, ...]
    ports: Ports
    proxies: tuple[Proxy, ...]
    auto_extend_settings: AutoExtendSettings | None
    extended_history: tuple[Extension, ...]

    @property
    def auto_extend_enabled(self) -> bool:
        return self.auto_extend_settings is not None and self.auto_extend_settings.is_enabled

    @classmethod
    @p.guarded("order")
    def from_json(cls, data: Any) -> Self:
        d, w = p.unwrap(data, "order", "id"), "order"
        proxy_data = p.field(d, "proxy_data", p.optional_object(lambda v: p.mapping(v, w)), w, None)
        proxy_data = proxy_data or {}
        location_key = "location" if d.get("location") is not None else "locations"
        return cls(
            id=p.field(d, "id", p.as_int, w),
            note=p.field(d, "note", p.as_opt_str, w, None),
            product_name=p.field(d, "product_name", p.as_str_or_empty, w, ""),
            plan_name=p.field(d, "plan_name", p.as_str_or_empty, w, ""),
            expire_date=p.field(d, "expire_date", p.as_opt_datetime, w, None),
            status=p.field(d, "status", p.as_str, w),
            location=p.field(d, location_key, p.as_str_or_empty, w, ""),
            quantity=p.field(d, "quantity", p.as_int, w),
            questions_answers=p.parse_items(
                d.get("questions_answers"), QuestionAnswer.from_json, w
            ),
            ports=Ports.from_json(proxy_data.get("ports")),
            proxies=p.parse_items(proxy_data.get("proxies"), Proxy.from_json, w),
            auto_extend_settings=p.field(
                d, "auto_extend_settings", p.optional_object(AutoExtendSettings.from_json), w, None
            ),
            extended_history=p.parse_items(d.get("extended_history"), Extension.from_json, w),
        )


@dataclass(frozen=True, slots=True)
class PageMeta:
    current_page: int
    last_page: int
    per_page: int
    total: int
    from_: int | None
    to: int | None

    @classmethod
    @p.guarded("page information")
    def from_json(cls, data: Any) -> Self:
        d, w = p.mapping(data, "page information"), "page information"
        return cls(
            current_page=p.field(d, "current_page", p.as_int, w),
            last_page=p.field(d, "last_page", p.as_int, w),
            per_page=p.field(d, "per_page", p.as_int, w),
            total=p.field(d, "total", p.as_int, w),
            from_=p.field(d, "from", p.as_opt_int, w, None),
            to=p.field(d, "to", p.as_opt_int, w, None),
        )

    @classmethod
    def single_page(cls, count: int) -> Self:
        """Meta for an unpaginated list of ``count`` items."""
        return cls(1, 1, count, count, 1 if count else None, count or None)


@dataclass(frozen=True, slots=True)
class OrdersPage:
    orders: tuple[Order, ...]
    meta: PageMeta

    @classmethod
    @p.guarded("order list")
    def from_json(cls, data: Any) -> Self:
        """``{"data": [...], "meta": {...}}``; also Laravel's flat paginator or a bare list."""
        orders = tuple(Order.from_json(o) for o in p.items(data, "order list"))
        if isinstance(data, Mapping) and isinstance(data.get("meta"), Mapping):
            meta = PageMeta.from_json(data["meta"])
        elif isinstance(data, Mapping) and "current_page" in data:
            meta = PageMeta.from_json(data)
        else:
            meta = PageMeta.single_page(len(orders))
        return cls(orders=orders, meta=meta)
