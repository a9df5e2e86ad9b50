"""The IPRoyal reseller API: an async client, typed models and an error family.

Headless: imports only the standard library and httpx — never Textual.
"""

from __future__ import annotations

from .client import DEFAULT_BASE_URL, DEFAULT_TIMEOUT, ResellerClient
from .errors import (
    ApiError,
    AuthError,
    Forbidden,
    InsecureURL,
    MalformedResponse,
    NetworkError,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    ServerError,
    ValidationFailed,
)
from .models import (
    ORDER_STATUSES,
    AutoExtendSettings,
    Card,
    Extension,
    Location,
    NextDiscount,
    Order,
    OrderRequest,
    OrdersPage,
    PageMeta,
    Plan,
    Ports,
    Product,
    Proxy,
    QuantityDiscount,
    Question,
    QuestionAnswer,
    Quote,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_TIMEOUT",
    "ORDER_STATUSES",
    "ApiError",
    "AuthError",
    "AutoExtendSettings",
    "Card",
    "Extension",
    "Forbidden",
    "InsecureURL",
    "Location",
    "MalformedResponse",
    "NetworkError",
    "NextDiscount",
    "NotFound",
    "Order",
    "OrderRequest",
    "OrdersPage",
    "OutcomeUnknown",
    "PageMeta",
    "Plan",
    "Ports",
    "Product",
    "Proxy",
    "QuantityDiscount",
    "Question",
    "QuestionAnswer",
    "Quote",
    "RateLimited",
    "ResellerClient",
    "ServerError",
    "ValidationFailed",
]
