"""The client against the sandbox: in process (the --demo path) and over a loopback server."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from helpers import FakeClock

from royal_tui.api import AuthError, NotFound, OrderRequest, ResellerClient, ValidationFailed
from royal_tui.sandbox.options import SandboxOptions
from royal_tui.sandbox.server import make_server
from royal_tui.sandbox.state import SandboxState
from royal_tui.sandbox.transport import SandboxTransport

pytestmark = pytest.mark.anyio


async def no_sleep(_seconds: float) -> None:
    return None


async def exercise(client: ResellerClient, clock: FakeClock) -> None:
    """One user's session: browse, quote, buy, wait for proxies, extend, toggle."""
    products = await client.products()
    assert [p.name for p in products] == ["Static Residential", "Datacenter", "Sneaker DC"]
    isp = products[0]
    assert isp.id == 123 and {plan.id for plan in isp.plans} >= {456, 678}

    balance = await client.balance()
    assert balance == Decimal("884.05")
    cards = await client.cards()
    assert cards and cards[0].last_four_digits

    page = await client.orders(123, page=1, per_page=10)
    assert page.meta.current_page == 1 and page.meta.per_page == 10
    assert len(page.orders) == 10 and page.meta.total > 10
    assert all(order.product_name == "Static Residential" for order in page.orders)

    picked = await client.orders(123, order_ids=[12345, 12347])
    assert sorted(order.id for order in picked.orders) == [12345, 12347]

    quote = await client.calculate_pricing(123, 456, 789, 10)
    assert quote.pre_discount_price == Decimal("30")
    assert quote.price_with_vat == Decimal("30")
    assert quote.next_discount is not None and quote.next_discount.quantity == 90
    bad_coupon = await client.calculate_pricing(123, 456, 789, 10, coupon_code="NOPE")
    assert bad_coupon.message

    with pytest.raises(ValidationFailed) as refused:
        await client.create_order(OrderRequest(123, 456, 789, quantity=0))
    assert "quantity" in refused.value.field_errors

    created = await client.create_order(OrderRequest(123, 456, 789, quantity=10, coupon_code="DISCOUNT2024"))
    assert created.status == "in-progress" and created.proxies == ()
    assert await client.balance() == balance - quote.price_with_vat * Decimal("0.9")

    clock.advance(seconds=6)
    ready = await client.order(created.id)
    assert ready.status == "confirmed" and len(ready.proxies) == 10

    before = (await client.order(12345)).expire_date
    extended = await client.extend_order(12345, 678)
    assert extended.expire_date > before
    assert len(extended.extended_history) >= 1

    settings = await client.toggle_auto_extend(12345, True, 456)
    assert settings.is_enabled
    assert (await client.order(12345)).auto_extend_enabled

    with pytest.raises(NotFound):
        await client.order(999_999)


async def test_round_trip_in_process():
    clock = FakeClock()
    transport = SandboxTransport(SandboxState(SandboxOptions(clock=clock)))
    async with ResellerClient("t0ken", "https://sandbox.invalid/v1/reseller", transport=transport, sleep=no_sleep) as client:
        await exercise(client, clock)
    assert transport.count > 10


@pytest.fixture
def loopback():
    """A real sandbox server on an ephemeral loopback port, accepting only one token."""
    clock = FakeClock()
    server = make_server(SandboxOptions(clock=clock, token="s3cret"), port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server, clock
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


async def test_round_trip_over_loopback(loopback):
    server, clock = loopback
    assert server.base_url.startswith("http://127.0.0.1:")
    async with ResellerClient("s3cret", server.base_url, sleep=no_sleep) as client:
        await exercise(client, clock)


async def test_loopback_refuses_another_token(loopback):
    server, _clock = loopback
    async with ResellerClient("wrong", server.base_url, sleep=no_sleep) as client:
        with pytest.raises(AuthError) as error:
            await client.balance()
    assert "wrong" not in str(error.value)
