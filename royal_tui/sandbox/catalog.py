"""The sandbox catalog: products, plans, locations, questions, quantity tiers and coupons.

Ids are stable and chosen so that the provider's curl examples (``orders-docs.txt``) work
unchanged against the sandbox: product 123 "Static Residential" has plan 456 "30 Days" at 3 per
proxy and plan 678 "60 Days"; location 789 "Canada" is purchasable; location 456 "United States"
is a country with cities. Every id is unique across the whole catalog (plans, locations and
questions each have their own range), so a location id alone names one location.

Plan and location discounts are sandbox-internal (the API does not publish them); they only
feed ``calculate-pricing``. A child location without its own discount inherits its country's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from royal_tui.sandbox.pricing import Tier, number

#: Coupon table (code, upper-cased → discount percent). Codes match case-insensitively.
COUPONS: dict[str, Decimal] = {
    "DISCOUNT2024": Decimal(10),
    "WELCOME5": Decimal(5),
    "HALFOFF": Decimal(50),
    "RESELLER80": Decimal(80),
}


def coupon_percent(code: str | None) -> Decimal | None:
    """The coupon's percent, ``None`` for an unknown code. Blank codes are the caller's business."""
    return COUPONS.get((code or "").strip().upper())


@dataclass
class Plan:
    id: int
    name: str
    price: Decimal
    min_quantity: int
    max_quantity: int
    days: int
    discount_percent: Decimal = Decimal(0)

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "price": number(self.price),
            "min_quantity": self.min_quantity,
            "max_quantity": self.max_quantity,
        }


@dataclass
class Location:
    id: int
    name: str
    available: int | None = 500
    out_of_stock: bool = False
    discount_percent: Decimal | None = None
    children: list[Location] = field(default_factory=list)
    parent: Location | None = field(default=None, repr=False, compare=False)

    @property
    def purchasable(self) -> bool:
        return not self.children and not self.out_of_stock

    @property
    def display_name(self) -> str:
        """What an order shows as ``location``: ``"Canada"`` or ``"United States, New York"``."""
        return f"{self.parent.name}, {self.name}" if self.parent else self.name

    @property
    def discount(self) -> Decimal:
        if self.discount_percent is not None:
            return self.discount_percent
        return self.parent.discount if self.parent else Decimal(0)

    def is_within(self, other: Location) -> bool:
        """True for the location itself and for a city of the country ``other``."""
        return self is other or self.parent is other

    def to_json(self) -> dict:
        if self.children:
            counts = [child.to_json()["available_proxies_count"] for child in self.children]
            available = None if None in counts else sum(counts)
            out_of_stock = all(child.out_of_stock for child in self.children)
        else:
            available, out_of_stock = self.available, self.out_of_stock
            if out_of_stock and available is not None:
                available = 0
        return {
            "id": self.id,
            "name": self.name,
            "out_of_stock": out_of_stock,
            "available_proxies_count": available,
            "child_locations": [child.to_json() for child in self.children],
        }


@dataclass
class Question:
    id: int
    text: str
    is_required: bool | None
    type: str | None = None
    options: tuple[str, ...] = ()

    @property
    def required(self) -> bool:
        return bool(self.is_required)

    def to_json(self) -> dict:
        data: dict = {"id": self.id, "text": self.text, "is_required": self.is_required}
        if self.type:
            data["type"] = self.type
        if self.options:
            data["options"] = [{"value": value} for value in self.options]
        return data


@dataclass
class Product:
    id: int
    name: str
    plans: list[Plan]
    locations: list[Location]
    questions: list[Question]
    tiers: list[Tier]
    #: Sandbox-internal: the first octets of this product's IPv4 proxies.
    ip_prefixes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self._locations: dict[int, Location] = {}
        for country in self.locations:
            self._locations[country.id] = country
            for city in country.children:
                city.parent = country
                self._locations[city.id] = city

    def plan(self, plan_id: int | None) -> Plan | None:
        return next((plan for plan in self.plans if plan.id == plan_id), None)

    def location(self, location_id: int | None) -> Location | None:
        return self._locations.get(location_id) if location_id is not None else None

    def question(self, question_id: int) -> Question | None:
        return next((question for question in self.questions if question.id == question_id), None)

    def leaf_locations(self) -> list[Location]:
        return [loc for loc in self._locations.values() if not loc.children]

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "plans": [plan.to_json() for plan in self.plans],
            "locations": [location.to_json() for location in self.locations],
            "questions": [question.to_json() for question in self.questions],
            "quantity_discounts": [
                {"quantity_from": tier.quantity_from, "discount_percent": number(tier.discount_percent)}
                for tier in self.tiers
            ],
        }


@dataclass
class Catalog:
    products: list[Product]

    def product(self, product_id: int | None) -> Product | None:
        return next((product for product in self.products if product.id == product_id), None)

    def to_json(self) -> dict:
        return {"data": [product.to_json() for product in self.products]}


def _d(value: str | int) -> Decimal:
    return Decimal(str(value))


def _plans(first_id: int, monthly: str, min_q: int, max_q: int) -> list[Plan]:
    """30/60/90-day plans: the 60- and 90-day ones cost 2× and 3× with a 5 % / 10 % plan discount."""
    base = _d(monthly)
    return [
        Plan(first_id, "30 Days", base, min_q, max_q, 30),
        Plan(first_id + 1, "60 Days", base * 2, min_q, max_q, 60, _d(5)),
        Plan(first_id + 2, "90 Days", base * 3, min_q, max_q, 90, _d(10)),
    ]


def build_catalog() -> Catalog:
    """A fresh catalog (each sandbox state owns one: stock counts go down as orders are bought)."""
    isp_plans = _plans(456, "3", 1, 1000)
    isp_plans[1].id, isp_plans[2].id = 678, 679  # the docs' extend example uses plan 678
    static = Product(
        123,
        "Static Residential",
        plans=isp_plans,
        locations=[
            Location(456, "United States", children=[
                Location(4561, "New York", available=320),
                Location(4562, "Los Angeles", available=180),
                Location(4563, "Chicago", available=0, out_of_stock=True),
                Location(4564, "Dallas", available=None),
            ]),
            Location(789, "Canada", available=240),
            Location(790, "United Kingdom", children=[
                Location(7901, "London", available=150),
                Location(7902, "Manchester", available=60, discount_percent=_d(3)),
            ]),
            Location(791, "Germany", available=0, out_of_stock=True),
            Location(792, "Netherlands", available=None, discount_percent=_d(5)),
            Location(793, "Japan", available=45, discount_percent=_d(2.5)),
        ],
        questions=[Question(11, "Extra requirements (if you have any):", False)],
        tiers=[Tier(100, _d(5)), Tier(250, _d(10)), Tier(500, _d(15)), Tier(1000, _d(20))],
        ip_prefixes=("45.138", "82.153", "104.234", "161.123", "185.199"),
    )
    datacenter = Product(
        124,
        "Datacenter",
        plans=_plans(901, "1.40", 5, 2000),
        locations=[
            Location(2001, "United States", children=[
                Location(2011, "Ashburn", available=4000),
                Location(2012, "New York", available=None),
                Location(2013, "Miami", available=0, out_of_stock=True),
            ]),
            Location(2002, "Germany", children=[Location(2021, "Frankfurt", available=900)]),
            Location(2003, "France", available=0, out_of_stock=True),
            Location(2004, "Singapore", available=None, discount_percent=_d(4)),
        ],
        questions=[
            Question(21, "What will you use the proxies for?", True, "select",
                     ("Web scraping", "SEO monitoring", "Social media", "Other")),
            Question(22, "Target websites (optional):", None),
        ],
        tiers=[Tier(50, _d(3)), Tier(200, _d(7)), Tier(500, _d(12)), Tier(1000, _d(18))],
        ip_prefixes=("38.154", "64.137", "193.8"),
    )
    sneaker = Product(
        125,
        "Sneaker DC",
        plans=_plans(951, "2.20", 10, 500),
        locations=[
            Location(3001, "United States", children=[
                Location(3011, "Ashburn", available=700),
                Location(3012, "Los Angeles", available=None, discount_percent=_d(2)),
            ]),
            Location(3002, "United Kingdom", children=[Location(3021, "London", available=300)]),
            Location(3003, "Germany", available=0, out_of_stock=True),
        ],
        questions=[
            Question(31, "Which sneaker sites will you use?", True),
            Question(32, "Do you need a dedicated subnet?", False, "boolean"),
        ],
        tiers=[Tier(25, _d(5)), Tier(100, _d(10))],
        ip_prefixes=("89.40", "212.102"),
    )
    return Catalog([static, datacenter, sneaker])
