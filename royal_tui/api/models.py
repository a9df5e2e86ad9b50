"""Typed, immutable views of the reseller API's JSON (see API.md).

Every model is a frozen dataclass with a ``from_json(data)`` classmethod that accepts what the
real service may send (API.md "Tolerance": numeric strings, floats, ``null`` in documented
nullable fields, unknown fields, a resource bare or wrapped in ``{"data": ...}``) and raises
:class:`~royal_tui.api.errors.MalformedResponse` — never anything else — on what it cannot make
sense of. Money is :class:`~decimal.Decimal`; datetimes are aware and in UTC.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field as dc_field
from decimal import Decimal
from typing import Any, Self

from . import _parse as p
from ._orders import (
    ORDER_STATUSES,
    AutoExtendSettings,
    Extension,
    Order,
    OrdersPage,
    PageMeta,
    Ports,
    Proxy,
    QuestionAnswer,
)

__all__ = [
    "ORDER_STATUSES",
    "AutoExtendSettings",
    "Card",
    "Extension",
    "Location",
    "NextDiscount",
    "Order",
    "OrderRequest",
    "OrdersPage",
    "PageMeta",
    "Plan",
    "Ports",
    "Product",
    "Proxy",
    "Question",
    "QuestionAnswer",
    "QuantityDiscount",
    "Quote",
]

# --- catalog --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Plan:
    id: int
    name: str
    price: Decimal
    min_quantity: int | None
    max_quantity: int | None

    @classmethod
    @p.guarded("plan")
    def from_json(cls, data: Any) -> Self:
        d, w = p.unwrap(data, "plan", "id"), "plan"
        return cls(
            id=p.field(d, "id", p.as_int, w),
            name=p.field(d, "name", p.as_str, w),
            price=p.field(d, "price", p.as_decimal, w),
            min_quantity=p.field(d, "min_quantity", p.as_opt_int, w, None),
            max_quantity=p.field(d, "max_quantity", p.as_opt_int, w, None),
        )


@dataclass(frozen=True, slots=True)
class Location:
    id: int
    name: str
    out_of_stock: bool
    available_proxies_count: int | None
    child_locations: tuple[Location, ...] = ()

    @classmethod
    @p.guarded("location")
    def from_json(cls, data: Any) -> Self:
        d, w = p.unwrap(data, "location", "id"), "location"
        return cls(
            id=p.field(d, "id", p.as_int, w),
            name=p.field(d, "name", p.as_str, w),
            out_of_stock=p.field(d, "out_of_stock", p.as_bool_null_false, w, False),
            available_proxies_count=p.field(d, "available_proxies_count", p.as_opt_int, w, None),
            child_locations=p.parse_items(d.get("child_locations"), cls.from_json, w),
        )


def _option_text(value: Any) -> str:
    if isinstance(value, Mapping):
        for key in ("value", "label", "name", "text"):
            if value.get(key) is not None:
                return p.as_str(value[key])
        raise p.Bad("has an option without a value")
    return p.as_str(value)


@dataclass(frozen=True, slots=True)
class Question:
    id: int
    text: str
    is_required: bool
    type: str | None = None
    options: tuple[str, ...] = ()

    @classmethod
    @p.guarded("question")
    def from_json(cls, data: Any) -> Self:
        d, w = p.unwrap(data, "question", "id"), "question"
        return cls(
            id=p.field(d, "id", p.as_int, w),
            text=p.field(d, "text", p.as_str_or_empty, w),
            is_required=p.field(d, "is_required", p.as_bool_null_false, w, False),
            type=p.field(d, "type", p.as_opt_str, w, None),
            options=p.field(d, "options", lambda v: tuple(map(_option_text, p.as_list(v))), w, ()),
        )


@dataclass(frozen=True, slots=True)
class QuantityDiscount:
    quantity_from: int
    discount_percent: Decimal

    @classmethod
    @p.guarded("quantity discount")
    def from_json(cls, data: Any) -> Self:
        d, w = p.mapping(data, "quantity discount"), "quantity discount"
        return cls(
            quantity_from=p.field(d, "quantity_from", p.as_int, w),
            discount_percent=p.field(d, "discount_percent", p.as_decimal, w),
        )


@dataclass(frozen=True, slots=True)
class Product:
    id: int
    name: str
    plans: tuple[Plan, ...]
    locations: tuple[Location, ...]
    questions: tuple[Question, ...] = ()
    quantity_discounts: tuple[QuantityDiscount, ...] = ()

    @classmethod
    @p.guarded("product")
    def from_json(cls, data: Any) -> Self:
        d, w = p.unwrap(data, "product", "id"), "product"
        return cls(
            id=p.field(d, "id", p.as_int, w),
            name=p.field(d, "name", p.as_str, w),
            plans=p.parse_items(d.get("plans"), Plan.from_json, w),
            locations=p.parse_items(d.get("locations"), Location.from_json, w),
            questions=p.parse_items(d.get("questions"), Question.from_json, w),
            quantity_discounts=p.parse_items(
                d.get("quantity_discounts"), QuantityDiscount.from_json, w
            ),
        )


# --- pricing --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NextDiscount:
    quantity: int  # how many more proxies reach the next tier
    discount: Decimal  # that tier's discount percent

    @classmethod
    @p.guarded("next discount")
    def from_json(cls, data: Any) -> Self:
        d, w = p.mapping(data, "next discount"), "next discount"
        return cls(
            quantity=p.field(d, "quantity", p.as_int, w),
            discount=p.field(d, "discount", p.as_decimal, w),
        )


def _percent(value: Any) -> Decimal:
    return Decimal(0) if value is None else p.as_decimal(value)


@dataclass(frozen=True, slots=True)
class Quote:
    pre_discount_price: Decimal
    price: Decimal
    vat: Decimal | None
    price_with_vat: Decimal  # what will be charged
    pre_discount_price_per_item: Decimal
    price_per_item: Decimal
    plan_discount_percent: Decimal
    location_discount_percent: Decimal
    coupon_discount_percent: Decimal
    quantity_discount_percent: Decimal
    total_discount_percent: Decimal
    next_discount: NextDiscount | None
    message: str | None

    @classmethod
    @p.guarded("price quote")
    def from_json(cls, data: Any) -> Self:
        d, w = p.unwrap(data, "price quote", "price"), "price quote"
        money = p.as_decimal
        return cls(
            pre_discount_price=p.field(d, "pre_discount_price", money, w),
            price=p.field(d, "price", money, w),
            vat=p.field(d, "vat", p.as_opt_decimal, w, None),
            price_with_vat=p.field(d, "price_with_vat", money, w),
            pre_discount_price_per_item=p.field(d, "pre_discount_price_per_item", money, w),
            price_per_item=p.field(d, "price_per_item", money, w),
            plan_discount_percent=p.field(d, "plan_discount_percent", _percent, w, Decimal(0)),
            location_discount_percent=p.field(
                d, "location_discount_percent", _percent, w, Decimal(0)
            ),
            coupon_discount_percent=p.field(d, "coupon_discount_percent", _percent, w, Decimal(0)),
            quantity_discount_percent=p.field(
                d, "quantity_discount_percent", _percent, w, Decimal(0)
            ),
            total_discount_percent=p.field(d, "total_discount_percent", _percent, w, Decimal(0)),
            next_discount=p.field(
                d,
                "quantity_required_for_next_discount",
                p.optional_object(NextDiscount.from_json),
                w,
                None,
            ),
            message=p.field(d, "message", lambda v: p.as_opt_str(v) or None, w, None),
        )


# --- payment --------------------------------------------------------------------------------


def _last_four(value: Any) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:04d}"
    return p.as_opt_str(value)


def _short_expiry(raw: str) -> str:
    """``2027-12``, ``2027-12-31``, ``12/2027`` → ``12/27``; anything else unchanged."""
    text = raw.strip()
    parts = text.replace("-", "/").split("/")
    if len(parts) >= 2 and all(part.isdigit() for part in parts):
        if len(parts[0]) == 4:  # year first
            return f"{int(parts[1]):02d}/{parts[0][2:]}"
        if len(parts) == 2 and len(parts[1]) == 4:
            return f"{int(parts[0]):02d}/{parts[1][2:]}"
    return text


@dataclass(frozen=True, slots=True)
class Card:
    id: int
    provider: str | None
    payment_method: str | None
    card_type: str | None
    last_four_digits: str | None
    expiry_date: str | None

    @property
    def label(self) -> str:
        """Human label such as ``Visa •••• 4242 (12/27)``."""
        brand = self.card_type or self.payment_method or self.provider or "Card"
        brand = brand[:1].upper() + brand[1:]
        text = brand
        if self.last_four_digits:
            text += f" •••• {self.last_four_digits}"
        if self.expiry_date:
            text += f" ({_short_expiry(self.expiry_date)})"
        return text

    @classmethod
    @p.guarded("saved card")
    def from_json(cls, data: Any) -> Self:
        d, w = p.unwrap(data, "saved card", "id"), "saved card"
        return cls(
            id=p.field(d, "id", p.as_int, w),
            provider=p.field(d, "provider", p.as_opt_str, w, None),
            payment_method=p.field(d, "payment_method", p.as_opt_str, w, None),
            card_type=p.field(d, "card_type", p.as_opt_str, w, None),
            last_four_digits=p.field(d, "last_four_digits", _last_four, w, None),
            expiry_date=p.field(d, "expiry_date", p.as_opt_str, w, None),
        )


# --- requests -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OrderRequest:
    """The body of ``POST /orders``."""

    product_id: int
    product_plan_id: int
    product_location_id: int
    quantity: int
    coupon_code: str | None = None
    auto_extend: bool = False
    product_question_answers: Mapping[int, str] = dc_field(default_factory=dict)
    card_id: int | None = None  # None → pay from the balance

    def to_json(self) -> dict[str, Any]:
        """The JSON body. ``coupon_code`` (None or blank) and ``card_id`` (None) are omitted."""
        body: dict[str, Any] = {
            "product_id": int(self.product_id),
            "product_plan_id": int(self.product_plan_id),
            "product_location_id": int(self.product_location_id),
            "quantity": int(self.quantity),
        }
        if self.coupon_code is not None and self.coupon_code.strip():
            body["coupon_code"] = self.coupon_code
        body["auto_extend"] = bool(self.auto_extend)
        body["product_question_answers"] = {
            str(qid): answer for qid, answer in self.product_question_answers.items()
        }
        if self.card_id is not None:
            body["card_id"] = int(self.card_id)
        return body


# --- answers without a model of their own ---------------------------------------------------


def balance_from_json(data: Any) -> Decimal:
    """``GET /balance``: a bare number; ``{"balance": n}`` and ``{"data": ...}`` tolerated."""
    for _ in range(3):  # unwrap {"data": ...} / {"balance": ...}, a few levels at most
        if not isinstance(data, Mapping):
            break
        key = next((k for k in ("balance", "data", "amount") if k in data), None)
        if key is None:
            raise p.malformed("balance", "expected a number")
        data = data[key]
    try:
        return p.as_decimal(data)
    except p.Bad as exc:
        raise p.malformed("balance", f"the value {exc}") from None


def auto_extend_from_json(data: Any, order_id: int) -> AutoExtendSettings:
    """The toggle's answer; an Order-shaped answer is tolerated too."""
    inner = p.unwrap(data, "auto-extend settings", "is_enabled")
    if "is_enabled" not in inner and "auto_extend_settings" in inner:
        settings = Order.from_json(inner).auto_extend_settings
        return settings or AutoExtendSettings(order_id, False, None, None, None)
    return AutoExtendSettings.from_json(inner)
