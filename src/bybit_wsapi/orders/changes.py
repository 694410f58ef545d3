"""A bounded async iterator over the tracker's order changes (one per consumer)."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from types import TracebackType
from typing import Self

from ..errors import StreamOverflowError
from .state import OrderView

__all__ = ["OrderChanges"]


class OrderChanges:
    """Every change of every tracked order, in order, as ``OrderView`` snapshots.

    Bounded: a consumer that falls ``capacity`` changes behind gets ``StreamOverflowError`` at
    the gap (naming how many were dropped; ``tracker.get`` has the current state), and iterating
    again goes on after it. Use as ``async with tracker.changes() as changes: async for ...``.
    """

    def __init__(self, capacity: int, on_close: Callable[[OrderChanges], None]) -> None:
        self.capacity = capacity
        self._items: deque[OrderView] = deque()
        self._dropped = 0
        self._closed = False
        self._wakeup = asyncio.Event()
        self._on_close = on_close

    def put(self, view: OrderView) -> None:
        if len(self._items) >= self.capacity:
            self._dropped += 1
        else:
            self._items.append(view)
        self._wakeup.set()

    def close(self) -> None:
        """Stop this iterator: it ends once what it holds is consumed."""
        if not self._closed:
            self._closed = True
            self._on_close(self)
            self._wakeup.set()

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> OrderView:
        while True:
            if self._items:
                return self._items.popleft()
            if self._dropped:
                dropped, self._dropped = self._dropped, 0
                raise StreamOverflowError("orders", dropped, self.capacity)
            if self._closed:
                raise StopAsyncIteration
            self._wakeup.clear()
            await self._wakeup.wait()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
