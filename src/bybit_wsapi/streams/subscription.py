"""What a consumer holds: :class:`TopicSubscription` (one topic's typed messages, the generated
``Subscription`` protocol) and :class:`LiveOrderBook` (a local book that keeps itself current).

Both are async context managers (subscribe on enter, raising
:class:`~bybit_wsapi.errors.SubscriptionError` if Bybit refuses; unsubscribe on exit) and async
iterators; iterating without ``async with`` subscribes on the first ``__anext__``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from bybit_wsapi_generated import StreamWsKey
from bybit_wsapi_generated.streams import TopicFamily

from ..errors import BybitWSError, StreamOverflowError, SubscriptionError
from .buffer import MessageBuffer
from .orderbook import Level, OrderBook
from .routing import CONFLATED_FAMILIES
from .topics import TopicState

if TYPE_CHECKING:
    from .manager import StreamManager

__all__ = ["LiveOrderBook", "TopicSubscription"]

logger = logging.getLogger(__name__)

T = TypeVar("T")


class _Holder:
    """Subscribes on first use and unsubscribes on close, once each."""

    def __init__(self, manager: StreamManager, ws_key: StreamWsKey, topic: str) -> None:
        self._manager = manager
        self._ws_key = ws_key
        self._topic = topic
        self._opening: asyncio.Task[None] | None = None
        self._closed = False

    @property
    def topic(self) -> str:
        """The topic string, e.g. ``orderbook.50.BTCUSDT``."""
        return self._topic

    @property
    def ws_key(self) -> StreamWsKey:
        """The socket it lives on, e.g. ``WS_KEY_MAP.v5_linear_public``."""
        return self._ws_key

    def _attach(self) -> TopicState:
        raise NotImplementedError

    def _end(self, error: BaseException | None) -> None:
        raise NotImplementedError

    def deliver(self, message: dict[str, Any]) -> None:
        raise NotImplementedError

    async def _ready(self) -> None:
        """Hook: after Bybit acknowledged (e.g. wait for a snapshot)."""

    async def open(self) -> None:
        """Subscribe (once); returns when Bybit acknowledged.

        Raises:
            SubscriptionError: Bybit refused the topic, or did not answer in time.
        """
        if self._closed:
            raise BybitWSError(f"the subscription to {self._topic!r} was closed")
        if self._opening is None:
            self._opening = asyncio.ensure_future(self._open())
        await asyncio.shield(self._opening)

    async def _open(self) -> None:
        self._attach()
        try:
            await self._manager.subscribe(self._ws_key, [self._topic], holder=self)
            await self._ready()
        except BaseException as error:
            self._manager.detach(self._ws_key, self._topic, self)
            self._end(error if isinstance(error, Exception) else None)
            self._closed = True
            raise

    async def close(self) -> None:
        """Unsubscribe and end the iteration (idempotent; never raises for Bybit's answer)."""
        if self._closed:
            return
        self._closed = True
        self._end(None)
        if self._opening is None:
            return
        self._manager.detach(self._ws_key, self._topic, self)
        try:
            await self._manager.unsubscribe(self._ws_key, [self._topic], holder=self)
        except BybitWSError as error:
            logger.warning("unsubscribing %r: %s", self._topic, error)

    def fail(self, error: Exception) -> None:
        """The topic was refused later (after a reconnect): iteration raises ``error``."""
        self._closed = True
        self._manager.detach(self._ws_key, self._topic, self)
        self._end(error)

    def end(self) -> None:
        """The client is closing: iteration stops."""
        self._closed = True
        self._end(None)

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


class TopicSubscription(_Holder, Generic[T]):
    """One topic's messages, typed by the generated ``stream_*`` method that made it.

    Messages wait in a bounded buffer (``stream_buffer_size``). When the consumer falls behind,
    order books and tickers conflate (it gets the latest state as one ``snapshot`` message);
    any other topic raises :class:`StreamOverflowError` at the gap, counted in :attr:`dropped`,
    after which iterating again goes on. Tickers of linear and inverse arrive merged (every
    message a whole ``snapshot``).
    """

    def __init__(
        self,
        manager: StreamManager,
        ws_key: StreamWsKey,
        topic: str,
        family: TopicFamily,
        *,
        capacity: int,
        on_gap: Callable[[StreamOverflowError], None],
    ) -> None:
        super().__init__(manager, ws_key, topic)
        self._family = family
        self._capacity = capacity
        self._on_gap = on_gap
        self._buffer: MessageBuffer[T] = MessageBuffer(topic, capacity)

    def __repr__(self) -> str:
        return f"<TopicSubscription {self._topic} on {self._ws_key} buffered={len(self._buffer)}>"

    @property
    def buffered(self) -> int:
        """Messages received and waiting for the consumer (at most ``stream_buffer_size``)."""
        return len(self._buffer)

    @property
    def dropped(self) -> int:
        """Messages dropped because the consumer fell behind (each one reported)."""
        return self._buffer.dropped

    @property
    def conflated(self) -> int:
        """Times queued book or ticker messages were replaced by the latest state."""
        return self._buffer.conflated

    def _attach(self) -> TopicState:
        state = self._manager.attach(self._ws_key, self._topic, self)
        conflate: Callable[[], Any] | None = (
            state.latest if self._family in CONFLATED_FAMILIES else None
        )
        self._buffer = MessageBuffer(self._topic, self._capacity, conflate)
        self._buffer.on_gap = self._on_gap
        return state

    def _end(self, error: BaseException | None) -> None:
        self._buffer.end(error)

    def deliver(self, message: dict[str, Any]) -> None:
        self._buffer.put(message)  # type: ignore[arg-type]  # typed by the stream_* method

    def __aiter__(self) -> TopicSubscription[T]:
        return self

    async def __anext__(self) -> T:
        if self._opening is None and not self._closed:
            await self.open()
        return await self._buffer.get()

    async def __aenter__(self) -> TopicSubscription[T]:
        await self.open()
        return self


class LiveOrderBook(_Holder):
    """A local order book kept current from ``orderbook.{depth}.{symbol}`` (§3.1).

    ``async with`` (or :meth:`open`) subscribes and returns once the first snapshot is in.
    Iterating yields the book each time it changed since the last step (a slow consumer skips
    states, never sees a stale one). A gap or any inconsistency resubscribes for a fresh
    snapshot; meanwhile :attr:`synced` is False. After a reconnect the book waits for its new
    snapshot the same way.
    """

    def __init__(
        self,
        manager: StreamManager,
        ws_key: StreamWsKey,
        topic: str,
        *,
        strict_sequence: bool,
        snapshot_timeout: float,
    ) -> None:
        super().__init__(manager, ws_key, topic)
        self._strict = strict_sequence
        self._timeout = snapshot_timeout
        self._state: TopicState | None = None
        self._changed = asyncio.Event()
        self._error: BaseException | None = None
        self._ended = False

    def __repr__(self) -> str:
        return f"<LiveOrderBook {self.book!r}>" if self._state else f"<LiveOrderBook {self._topic}>"

    @property
    def book(self) -> OrderBook:
        """The book itself (shared by every consumer of this topic on this client)."""
        if self._state is None or self._state.book is None:
            raise BybitWSError(f"the book of {self._topic!r} is not open: use async with or open()")
        return self._state.book

    @property
    def bids(self) -> list[Level]:
        return self.book.bids

    @property
    def asks(self) -> list[Level]:
        return self.book.asks

    @property
    def best_bid(self) -> Level | None:
        return self.book.best_bid

    @property
    def best_ask(self) -> Level | None:
        return self.book.best_ask

    @property
    def spread(self) -> Decimal | None:
        bid, ask = self.book.best_bid, self.book.best_ask
        return None if bid is None or ask is None else ask[0] - bid[0]

    @property
    def update_id(self) -> int | None:
        return self.book.update_id

    @property
    def seq(self) -> int | None:
        return self.book.seq

    @property
    def ts(self) -> int | None:
        """When Bybit generated the last message applied (ms)."""
        return self.book.ts

    @property
    def synced(self) -> bool:
        return self.book.synced

    def _attach(self) -> TopicState:
        self._state = self._manager.attach(self._ws_key, self._topic, self)
        if self._strict and self._state.book is not None:
            self._state.book.strict_sequence = True
        return self._state

    def _end(self, error: BaseException | None) -> None:
        self._ended = True
        self._error = error
        self._changed.set()

    async def _ready(self) -> None:
        self._changed.clear()  # what came before open() returned is in the book already
        if not self.book.synced:
            try:
                async with asyncio.timeout(self._timeout):
                    await self._next()
            except TimeoutError:
                raise SubscriptionError(
                    "subscribe", {self._topic: f"no snapshot within {self._timeout:g} s"}
                ) from None

    def deliver(self, message: dict[str, Any]) -> None:
        self._changed.set()

    async def _next(self) -> None:
        if not self._ended:
            await self._changed.wait()
            self._changed.clear()
        if self._ended:
            if self._error is not None:
                raise self._error
            raise StopAsyncIteration

    def __aiter__(self) -> LiveOrderBook:
        return self

    async def __anext__(self) -> LiveOrderBook:
        if self._opening is None and not self._closed:
            await self.open()
        await self._next()
        return self

    async def __aenter__(self) -> LiveOrderBook:
        await self.open()
        return self

    async def wait_updated(self) -> None:
        """Wait for the next change of the book."""
        await self._next()
