"""Proxy export formats and safe file writing (no Textual import).

``render(order, fmt)`` turns an order's proxies into text in one of :data:`FORMATS`;
``write_export(path, text)`` writes it to a new file readable by the owner only (0600).

Rules shared by the formats:

- The port for ``ip:port`` forms and ``http://`` URLs is the order's ``http|https`` port
  (``order.ports.http``); ``socks5://`` URLs use ``order.ports.socks5``.
- IPv6 addresses are written in brackets (``[2001:db8::1]:12323``) in *every* line format,
  including ``ip:port:user:pass``: without brackets a tool splitting on ``:`` could not tell the
  address from the port. Addresses that already carry brackets are left alone.
- In ``user:pass@ip:port`` and the URL forms, username and password are percent-encoded
  (``p@ss:w/rd`` → ``p%40ss%3Aw%2Frd``) so any URL parser reads them back exactly. In
  ``ip:port:user:pass`` they are written literally (that is what tools expecting the format want);
  a credential with a line break is refused there, as it would split a proxy over two lines.
- CSV cells that start with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return get a leading
  ``'`` so a spreadsheet does not run them as formulas; the JSON form is always exact.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    from royal_tui.api.models import Order, Proxy

__all__ = [
    "FORMATS",
    "ExportError",
    "ExportFormat",
    "MASK",
    "count_label",
    "default_export_path",
    "preview_line",
    "render",
    "write_export",
]


class ExportError(Exception):
    """An export that cannot be done; ``str(error)`` is a plain sentence for the user."""


@dataclass(frozen=True, slots=True)
class ExportFormat:
    key: str  # stable id, used in config.toml and file names
    label: str  # what the user sees
    extension: str  # file extension without the dot
    port: str | None  # "http" / "socks5" when every line needs that port, else None


FORMATS: Mapping[str, ExportFormat] = MappingProxyType(
    {
        f.key: f
        for f in (
            ExportFormat("ip_port_user_pass", "ip:port:user:pass", "txt", "http"),
            ExportFormat("user_pass_at_ip_port", "user:pass@ip:port", "txt", "http"),
            ExportFormat("http_url", "http://user:pass@ip:port", "txt", "http"),
            ExportFormat("socks5_url", "socks5://user:pass@ip:port", "txt", "socks5"),
            ExportFormat("csv", "CSV with a header", "csv", None),
            ExportFormat("json", "JSON", "json", None),
        )
    }
)

#: What stands for a password in previews.
MASK = "••••••"
_SENTINEL = "ROYALTUIMASKEDPASSWORD"  # survives quoting, CSV and JSON unchanged

CSV_HEADER = ("ip", "http_port", "socks5_port", "username", "password")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _format(fmt: str) -> ExportFormat:
    try:
        return FORMATS[fmt]
    except KeyError:
        known = ", ".join(FORMATS)
        raise ExportError(f"Unknown export format {fmt!r}; choose one of {known}.") from None


def _host(ip: str) -> str:
    """An address ready to be followed by ``:port``: IPv6 gets brackets."""
    ip = ip.strip()
    if ":" in ip and not ip.startswith("["):
        return f"[{ip}]"
    return ip


def _enc(value: str) -> str:
    return quote(value, safe="")


def _url(scheme: str, proxy: Proxy, port: int | None) -> str | None:
    if port is None:
        return None
    return f"{scheme}://{_enc(proxy.username)}:{_enc(proxy.password)}@{_host(proxy.ip)}:{port}"


def _literal(proxy: Proxy, port: int) -> str:
    for name, value in (("username", proxy.username), ("password", proxy.password)):
        if "\n" in value or "\r" in value:
            raise ExportError(
                f"The {name} of proxy {proxy.ip} contains a line break, which "
                "ip:port:user:pass cannot hold; export it as a URL, CSV or JSON instead."
            )
    return f"{_host(proxy.ip)}:{port}:{proxy.username}:{proxy.password}"


def _line(fmt: str, proxy: Proxy, port: int) -> str:
    if fmt == "ip_port_user_pass":
        return _literal(proxy, port)
    if fmt == "user_pass_at_ip_port":
        return f"{_enc(proxy.username)}:{_enc(proxy.password)}@{_host(proxy.ip)}:{port}"
    scheme = "socks5" if fmt == "socks5_url" else "http"
    return _url(scheme, proxy, port) or ""


def _guard(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _csv(order: Order) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    http, socks5 = order.ports.http, order.ports.socks5
    for proxy in order.proxies:
        row = (proxy.ip, http, socks5, proxy.username, proxy.password)
        writer.writerow(_guard(value) for value in row)
    return out.getvalue()


def _json(order: Order) -> str:
    ports = order.ports
    document = {
        "order_id": order.id,
        "ports": {"http": ports.http, "socks5": ports.socks5},
        "proxies": [
            {
                "ip": proxy.ip,
                "username": proxy.username,
                "password": proxy.password,
                "http_url": _url("http", proxy, ports.http),
                "socks5_url": _url("socks5", proxy, ports.socks5),
            }
            for proxy in order.proxies
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render(order: Order, fmt: str) -> str:
    """The order's proxies as text in format ``fmt`` (a key of :data:`FORMATS`).

    Line formats give one proxy per line with a trailing newline. Raises :class:`ExportError`
    when the order has no proxies yet, when a line format needs a port the order lacks, or for
    an unknown format. CSV and JSON write a missing port as an empty cell / ``null``.
    """
    spec = _format(fmt)
    if not order.proxies:
        raise ExportError(
            f"Order {order.id} has no proxies yet (status: {order.status}); "
            "they appear once the order is confirmed and provisioned."
        )
    if spec.key == "csv":
        return _csv(order)
    if spec.key == "json":
        return _json(order)
    port = order.ports.socks5 if spec.port == "socks5" else order.ports.http
    if port is None:
        kind = "SOCKS5" if spec.port == "socks5" else "HTTP"
        raise ExportError(
            f"Order {order.id} has no {kind} port, so it cannot be exported as {spec.label}; "
            "choose another format."
        )
    return "".join(_line(spec.key, proxy, port) + "\n" for proxy in order.proxies)


def preview_line(order: Order, fmt: str, *, mask: str = MASK) -> str:
    """The first proxy as ``fmt`` would export it, on one line, its password replaced by ``mask``.

    CSV previews the first data row (not the header), JSON the first entry of ``proxies``
    compacted to one line. Raises :class:`ExportError` exactly when :func:`render` would.
    """
    spec = _format(fmt)
    if not order.proxies:
        return render(order, fmt)  # raises the "no proxies yet" ExportError
    first = replace(order.proxies[0], password=_SENTINEL)
    text = render(replace(order, proxies=(first,)), fmt)
    if spec.key == "csv":
        line = text.splitlines()[1]
    elif spec.key == "json":
        line = json.dumps(json.loads(text)["proxies"][0], ensure_ascii=False)
    else:
        line = text.splitlines()[0]
    return line.replace(_SENTINEL, mask)


def count_label(order: Order, fmt: str) -> str:
    """``"5 proxies as http://user:pass@ip:port"`` — for the toast after a copy or export."""
    count = len(order.proxies)
    noun = "proxy" if count == 1 else "proxies"
    return f"{count} {noun} as {_format(fmt).label}"


def default_export_path(order: Order, fmt: str) -> Path:
    """``<Downloads or home>/royal-tui-order-<id>-<fmt>.<ext>``."""
    import platformdirs  # lazy: only needed when the user exports

    spec = _format(fmt)
    try:
        folder = Path(platformdirs.user_downloads_dir())
    except Exception:  # a broken user-dirs setup must not stop an export
        folder = Path.home()
    if not folder.is_dir():
        folder = Path.home()
    return folder / f"royal-tui-order-{order.id}-{spec.key}.{spec.extension}"


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _reason(exc: OSError) -> str:
    return exc.strerror or exc.__class__.__name__


def write_export(path: Path | str, text: str, *, overwrite: bool = False) -> Path:
    """Write ``text`` (UTF-8) to ``path`` as a file only its owner can read (mode 0600).

    ``~`` is expanded. An existing file raises :class:`FileExistsError` unless ``overwrite`` is
    true, in which case it is replaced atomically by a new 0600 file (whatever its old mode).
    Every other failure raises :class:`ExportError` with a plain message. Returns the absolute
    path written.
    """
    if not str(path).strip():
        raise ExportError("Enter a file name to export to.")
    if "\0" in str(path):
        raise ExportError("The file name contains a NUL character.")
    try:
        target = Path(path).expanduser().absolute()
    except RuntimeError:  # "~someone" for a user that does not exist
        raise ExportError(f"Cannot find the home folder in {path}.") from None
    if target.is_dir():
        raise ExportError(f"{target} is a folder; add a file name to the path.")
    folder = target.parent
    if not folder.exists():
        raise ExportError(f"The folder {folder} does not exist; create it or choose another.")
    if not folder.is_dir():
        raise ExportError(f"{folder} is not a folder.")
    data = text.encode("utf-8")
    try:
        if overwrite:
            _replace(target, data)
        else:
            _create(target, data)
    except FileExistsError:
        raise
    except OSError as exc:
        raise ExportError(f"Could not write {target}: {_reason(exc)}.") from None
    return target


def _create(target: Path, data: bytes) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(target, flags, 0o600)  # FileExistsError when it exists, symlinks included
    try:
        os.fchmod(fd, 0o600)  # exactly 0600, whatever the umask
        _write_all(fd, data)
    except BaseException:
        os.close(fd)
        target.unlink(missing_ok=True)
        raise
    os.close(fd)


def _replace(target: Path, data: bytes) -> None:
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        try:
            os.fchmod(fd, 0o600)  # mkstemp already uses 0600; be explicit
            _write_all(fd, data)
        finally:
            os.close(fd)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
