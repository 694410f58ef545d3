"""Futures that resolve once a condition on the server's state holds (no polling)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

__all__ = ["Conditions"]


class Conditions:
    """Futures that resolve once a condition on the server's state holds (no polling)."""

    def __init__(self) -> None:
        self._waiting: list[tuple[Callable[[], bool], asyncio.Future[None]]] = []

    async def wait(self, condition: Callable[[], bool]) -> None:
        if not condition():
            waiter = asyncio.get_running_loop().create_future()
            self._waiting.append((condition, waiter))
            await waiter

    def check(self) -> None:
        """Re-test the conditions: call after every change they may depend on."""
        if self._waiting:
            waiting = []
            for condition, waiter in self._waiting:
                if waiter.done():
                    continue
                if condition():
                    waiter.set_result(None)
                else:
                    waiting.append((condition, waiter))
            self._waiting = waiting
