"""What the endpoints do to the state: validate (Laravel-style 422s), price, charge, change.

Each function takes already-decoded input (query values are strings, JSON bodies are dicts) and
either returns JSON-ready data or raises :class:`~royal_tui.sandbox.errors.SandboxError`.
Callers hold ``state.lock``.

Sandbox decisions where API.md is silent:
- ``calculate-pricing`` enforces the plan's min/max quantity but not stock; a country with cities
  can be quoted. An unknown coupon there is a 200 with ``message``; on POST it is a 422
  (``coupon_code``), so nobody pays without the discount they expected.
- Question answers are keyed by question id; unknown or non-numeric keys are ignored (the docs'
  ``question_id_1`` example), booleans are stored as "yes"/"no".
- Buying lowers the location's ``available_proxies_count``; at 0 it becomes out of stock.
- ``in-progress`` orders can be extended (they are paid); unpaid/refunded/expired → 422
  ``order_id``. Extending moves the expiry from max(now, expiry), switches the order's plan to
  the extension plan, and with ``proxies[]`` keeps only those proxies (quantity shrinks).
- Card payments never touch the balance; every charge is appended to ``state.ledger``.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from royal_tui.sandbox.catalog import Location, Plan, Product, coupon_percent
from royal_tui.sandbox.errors import Errors, ValidationFailed
from royal_tui.sandbox.orders import EXTENDABLE, Order, format_time
from royal_tui.sandbox.pricing import Quote, compute_quote, number
from royal_tui.sandbox.state import SandboxState

INVALID_COUPON = "Coupon code is invalid."
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


def as_int(value: object) -> int | None:
    """An integer from an int, an integral float or a numeric string; ``None`` otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("-").isdigit() and text.isascii():
            return int(text)
    return None


