"""A small event emitter: sync or async handlers, and a raising handler never hurts the caller."""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Literal, get_args

from .errors import ConfigurationError

__all__ = ["EventEmitter", "EventName", "Handler"]

EventName = Literal[
    "open", "authenticated", "reconnect", "reconnected", "close", "response", "exception"
]
EVENT_NAMES: tuple[EventName, ...] = get_args(EventName)
Handler = Callable[[Any], Awaitable[object] | object]

logger = logging.getLogger(__name__)


class EventEmitter:
    """Handlers per event name. Async handlers run as tasks that :meth:`aclose` cancels."""

    def __init__(self) -> None:
        self._handlers: dict[str, list[Handler]] = {name: [] for name in EVENT_NAMES}
        self._tasks: set[asyncio.Task[object]] = set()

    def on(self, event: EventName, handler: Handler) -> None:
        """Call ``handler(payload)`` on every ``event``."""
        if event not in self._handlers:
            raise ConfigurationError(
                f"unknown event {event!r}; use one of {', '.join(EVENT_NAMES)}"
            )
        self._handlers[event].append(handler)

    def off(self, event: EventName, handler: Handler) -> None:
        """Stop calling ``handler`` on ``event`` (no error if it was not attached)."""
        handlers = self._handlers.get(event, [])
        if handler in handlers:
            handlers.remove(handler)

    def has_handlers(self, event: EventName) -> bool:
        return bool(self._handlers[event])

    def emit(self, event: EventName, payload: object) -> None:
        """Call every handler of ``event``; errors are logged, never raised."""
        for handler in tuple(self._handlers[event]):
            try:
                result = handler(payload)
            except Exception:
                logger.exception("%r handler %r raised; the connection carries on", event, handler)
                continue
            if inspect.isawaitable(result):
                task = asyncio.ensure_future(_guard(event, handler, result))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)

    async def aclose(self) -> None:
        """Cancel async handlers still running and wait for them."""
        tasks = tuple(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def _guard(event: str, handler: Handler, awaitable: Awaitable[object]) -> object:
    try:
        return await awaitable
    except Exception:
        logger.exception("%r handler %r raised; the connection carries on", event, handler)
        return None
