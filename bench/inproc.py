"""In-process Pilot benchmarks: ``python -m bench.inproc quote|scale`` prints one JSON object.

Each runs in its own subprocess (started by bench/run.py) so RSS figures are not polluted.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # tests/helpers.py: settle, open_wizard

SIZE = (120, 36)
FRAME_MS = 1000 / 60


def vm_rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


async def wait_until(predicate, timeout: float = 10.0, step: float = 0.005) -> float:
    """Poll ``predicate`` every ``step`` s; returns perf_counter() when it first holds."""
    deadline = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > deadline:
            raise TimeoutError("condition not reached")
        await asyncio.sleep(step)
    return time.perf_counter()


# ----------------------------------------------------------------------------- quote
async def quote_bench() -> dict:
    from helpers import open_wizard, settle

    from royal_tui.cli import demo_client, demo_transport
    from royal_tui.launch import settled
    from royal_tui.ui.app import RoyalApp
    from royal_tui.ui.screens.purchase import PurchaseScreen
    from royal_tui.ui.widgets.quote_panel import QuotePanel

    debounce = 0.4
    PurchaseScreen.QUOTE_DEBOUNCE_S = debounce  # the shipped default, stated explicitly
    transport = demo_transport()
    app = settled(RoyalApp(demo_client(transport=transport), token_source="demo"))  # as make_app
    samples, counts = [], []
    async with app.run_test(headless=True, size=SIZE) as pilot:
        for _ in range(3):
            screen = await open_wizard(pilot, product=124, plan=901, location=2011)
            quantity = screen.query_one("#quantity")
            quantity.focus()
            quantity.value = ""
            await settle(pilot)
            panel = screen.query_one(QuotePanel)
            before = sum(1 for r in transport.requests if r.path.endswith("calculate-pricing"))
            for ch in "1500":
                t_key = time.perf_counter()  # the clock starts when the last key is sent
                await pilot.press(ch)
                await asyncio.sleep(0.06)
            done = await wait_until(
                lambda: panel.quote is not None and panel.request is not None
                and panel.request.quantity == 1500 and not panel.stale
            )
            await pilot.pause()
            samples.append(done - t_key)
            await settle(pilot)
            counts.append(sum(1 for r in transport.requests if r.path.endswith("calculate-pricing")) - before)
            await pilot.press("escape")  # leave the wizard (back through the steps)
            for _ in range(5):
                if not isinstance(app.screen, PurchaseScreen):
                    break
                await pilot.press("escape")
                await settle(pilot)
            if isinstance(app.screen, PurchaseScreen):
                app.pop_screen()
                await settle(pilot)
    return {"debounce_s": debounce, "latency_s": samples, "requests": counts}


# ----------------------------------------------------------------------------- scale
async def scale_bench() -> dict:
    from helpers import settle

    from royal_tui.cli import demo_client, demo_transport
    from royal_tui.launch import settled
    from royal_tui.ui.app import RoyalApp
    from royal_tui.ui.screens.orders import OrdersScreen
    from royal_tui.ui.widgets.order_detail import OrderDetail
    from royal_tui.ui.widgets.orders_table import OrdersTable

    OrdersScreen.TYPING_DEBOUNCE_S = 0.0  # measure the work, not the typing pause
    transport = demo_transport(orders=10000)
    client = demo_client(transport=transport)
    app = RoyalApp(client, token_source="demo", page_size=100)
    settled(app)  # as royal-tui does once its app is built (launch.make_app)
    out: dict = {}
    async with app.run_test(headless=True, size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        table = screen.query_one(OrdersTable)
        await wait_until(lambda: table.row_count > 0)
        await settle(pilot)
        out["rss_start_kb"] = vm_rss_kb()

        # Cost of one idle pilot.pause() (included in every "painted" time below).
        t = time.perf_counter()
        for _ in range(10):
            await pilot.pause()
        out["pause_ms"] = (time.perf_counter() - t) * 100
        # Cost of pressing a key nothing is bound to, then one pause: the harness's own overhead.
        idle = []
        for _ in range(10):
            t0 = time.perf_counter()
            await pilot.press("f19")
            await pilot.pause()
            idle.append((time.perf_counter() - t0) * 1000)
        out["idle_key_ms"] = idle

        # Response → painted: from the moment client.orders hands the page over (parsed) to the
        # end of the next frame written to the terminal (App._display), which shows it. Measured
        # inside the app's process for each page below; unlike the key → painted time it holds
        # none of the Pilot's idle detection (20 ms windows) or its key handling.
        marks: dict = {"response": None}
        painted_ms: list[float] = []
        request = client.orders

        async def timed_orders(*args, **kwargs):
            page = await request(*args, **kwargs)
            marks["response"] = time.perf_counter()
            return page

        display = app._display

        def timed_display(*args, **kwargs):
            result = display(*args, **kwargs)
            if marks["response"] is not None:
                painted_ms.append((time.perf_counter() - marks["response"]) * 1000)
                marks["response"] = None
            return result

        client.orders = timed_orders
        app._display = timed_display
        # Page changes: "]" until the new page is in the table and a frame has been composed.
        page_ms = []
        for _ in range(20):
            target = screen.page.meta.current_page + 1
            t0 = time.perf_counter()
            await pilot.press("right_square_bracket")
            await wait_until(
                lambda: screen.page is not None and screen.page.meta.current_page == target
                and not table.loading and table.row_count > 0, step=0.001)
            await pilot.pause()
            page_ms.append((time.perf_counter() - t0) * 1000)
        await settle(pilot)
        client.orders = request
        del app._display
        out["page_ms"] = page_ms
        out["response_to_painted_ms"] = painted_ms
        out["rss_after_20_pages_kb"] = vm_rss_kb()
        out["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        out["page_rows"] = table.row_count

        # The same requests alone, same loop, same client.
        product = screen.request.product_id
        bare_ms = []
        for page in range(2, 22):
            t0 = time.perf_counter()
            await client.orders(product, page=page, per_page=100)
            bare_ms.append((time.perf_counter() - t0) * 1000)
        out["bare_request_ms"] = bare_ms

        # The 1,000-proxy order 12346: Datacenter tab, filter ids, until its detail is painted.
        await pilot.press("2")
        await settle(pilot)
        detail = screen.query_one(OrderDetail)
        ids = screen.query_one("#filter-ids")
        ids.focus()
        await pilot.press(*"1234")
        await settle(pilot)
        t0 = time.perf_counter()
        await pilot.press("6")
        await wait_until(
            lambda: detail.order is not None and detail.order.id == 12346
            and detail.proxy_table_row_count == 1000, step=0.001)
        await pilot.pause()
        out["detail_ms"] = (time.perf_counter() - t0) * 1000
        await settle(pilot)
        t0 = time.perf_counter()
        await client.orders(124, page=1, per_page=100, **screen.request.filters.query())
        out["detail_bare_request_ms"] = (time.perf_counter() - t0) * 1000
        # Re-render only: empty the pane, then show the order again.
        order = detail.order
        redraw = []
        for _ in range(3):
            detail.show(None, app.now())
            await pilot.pause()
            t0 = time.perf_counter()
            detail.show(order, app.now())
            await pilot.pause()
            redraw.append((time.perf_counter() - t0) * 1000)
        out["detail_redraw_ms"] = redraw
        out["detail_proxy_rows"] = detail.proxy_table_row_count
    return out


def main() -> None:
    which = sys.argv[1]
    result = asyncio.run({"quote": quote_bench, "scale": scale_bench}[which]())
    print(json.dumps(result))


if __name__ == "__main__":
    main()
