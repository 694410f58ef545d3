"""What happens to each pushed message of one socket: the ``update`` event, then the topic's
consumers, through the topic's state when it has one (no I/O).

- ``orderbook`` topics with consumers keep one :class:`~.orderbook.OrderBook`: each message is
  applied before it is handed on; one that needs a resync is not handed on, and the topic is
  resubscribed for a fresh snapshot (``resync`` hook);
- ``tickers`` topics hand on the merged ticker (deltas merged into the last snapshot);
- everything else is handed on as it came.

A consumer (:class:`Sink`) is called synchronously and must not block (a bounded buffer).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from bybit_wsapi_generated import StreamWsKey
from bybit_wsapi_generated.streams import TopicFamily, topic_family

from ..events import EventEmitter
from .orderbook import OrderBook
from .tickers import TickerState

__all__ = ["Sink", "StreamTopics", "TopicState"]

logger = logging.getLogger(__name__)


class Sink(Protocol):
    """A consumer of one topic's messages."""

    def deliver(self, message: dict[str, Any]) -> None:
        """Take one message (never blocks)."""
        ...

    def fail(self, error: Exception) -> None:
        """The topic was refused (e.g. when resubscribed after a reconnect): no more messages."""
        ...

    def end(self) -> None:
        """The client is closing: no more messages."""
        ...


class TopicState:
    """One topic's consumers and, for books and tickers, its state."""

    __slots__ = ("book", "family", "last", "sinks", "ticker", "topic")

    def __init__(self, topic: str) -> None:
        self.topic = topic
        self.family: TopicFamily | None = topic_family(topic)
        self.sinks: list[Sink] = []
        self.book: OrderBook | None = None
        self.ticker: TickerState | None = TickerState() if self.family == "tickers" else None
        self.last: dict[str, Any] | None = None
        """The last message handed on (what a conflated ticker stream catches up to)."""
        if self.family == "orderbook":
            parts = topic.split(".")
            depth = int(parts[1]) if len(parts) > 2 and parts[1].isdigit() else None
            self.book = OrderBook(parts[-1], depth)

    def latest(self) -> dict[str, Any]:
        """The whole current state as one message: a book's snapshot, or the last ticker."""
        if self.book is not None:
            return self.book.snapshot_message(self.topic)
        return self.last if self.last is not None else {}

    def reset(self) -> None:
        """The connection went: state starts again from the next snapshot."""
        if self.book is not None:
            self.book.reset()
        if self.ticker is not None:
            self.ticker.reset()


class StreamTopics:
    """The pushed messages of one socket, by topic."""

    def __init__(
        self, ws_key: StreamWsKey, events: EventEmitter, resync: Callable[[str, str], None]
    ) -> None:
        self.ws_key = ws_key
        self.events = events
        self.resync = resync
        """``resync(topic, reason)``: ask Bybit for a fresh snapshot of ``topic``."""
        self.states: dict[str, TopicState] = {}
        self.pushes = 0
        """Messages received on this socket (every topic)."""

    def attach(self, topic: str, sink: Sink) -> TopicState:
        """Hand ``topic``'s messages to ``sink`` from now on."""
        state = self.states.get(topic)
        if state is None:
            state = self.states[topic] = TopicState(topic)
        state.sinks.append(sink)
        return state

    def detach(self, topic: str, sink: Sink) -> None:
        state = self.states.get(topic)
        if state is not None and sink in state.sinks:
            state.sinks.remove(sink)
            if not state.sinks:
                del self.states[topic]

    def reset(self) -> None:
        for state in self.states.values():
            state.reset()

    def end(self) -> None:
        """End every consumer (the client is closing)."""
        for state in list(self.states.values()):
            for sink in list(state.sinks):
                sink.end()
        self.states.clear()

    def push(self, topic: str, message: dict[str, Any]) -> None:
        """One pushed message: the ``update`` event (with ``wsKey``), then the consumers."""
        self.pushes += 1
        if self.events.has_handlers("update"):
            self.events.emit("update", {**message, "wsKey": self.ws_key})
        state = self.states.get(topic)
        if state is None:
            return
        book = state.book
        if book is not None:
            expected = book.synced or book.update_id is None  # else a snapshot is on its way
            reason = book.apply(message)
            if reason is not None:
                if expected:
                    logger.warning("%s: %s; resubscribing for a snapshot", self.ws_key, reason)
                    self.resync(topic, reason)
                return
        elif state.ticker is not None:
            message = state.ticker.apply(message)
        state.last = message
        for sink in state.sinks:
            sink.deliver(message)
