"""``OrderBook``: the tracker's records, indexed by ``orderLinkId`` and ``orderId``, with
closed ones aging out (more than ``max_closed`` kept, or older than ``closed_ttl``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from .state import TERMINAL_STATUSES, OrderRecord

__all__ = ["OrderBook"]


class OrderBook:
    """Records by link id and order id; one record may be known by both."""

    def __init__(self, max_closed: int, closed_ttl: float, clock: Callable[[], float]) -> None:
        self.max_closed = max_closed
        self.closed_ttl = closed_ttl
        self._clock = clock
        self._by_link: dict[str, OrderRecord] = {}
        self._by_id: dict[str, OrderRecord] = {}
        self._closed_at: dict[int, tuple[OrderRecord, float]] = {}

    def records(self) -> Iterator[OrderRecord]:
        """Every record, once."""
        seen: set[int] = set()
        for record in (*self._by_link.values(), *self._by_id.values()):
            if id(record) not in seen:
                seen.add(id(record))
                yield record

    def find(self, order_link_id: str, order_id: str) -> OrderRecord | None:
        """The record by ``order_id`` first, else by ``order_link_id``."""
        if order_id and order_id in self._by_id:
            return self._by_id[order_id]
        return self._by_link.get(order_link_id) if order_link_id else None

    def record_for(self, message: Mapping[str, Any]) -> OrderRecord | None:
        """The record a push, reply or REST row names (a new one if none; ``index`` keeps it);
        ``None`` if it names no id."""
        link, oid = message.get("orderLinkId"), message.get("orderId")
        link = link if isinstance(link, str) else ""
        oid = oid if isinstance(oid, str) else ""
        if not link and not oid:
            return None
        by_link = self._by_link.get(link) if link else None
        by_id = self._by_id.get(oid) if oid else None
        if by_link is not None and by_id is not None and by_link is not by_id:
            _merge(by_link, by_id)  # known by its id before its link id was (or the reverse)
            self._by_id[oid] = by_link
            self._closed_at.pop(id(by_id), None)
        record = by_link or by_id
        if record is None:
            record = OrderRecord()
        record.ids(message)
        return record

    def index(self, record: OrderRecord) -> None:
        """Keep ``record`` under its ids; start (or stop) its closed clock; age out."""
        if record.order_link_id:
            self._by_link[record.order_link_id] = record
        if record.order_id:
            self._by_id[record.order_id] = record
        if record.closed and id(record) not in self._closed_at:
            self._closed_at[id(record)] = (record, self._clock())
        elif not record.closed:
            self._closed_at.pop(id(record), None)
        self._age_out()

    def _age_out(self) -> None:
        horizon = self._clock() - self.closed_ttl
        while self._closed_at:
            key, (record, closed) = next(iter(self._closed_at.items()))
            if len(self._closed_at) <= self.max_closed and closed > horizon:
                break
            del self._closed_at[key]
            if self._by_link.get(record.order_link_id) is record:
                del self._by_link[record.order_link_id]
            if self._by_id.get(record.order_id) is record:
                del self._by_id[record.order_id]


def _merge(into: OrderRecord, other: OrderRecord) -> None:
    into.ids({"orderId": other.order_id, "category": other.category, "symbol": other.symbol})
    into.acked = into.acked or other.acked
    into.fills.update(other.fills)
    into.seen.update(other.seen)
    if other.status is not None and into.status not in TERMINAL_STATUSES:
        into.status = other.status
    into.cum_qty, into.cum_fee = max(into.cum_qty, other.cum_qty), max(into.cum_fee, other.cum_fee)
    into.cum_value = max(into.cum_value, other.cum_value)
    into.avg_price = into.avg_price or other.avg_price
    fresher = other.updated_ms > into.updated_ms
    into.terms = {**into.terms, **other.terms} if fresher else {**other.terms, **into.terms}
    into.unsettled = into.unsettled or other.unsettled
    into.error = into.error or other.error
    into.updated_ms = max(into.updated_ms, other.updated_ms)
    if into.status is not None or into.fills:
        into.unknown = into.failed = False
