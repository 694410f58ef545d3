"""A bounded async iterator over the tracker's order changes (one per consumer)."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Self

from ..streams.buffer import MessageBuffer
from .state import OrderView

__all__ = ["OrderChanges"]


class OrderChanges:
    """Every change of every tracked order, in order, as ``OrderView`` snapshots.

    Bounded (the streams' lossless :class:`~bybit_wsapi.streams.buffer.MessageBuffer`): a
    consumer that falls ``capacity`` changes behind gets ``StreamOverflowError`` at the gap
    (naming how many were dropped; ``tracker.get`` has the current state), and iterating again
    goes on after it. Use as ``async with tracker.changes() as changes: async for ...``.
    """

    def __init__(self, capacity: int, on_close: Callable[[OrderChanges], None]) -> None:
        self.capacity = capacity
        self._buffer: MessageBuffer[OrderView] = MessageBuffer("orders", capacity)
        self._on_close = on_close

    def put(self, view: OrderView) -> None:
        self._buffer.put(view)

    def close(self) -> None:
        """Stop this iterator: it ends once what it holds is consumed."""
        if not self._buffer.ended:
            self._on_close(self)
            self._buffer.end(drain=True)

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> OrderView:
        return await self._buffer.get()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
