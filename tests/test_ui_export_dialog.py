"""The export dialog (royal_tui.ui.dialogs.export), driven by the keyboard through Pilot."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import Input, RadioSet, Static

from royal_tui.api.models import Order
from royal_tui.ui.dialogs import ExportDialog

SECRET = "Sup3rSecretPw"
SNAP_HOME = Path("/tmp/royal-tui-snap/home")


def make_order(proxies=None, ports=None) -> Order:
    if proxies is None:
        proxies = [
            {"ip": "192.0.2.10", "username": "alice", "password": SECRET},
            {"ip": "192.0.2.11", "username": "bob", "password": "hunter2"},
        ]
    return Order.from_json(
        {
            "id": 420,
            "note": None,
            "product_name": "Static Residential",
            "plan_name": "30 Days",
            "expire_date": "2026-12-20 10:25:12",
            "status": "confirmed",
            "location": "United States",
            "quantity": len(proxies),
            "questions_answers": [],
            "proxy_data": {
                "ports": ports or {"socks5": 12324, "http|https": 12323},
                "proxies": proxies,
            },
            "auto_extend_settings": None,
            "extended_history": [],
        }
    )


class DialogApp(App[None]):
    """Pushes the dialog at start and records what it dismissed with."""

    def __init__(self, order: Order, default_format: str = "ip_port_user_pass") -> None:
        super().__init__()
        self.animation_level = "none"
        self.order = order
        self.default_format = default_format
        self.results: list[Path | None] = []

    def on_mount(self) -> None:
        self.push_screen(ExportDialog(self.order, self.default_format), self.results.append)


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """A fake home with a Downloads folder, so default paths land under tmp_path."""
    home = tmp_path / "home"
    (home / "Downloads").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    return home


def dialog(app: App) -> ExportDialog:
    screen = app.screen
    assert isinstance(screen, ExportDialog)
    return screen


def path_input(app: App) -> Input:
    return dialog(app).query_one("#export-path", Input)


def message(app: App) -> str:
    return str(dialog(app).query_one("#export-message", Static).content)


async def set_path(pilot, path: Path | str) -> None:
    field = path_input(pilot.app)
    field.focus()
    field.value = str(path)
    field.cursor_position = len(field.value)
    await pilot.pause()


@pytest.mark.anyio
async def test_choose_format_by_keyboard_and_export(home):
    app = DialogApp(make_order())
    async with app.run_test(size=(80, 24)) as pilot:
        assert dialog(app).query_one("#export-formats", RadioSet).has_focus
        await pilot.press("down", "down")  # ip:port… → user:pass@… → http://
        assert dialog(app).format == "http_url"
        await pilot.press("tab")
        assert path_input(app).has_focus
        await pilot.press("enter")
        await pilot.pause()
    target = home / "Downloads" / "royal-tui-order-420-http_url.txt"
    assert app.results == [target]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text() == (
        f"http://alice:{SECRET}@192.0.2.10:12323\nhttp://bob:hunter2@192.0.2.11:12323\n"
    )


@pytest.mark.anyio
async def test_default_path_follows_the_format_until_edited(home):
    app = DialogApp(make_order(), default_format="csv")
    async with app.run_test(size=(80, 24)) as pilot:
        assert path_input(app).value == "~/Downloads/royal-tui-order-420-csv.csv"
        assert dialog(app).query_one("#export-formats", RadioSet).pressed_index == 4
        await pilot.press("down")
        assert dialog(app).format == "json"
        assert path_input(app).value == "~/Downloads/royal-tui-order-420-json.json"
        await pilot.press("up", "up")
        assert path_input(app).value == "~/Downloads/royal-tui-order-420-socks5_url.txt"
        # once the user edits the path, a format change leaves it alone
        await pilot.press("tab", "end", "backspace", "backspace", "backspace", *"lst")
        assert path_input(app).value == "~/Downloads/royal-tui-order-420-socks5_url.lst"
        await pilot.press("shift+tab", "down")
        assert dialog(app).format == "csv"
        assert path_input(app).value == "~/Downloads/royal-tui-order-420-socks5_url.lst"
        await pilot.press("ctrl+s")
        await pilot.pause()
    written = home / "Downloads" / "royal-tui-order-420-socks5_url.lst"
    assert app.results == [written]
    assert written.read_text().startswith("ip,http_port,socks5_port,username,password\n")


@pytest.mark.anyio
async def test_json_export_round_trips(home, tmp_path):
    target = tmp_path / "proxies.json"
    app = DialogApp(make_order(), default_format="json")
    async with app.run_test(size=(120, 36)) as pilot:
        await set_path(pilot, target)
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [target]
    assert json.loads(target.read_text())["proxies"][0]["password"] == SECRET


@pytest.mark.anyio
async def test_existing_file_asks_and_escape_keeps_it(home, tmp_path):
    target = tmp_path / "proxies.txt"
    target.write_text("precious\n")
    app = DialogApp(make_order())
    async with app.run_test(size=(80, 24)) as pilot:
        await set_path(pilot, target)
        await pilot.press("enter")
        assert "proxies.txt already exists — overwrite it?" in message(app)
        assert dialog(app).has_class("-confirming")
        await pilot.press("escape")  # first escape: "no, keep it", the dialog stays
        assert isinstance(app.screen, ExportDialog)
        assert not dialog(app).has_class("-confirming")
        assert "Kept the existing file" in message(app)
        assert path_input(app).has_focus
        assert target.read_text() == "precious\n"
        await pilot.press("escape")  # second escape: cancel the dialog
        await pilot.pause()
    assert app.results == [None]
    assert target.read_text() == "precious\n"


@pytest.mark.anyio
async def test_existing_file_cancel_button_keeps_it(home, tmp_path):
    target = tmp_path / "proxies.txt"
    target.write_text("precious\n")
    app = DialogApp(make_order())
    async with app.run_test(size=(80, 24)) as pilot:
        await set_path(pilot, target)
        await pilot.press("enter")
        await pilot.click("#export-keep")
        assert not dialog(app).has_class("-confirming")
        await pilot.click("#export-cancel")
        await pilot.pause()
    assert app.results == [None]
    assert target.read_text() == "precious\n"


@pytest.mark.anyio
async def test_existing_file_overwrite_replaces_it(home, tmp_path):
    target = tmp_path / "proxies.txt"
    target.write_text("old\n")
    target.chmod(0o644)
    app = DialogApp(make_order())
    async with app.run_test(size=(80, 24)) as pilot:
        await set_path(pilot, target)
        await pilot.press("enter")
        assert dialog(app).has_class("-confirming")
        await pilot.press("y")
        await pilot.pause()
    assert app.results == [target]
    assert target.read_text() == f"192.0.2.10:12323:alice:{SECRET}\n192.0.2.11:12323:bob:hunter2\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


@pytest.mark.anyio
async def test_overwrite_button(home, tmp_path):
    target = tmp_path / "proxies.txt"
    target.write_text("old\n")
    app = DialogApp(make_order())
    async with app.run_test(size=(120, 36)) as pilot:
        await set_path(pilot, target)
        await pilot.click("#export-save")
        await pilot.click("#export-overwrite")
        await pilot.pause()
    assert app.results == [target]
    assert target.read_text().startswith("192.0.2.10:12323:alice:")


@pytest.mark.anyio
async def test_editing_the_path_withdraws_the_question(home, tmp_path):
    target = tmp_path / "proxies.txt"
    target.write_text("old\n")
    app = DialogApp(make_order())
    async with app.run_test(size=(80, 24)) as pilot:
        await set_path(pilot, target)
        await pilot.press("enter")
        assert dialog(app).has_class("-confirming")
        await set_path(pilot, tmp_path / "other.txt")
        assert not dialog(app).has_class("-confirming")
        await pilot.press("y")  # typed into the path, not an answer
        assert target.read_text() == "old\n"
        assert path_input(app).value.endswith("other.txty")


@pytest.mark.anyio
async def test_missing_folder_shows_an_inline_error(home, tmp_path):
    missing = tmp_path / "no-such-dir"
    app = DialogApp(make_order())
    async with app.run_test(size=(80, 24)) as pilot:
        await set_path(pilot, missing / "out.txt")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        assert "does not exist" in message(app) and str(missing) in message(app)
        assert dialog(app).query_one("#export-message").has_class("-error")
        assert "Traceback" not in app.export_screenshot()
        # an empty path too
        await set_path(pilot, "")
        await pilot.press("enter")
        assert message(app) == "Enter a file name to export to."
    assert app.results == []
    assert not missing.exists()


@pytest.mark.anyio
async def test_order_without_the_port_explains_inline(home):
    app = DialogApp(make_order(ports={"http|https": 12323}), default_format="socks5_url")
    async with app.run_test(size=(80, 24)) as pilot:
        preview = dialog(app).query_one("#export-preview", Static)
        assert "no SOCKS5 port" in str(preview.content)
        await pilot.press("ctrl+s")
        assert "no SOCKS5 port" in message(app)
        assert isinstance(app.screen, ExportDialog)
        await pilot.press("up")  # http:// works
        assert "http://alice:" in str(preview.content)


@pytest.mark.anyio
async def test_preview_masks_the_password(home):
    app = DialogApp(make_order())
    async with app.run_test(size=(80, 24)) as pilot:
        preview = dialog(app).query_one("#export-preview", Static)
        assert str(preview.content) == "192.0.2.10:12323:alice:••••••"
        for _ in range(5):
            await pilot.press("down")
            assert SECRET not in str(preview.content)
            assert SECRET not in app.export_screenshot()
        assert dialog(app).format == "json"
        assert '"password": "••••••"' in str(preview.content)


@pytest.mark.anyio
async def test_api_text_is_shown_literally(home):
    proxies = [{"ip": "192.0.2.10", "username": "[bold]x[/bold]", "password": "p"}]
    app = DialogApp(make_order(proxies=proxies))
    async with app.run_test(size=(80, 24)):
        preview = dialog(app).query_one("#export-preview", Static)
        assert str(preview.content) == "192.0.2.10:12323:[bold]x[/bold]:••••••"
        assert "[bold]x[/bold]" in app.export_screenshot()


# --- snapshots ------------------------------------------------------------------------------


@pytest.fixture
def snap_home(monkeypatch) -> Path:
    (SNAP_HOME / "Downloads").mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("HOME", str(SNAP_HOME))
    return SNAP_HOME


def test_export_dialog_80x24(snap_compare, snap_home):
    assert snap_compare(DialogApp(make_order()), terminal_size=(80, 24))


def test_export_dialog_asking_120x36(snap_compare, snap_home, tmp_path):
    existing = SNAP_HOME / "Downloads" / "royal-tui-order-420-http_url.txt"
    existing.write_text("old\n")

    async def ask(pilot) -> None:
        await pilot.press("down", "down", "tab", "enter")
        await pilot.pause()

    try:
        assert snap_compare(
            DialogApp(make_order()), terminal_size=(120, 36), run_before=ask
        )
    finally:
        existing.unlink(missing_ok=True)
