"""A small event emitter: sync or async handlers, and a raising handler never hurts the caller."""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Literal, TypeAlias, TypedDict, TypeVar, get_args

from bybit_wsapi_generated import WsKey

from .errors import ConfigurationError

__all__ = [
    "ConnectionEvent",
    "EventEmitter",
    "EventHandler",
    "EventName",
    "Handler",
    "OpenEvent",
    "ReconnectEvent",
    "UpdateEvent",
]

EventName = Literal[
    "open", "authenticated", "reconnect", "reconnected", "close", "response", "exception", "update"
]
EVENT_NAMES: tuple[EventName, ...] = get_args(EventName)
ConnectionEventName: TypeAlias = Literal["authenticated", "reconnected", "close"]
T = TypeVar("T")
EventHandler: TypeAlias = Callable[[T], Awaitable[object] | object]
"""A handler of payloads of type ``T``, sync or async."""
Handler: TypeAlias = EventHandler[Any]
UpdateEvent: TypeAlias = dict[str, Any]
"""The payload of ``update``: one pushed stream message as Bybit sent it, plus ``wsKey``."""


class ConnectionEvent(TypedDict):
    """The payload of ``authenticated``, ``reconnected`` and ``close``."""

    wsKey: WsKey


class OpenEvent(ConnectionEvent):
    """The payload of ``open``: the socket is up (not yet authenticated)."""

    url: str


class ReconnectEvent(ConnectionEvent):
    """The payload of ``reconnect``: the connection was lost; the next attempt waits ``delay``."""

    attempt: int
    """The number of this reconnect attempt (from 1)."""
    delay: float
    """Seconds before this attempt."""
    reason: str
    """Why the last connection ended (or the last attempt failed)."""
    connected_before: bool
    """Whether a connection was ever up (False: a first connect is still being retried)."""


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
