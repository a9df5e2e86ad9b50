"""Proxy export formats and the 0600 file writer (royal_tui.export)."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from royal_tui.api.models import Order
from royal_tui.export import (
    FORMATS,
    ExportError,
    count_label,
    default_export_path,
    preview_line,
    render,
    write_export,
)


def make_order(
    proxies=(("192.0.2.10", "alice", "s3cret"), ("192.0.2.11", "bob", "hunter2")),
    ports=None,
    order_id=420,
    status="confirmed",
) -> Order:
    if ports is None:
        ports = {"socks5": 12324, "http|https": 12323}
    return Order.from_json(
        {
            "id": order_id,
            "note": None,
            "product_name": "Static Residential",
            "plan_name": "30 Days",
            "expire_date": "2026-12-20 10:25:12",
            "status": status,
            "location": "United States",
            "quantity": len(proxies),
            "questions_answers": [],
            "proxy_data": {
                "ports": ports,
                "proxies": [{"ip": ip, "username": u, "password": pw} for ip, u, pw in proxies],
            },
            "auto_extend_settings": None,
            "extended_history": [],
        }
    )


IPV4 = make_order()
IPV6 = make_order(proxies=(("2001:db8::1", "carol", "pw6"),))


def test_formats_are_the_six_of_the_spec_in_order():
    assert list(FORMATS) == [
        "ip_port_user_pass",
        "user_pass_at_ip_port",
        "http_url",
        "socks5_url",
        "csv",
        "json",
    ]
    assert [f.label for f in FORMATS.values()][:4] == [
        "ip:port:user:pass",
        "user:pass@ip:port",
        "http://user:pass@ip:port",
        "socks5://user:pass@ip:port",
    ]
    assert [f.extension for f in FORMATS.values()] == ["txt"] * 4 + ["csv", "json"]
    assert all(key == f.key for key, f in FORMATS.items())


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("ip_port_user_pass", "192.0.2.10:12323:alice:s3cret\n192.0.2.11:12323:bob:hunter2\n"),
        ("user_pass_at_ip_port", "alice:s3cret@192.0.2.10:12323\nbob:hunter2@192.0.2.11:12323\n"),
        (
            "http_url",
            "http://alice:s3cret@192.0.2.10:12323\nhttp://bob:hunter2@192.0.2.11:12323\n",
        ),
        (
            "socks5_url",
            "socks5://alice:s3cret@192.0.2.10:12324\nsocks5://bob:hunter2@192.0.2.11:12324\n",
        ),
    ],
)
def test_line_formats_ipv4(fmt, expected):
    assert render(IPV4, fmt) == expected


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("ip_port_user_pass", "[2001:db8::1]:12323:carol:pw6\n"),
        ("user_pass_at_ip_port", "carol:pw6@[2001:db8::1]:12323\n"),
        ("http_url", "http://carol:pw6@[2001:db8::1]:12323\n"),
        ("socks5_url", "socks5://carol:pw6@[2001:db8::1]:12324\n"),
    ],
)
def test_line_formats_ipv6_are_bracketed(fmt, expected):
    assert render(IPV6, fmt) == expected


def test_ipv6_urls_parse_back():
    url = urlsplit(render(IPV6, "http_url").strip())
    assert (url.hostname, url.port, url.username, url.password) == (
        "2001:db8::1",
        12323,
        "carol",
        "pw6",
    )


def test_csv_ipv4_and_ipv6():
    rows = list(csv.reader(io.StringIO(render(IPV4, "csv"))))
    assert rows == [
        ["ip", "http_port", "socks5_port", "username", "password"],
        ["192.0.2.10", "12323", "12324", "alice", "s3cret"],
        ["192.0.2.11", "12323", "12324", "bob", "hunter2"],
    ]
    rows6 = list(csv.reader(io.StringIO(render(IPV6, "csv"))))
    assert rows6[1] == ["2001:db8::1", "12323", "12324", "carol", "pw6"]


def test_json_ipv4_and_ipv6_round_trip():
    doc = json.loads(render(IPV4, "json"))
    assert doc["order_id"] == 420
    assert doc["ports"] == {"http": 12323, "socks5": 12324}
    assert doc["proxies"][0] == {
        "ip": "192.0.2.10",
        "username": "alice",
        "password": "s3cret",
        "http_url": "http://alice:s3cret@192.0.2.10:12323",
        "socks5_url": "socks5://alice:s3cret@192.0.2.10:12324",
    }
    doc6 = json.loads(render(IPV6, "json"))
    assert doc6["proxies"][0]["ip"] == "2001:db8::1"
    assert doc6["proxies"][0]["socks5_url"] == "socks5://carol:pw6@[2001:db8::1]:12324"
    assert render(IPV4, "json").startswith('{\n  "order_id": 420')


def test_credentials_are_percent_encoded_in_url_forms():
    order = make_order(proxies=(("192.0.2.1", "us@er:1", "p@ss:w/rd%"),))
    assert render(order, "http_url") == "http://us%40er%3A1:p%40ss%3Aw%2Frd%25@192.0.2.1:12323\n"
    assert render(order, "socks5_url").startswith("socks5://us%40er%3A1:p%40ss%3Aw%2Frd%25@")
    assert render(order, "user_pass_at_ip_port") == (
        "us%40er%3A1:p%40ss%3Aw%2Frd%25@192.0.2.1:12323\n"
    )
    url = urlsplit(render(order, "http_url").strip())
    assert (unquote(url.username), unquote(url.password)) == ("us@er:1", "p@ss:w/rd%")
    # ip:port:user:pass is literal; JSON keeps the raw values too
    assert render(order, "ip_port_user_pass") == "192.0.2.1:12323:us@er:1:p@ss:w/rd%\n"
    assert json.loads(render(order, "json"))["proxies"][0]["password"] == "p@ss:w/rd%"


def test_braces_in_credentials_are_literal():
    order = make_order(proxies=(("192.0.2.1", "{user}", "{port}"),))
    assert render(order, "ip_port_user_pass") == "192.0.2.1:12323:{user}:{port}\n"


def test_line_break_in_literal_format_is_refused():
    order = make_order(proxies=(("192.0.2.1", "u", "pa\nss"),))
    with pytest.raises(ExportError, match="line break"):
        render(order, "ip_port_user_pass")
    assert render(order, "http_url") == "http://u:pa%0Ass@192.0.2.1:12323\n"


def test_csv_guards_against_formula_injection():
    order = make_order(
        proxies=(
            ("192.0.2.1", "=cmd|' /C calc'!A0", "+1"),
            ("192.0.2.2", "-2", "@SUM(A1)"),
            ("192.0.2.3", "plain", "a=b"),
        )
    )
    text = render(order, "csv")
    assert text.splitlines()[0] == "ip,http_port,socks5_port,username,password"
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][3:] == ["'=cmd|' /C calc'!A0", "'+1"]
    assert rows[2][3:] == ["'-2", "'@SUM(A1)"]
    assert rows[3][3:] == ["plain", "a=b"]


def test_no_proxies_is_an_export_error():
    order = make_order(proxies=(), order_id=123, status="in-progress")
    for fmt in FORMATS:
        with pytest.raises(ExportError, match="Order 123 has no proxies yet"):
            render(order, fmt)


def test_missing_port():
    order = make_order(ports={"socks5": None, "http|https": 12323})
    with pytest.raises(ExportError, match="no SOCKS5 port"):
        render(order, "socks5_url")
    assert render(order, "http_url").startswith("http://alice:s3cret@")
    no_http = make_order(ports={"socks5": 12324})
    for fmt in ("ip_port_user_pass", "user_pass_at_ip_port", "http_url"):
        with pytest.raises(ExportError, match="no HTTP port"):
            render(no_http, fmt)
    rows = list(csv.reader(io.StringIO(render(no_http, "csv"))))
    assert rows[1] == ["192.0.2.10", "", "12324", "alice", "s3cret"]
    doc = json.loads(render(no_http, "json"))
    assert doc["ports"] == {"http": None, "socks5": 12324}
    assert doc["proxies"][0]["http_url"] is None


def test_unknown_format():
    with pytest.raises(ExportError, match="Unknown export format"):
        render(IPV4, "yaml")


def test_count_label():
    assert count_label(IPV4, "http_url") == "2 proxies as http://user:pass@ip:port"
    assert count_label(IPV6, "json") == "1 proxy as JSON"


def test_default_export_path_prefers_downloads(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_export_path(IPV4, "csv") == tmp_path / "royal-tui-order-420-csv.csv"
    (tmp_path / "Downloads").mkdir()
    assert default_export_path(IPV4, "http_url") == (
        tmp_path / "Downloads" / "royal-tui-order-420-http_url.txt"
    )


# --- writing --------------------------------------------------------------------------------


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_write_creates_a_0600_file(tmp_path):
    target = tmp_path / "out.txt"
    old = os.umask(0o022)
    try:
        assert write_export(target, "héllo\n") == target
    finally:
        os.umask(old)
    assert target.read_text(encoding="utf-8") == "héllo\n"
    assert mode(target) == 0o600


def test_existing_file_is_refused(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("keep me")
    with pytest.raises(FileExistsError):
        write_export(target, "new")
    assert target.read_text() == "keep me"


def test_overwrite_replaces_and_keeps_0600(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "out.txt"
    target.write_text("old")
    target.chmod(0o644)
    assert write_export(target, "new\n", overwrite=True) == target
    assert target.read_text() == "new\n"
    assert mode(target) == 0o600
    assert [p.name for p in folder.iterdir()] == ["out.txt"]  # no temp file left


def test_overwrite_of_a_missing_file_creates_it(tmp_path):
    target = tmp_path / "fresh.json"
    write_export(target, "{}", overwrite=True)
    assert target.read_text() == "{}" and mode(target) == 0o600


def test_missing_folder_is_named(tmp_path):
    missing = tmp_path / "nope"
    with pytest.raises(ExportError, match="does not exist") as info:
        write_export(missing / "out.txt", "x")
    assert str(missing) in str(info.value)


def test_directory_and_empty_path_are_refused(tmp_path):
    with pytest.raises(ExportError, match="is a folder"):
        write_export(tmp_path, "x")
    with pytest.raises(ExportError, match="file name"):
        write_export("  ", "x")


def test_tilde_is_expanded(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    written = write_export("~/proxies.txt", "x\n")
    assert written == tmp_path / "proxies.txt"
    assert mode(written) == 0o600


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores permissions")
def test_os_error_becomes_a_plain_message(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(ExportError, match="Permission denied"):
            write_export(locked / "out.txt", "x")
    finally:
        locked.chmod(0o700)


def test_os_error_without_permissions(tmp_path, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(ExportError) as info:
        write_export(tmp_path / "out.txt", "x")
    assert str(info.value) == f"Could not write {tmp_path / 'out.txt'}: Permission denied."
    assert "Traceback" not in str(info.value)


def test_core_modules_do_not_import_textual():
    code = (
        "import sys, royal_tui.export, royal_tui.config, royal_tui.paths\n"
        "royal_tui.config.load_config()\n"
        "bad = [m for m in ('textual', 'rich') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("ip_port_user_pass", "192.0.2.10:12323:alice:••••••"),
        ("user_pass_at_ip_port", "alice:••••••@192.0.2.10:12323"),
        ("http_url", "http://alice:••••••@192.0.2.10:12323"),
        ("socks5_url", "socks5://alice:••••••@192.0.2.10:12324"),
        ("csv", "192.0.2.10,12323,12324,alice,••••••"),
    ],
)
def test_preview_masks_the_password(fmt, expected):
    assert preview_line(IPV4, fmt) == expected


def test_preview_json_is_one_masked_line():
    line = preview_line(IPV4, "json")
    assert "\n" not in line and "s3cret" not in line
    assert json.loads(line)["password"] == "••••••"
    assert json.loads(line)["http_url"] == "http://alice:••••••@192.0.2.10:12323"


def test_preview_errors_like_render():
    with pytest.raises(ExportError, match="no proxies yet"):
        preview_line(make_order(proxies=()), "csv")
    with pytest.raises(ExportError, match="no SOCKS5 port"):
        preview_line(make_order(ports={"http|https": 1}), "socks5_url")


def test_failed_overwrite_leaves_the_old_file_and_no_temp(tmp_path, monkeypatch):
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "out.txt"
    target.write_text("old")

    def broken_replace(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(ExportError, match="No space left on device"):
        write_export(target, "new", overwrite=True)
    assert target.read_text() == "old"
    assert [p.name for p in folder.iterdir()] == ["out.txt"]
