"""The one-widget footer (royal_tui.ui.widgets.footer): Textual's footer line, drawn cheaper."""

from __future__ import annotations

import pytest
from textual.app import App
from textual.binding import Binding
from textual.widgets import Footer as TextualFooter

from royal_tui.ui.widgets.footer import Footer

pytestmark = pytest.mark.anyio


class KeysApp(App[None]):
    BINDINGS = [
        Binding("r", "reload", "Refresh", tooltip="Reload the orders"),
        Binding("x", "export", "Export"),
        Binding("h", "hidden", "Hidden", show=False),
        Binding("R", "reload", "Refresh again"),  # the same action: shown once, as Textual does
        Binding("question_mark", "help", "Help"),
    ]

    def __init__(self, footer: type = Footer) -> None:
        super().__init__()
        self.footer_class = footer
        self.blocked = False
        self.done: list[str] = []
        self.bells = 0

    def compose(self):
        yield self.footer_class()

    def check_action(self, action: str, parameters) -> bool | None:
        return None if action == "export" and self.blocked else True

    def action_reload(self) -> None:
        self.done.append("reload")

    def action_export(self) -> None:
        self.done.append("export")

    def action_help(self) -> None:
        self.done.append("help")

    def bell(self) -> None:
        self.bells += 1


def footer_line(app: App) -> list[tuple[str, str]]:
    """The bottom line as (text, style) runs; blanks by their background only (the filler's
    foreground colour cannot be seen)."""
    strip = app.screen._compositor.render_strips()[-1]
    runs = []
    for segment in strip:
        style = segment.style
        key = str(style.bgcolor) if not segment.text.strip() else str(style)
        runs.extend((char, key) for char in segment.text)
    return runs


@pytest.mark.parametrize("width", [120, 80, 60])
@pytest.mark.parametrize("theme", ["textual-dark", "textual-light", "ansi-dark"])
async def test_the_line_is_textuals_footer_line(width, theme):
    lines = []
    for footer in (TextualFooter, Footer):
        app = KeysApp(footer)
        async with app.run_test(size=(width, 5)) as pilot:
            app.theme = theme
            await pilot.pause()
            await pilot.pause()
            lines.append(footer_line(app))
    textual_line, ours = lines
    text = "".join(char for char, _ in ours)
    assert "r Refresh" in text and "Hidden" not in text and "again" not in text
    assert text.rstrip().endswith("▏^p palette")
    assert ours == textual_line


async def test_keys_that_do_not_fit_are_left_out_whole_and_the_palette_key_stays():
    app = KeysApp()
    async with app.run_test(size=(28, 5)) as pilot:
        await pilot.pause()
        text = "".join(char for char, _ in footer_line(app))
        assert text.startswith(" r Refresh ")
        assert "Export" not in text and " x " not in text  # not " x Exp"
        assert text.rstrip().endswith("▏^p palette") and len(text) == 28


async def test_a_click_on_a_key_runs_it_and_a_disabled_key_rings_the_bell():
    app = KeysApp()
    async with app.run_test(size=(80, 5)) as pilot:
        await pilot.pause()
        await pilot.click(Footer, offset=(1, 0))  # " r "
        await pilot.click(Footer, offset=(14, 0))  # "Export "
        await pilot.pause()
        assert app.done == ["reload", "export"]
        app.blocked = True
        app.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        line = footer_line(app)
        export = [style for char, style in line[11:19]]
        assert all("dim" in style for style in export)
        await pilot.click(Footer, offset=(14, 0))
        await pilot.pause()
        assert app.done == ["reload", "export"] and app.bells == 1
        await pilot.click(Footer, offset=(40, 0))  # the blank between the keys and the palette
        assert app.bells == 1


async def test_hovering_a_key_highlights_it_and_shows_its_tooltip():
    app = KeysApp()
    async with app.run_test(size=(80, 5)) as pilot:
        await pilot.pause()
        footer = app.query_one(Footer)
        plain = footer_line(app)
        await pilot.hover(Footer, offset=(3, 0))
        await pilot.pause()
        assert footer.tooltip == "Reload the orders"
        hovered = footer_line(app)
        assert hovered[:11] != plain[:11] and hovered[11:] == plain[11:]
        await pilot.hover(Footer, offset=(40, 0))
        await pilot.pause()
        assert footer.tooltip is None and footer_line(app) == plain


async def test_the_line_is_repainted_only_when_the_keys_change(monkeypatch):
    app = KeysApp()
    async with app.run_test(size=(80, 5)) as pilot:
        await pilot.pause()
        footer = app.query_one(Footer)
        repaints = []
        original = Footer.refresh
        monkeypatch.setattr(Footer, "refresh", lambda self, *a, **k: (repaints.append(1), original(self, *a, **k))[1])
        app.refresh_bindings()  # the same keys: nothing to repaint
        await pilot.pause()
        await pilot.pause()
        assert repaints == []
        app.blocked = True  # Export is now disabled
        app.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert repaints and not footer.items[1].enabled
