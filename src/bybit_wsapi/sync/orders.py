"""Following orders from threads: the async ``OrderTracker``, blocking, on the client's loop.

``ws.track_orders(rest=RestClient(...))`` turns it on (the ``RestClient`` then runs on the
loop thread and is closed with the client); ``ws.orders`` is a :class:`BlockingOrderTracker`.
Every read and wait is one call into the event loop, where the tracker is fed, so a thread
never sees an order half-updated. Ctrl-C during ``wait`` or ``reconcile`` cancels the wait
only (nothing is ever sent by the tracker).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any, Self, TypeVar, Unpack

from bybit_wsapi_generated import OrderStatusV5

from .. import client as aio
from ..errors import ConfigurationError, WSConnectionError
from ..orders import OrderChanges, OrderQueries, OrderTracker, OrderView, TrackingOptions
from ..orders.reconcile import DEFAULT_INTERVAL
from .loop import LoopThread

if TYPE_CHECKING:
    from .client import WebsocketClient

__all__ = ["BlockingOrderChanges", "BlockingOrderTracker", "SyncOrdersAPI", "SyncOrdersDelegate"]

T = TypeVar("T")


def _closed() -> BaseException:
    return WSConnectionError("the client is closed")


def _on_loop(read: Callable[[], T]) -> Callable[[], Awaitable[T]]:
    async def run() -> T:
        return read()

    return run


class BlockingOrderChanges:
    """Every change of every tracked order from its creation on, as ``OrderView`` snapshots:
    ``with ws.orders.changes() as changes: for view in changes``.

    Bounded like the async one: falling ``capacity`` changes behind raises
    ``StreamOverflowError`` at the gap (iterate again to go on). Ends when closed or when the
    client closes.
    """

    def __init__(self, loop: LoopThread, inner: OrderChanges) -> None:
        self._loop = loop
        self._inner = inner

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> OrderView:
        try:
            return self._loop.call(self._inner.__anext__, _closed)
        except StopAsyncIteration:
            raise StopIteration from None
        except WSConnectionError:
            if self._loop.closed:
                raise StopIteration from None
            raise

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop: the iteration ends once what it holds is consumed (idempotent)."""
        if not self._loop.closed:
            self._loop.call(_on_loop(self._inner.close), _closed)


class BlockingOrderTracker:
    """The async :class:`~bybit_wsapi.orders.OrderTracker`, blocking (same arguments, views
    and errors); safe to use from many threads at once."""

    def __init__(self, loop: LoopThread, inner: OrderTracker) -> None:
        self._loop = loop
        self._inner = inner

    def __repr__(self) -> str:
        return f"<BlockingOrderTracker on {self._loop.name}>"

    @property
    def rest(self) -> OrderQueries | None:
        """The REST queries ``reconcile`` uses."""
        return self._inner.rest

    def get(self, order_link_id: str = "", *, order_id: str = "") -> OrderView | None:
        """The order's current state, or ``None`` if it is not (or no longer) tracked."""
        read = partial(self._inner.get, order_link_id, order_id=order_id)
        return self._loop.call(_on_loop(read), _closed)

    def orders(self) -> list[OrderView]:
        """Every tracked order."""
        return self._loop.call(_on_loop(self._inner.orders), _closed)

    def unknown(self) -> list[OrderView]:
        """Orders with a request whose outcome is unknown: ``reconcile`` each."""
        return self._loop.call(_on_loop(self._inner.unknown), _closed)

    def __len__(self) -> int:
        return self._loop.call(_on_loop(self._inner.__len__), _closed)

    def wait(
        self,
        order_link_id: str = "",
        until: OrderStatusV5 = "Filled",
        *,
        timeout: float,
        order_id: str = "",
    ) -> OrderView:
        """Block until the order has reached ``until`` (see ``OrderTracker.wait``).

        Raises:
            OrderUnreachableError: it settled otherwise, or its create failed.
            OrderWaitTimeoutError: not within ``timeout`` seconds (says what to do).
        """
        call = partial(self._inner.wait, order_link_id, until, timeout=timeout, order_id=order_id)
        return self._loop.call(call, _closed)

    def reconcile(
        self,
        order_link_id: str = "",
        *,
        deadline: float,
        order_id: str = "",
        interval: float = DEFAULT_INTERVAL,
        category: str | None = None,
        symbol: str | None = None,
    ) -> OrderView:
        """Settle a create, amend or cancel whose outcome is unknown (``OrderTracker.reconcile``).

        Raises:
            OrderAbsentError: the create never landed: safe to resend, same ``orderLinkId``.
            OrderChangeNotAppliedError: the amend or cancel did not take effect.
        """
        call = partial(
            self._inner.reconcile,
            order_link_id,
            deadline=deadline,
            order_id=order_id,
            interval=interval,
            category=category,
            symbol=symbol,
        )
        return self._loop.call(call, _closed)

    def resync(self) -> list[OrderView]:
        """Re-read every open tracked order over REST (pushes may have been lost)."""
        return self._loop.call(self._inner.resync, _closed)

    def resend_if_proven_absent(
        self, params: Mapping[str, Any], *, deadline: float, interval: float = DEFAULT_INTERVAL
    ) -> OrderView:
        """Reconcile ``params``' create; resend it once, same ``orderLinkId``, only if REST
        proved it absent (``OrderTracker.resend_if_proven_absent``)."""
        call = partial(
            self._inner.resend_if_proven_absent, params, deadline=deadline, interval=interval
        )
        return self._loop.call(call, _closed)

    def changes(self, *, capacity: int | None = None) -> BlockingOrderChanges:
        """A bounded blocking iterator of every change from now on."""
        make = partial(self._inner.changes, capacity=capacity)
        return BlockingOrderChanges(self._loop, self._loop.call(_on_loop(make), _closed))


class SyncOrdersAPI:
    """``track_orders`` and ``orders`` on the sync ``WebsocketClient``."""

    _loop: LoopThread
    _ws: aio.WebsocketClient
    _blocking_orders: BlockingOrderTracker | None = None

    def track_orders(self, **options: Unpack[TrackingOptions]) -> BlockingOrderTracker:
        """Turn order tracking on (``bybit_wsapi.WebsocketClient.track_orders``; here
        ``close_rest`` defaults to True: ``rest`` runs on the client's loop thread and is
        closed with the client). Call it once, before sending the orders to follow.

        Raises:
            ConfigurationError: tracking is on already, or the client cannot trade.
            SubscriptionError: Bybit refused a topic (tracking stays off).
        """
        options.setdefault("close_rest", True)
        start = partial(self._ws.track_orders, **options)
        inner = self._loop.call(start, _closed)
        self._blocking_orders = BlockingOrderTracker(self._loop, inner)
        return self._blocking_orders

    @property
    def orders(self) -> BlockingOrderTracker:
        """The order tracker, blocking; ``ConfigurationError`` until ``track_orders``."""
        if self._blocking_orders is None:
            raise ConfigurationError(
                "order tracking is off: call ws.track_orders(rest=RestClient(...)) once, "
                "before sending the orders you want to follow"
            )
        return self._blocking_orders


class SyncOrdersDelegate:
    """``track_orders`` and ``orders`` on the sync ``WebsocketAPIClient`` (its client's)."""

    _ws: WebsocketClient

    def track_orders(self, **options: Unpack[TrackingOptions]) -> BlockingOrderTracker:
        """Turn order tracking on (``WebsocketClient.track_orders``)."""
        return self._ws.track_orders(**options)

    @property
    def orders(self) -> BlockingOrderTracker:
        """The order tracker, blocking; ``ConfigurationError`` until ``track_orders``."""
        return self._ws.orders
