"""Fan-out of pushes to the stream connections that subscribed them, through bounded queues.

Each connection has an :class:`Outbox`: the frames (JSON text) waiting for its sender task,
bounded in bytes. A consumer that falls further behind than the bound is dropped (its
``on_overflow`` runs once, and later frames are discarded), so a slow client never makes the
server's memory grow. :class:`Hub` keys subscribers by (category, topic) on the public streams
and by (account, topic) on the private one, and encodes each message once per topic string, not
once per subscriber: a private push reaches ``order`` subscribers and, as a copy whose ``topic``
is ``order.linear``, the categorised ones.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Mapping

from bybit_wsapi.streams.frames import TOPIC

from .frames import encode

__all__ = ["Hub", "Outbox"]


class Outbox:
    """One connection's send queue, bounded to ``limit`` bytes of queued text."""

    __slots__ = ("_frames", "_on_overflow", "flushed", "limit", "overflowed", "queued", "ready")

    def __init__(self, limit: int, on_overflow: Callable[[], None]) -> None:
        self._frames: deque[str] = deque()
        self._on_overflow = on_overflow
        self.limit = limit
        self.queued = 0
        """Characters queued (JSON is ASCII: bytes)."""
        self.overflowed = False
        self.ready = asyncio.Event()
        """Set while frames are waiting."""
        self.flushed = asyncio.Event()
        """Set once every queued frame was written (the sender task sets it)."""
        self.flushed.set()

    def put(self, text: str) -> None:
        """Queue a frame; past the bound, mark the connection overflowed instead (once)."""
        if self.overflowed:
            return
        size = len(text)
        if self.queued + size > self.limit:
            self.overflowed = True
            self._frames.clear()
            self.queued = 0
            self._on_overflow()
            return
        self._frames.append(text)
        self.queued += size
        self.ready.set()
        self.flushed.clear()

    def pop(self) -> str | None:
        """The oldest queued frame, ``None`` when empty."""
        frames = self._frames
        if not frames:
            self.ready.clear()
            return None
        text = frames.popleft()
        self.queued -= len(text)
        return text


class Hub:
    """Who subscribed what, and the delivery of each push to them."""

    __slots__ = ("_per_scope", "_subscribers")

    def __init__(self) -> None:
        self._subscribers: dict[tuple[str, str], dict[Outbox, None]] = {}
        self._per_scope: dict[str, int] = {}

    def add(self, scope: str, topic: str, outbox: Outbox) -> bool:
        """Subscribe ``outbox`` (``scope``: the category, or ``@`` + the account); whether it is
        the topic's first subscriber."""
        subscribers = self._subscribers.setdefault((scope, topic), {})
        if outbox not in subscribers:
            subscribers[outbox] = None
            self._per_scope[scope] = self._per_scope.get(scope, 0) + 1
        return len(subscribers) == 1

    def remove(self, scope: str, topic: str, outbox: Outbox) -> bool:
        """Unsubscribe ``outbox``; whether it was the topic's last subscriber."""
        key = (scope, topic)
        subscribers = self._subscribers.get(key)
        if subscribers is None or subscribers.pop(outbox, 0) == 0:
            return False
        left = self._per_scope[scope] - 1
        if left:
            self._per_scope[scope] = left
        else:
            del self._per_scope[scope]
        if subscribers:
            return False
        del self._subscribers[key]
        return True

    def subscriptions(self, scope: str) -> int:
        """How many subscriptions (connection x topic) ``scope`` has."""
        return self._per_scope.get(scope, 0)

    def topics(self) -> list[tuple[str, str]]:
        """Every subscribed (scope, topic)."""
        return list(self._subscribers)

    def count(self, scope: str, topic: str) -> int:
        """How many connections subscribed ``topic`` in ``scope``."""
        return len(self._subscribers.get((scope, topic), ()))

    def publish(self, scope: str, topic: str, message: Mapping[str, object]) -> int:
        """Queue ``message`` (encoded once) for every subscriber; how many got it."""
        subscribers = self._subscribers.get((scope, topic))
        if not subscribers:
            return 0
        text = encode(message)
        for outbox in subscribers:
            outbox.put(text)
        return len(subscribers)

    def publish_private(
        self, account: str, topic: str, category: str | None, message: Mapping[str, object]
    ) -> int:
        """A private push to the account's subscribers of ``topic`` and of its categorised
        name (``order.linear``), each receiving the topic string it subscribed."""
        scope = private_scope(account)
        sent = self.publish(scope, topic, message)
        if category is not None:
            categorised = f"{topic}.{category}"
            if self._subscribers.get((scope, categorised)):
                sent += self.publish(scope, categorised, {**message, TOPIC: categorised})
        return sent


def private_scope(account: str) -> str:
    """The hub scope of an account's private topics (never a category name)."""
    return f"@{account}"
