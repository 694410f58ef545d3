"""``OrderTracker``: one view of each order, fed by trade replies and the private streams.

It is pure bookkeeping: feed it replies (``on_reply``), failed requests (``on_error``) and
``order``/``execution`` pushes (``on_push``), or let ``WebsocketClient.track_orders()`` wire it.
It never sends anything.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Final

from bybit_wsapi_generated import OrderStatusV5

from ..errors import ConfigurationError, RequestError, WSAPIError
from ..retcodes import RetCode
from .changes import OrderChanges
from .errors import OrderUnreachableError, OrderWaitTimeoutError
from .reconcile import DEFAULT_INTERVAL, OrderQueries, reconcile, resync
from .state import ALL_STATUSES, TERMINAL_STATUSES, OrderRecord, OrderView

__all__ = ["ORDER_OPS", "OrderTracker"]

logger = logging.getLogger(__name__)

ORDER_OPS: Final[frozenset[str]] = frozenset({"order.create", "order.amend", "order.cancel"})
DUPLICATE_LINK_CODES: Final[frozenset[int]] = frozenset(
    {RetCode.DUPLICATE_ORDER_LINK_ID, RetCode.SPOT_DUPLICATE_ORDER_LINK_ID}
)
"""A create refused because its ``orderLinkId`` exists: an earlier create of it landed."""


class OrderTracker:
    """Each order's state by ``orderLinkId`` and ``orderId``.

    Closed orders (terminal, or a create that failed) age out once more than ``max_closed`` are
    kept or after ``closed_ttl`` seconds of ``clock``; open and unknown ones stay.
    """

    def __init__(
        self,
        *,
        max_closed: int = 1000,
        closed_ttl: float = 3600.0,
        change_buffer: int = 1000,
        clock: Callable[[], float] = time.monotonic,
        rest: OrderQueries | None = None,
    ) -> None:
        if max_closed < 0 or closed_ttl < 0 or change_buffer < 1:
            raise ConfigurationError(
                "max_closed and closed_ttl must be >= 0 and change_buffer >= 1"
            )
        self.max_closed = max_closed
        self.closed_ttl = closed_ttl
        self.change_buffer = change_buffer
        self._clock = clock
        self.rest = rest
        """The REST queries ``reconcile`` uses (a ``RestClient``)."""
        self._by_link: dict[str, OrderRecord] = {}
        self._by_id: dict[str, OrderRecord] = {}
        self._closed_at: dict[int, tuple[OrderRecord, float]] = {}
        self._waiters: dict[str, set[asyncio.Future[None]]] = {}
        self._consumers: set[OrderChanges] = set()

    # --- reading ---------------------------------------------------------------------------

    def get(self, order_link_id: str = "", *, order_id: str = "") -> OrderView | None:
        """The order's current state, or ``None`` if it is not (or no longer) tracked."""
        record = self._find(order_link_id, order_id)
        return None if record is None else record.view()

    def __len__(self) -> int:
        return len(set(map(id, self._records())))

    def orders(self) -> list[OrderView]:
        """Every tracked order."""
        return [record.view() for record in self._records()]

    def unknown(self) -> list[OrderView]:
        """Orders whose create ended with outcome unknown (or 110072): reconcile each."""
        return [record.view() for record in self._records() if record.phase == "unknown"]

    def _records(self) -> Iterator[OrderRecord]:
        seen: set[int] = set()
        for record in (*self._by_link.values(), *self._by_id.values()):
            if id(record) not in seen:
                seen.add(id(record))
                yield record

    # --- feeding ---------------------------------------------------------------------------

    def on_push(self, message: Mapping[str, Any]) -> None:
        """A private stream message (an ``update`` event): ``order*`` and ``execution*``."""
        topic = message.get("topic")
        data = message.get("data")
        if not isinstance(topic, str) or not isinstance(data, list):
            return
        family = topic.split(".", 1)[0]
        if family not in ("order", "execution"):
            return
        for item in data:
            if isinstance(item, Mapping):
                record = self._record_for(item)
                if record is None:
                    continue
                changed = record.apply_order(item) if family == "order" else record.apply_fill(item)
                self._index(record)
                if changed:
                    self._changed(record)

    def adopt(self, order: Mapping[str, Any]) -> OrderView:
        """Take an order object found over REST (``/v5/order/realtime`` or history)."""
        record = self._record_for(order)
        if record is None:
            raise ConfigurationError("an order to adopt needs its orderId or orderLinkId")
        if record.apply_order(order):
            self._index(record)
            self._changed(record)
        return record.view()

    def adopt_fill(self, execution: Mapping[str, Any]) -> None:
        """Take an execution found over REST (``/v5/execution/list``); known ones are skipped."""
        record = self._record_for(execution)
        if record is not None and record.apply_fill(execution):
            self._index(record)
            self._changed(record)

    def on_reply(self, reply: Mapping[str, Any]) -> None:
        """A successful trade reply (a ``response`` event): the create's ack."""
        if reply.get("op") not in ORDER_OPS or reply.get("retCode") not in (0, None):
            return
        data = reply.get("data")
        if not isinstance(data, Mapping):
            return
        record = self._record_for(data)
        if record is None:
            return
        record.ids(data)
        if reply.get("op") == "order.create" and not record.acked:
            record.acked = True
            record.failed = False
            record.unknown = False  # the ack is proof: the order exists
            self._index(record)
            self._changed(record)

    def on_error(self, error: object) -> None:
        """A failed request (an ``exception`` event); order operations only."""
        if not isinstance(error, RequestError) or error.op not in ORDER_OPS:
            return
        params = error.params or {}
        if not params.get("orderLinkId") and not params.get("orderId"):
            logger.warning(
                "%s failed (%s) and carried no orderLinkId: it cannot be tracked or reconciled",
                error.op,
                error.outcome,
            )
            return
        record = self._record_for(params)
        if record is None:
            return
        record.error = error
        if error.op == "order.create" and record.status is None and not record.fills:
            if isinstance(error, WSAPIError) and error.ret_code in DUPLICATE_LINK_CODES:
                record.unknown = True  # the link id exists at Bybit: adopt that order
            elif error.outcome == "unknown":
                record.unknown = True
            elif not record.unknown and not record.acked:
                record.failed = True  # rejected or never sent: no order exists
        self._index(record)
        self._changed(record)

    def mark_absent(self, order_link_id: str) -> None:
        """Reconciliation proved the order absent: no order exists (``reconcile`` calls it)."""
        record = self._by_link.get(order_link_id)
        if record is not None and record.status is None and not record.fills:
            record.unknown, record.failed, record.absent = False, True, True
            self._index(record)
            self._changed(record)

    async def reconcile(
        self,
        order_link_id: str,
        *,
        deadline: float,
        interval: float = DEFAULT_INTERVAL,
        category: str | None = None,
        symbol: str | None = None,
    ) -> OrderView:
        """Settle an order whose create's outcome is unknown, over ``rest`` (see
        :func:`bybit_wsapi.orders.reconcile.reconcile`): its adopted state, or
        ``OrderAbsentError`` (safe to resend with the same ``orderLinkId``) after ``deadline``.
        """
        return await reconcile(
            self,
            self._rest(),
            order_link_id,
            deadline=deadline,
            interval=interval,
            category=category,
            symbol=symbol,
        )

    async def resync(self) -> list[OrderView]:
        """Re-read every open order over ``rest`` after pushes may have been lost (a private
        stream reconnect, a ``StreamOverflowError``); see ``reconcile.resync``."""
        return await resync(self, self._rest())

    def _rest(self) -> OrderQueries:
        if self.rest is None:
            raise ConfigurationError(
                "reconcile needs REST queries: OrderTracker(rest=RestClient(...)) or "
                "tracker.rest = RestClient(key=..., secret=...)"
            )
        return self.rest

    # --- waiting ---------------------------------------------------------------------------

    async def wait(
        self,
        order_link_id: str = "",
        until: OrderStatusV5 = "Filled",
        *,
        timeout: float,
        order_id: str = "",
    ) -> OrderView:
        """Wait until the order has reached ``until``; its state then.

        ``until`` counts once seen: ``until="New"`` is met by an order that went on to fill.

        Raises:
            OrderUnreachableError: the order settled in another terminal status, or its create
                was rejected or never sent (``__cause__`` is that error).
            OrderWaitTimeoutError: not within ``timeout`` seconds; the message says what is
                known and what to do (an unknown outcome: ``reconcile``).
            ConfigurationError: an unknown ``until`` or no id.
        """
        if until not in ALL_STATUSES:
            raise ConfigurationError(
                f"until={until!r} is not an order status; use one of {sorted(ALL_STATUSES)}"
            )
        if not order_link_id and not order_id:
            raise ConfigurationError("wait needs an orderLinkId or an order_id")
        key = _key(order_link_id, order_id)
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                while True:
                    record = self._find(order_link_id, order_id)
                    if record is not None and (done := self._verdict(record, until)):
                        return done
                    waiter: asyncio.Future[None] = loop.create_future()
                    self._waiters.setdefault(key, set()).add(waiter)
                    try:
                        await waiter
                    finally:
                        self._waiters.get(key, set()).discard(waiter)
        except TimeoutError:
            record = self._find(order_link_id, order_id)
            raise OrderWaitTimeoutError(
                _timeout_text(key, until, timeout, record),
                None if record is None else record.view(),
            ) from None

    @staticmethod
    def _verdict(record: OrderRecord, until: str) -> OrderView | None:
        if until in record.seen:
            return record.view()
        name = record.order_link_id or record.order_id
        if record.status in TERMINAL_STATUSES:
            raise OrderUnreachableError(
                f"order {name!r} ended {record.status}: it can never be {until}", record.view()
            )
        if record.absent:
            raise OrderUnreachableError(
                f"order {name!r} does not exist: REST reconciliation did not find it (safe to "
                "resend with the same orderLinkId)",
                record.view(),
            )
        if record.failed and record.error is not None:
            how = "was never sent" if record.error.outcome == "not_sent" else "was rejected"
            raise OrderUnreachableError(
                f"order {name!r} does not exist: its create {how} ({record.error})",
                record.view(),
            ) from record.error
        return None

    def changes(self, *, capacity: int | None = None) -> OrderChanges:
        """A bounded async iterator of every change from now on (``OrderView`` snapshots)."""
        consumer = OrderChanges(capacity or self.change_buffer, self._consumers.discard)
        self._consumers.add(consumer)
        return consumer

    def close(self) -> None:
        """End every change iterator (after what it holds)."""
        for consumer in tuple(self._consumers):
            consumer.close()

    # --- bookkeeping -----------------------------------------------------------------------

    def _find(self, order_link_id: str, order_id: str) -> OrderRecord | None:
        if order_id and order_id in self._by_id:
            return self._by_id[order_id]
        return self._by_link.get(order_link_id) if order_link_id else None

    def _record_for(self, message: Mapping[str, Any]) -> OrderRecord | None:
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

    def _index(self, record: OrderRecord) -> None:
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

    def _changed(self, record: OrderRecord) -> None:
        view = record.view()
        for consumer in tuple(self._consumers):
            consumer.put(view)
        for key in {_key(record.order_link_id, ""), _key("", record.order_id)}:
            for waiter in self._waiters.pop(key, ()):
                if not waiter.done():
                    waiter.set_result(None)


def _key(order_link_id: str, order_id: str) -> str:
    return f"id:{order_id}" if order_id else f"link:{order_link_id}"


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
    into.updated_ms = max(into.updated_ms, other.updated_ms)
    if into.status is not None or into.fills:
        into.unknown = into.failed = False


def _timeout_text(key: str, until: str, timeout: float, record: OrderRecord | None) -> str:
    name = key.split(":", 1)[1]
    base = f"order {name!r} did not reach {until} within {timeout:g} s"
    if record is None:
        return (
            f"{base}: the tracker never saw it (was it sent through this client, with the "
            "private 'order' and 'execution' topics subscribed?)"
        )
    if record.phase == "unknown":
        return (
            f"{base}: its create's outcome is unknown ({record.error}); settle it with "
            f"await tracker.reconcile({name!r}, ...) before resending anything"
        )
    if record.status is None:
        return (
            f"{base}: acknowledged, but no status was pushed (is the private 'order' topic "
            "subscribed? a reconnect may have lost pushes: reconcile)"
        )
    return f"{base}: it is still {record.status}"
