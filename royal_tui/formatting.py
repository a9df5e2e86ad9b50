"""Pure text formatting shared by the UI (no Textual import).

Everything here takes "now" as an argument so screens and tests agree on one
clock: expiry dates from the API carry no zone and are treated as UTC.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal

#: An order expiring within this window is highlighted as "soon".
SOON = timedelta(days=3)


def money(amount: Decimal | int | float | None, currency: str = "$") -> str:
    """``Decimal("884.05")`` → ``"$884.05"``; negative amounts keep their sign first."""
    if amount is None:
        return "—"
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    return f"{sign}{currency}{abs(value):,.2f}"


def utc_date(moment: datetime | None) -> str:
    """An absolute UTC timestamp to the minute: ``2026-12-05 10:25 UTC``."""
    if moment is None:
        return "—"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def relative(moment: datetime | None, now: datetime) -> str:
    """A short human distance: ``in 3d``, ``in 5h``, ``2d ago``, ``now``."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    seconds = (moment - now).total_seconds()
    future = seconds >= 0
    seconds = abs(seconds)
    if seconds < 60:
        return "now"
    for size, unit in ((86400 * 365, "y"), (86400, "d"), (3600, "h"), (60, "m")):
        if seconds >= size:
            count = int(seconds // size)
            return f"in {count}{unit}" if future else f"{count}{unit} ago"
    return "now"  # pragma: no cover - unreachable, the loop ends at one minute


def expires_soon(moment: datetime | None, now: datetime, window: timedelta = SOON) -> bool:
    """True when ``moment`` lies between now and now + window."""
    if moment is None:
        return False
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return now <= moment <= now + window


def page_summary(page: int, last_page: int, total: int) -> str:
    """``page 2 of 4 · 61 orders``."""
    noun = "order" if total == 1 else "orders"
    return f"page {page} of {max(last_page, 1)} · {total:,} {noun}"


def one_line(text: str | None, limit: int = 80) -> str:
    """Collapse whitespace and control characters so a cell stays one line."""
    if not text:
        return ""
    if text.isprintable():  # the common case: nothing to replace, character by character
        cleaned = text
    else:
        cleaned = "".join(ch if ch.isprintable() else " " for ch in text)
    cleaned = " ".join(cleaned.split())
    if len(cleaned) > limit:
        cleaned = cleaned[: limit - 1] + "…"
    return cleaned
