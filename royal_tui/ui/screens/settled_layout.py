"""A screen whose layout is settled before it is painted (Textual 8.2.8 internals).

Mixed into :class:`~royal_tui.ui.screens.orders.OrdersScreen` (``class OrdersScreen(SettledLayout,
Screen)``): a new page of orders is laid out and painted once instead of up to three times over
four frames. It overrides private ``Screen`` methods, so Textual is pinned exactly and
``tests/test_page_change_frames.py`` pins the internals used and compares the result with
Textual's own; a Textual upgrade must re-check both.
"""

from __future__ import annotations

from textual.widget import Widget


class SettledLayout:
    """Put before ``Screen`` in the bases."""

    #: Follow-up layouts settled within one frame (see ``_refresh_layout``).
    SETTLE_PASSES = 3
    _settling = False
    _render_deferred = False
    _resumed_once = False

    def _on_screen_resume(self, event) -> None:
        """The first resume does not restyle the whole screen again, and may hold the paint.

        Textual 8.2.8 re-applies the CSS of every widget on each ``ScreenResume``; the first one
        comes right after the screen was composed, when every widget has just been styled as it
        was mounted (and any class or pseudo-class change since restyled its own widget). For
        the orders screen's 76 widgets that was about a tenth of the startup time. Later resumes
        (back from a dialog, after a theme change) restyle as Textual does.
        """
        if not self._resumed_once:
            self._resumed_once = True
            event.refresh_styles = False
            if self.FIRST_PAINT_HOLD_S > 0 and self._first_paint_pending():
                self._holding_first_paint = True
                self.set_timer(self.FIRST_PAINT_HOLD_S, self.release_first_paint, name="first paint")
        super()._on_screen_resume(event)

    #: The first paint waits (the layouts do not) until every part named here is ready (see
    #: :meth:`first_paint_ready`), a problem is shown, or ``FIRST_PAINT_HOLD_S`` seconds have
    #: passed: a screen whose content is a moment away is painted once, with it, instead of
    #: empty and then again in full.
    FIRST_PAINT_PARTS: frozenset[str] = frozenset()
    FIRST_PAINT_HOLD_S = 0.0
    _holding_first_paint = False
    _first_paint_waits: set[str] | None = None

    def _first_paint_pending(self) -> bool:
        if self._first_paint_waits is None:
            self._first_paint_waits = set(self.FIRST_PAINT_PARTS)
        return bool(self._first_paint_waits)

    def first_paint_ready(self, part: str) -> None:
        """``part`` of the first frame is there ("problem": paint whatever there is now)."""
        if not self._first_paint_pending():
            return
        self._first_paint_waits.discard(part)
        if part == "problem":
            self._first_paint_waits.clear()
        if not self._first_paint_waits and self._holding_first_paint:
            self.call_after_refresh(self.release_first_paint)

    def release_first_paint(self) -> None:
        """Paint now what was held (once; later calls do nothing)."""
        self._first_paint_waits = set()
        if self._holding_first_paint:
            self._holding_first_paint = False
            if self.is_current:
                super()._compositor_refresh()

    def _refresh_layout(self, size=None, scroll: bool = False) -> None:
        """Textual's layout, settled before anything is painted.

        In Textual 8.2.8 a layout asks for another one: every widget whose size it changed
        sets its ``virtual_size``, a layout reactive, although that size is the one the layout
        just computed (an echo); and a scroll container whose scrollbar came or went must be laid
        out again, narrower or wider. Each follow-up waits for the next refresh tick, measures
        every changed widget again and repaints it: a new page whose detail pane changed height
        cost three layouts and three paints over four frames. Here, while the layout runs, echoes
        are dropped and a scrollbar change is laid out again at once (at most ``SETTLE_PASSES``
        times); the screen is then painted once, with the final geometry. Requests made outside
        the layout (a Resize handler, a timer, a watcher) are untouched.
        """
        if self._settling or (scroll and not self._layout_widgets):
            super()._refresh_layout(size, scroll)
            return
        self._settling = True
        try:
            # Widgets whose request has not reached the screen yet (their Layout message is
            # still to be posted) are laid out by this layout: served now, not again after it.
            self._serve_layout_requests([w for w in self._layout_candidates() if w._layout_required])
            before = self._layout_state()
            super()._refresh_layout(size, scroll)
            for _ in range(self.SETTLE_PASSES):
                if not self._take_layout_requests(before):
                    break
                before = self._layout_state()
                super()._refresh_layout(size, False)
            self._take_repaint_requests()
        finally:
            self._settling = False
        if self._render_deferred:
            self._render_deferred = False
            if self.is_current:
                super()._compositor_refresh()

    def _compositor_refresh(self) -> None:
        if self._holding_first_paint:  # the dirty regions add up until the first paint
            return
        if self._settling:  # painted once the layout has settled
            self._render_deferred = True
            return
        super()._compositor_refresh()

    def _layout_candidates(self) -> set[Widget]:
        """The screen's mounted widgets, shown or hidden, with their scrollbars (not in the DOM;
        a scrollbar the layout has just created is laid out with its container).

        A widget still being mounted is left to Textual's own path."""
        widgets = {widget for widget in self.walk_children(Widget) if widget._is_mounted}
        for widget in list(widgets):
            widgets.update(widget._get_virtual_dom())
        return widgets

    def _layout_state(self) -> dict[Widget, tuple]:
        return {
            widget: (
                widget._layout_required, widget.show_horizontal_scrollbar,
                widget.show_vertical_scrollbar, widget.display,
            )
            for widget in self._layout_candidates()
        }

    def _take_layout_requests(self, before: dict[Widget, tuple]) -> bool:
        """Drop the layout's echoes; serve at once what else it asked for. True: lay out again.

        What is served is what ``Widget._check_refresh`` would have posted as ``Layout``
        messages for the next tick.
        """
        requested = [widget for widget in self._layout_candidates() if widget._layout_required]
        genuine = any(
            widget not in before  # a scrollbar that has just been created
            or before[widget][0]  # asked before this layout and still pending
            or before[widget][1:] != (
                widget.show_horizontal_scrollbar, widget.show_vertical_scrollbar, widget.display
            )
            for widget in requested
        )
        if genuine:
            self._serve_layout_requests(requested)
        else:
            for widget in requested:
                widget._layout_required = False
        return genuine

    def _serve_layout_requests(self, requested: list[Widget]) -> None:
        """What ``Widget._check_refresh`` does with a layout request, then the screen with its
        ``Layout`` message, done now for the layout about to run."""
        for widget in requested:
            widget._layout_required = False
            node = widget
            for ancestor in widget.ancestors:
                if not isinstance(ancestor, Widget):
                    break
                ancestor._clear_arrangement_cache()
                ancestor._layout_updates += 1
                self._layout_widgets.setdefault(ancestor, set()).add(node)
                if not ancestor.styles.auto_dimensions:
                    break
                node = ancestor

    def _take_repaint_requests(self) -> None:
        """Repaints asked for during the layout go into this frame, not the next."""
        for widget in self._layout_candidates():
            if widget._repaint_required and widget.display:
                widget._repaint_required = False
                self._dirty_widgets.add(widget)
        if self._dirty_widgets:
            self._compositor.update_widgets(self._dirty_widgets)
