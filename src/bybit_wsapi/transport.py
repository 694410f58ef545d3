"""The httpx-ws session the connection runs on, tuned for order entry.

Stock ``AsyncWebSocketSession`` hands every received message from its background task to the
reader through an unbuffered anyio memory stream: a checkpoint and a task switch per message.
:class:`TradeSession` keeps httpx-ws's handshake, wsproto state, write lock and ping handling,
but its background task passes each complete text message straight to a callback, so a reply
settles its future in the task that read it. Closes and network errors still arrive through
``receive()``, exactly as httpx-ws raises them. ``send_texts`` writes several frames in one
socket write, an uncontended write lock no longer costs a turn of the event loop, and closing
cannot hang on a peer that stopped reading.

This overrides ``AsyncWebSocketSession._background_receive`` of httpx-ws 0.9 (the dependency is
pinned below 0.10); the tests run every client path through it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

import anyio
import httpcore
import wsproto.events
from httpx_ws import AsyncWebSocketSession, HTTPXWSException, WebSocketNetworkError
from wsproto.frame_protocol import CloseReason

__all__ = ["MessageTooLargeError", "TradeSession", "session_class"]

CLOSE_TIMEOUT = 2.0
"""Seconds the close handshake may take before the socket is simply closed."""

TextSink = Callable[[str], None]
"""Receives each complete message; must not raise (it runs inside the receive loop)."""


class MessageTooLargeError(HTTPXWSException):
    """A message grew past the size limit; raised from ``receive()``, the session is unusable."""

    def __init__(self, size: int, limit: int) -> None:
        self.size = size
        self.limit = limit
        super().__init__(f"a message of {size}+ bytes exceeds max_frame_bytes={limit}")


class TradeSession(AsyncWebSocketSession):
    """An httpx-ws session that delivers messages to a callback as they are parsed."""

    route: ClassVar[tuple[TextSink, int]]
    """Where messages go, and the size limit of one message (set by :func:`session_class`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the stock lock yields to the event loop even when free: one loop turn per send
        self._write_lock = anyio.Lock(fast_acquire=True)

    async def close(self, code: int = 1000, reason: str | None = None) -> None:
        """httpx-ws's close, bounded: a peer that reads nothing cannot hold it up."""
        with anyio.move_on_after(CLOSE_TIMEOUT) as scope:
            await super().close(code, reason)
        if scope.cancelled_caught:
            await self.stream.aclose()

    async def send_texts(self, frames: Sequence[str]) -> None:
        """Send text frames in order with one socket write (httpx-ws ``send`` semantics)."""
        data = b"".join(self.connection.send(wsproto.events.TextMessage(data=f)) for f in frames)
        try:
            async with self._write_lock:
                await self.stream.write(data)
        except httpcore.WriteError as e:
            await self.close(CloseReason.INTERNAL_ERROR, "Stream write error")
            raise WebSocketNetworkError() from e

    async def _background_receive(self, max_bytes: int) -> None:
        sink, limit = self.route
        parts: list[str] = []  # a text message's fragments
        raw = bytearray()  # a binary message's fragments, decoded once whole
        size = 0
        try:
            while not self._should_close.is_set():
                data = await self.stream.read(max_bytes)
                if not data:
                    raise EOFError
                self.connection.receive_data(data)
                for event in self.connection.events():
                    if isinstance(event, wsproto.events.Message):
                        chunk = event.data
                        size += len(chunk)
                        if size > limit:
                            await self._send_event.send(MessageTooLargeError(size, limit))
                            return
                        if isinstance(chunk, str):
                            parts.append(chunk)
                        else:
                            raw += chunk
                        if not event.message_finished:
                            continue
                        text = "".join(parts) if parts else raw.decode("utf-8", errors="replace")
                        parts.clear()
                        raw.clear()
                        size = 0
                        sink(text)
                    elif isinstance(event, wsproto.events.Ping):
                        pong = self.connection.send(event.response())
                        async with self._write_lock:
                            await self.stream.write(pong)
                    elif isinstance(event, wsproto.events.Pong):
                        self._ping_manager.ack(event.payload)
                    else:
                        if isinstance(event, wsproto.events.CloseConnection):
                            self._should_close.set()
                        await self._send_event.send(event)
        except (httpcore.ReadError, httpcore.WriteError, EOFError):
            await self.close(CloseReason.INTERNAL_ERROR, "Stream error")
            await self._send_event.send(WebSocketNetworkError())


def session_class(sink: TextSink, max_message_chars: int) -> type[TradeSession]:
    """A :class:`TradeSession` bound to ``sink`` (``aconnect_ws`` instantiates the class)."""
    return type("TradeSession", (TradeSession,), {"route": (sink, max_message_chars)})
