"""The plain session: httpx-ws's stock ``AsyncWebSocketSession`` behind :class:`~.transport.WireSession`.

Public httpx-ws API only; it is the fallback of the fast path and the reference it is tested
against. httpx-ws needs one task to enter and exit ``aconnect_ws``, so an owner task holds the
session (see :mod:`.upgrade`); a reader task inside it hands every message to the callback.
httpx-ws reassembles fragmented messages itself, so here the size limit applies to each whole
message once received.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import Mapping, Sequence

import wsproto.events
import wsproto.utilities
from httpx_ws import AsyncWebSocketSession, HTTPXWSException, WebSocketDisconnect

from .transport_api import (
    CLOSE_TIMEOUT,
    SessionClosedError,
    SessionWriteError,
    TextSink,
    too_large,
)
from .upgrade import HeldUpgrade, describe

__all__ = ["PlainSession", "open_plain"]


class PlainSession:
    """A :class:`~.transport.WireSession` on httpx-ws's stock session."""

    def __init__(self, on_text: TextSink, max_message_bytes: int) -> None:
        self._on_text = on_text
        self._limit = max_message_bytes
        self._held = HeldUpgrade(self._serve)
        self._ws: AsyncWebSocketSession | None = None
        self._lock = asyncio.Lock()
        self._close_requested = asyncio.Event()
        self._close_args = (1000, "")

    @property
    def closed(self) -> bool:
        return self._held.ended

    def try_send(self, frames: Sequence[str]) -> bool:
        return False  # httpx-ws writes under its lock, in a coroutine

    async def send_texts(self, frames: Sequence[str]) -> None:
        ws = self._ws
        if ws is None or self.closed or self._close_requested.is_set():
            raise SessionClosedError(self._held.reason or "the session is closing")
        async with self._lock:
            for i, frame in enumerate(frames):
                try:
                    await ws.send_text(frame)
                except wsproto.utilities.LocalProtocolError:  # closing: nothing of it was written
                    if i == 0:
                        raise SessionClosedError("the session is closing") from None
                    raise SessionWriteError(f"the session closed after {i} frames") from None
                except (HTTPXWSException, OSError) as exc:
                    raise SessionWriteError(f"writing failed ({describe(exc)})") from exc

    async def close(self, code: int = 1000, reason: str = "") -> None:
        if not self._close_requested.is_set():
            self._close_args = (code, reason)
            self._close_requested.set()
        await self._held.stop(CLOSE_TIMEOUT)

    async def wait_closed(self) -> str:
        return await self._held.wait()

    async def _serve(self, ws: AsyncWebSocketSession) -> str:
        """Run inside ``aconnect_ws`` in the owner task; returns why the session ended."""
        self._ws = ws
        reader = asyncio.ensure_future(self._receive(ws))
        closing = asyncio.ensure_future(self._close_requested.wait())
        try:
            await asyncio.wait((reader, closing), return_when=asyncio.FIRST_COMPLETED)
            if reader.done():
                return reader.result()
            code, reason = self._close_args
            with contextlib.suppress(Exception):
                async with asyncio.timeout(CLOSE_TIMEOUT):
                    await ws.close(code, reason or None)
            return f"closed by the client (code {code})"
        finally:
            for task in (reader, closing):
                task.cancel()
            await asyncio.gather(reader, closing, return_exceptions=True)

    async def _receive(self, ws: AsyncWebSocketSession) -> str:
        limit = self._limit
        sink = self._on_text
        while True:
            try:
                event = await ws.receive()
            except WebSocketDisconnect as exc:
                return f"the server closed the connection (code {exc.code}{_quoted(exc.reason)})"
            except HTTPXWSException as exc:
                return f"the connection was lost ({describe(exc)})"
            if isinstance(event, wsproto.events.TextMessage):
                text = event.data
                if len(text) * 4 > limit and len(text.encode()) > limit:
                    return too_large(limit)
            elif isinstance(event, wsproto.events.BytesMessage):
                if len(event.data) > limit:
                    return too_large(limit)
                text = bytes(event.data).decode("utf-8", errors="replace")
            else:
                continue
            sink(text)


def _quoted(reason: str | None) -> str:
    return f" {reason!r}" if reason else ""


async def open_plain(
    url: str,
    *,
    on_text: TextSink,
    max_message_bytes: int,
    headers: Mapping[str, str],
    open_timeout: float,
    ssl_context: ssl.SSLContext | None,
) -> PlainSession:
    """Open a :class:`PlainSession` (errors as :func:`.transport.open_session`)."""
    session = PlainSession(on_text, max_message_bytes)
    await session._held.start(
        url, headers=headers, open_timeout=open_timeout, ssl_context=ssl_context
    )
    return session
