"""What the screens look like (SVG snapshots in tests/__snapshots__/)."""

from __future__ import annotations


async def _loaded(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_orders_screen_120x36(snap_compare, demo_app):
    assert snap_compare(demo_app(), terminal_size=(120, 36), run_before=_loaded)
