"""``OrderTracker``: one view of each order, fed by trade replies and the private streams.

It is pure bookkeeping: feed it replies (``on_reply``), failed requests (``on_error``) and
``order``/``execution`` pushes (``on_push``), or let ``WebsocketClient.track_orders()`` wire it.
It never sends anything on its own (``resend_if_proven_absent`` sends only when asked).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any, Final

from bybit_wsapi_generated import OrderStatusV5

from ..errors import ConfigurationError, RequestError, WSAPIError
from ..retcodes import RetCode
from .auto import AUTO_DEADLINE, AutoReconciler
from .book import OrderBook
from .changes import OrderChanges
from .errors import OrderWaitTimeoutError
from .reconcile import DEFAULT_INTERVAL, OrderQueries, resend_if_proven_absent
from .replies import error_items, reply_items
from .resync import resync
from .settle import settle_order
from .state import ALL_STATUSES, OrderRecord, OrderView, Unsettled
from .waiting import timeout_text, verdict

if TYPE_CHECKING:
    from ..client import WebsocketClient

__all__ = ["OrderTracker"]

logger = logging.getLogger(__name__)

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
        auto_reconcile: bool | None = None,
        auto_deadline: float = AUTO_DEADLINE,
        auto_interval: float = DEFAULT_INTERVAL,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        auto_clock: Callable[[], float] | None = None,
    ) -> None:
        if max_closed < 0 or closed_ttl < 0 or change_buffer < 1:
            raise ConfigurationError(
                "max_closed and closed_ttl must be >= 0 and change_buffer >= 1"
            )
        self.change_buffer = change_buffer
        self.rest = rest
        """The REST queries ``reconcile`` uses (a ``RestClient``)."""
        self.sender: WebsocketClient | None = None
        """The client ``resend_if_proven_absent`` sends on (``ws.track_orders`` sets it)."""
        self._book = OrderBook(max_closed, closed_ttl, clock)
        self._waiters: dict[str, set[asyncio.Future[None]]] = {}
        self._consumers: set[OrderChanges] = set()
        self._closed = False
        self.report: Callable[[BaseException], None] | None = None
        """Where a failed automatic reconcile goes (``track_orders``: the ``exception`` event)."""
        self._auto: AutoReconciler | None = None
        if rest is not None if auto_reconcile is None else auto_reconcile:
            self._auto = AutoReconciler(
                partial(settle_order, self),
                deadline=auto_deadline,
                interval=auto_interval,
                clock=auto_clock or time.monotonic,
                sleep=sleep,
                report=self._report,
            )

    # --- reading ---------------------------------------------------------------------------

    def get(self, order_link_id: str = "", *, order_id: str = "") -> OrderView | None:
        """The order's current state, or ``None`` if it is not (or no longer) tracked."""
        record = self._book.find(order_link_id, order_id)
        return None if record is None else record.view()

    def __len__(self) -> int:
        return len(set(map(id, self._book.records())))

    def orders(self) -> list[OrderView]:
        """Every tracked order."""
        return [record.view() for record in self._book.records()]

    def unknown(self) -> list[OrderView]:
        """Orders with a request whose outcome is unknown: a create (or one refused with 110072),
        an amend or a cancel (``view.unsettled``). ``reconcile`` each."""
        return [
            record.view()
            for record in self._book.records()
            if record.phase == "unknown" or record.unsettled is not None
        ]

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
                record = self._book.record_for(item)
                if record is None:
                    continue
                changed = record.apply_order(item) if family == "order" else record.apply_fill(item)
                self._book.index(record)
                if changed:
                    self._changed(record)

    def adopt(self, order: Mapping[str, Any]) -> OrderView:
        """Take an order object found over REST (``/v5/order/realtime`` or history)."""
        record = self._book.record_for(order)
        if record is None:
            raise ConfigurationError("an order to adopt needs its orderId or orderLinkId")
        if record.apply_order(order):
            self._book.index(record)
            self._changed(record)
        return record.view()

    def adopt_fill(self, execution: Mapping[str, Any]) -> None:
        """Take an execution found over REST (``/v5/execution/list``); known ones are skipped."""
        record = self._book.record_for(execution)
        if record is not None and record.apply_fill(execution):
            self._book.index(record)
            self._changed(record)

    def on_reply(self, reply: Mapping[str, Any], params: Mapping[str, Any] | None = None) -> None:
        """A successful trade reply (a ``response`` event), single or batch; ``params`` are the
        request's when known (they name a batch's failed amend or cancel items)."""
        if reply.get("retCode") not in (0, None):
            return
        for item in reply_items(reply, params):
            if not item.params.get("orderLinkId") and not item.params.get("orderId"):
                continue  # a batch item Bybit echoed no id for: the call's own result names it
            if item.error is None:
                self._accepted(item.op, item.params)
            else:
                self._failed(item.op, item.params, item.error)

    def on_error(self, error: object) -> None:
        """A failed request (an ``exception`` event); order operations (and batches) only."""
        if isinstance(error, RequestError):
            for item in error_items(error):
                self._failed(item.op, item.params, error)

    def _accepted(self, op: str, params: Mapping[str, Any]) -> None:
        if op != "order.create" and self._known(params) is None:
            return  # an amend or cancel of an order not tracked (sent before tracking was on)
        record = self._book.record_for(params)
        if record is None:
            return
        record.ids(params)
        changed = False
        if op == "order.create" and not record.acked:
            record.acked, changed = True, True
            record.failed = record.unknown = record.absent = False  # the ack proves it exists
        elif op != "order.create" and record.unsettled is not None:
            record.unsettled, changed = None, True  # a later amend or cancel went through
        self._book.index(record)
        if changed:
            self._changed(record)

    def _failed(self, op: str, params: Mapping[str, Any], error: RequestError) -> None:
        if not params.get("orderLinkId") and not params.get("orderId"):
            logger.warning(
                "%s failed (%s) and carried no orderLinkId: it cannot be tracked or reconciled",
                op,
                error.outcome,
            )
            return
        if op != "order.create" and error.outcome != "unknown" and self._known(params) is None:
            return  # a refused amend or cancel of an order not tracked: nothing to record
        record = self._book.record_for(params)
        if record is None or _same_error(record.error, error):
            return  # a batch reply seen twice (its event, then its call) changes nothing
        record.error = error
        if op == "order.create" and record.status is None and not record.fills:
            if isinstance(error, WSAPIError) and error.ret_code in DUPLICATE_LINK_CODES:
                record.unknown = True  # the link id exists at Bybit: adopt that order
            elif error.outcome == "unknown":
                record.unknown = True
            elif not record.unknown and not record.acked:
                record.failed = True  # rejected or never sent: no order exists
        elif op in ("order.amend", "order.cancel") and error.outcome == "unknown":
            record.unsettled = Unsettled(op, dict(params), error)  # type: ignore[arg-type]
            record.ids(params)
            record.settle_shown()  # its push may have come first (another socket)
        self._book.index(record)
        self._changed(record)
        unknown = record.unknown or record.unsettled is not None
        if unknown and self._auto is not None and self.rest is not None:
            link, oid = record.order_link_id, record.order_id
            self._auto.start(_key(link, "" if link else oid), link, oid)

    def _known(self, params: Mapping[str, Any]) -> OrderRecord | None:
        link, oid = params.get("orderLinkId"), params.get("orderId")
        return self._book.find(
            link if isinstance(link, str) else "", oid if isinstance(oid, str) else ""
        )

    def mark_absent(self, order_link_id: str) -> None:
        """Reconciliation proved the order absent: no order exists (``reconcile`` calls it)."""
        record = self._book.find(order_link_id, "")
        if record is not None and record.status is None and not record.fills and not record.acked:
            record.unknown, record.failed, record.absent = False, True, True
            self._book.index(record)
            self._changed(record)

    def settle_unsettled(self, order_link_id: str, order_id: str, pending: Unsettled) -> None:
        """Reconciliation settled ``pending`` as not taken effect (``settle_change`` calls it)."""
        record = self._book.find(order_link_id, order_id)
        if record is not None and record.unsettled is pending:
            record.unsettled = None
            self._changed(record)

    async def reconcile(
        self,
        order_link_id: str = "",
        *,
        deadline: float,
        order_id: str = "",
        interval: float = DEFAULT_INTERVAL,
        category: str | None = None,
        symbol: str | None = None,
    ) -> OrderView:
        """Settle what is unknown about an order, over ``rest``: its state once settled.

        A create whose outcome is unknown: found and adopted, or ``OrderAbsentError`` (safe to
        resend with the same ``orderLinkId``) after ``deadline`` (see
        :func:`bybit_wsapi.orders.reconcile.reconcile`). An amend or cancel whose outcome is
        unknown (``view.unsettled``): settled as taken effect, or ``OrderChangeNotAppliedError``
        (see :func:`bybit_wsapi.orders.settle.settle_change`). Nothing is ever sent.
        """
        view = self.get(order_link_id, order_id=order_id)
        link = order_link_id or (view.order_link_id if view is not None else "")
        running = (
            None
            if self._auto is None
            else self._auto.join(_key(link, "" if link else order_id), deadline)
        )
        if running is not None:
            return await asyncio.shield(running)  # the automatic run, its deadline now ours
        return await settle_order(
            self,
            order_link_id,
            order_id,
            deadline=deadline,
            interval=interval,
            category=category,
            symbol=symbol,
        )

    async def resync(self) -> list[OrderView]:
        """Re-read every open tracked order over ``rest`` after pushes may have been lost (a private
        stream reconnect, a ``StreamOverflowError``): one open-order listing per category (per
        symbol for linear), lookups only for those no longer open; see ``orders.resync``."""
        return await resync(self, self.rest_queries())

    async def resend_if_proven_absent(
        self, params: Mapping[str, Any], *, deadline: float, interval: float = DEFAULT_INTERVAL
    ) -> OrderView:
        """Reconcile ``params``' create and resend it once, with the same ``orderLinkId``, only
        if REST proved it absent (see :func:`bybit_wsapi.orders.resend_if_proven_absent`)."""
        if self.sender is None:
            raise ConfigurationError(
                "this tracker has no client to send on: use ws.orders after "
                "await ws.track_orders(rest=...)"
            )
        return await resend_if_proven_absent(
            self.sender, self, self.rest_queries(), params, deadline=deadline, interval=interval
        )

    def _report(self, error: BaseException) -> None:
        if self.report is not None:
            self.report(error)

    def rest_queries(self) -> OrderQueries:
        """``rest``, or a ``ConfigurationError`` that says how to give it."""
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
                    record = self._book.find(order_link_id, order_id)
                    if record is not None and (done := verdict(record, until)):
                        return done
                    waiter: asyncio.Future[None] = loop.create_future()
                    self._waiters.setdefault(key, set()).add(waiter)
                    try:
                        await waiter
                    finally:
                        self._waiters.get(key, set()).discard(waiter)
        except TimeoutError:
            record = self._book.find(order_link_id, order_id)
            raise OrderWaitTimeoutError(
                timeout_text(order_link_id or order_id, until, timeout, record),
                None if record is None else record.view(),
            ) from None

    def changes(self, *, capacity: int | None = None) -> OrderChanges:
        """A bounded async iterator of every change from now on (``OrderView`` snapshots)."""
        consumer = OrderChanges(capacity or self.change_buffer, self._consumers.discard)
        self._consumers.add(consumer)
        if self._closed:
            consumer.close()  # its client is closed: nothing will come, so it ends at once
        return consumer

    def close(self) -> None:
        """End every change iterator (after what it holds), and any made later at once."""
        self._closed = True
        for consumer in tuple(self._consumers):
            consumer.close()

    async def aclose(self) -> None:
        """``close``, and cancel the automatic reconciles, awaiting them: no task is left."""
        self.close()
        if self._auto is not None:
            await self._auto.aclose()

    def reconciling(self) -> int:
        """Automatic reconciles in flight or queued."""
        return 0 if self._auto is None else len(self._auto)

    # --- bookkeeping -----------------------------------------------------------------------

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


def _same_error(known: RequestError | None, error: RequestError) -> bool:
    if known is error:
        return True
    return (
        isinstance(known, WSAPIError)
        and isinstance(error, WSAPIError)
        and known.req_id is not None
        and (known.req_id, known.op, known.ret_code) == (error.req_id, error.op, error.ret_code)
    )
