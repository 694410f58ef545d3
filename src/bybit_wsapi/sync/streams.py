"""The stream half of the sync ``WebsocketClient``: blocking ``subscribe_v5``/``unsubscribe_v5``,
the generated ``stream_*`` methods as blocking iterators, and ``order_book`` (snapshots of a live
book), over the async client's streams.

Each ``next()`` of an iterator is one call into the event loop, so messages keep the async
client's bounded buffer and its overflow rules (``StreamOverflowError`` at a gap, books and
tickers conflated). Callbacks of every pushed message: ``on("update", fn)``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any, Generic, Self, TypeVar

from bybit_wsapi_generated import StreamWsKey, Subscription
from bybit_wsapi_generated.streams import TopicFamily
from bybit_wsapi_generated.sync_subscriptions import SyncStreamMethods

from .. import client as aio
from ..errors import WSConnectionError
from ..streams.api import StreamStatus
from ..streams.orderbook import Level
from ..streams.subscription import LiveOrderBook
from .loop import LoopThread

__all__ = ["BlockingOrderBook", "BlockingSubscription", "BookSnapshot", "SyncStreamsAPI"]

T = TypeVar("T")


def _closed() -> BaseException:
    return WSConnectionError("the client is closed")


class BlockingSubscription(Generic[T]):
    """One topic's messages, blocking: ``for message in sub`` or ``with sub: next(iter(sub))``.

    ``with`` subscribes (raising ``SubscriptionError`` if Bybit refuses) and unsubscribes on
    exit; iterating without it subscribes on the first ``next()``. The iteration ends when the
    subscription or the client is closed. Ctrl-C during ``next()`` cancels the wait only.
    """

    def __init__(self, loop: LoopThread, inner: Subscription[T]) -> None:
        self._loop = loop
        self._inner = inner
        self._next = inner.__aiter__().__anext__

    def __repr__(self) -> str:
        return f"<BlockingSubscription {self.topic} on {self.ws_key}>"

    @property
    def topic(self) -> str:
        """The topic string, e.g. ``orderbook.50.BTCUSDT``."""
        return self._inner.topic

    @property
    def ws_key(self) -> StreamWsKey:
        """The socket it lives on, e.g. ``WS_KEY_MAP.v5_linear_public``."""
        return self._inner.ws_key

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> T:
        try:
            return self._loop.call(self._next, _closed)
        except StopAsyncIteration:
            raise StopIteration from None
        except WSConnectionError:
            if self._loop.closed:
                raise StopIteration from None
            raise

    def __enter__(self) -> Self:
        self._loop.call(self._inner.__aenter__, _closed)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Unsubscribe and end the iteration (idempotent; nothing to do once the client closed)."""
        if not self._loop.closed:
            self._loop.call(self._inner.close, _closed)


@dataclass(frozen=True)
class BookSnapshot:
    """One state of a live book, copied on the event loop: safe to read from any thread."""

    symbol: str
    bids: list[Level]
    """Best first: ``(price, size)`` as ``Decimal``."""
    asks: list[Level]
    update_id: int | None
    seq: int | None
    ts: int | None
    """When Bybit generated the last message applied (ms)."""
    synced: bool

    @property
    def best_bid(self) -> Level | None:
        return self.bids[0] if self.bids else None

    @property
    def best_ask(self) -> Level | None:
        return self.asks[0] if self.asks else None

    @property
    def spread(self) -> Decimal | None:
        bid, ask = self.best_bid, self.best_ask
        return None if bid is None or ask is None else ask[0] - bid[0]


class BlockingOrderBook:
    """A live local book, blocking: ``with ws.order_book(...) as book: for state in book``.

    ``with`` subscribes and returns once the first snapshot is in; each ``next()`` waits for a
    change and returns a :class:`BookSnapshot` (a slow consumer skips states, never sees a stale
    one); :meth:`snapshot` is the current state at once.
    """

    def __init__(self, loop: LoopThread, inner: LiveOrderBook) -> None:
        self._loop = loop
        self._inner = inner

    def __repr__(self) -> str:
        return f"<BlockingOrderBook {self._inner.topic}>"

    @property
    def topic(self) -> str:
        return self._inner.topic

    def __enter__(self) -> Self:
        self._loop.call(self._inner.__aenter__, _closed)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> BookSnapshot:
        try:
            return self._loop.call(self._changed, _closed)
        except StopAsyncIteration:
            raise StopIteration from None

    def snapshot(self) -> BookSnapshot:
        """The book as it is now (``BybitWSError`` before it is open)."""
        return self._loop.call(_made(self._copy), _closed)

    def close(self) -> None:
        """Unsubscribe (idempotent; nothing to do once the client closed)."""
        if not self._loop.closed:
            self._loop.call(self._inner.close, _closed)

    async def _changed(self) -> BookSnapshot:
        await self._inner.__anext__()
        return self._copy()

    def _copy(self) -> BookSnapshot:
        book = self._inner.book
        return BookSnapshot(
            book.symbol,
            list(book.bids),
            list(book.asks),
            book.update_id,
            book.seq,
            book.ts,
            book.synced,
        )


class SyncStreamsAPI(SyncStreamMethods):
    """Blocking subscriptions on the async client's stream sockets (opened on first use)."""

    _loop: LoopThread
    _ws: aio.WebsocketClient

    def subscribe_v5(
        self,
        topics: str | Sequence[str],
        category: str | None = None,
        is_private: bool | None = None,
    ) -> None:
        """Subscribe and block until Bybit acknowledged each topic (see the async client's
        ``subscribe_v5``); pushed messages reach ``on("update", ...)`` callbacks.

        Raises:
            SubscriptionError: Bybit refused some topics (``failures`` names each and why).
            ConfigurationError: a public topic without a category, or an unknown category.
        """
        self._loop.call(lambda: self._ws.subscribe_v5(topics, category, is_private), _closed)

    def unsubscribe_v5(
        self,
        topics: str | Sequence[str],
        category: str | None = None,
        is_private: bool | None = None,
    ) -> None:
        """Unsubscribe what ``subscribe_v5`` subscribed, by the exact topic strings.

        Raises:
            SubscriptionError: Bybit refused to unsubscribe some topics.
        """
        self._loop.call(lambda: self._ws.unsubscribe_v5(topics, category, is_private), _closed)

    def stream_status(self) -> dict[StreamWsKey, StreamStatus]:
        """Each stream socket this client has made (by wsKey), with its topics and counters."""
        return self._loop.call(_made(self._ws.stream_status), _closed)

    def _subscription(
        self, ws_key: StreamWsKey, topic: str, family: TopicFamily
    ) -> BlockingSubscription[Any]:
        inner = self._loop.call(
            _made(lambda: self._ws._subscription(ws_key, topic, family)), _closed
        )
        return BlockingSubscription(self._loop, inner)

    def order_book(
        self, category: str, symbol: str, depth: int, *, strict_sequence: bool = False
    ) -> BlockingOrderBook:
        """A live local book of ``symbol`` at ``depth`` (``with ws.order_book(...) as book``).

        Raises:
            ConfigurationError: an unknown category, or a depth Bybit does not serve there.
        """
        make = partial(
            self._ws.order_book, category, symbol, depth, strict_sequence=strict_sequence
        )
        return BlockingOrderBook(self._loop, self._loop.call(_made(make), _closed))


def _made(make: Callable[[], T]) -> Callable[[], Awaitable[T]]:
    """``make`` run on the loop (the async subscription belongs to it)."""

    async def run() -> T:
        return make()

    return run