def as_bool(value: object) -> bool | None:
    """Laravel's ``boolean`` rule (true/false, 1/0, "1"/"0"), plus "true"/"false"/"yes"/"no"."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return {1: True, 0: False}.get(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    return None


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _human(field: str) -> str:
    return field.replace("_", " ")


def integer_field(errors: Errors, data: dict, field: str, required: bool = True) -> int | None:
    value = data.get(field)
    if is_blank(value):
        if required:
            errors.add(field, f"The {_human(field)} field is required.")
        return None
    number_ = as_int(value)
    if number_ is None:
        errors.add(field, f"The {_human(field)} field must be an integer.")
    return number_


def _product(errors: Errors, state: SandboxState, data: dict) -> Product | None:
    product_id = integer_field(errors, data, "product_id")
    product = state.catalog.product(product_id)
    if product_id is not None and product is None:
        errors.add("product_id", "The selected product id is invalid.")
    return product


def _plan(errors: Errors, product: Product | None, data: dict) -> Plan | None:
    plan_id = integer_field(errors, data, "product_plan_id")
    if plan_id is None or product is None:
        return None
    plan = product.plan(plan_id)
    if plan is None:
        errors.add("product_plan_id", "The selected product plan id is invalid.")
    return plan


def _location(errors: Errors, product: Product | None, data: dict) -> Location | None:
    location_id = integer_field(errors, data, "product_location_id")
    if location_id is None or product is None:
        return None
    location = product.location(location_id)
    if location is None:
        errors.add("product_location_id", "The selected product location id is invalid.")
    return location


def _coupon(errors: Errors | None, data: dict) -> tuple[Decimal, str | None]:
    code = data.get("coupon_code")
    if is_blank(code):
        return Decimal(0), None
    percent = coupon_percent(code) if isinstance(code, str) else None
    if percent is None:
        if errors is not None:
            errors.add("coupon_code", INVALID_COUPON)
        return Decimal(0), INVALID_COUPON
    return percent, None


def _card(errors: Errors, state: SandboxState, data: dict) -> dict | None:
    card_id = integer_field(errors, data, "card_id", required=False)
    if card_id is None:
        return None
    card = state.card(card_id)
    if card is None:
        errors.add("card_id", "The selected card id is invalid.")
    return card


def _price(state: SandboxState, product: Product, plan: Plan, location: Location, quantity: int,
           coupon: Decimal, message: str | None) -> Quote:
    return compute_quote(
        price=plan.price, quantity=quantity, tiers=product.tiers, plan_discount=plan.discount_percent,
        location_discount=location.discount, coupon_discount=coupon, vat_rate=state.options.vat_rate,
        message=message,
    )


def calculate_pricing(state: SandboxState, params: dict) -> dict:
    """``GET /orders/calculate-pricing``. With ``order_id``: an extension quote for that order."""
    errors = Errors()
    order_id = integer_field(errors, params, "order_id", required=False)
    if order_id is not None:
        order = state.order(order_id)
        product, location, quantity = order.product, order.location, order.quantity
        given = integer_field(errors, params, "product_id", required=False)
        if given is not None and given != product.id:
            errors.add("product_id", "The selected product id is invalid.")
    else:
        product = _product(errors, state, params)
        location = _location(errors, product, params)
        quantity = _quantity(errors, params, None)
    plan = _plan(errors, product, params)
    if order_id is None and plan is not None and quantity is not None:
        _quantity_bounds(errors, plan, quantity)
    errors.raise_if_any()
    coupon, message = _coupon(None, params)
    return _price(state, product, plan, location, quantity, coupon, message).to_json()


def _quantity(errors: Errors, data: dict, plan: Plan | None) -> int | None:
    quantity = integer_field(errors, data, "quantity")
    if quantity is not None and quantity < 1:
        errors.add("quantity", "The quantity field must be at least 1.")
        return None
    if quantity is not None and plan is not None:
        _quantity_bounds(errors, plan, quantity)
    return quantity


def _quantity_bounds(errors: Errors, plan: Plan, quantity: int) -> None:
    if quantity < plan.min_quantity:
        errors.add("quantity", f"The quantity field must be at least {plan.min_quantity}.")
    elif quantity > plan.max_quantity:
        errors.add("quantity", f"The quantity field must not be greater than {plan.max_quantity}.")


def _answers(errors: Errors, product: Product | None, data: dict) -> list[dict]:
    raw = data.get("product_question_answers")
    if raw is None or raw == []:
        raw = {}
    if not isinstance(raw, dict):
        errors.add("product_question_answers", "The product question answers field must be an array.")
        return []
    if product is None:
        return []
    answers = []
    for question in product.questions:
        field = f"product_question_answers.{question.id}"
        value = raw.get(str(question.id))
        if is_blank(value):
            if question.required:
                errors.add(field, f"The {_human(field)} field is required.")
            continue
        if isinstance(value, bool) or question.type == "boolean":
            flag = as_bool(value)
            if flag is None:
                errors.add(field, f"The {_human(field)} field must be true or false.")
                continue
            value = "yes" if flag else "no"
        elif not isinstance(value, (str, int, float)):
            errors.add(field, f"The {_human(field)} field must be a string.")
            continue
        value = str(value).strip()
        if question.options and value not in question.options:
            errors.add(field, f"The selected {_human(field)} is invalid.")
            continue
        answers.append({"question": question.text, "answer": value})
    return answers


def _charge(state: SandboxState, quote: Quote, card: dict | None, kind: str, order_id: int) -> None:
    amount = quote.price_with_vat
    if card is None:
        if amount > state.balance:
            raise ValidationFailed(
                {"balance": [f"Your balance (${state.balance:,.2f}) is less than the amount due (${amount:,.2f})."]},
                message="Insufficient balance.",
            )
        state.balance -= amount
    state.record(kind, order_id=order_id, amount=str(amount),
                 payment="card" if card else "balance", card_id=card["id"] if card else None)


def create_order(state: SandboxState, body: dict) -> dict:
    """``POST /orders``: validate, charge ``price_with_vat``, store an ``in-progress`` order."""
    errors = Errors()
    product = _product(errors, state, body)
    plan = _plan(errors, product, body)
    location = _location(errors, product, body)
    quantity = _quantity(errors, body, plan)
    if location is not None and "product_location_id" not in errors:
        if location.children:
            errors.add("product_location_id",
                       f"{location.name} has cities: choose one and buy with its location id.")
        elif location.out_of_stock:
            errors.add("product_location_id", "The selected location is out of stock.")
        elif location.available is not None and quantity is not None and quantity > location.available:
            errors.add("product_location_id", f"Only {location.available} proxies are available in this location.")
    coupon, _ = _coupon(errors, body)
    auto_extend = body.get("auto_extend", False)
    auto_extend = False if auto_extend is None else as_bool(auto_extend)
    if auto_extend is None:
        errors.add("auto_extend", "The auto extend field must be true or false.")
    answers = _answers(errors, product, body)
    card = _card(errors, state, body)
    errors.raise_if_any()

    quote = _price(state, product, plan, location, quantity, coupon, None)
    order_id = state.next_order_id()
    _charge(state, quote, card, "create", order_id)
    now = state.now().replace(microsecond=0)
    http_port = state.rng.randrange(10000, 60000, 2)
    order = Order(
        id=order_id, product=product, plan=plan, location=location, quantity=quantity,
        status="in-progress", created_at=now, expire_at=now + timedelta(days=plan.days),
        answers=answers, http_port=http_port, socks5_port=http_port + 1,
        provision_at=now + timedelta(seconds=state.options.provision_delay),
        proxy_key=f"{state.options.seed}:{order_id}",
    )
    if auto_extend:
        order.auto_extend = _settings(order.id, True, plan.id, "card" if card else "balance",
                                      card["id"] if card else None)
    if location.available is not None:
        location.available -= quantity
        location.out_of_stock = location.available <= 0
    state.add(order)
    return order.to_json()


def extend_order(state: SandboxState, order_id: int, body: dict) -> dict:
    """``POST /orders/{id}/extend``: expiry moves by the plan period from max(now, expiry)."""
    order = state.order(order_id)
    if order.status not in EXTENDABLE:
        article = "An" if order.status[0] in "aeiou" else "A"
        raise ValidationFailed({"order_id": [f"{article} {order.status} order cannot be extended."]})
    errors = Errors()
    plan = _plan(errors, order.product, body)
    kept = _proxy_selection(errors, order, body.get("proxies"))
    card = _card(errors, state, body)
    coupon, _ = _coupon(errors, body)
    errors.raise_if_any()

    quantity = len(kept) if kept is not None else order.quantity
    quote = _price(state, order.product, plan, order.location, quantity, coupon, None)
    _charge(state, quote, card, "extend", order.id)
    now = state.now().replace(microsecond=0)
    before = order.expire_at
    order.expire_at = max(now, before) + timedelta(days=plan.days)
    order.history.append({
        "plan_name": plan.name,
        "extended_at": format_time(now),
        "expire_date_before": format_time(before),
        "expire_date_after": format_time(order.expire_at),
        "price": number(quote.price_with_vat),
    })
    order.plan = plan
    if kept is not None and len(kept) != order.quantity:
        order.assigned, order.quantity = kept, len(kept)
    state.schedule(order)
    return order.to_json()


def _proxy_selection(errors: Errors, order: Order, raw: object) -> list[dict] | None:
    """The proxies to keep (``None``: all of them). Unselected proxies leave the order."""
    if raw is None:
        return None
    if not isinstance(raw, list) or not raw:
        errors.add("proxies", "The proxies field must be a non-empty array of IP addresses.")
        return None
    by_ip = {proxy["ip"]: proxy for proxy in order.proxies}
    kept: dict[str, dict] = {}
    for index, ip in enumerate(raw):
        if not isinstance(ip, str) or ip.strip() not in by_ip:
            errors.add(f"proxies.{index}", f"The selected proxies.{index} is invalid.")
        else:
            kept[ip.strip()] = by_ip[ip.strip()]
    return list(kept.values())


def _settings(order_id: int, enabled: bool, plan_id: int | None, payment: str | None,
              card_id: int | None) -> dict:
    return {"order_id": order_id, "is_enabled": enabled, "product_plan_id": plan_id,
            "payment_type": payment, "card_id": card_id}


def toggle_auto_extend(state: SandboxState, body: dict) -> dict:
    """``POST /orders/toggle-auto-extend``; returns the settings object.

    Turning it off sets the order's ``auto_extend_settings`` to ``null`` (API.md: null when off);
    the response still echoes the settings with ``is_enabled: false``.
    """
    errors = Errors()
    order_id = integer_field(errors, body, "order_id")
    enabled = as_bool(body.get("is_enabled"))
    if enabled is None:
        errors.add("is_enabled", "The is enabled field must be true or false.")
    errors.raise_if_any()
    order = state.order(order_id)
    previous = order.auto_extend or {}
    if not enabled:
        settings = _settings(order.id, False, previous.get("product_plan_id"),
                             previous.get("payment_type"), previous.get("card_id"))
        order.auto_extend = None
        state.record("auto-extend-off", order_id=order.id)
        return settings
    if order.status not in EXTENDABLE:
        errors.add("order_id", f"Auto-extend cannot be enabled for a {order.status} order.")
    plan = _plan(errors, order.product, body)
    payment = body.get("payment_type")
    if is_blank(payment):
        errors.add("payment_type", "The payment type field is required.")
    elif payment not in ("balance", "card"):
        errors.add("payment_type", "The selected payment type is invalid.")
    card = _card(errors, state, body)
    if payment == "card" and card is None and "card_id" not in errors:
        errors.add("card_id", "The card id field is required when payment type is card.")
    errors.raise_if_any()
    settings = _settings(order.id, True, plan.id, payment, card["id"] if payment == "card" else None)
    order.auto_extend = settings
    state.record("auto-extend-on", order_id=order.id, product_plan_id=plan.id, payment=payment)
    return dict(settings)

