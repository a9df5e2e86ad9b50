"""What the orders list is filtered by (no Textual import): parsing and a one-line summary."""

from __future__ import annotations

from dataclasses import dataclass, replace

from royal_tui.formatting import one_line

#: More ids than this in one filter is almost certainly a paste gone wrong.
MAX_ORDER_IDS = 100


class FilterError(ValueError):
    """User input that cannot be a filter; the message is shown inline as it is."""


def parse_order_ids(text: str) -> tuple[int, ...]:
    """``"12345, 12346,"`` → ``(12345, 12346)``; empty → ``()``; anything else → FilterError."""
    ids: list[int] = []
    for raw in text.replace(" ", ",").split(","):
        part = raw.strip()
        if not part:
            continue
        if not part.isascii() or not part.isdigit():
            shown = one_line(part, 12)
            raise FilterError(f"“{shown}” is not an order id — use numbers separated by commas")
        value = int(part)
        if value < 1 or len(part) > 12:
            raise FilterError(f"{one_line(part, 12)} is not a valid order id")
        if value not in ids:
            ids.append(value)
    if len(ids) > MAX_ORDER_IDS:
        raise FilterError(f"at most {MAX_ORDER_IDS} order ids at a time")
    return tuple(ids)


@dataclass(frozen=True)
class OrderFilters:
    """The filters of the orders list; they combine (AND)."""

    status: str | None = None
    location_id: int | None = None
    location_name: str = ""
    note: str = ""
    order_ids: tuple[int, ...] = ()

    @property
    def active(self) -> bool:
        return bool(self.status or self.location_id is not None or self.note.strip() or self.order_ids)

    def with_(self, **changes: object) -> OrderFilters:
        return replace(self, **changes)

    def query(self) -> dict[str, object]:
        """Keyword arguments for ``ResellerClient.orders``."""
        return {
            "status": self.status,
            "location_id": self.location_id,
            "note_search": self.note.strip() or None,
            "order_ids": list(self.order_ids) or None,
        }

    def describe(self) -> str:
        """``status confirmed · location Canada · note “pool” · ids 1,2`` (empty when none)."""
        parts = []
        if self.status:
            parts.append(f"status {self.status}")
        if self.location_id is not None:
            parts.append(f"location {one_line(self.location_name, 30) or self.location_id}")
        if self.note.strip():
            parts.append(f"note “{one_line(self.note.strip(), 24)}”")
        if self.order_ids:
            shown = ",".join(str(i) for i in self.order_ids[:4])
            more = f" +{len(self.order_ids) - 4}" if len(self.order_ids) > 4 else ""
            parts.append(f"ids {shown}{more}")
        return " · ".join(parts)
