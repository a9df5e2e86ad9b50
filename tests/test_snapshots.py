"""What the screens look like (SVG snapshots in tests/__snapshots__/)."""

from __future__ import annotations


from helpers import settle as _loaded


def test_orders_screen_120x36(snap_compare, demo_app):
    assert snap_compare(demo_app(), terminal_size=(120, 36), run_before=_loaded)
