"""A bounded buffer between a socket's reader and one consumer (reference §8, issue 12 item 5).

The reader never waits on a consumer: :meth:`MessageBuffer.put` is synchronous and O(1). When the
buffer is full, one of two policies applies:

- **conflate** (order books, tickers): the queued messages are replaced by one message of the
  latest state (``conflate()``), so the consumer always catches up to the present;
- **lossless** (everything else, private streams above all): the new message is dropped, counted,
  and the consumer's iterator raises :class:`~bybit_wsapi.errors.StreamOverflowError` at the
  exact point of the gap. Nothing is dropped silently.

Like an anyio memory object stream with ``max_buffer_size``, except that the sender cannot block.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from ..errors import StreamOverflowError

__all__ = ["MessageBuffer"]

T = TypeVar("T")


class _Gap:
    """Where messages were dropped, and how many."""

    __slots__ = ("count",)

    def __init__(self) -> None:
        self.count = 1


_END = object()


class MessageBuffer(Generic[T]):
    """At most ``capacity`` messages for one consumer (one task awaits :meth:`get` at a time)."""

    def __init__(self, topic: str, capacity: int, conflate: Callable[[], T] | None = None):
        self.topic = topic
        self.capacity = capacity
        self._conflate = conflate
        self._items: deque[Any] = deque()
        self._waiter: asyncio.Future[None] | None = None
        self._end: BaseException | object | None = None
        self.dropped = 0
        """Messages dropped so far (lossless policy): each one was reported to the consumer."""
        self.conflated = 0
        """Times the queue was replaced by the latest state (conflate policy)."""
        self.on_gap: Callable[[StreamOverflowError], None] = lambda error: None
        """Hook: a new gap began (e.g. to emit it on the client's ``exception`` event)."""

    def __len__(self) -> int:
        return len(self._items)

    @property
    def ended(self) -> bool:
        return self._end is not None

    def put(self, message: T) -> None:
        """Queue ``message`` (never blocks; applies the policy when full)."""
        if self._end is not None:
            return
        items = self._items
        if len(items) < self.capacity:
            items.append(message)
        elif self._conflate is not None:
            items.clear()
            items.append(self._conflate())
            self.conflated += 1
        else:
            self.dropped += 1
            last = items[-1] if items else None
            if isinstance(last, _Gap):
                last.count += 1
            else:
                items.append(_Gap())
                self.on_gap(StreamOverflowError(self.topic, 1, self.capacity))
        self._wake()

    def end(self, error: BaseException | None = None, *, drain: bool = False) -> None:
        """No more messages: the consumer stops at once (``error``: raised to it instead), or
        with ``drain`` once it has consumed what is already queued."""
        if self._end is None:
            self._end = error if error is not None else _END
            if not drain:
                self._items.clear()
            self._wake()

    async def get(self) -> T:
        """The next message.

        Raises:
            StreamOverflowError: messages were dropped here (the next call goes on after them).
            StopAsyncIteration: the buffer was ended.
            BaseException: the error it was ended with.
        """
        while not self._items:
            if self._end is not None:
                if isinstance(self._end, BaseException):
                    raise self._end
                raise StopAsyncIteration
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        item = self._items.popleft()
        if isinstance(item, _Gap):
            raise StreamOverflowError(self.topic, item.count, self.capacity)
        result: T = item
        return result

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)
