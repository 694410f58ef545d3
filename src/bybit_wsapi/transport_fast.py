"""The fast session: httpx-ws upgrades, then :mod:`.framer` runs straight from ``data_received``.

httpx-ws makes the connection (``aconnect_ws``: the upgrade, TLS configuration, upgrade errors)
through :class:`~.netstream.WireTransport`, so the network stream under it is ours. httpx-ws's
session object is kept without its background tasks; after the 101 this session becomes the
asyncio transport's protocol: each chunk read is parsed at once and each message handed to the
callback in the same call, and :meth:`FastSession.send_texts` writes its frames in one
``transport.write``, waiting only when the write buffer is over its high-water mark.

If the stream under httpx-ws is not ours (:class:`FastPathUnavailableError`), :func:`.open_session`
falls back to the plain session.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import ssl
from collections.abc import AsyncGenerator, Mapping, Sequence

from httpx_ws import AsyncWebSocketSession

from .framer import MESSAGE_TOO_BIG, ClientFramer, Closed
from .netstream import WIRE_INFO, WireStream, WireTransport
from .transport_api import (
    CLOSE_TIMEOUT,
    SessionClosedError,
    SessionWriteError,
    TextSink,
    TransportConnectError,
    too_large,
)
from .upgrade import HeldUpgrade, describe

__all__ = ["FastPathUnavailableError", "FastSession", "open_fast"]

_ACCEPT_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class FastPathUnavailableError(TransportConnectError):
    """The upgraded stream under httpx-ws is not one this package owns; use the plain session."""


class _Handoff(AsyncWebSocketSession):
    """httpx-ws's session object without its background tasks: :class:`FastSession` does the I/O."""

    @contextlib.asynccontextmanager
    async def __asynccontextmanager__(self) -> AsyncGenerator[AsyncWebSocketSession, None]:
        yield self


_READ_SIZE = 1 << 18
"""Bytes one socket read may take (as asyncio's own socket transports)."""


class FastSession(asyncio.BufferedProtocol):
    """A :class:`~.transport.WireSession` whose frames are parsed as each chunk is read.

    Over TCP the socket reads into this session's own buffer (``get_buffer``), where asyncio's
    default would allocate 256 KiB per read: in a process where that size is above glibc's mmap
    threshold, each read would cost an mmap, an mremap, a munmap and page faults. Over TLS the
    :class:`~.transport_tls.TLSLayer` hands plaintext to ``data_received``.
    """

    def __init__(
        self, on_text: TextSink, max_message_bytes: int, ssl_context: ssl.SSLContext | None
    ) -> None:
        self._on_text = on_text
        self._framer = ClientFramer(max_message_bytes)
        self._held = HeldUpgrade(
            self._serve,
            http_transport=WireTransport(ssl_context),
            session_class=_Handoff,
            prepare=self._attach,
        )
        self._transport: asyncio.Transport | None = None
        self._write_paused = False
        self._drain_waiters: list[asyncio.Future[None]] = []
        self._closing = ""
        """Why the client closes (empty until :meth:`close`)."""
        self._lost = asyncio.Event()
        self._buffer = memoryview(bytearray(_READ_SIZE))

    # -- WireSession -----------------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        return self._held.ended

    def try_send(self, frames: Sequence[str]) -> bool:
        transport = self._transport
        if transport is None or self._write_paused or self._closing or self._held.ended:
            return False
        transport.write(self._framer.encode_texts(frames))
        return True

    async def send_texts(self, frames: Sequence[str]) -> None:
        transport = self._transport
        if transport is None or self._closing or self._held.ended:
            raise SessionClosedError(self._held.reason or "the session is closing")
        transport.write(self._framer.encode_texts(frames))
        if self._write_paused:
            await self._drain()

    async def close(self, code: int = 1000, reason: str = "") -> None:
        transport = self._transport
        if transport is not None and not self._closing and not self._held.ended:
            self._closing = f"closed by the client (code {code})"
            if self._write_paused:  # the peer is not reading: a close frame would wait behind
                self._end(f"{self._closing}; the server was not reading, so the socket was dropped")
                transport.abort()
            else:
                transport.write(self._framer.close(code, reason))
                try:
                    async with asyncio.timeout(CLOSE_TIMEOUT):
                        await self._held.wait()  # the peer's close frame, or the socket's end
                except TimeoutError:
                    self._end(f"{self._closing}; the server did not answer the close")
                    transport.abort()
        self._closing = self._closing or "closed by the client"
        await self._held.stop(CLOSE_TIMEOUT)

    async def wait_closed(self) -> str:
        return await self._held.wait()

    # -- asyncio.Protocol ------------------------------------------------------------------------

    def get_buffer(self, sizehint: int) -> memoryview:
        return self._buffer

    def buffer_updated(self, nbytes: int) -> None:
        self.data_received(bytes(self._buffer[:nbytes]))

    def data_received(self, data: bytes) -> None:
        framer = self._framer
        events = framer.feed(data)
        if framer.outgoing:  # pongs, or the close frame owed to the peer
            assert self._transport is not None
            self._transport.write(bytes(framer.outgoing))
            framer.outgoing.clear()
        sink = self._on_text
        for event in events:
            if type(event) is str:
                sink(event)
            else:
                assert isinstance(event, Closed)
                self._closed_by(event)

    def eof_received(self) -> bool | None:
        return None  # asyncio closes the transport: connection_lost follows

    def connection_lost(self, exc: Exception | None) -> None:
        self._lost.set()
        self._wake_writers()
        if self._closing:
            self._end(self._closing)
        elif exc is None:
            self._end(
                "the connection was lost (the server closed the socket without a close frame)"
            )
        else:
            self._end(f"the connection was lost ({describe(exc)})")

    def pause_writing(self) -> None:
        self._write_paused = True

    def resume_writing(self) -> None:
        self._write_paused = False
        self._wake_writers()

    # -- internals -------------------------------------------------------------------------------

    def _attach(self, ws: AsyncWebSocketSession) -> None:
        """Right after the 101, in the owner task: take the asyncio transport over."""
        stream = ws.stream.get_extra_info(WIRE_INFO)
        if not isinstance(stream, WireStream) or not stream.heads_whole:
            raise FastPathUnavailableError(
                "httpx-ws's upgraded stream is not this package's stream"
            )
        _check_accept(ws)
        wire = stream.protocol
        self._transport = stream.transport
        self._write_paused = wire.write_paused
        pending = wire.hand_over(self)
        if pending:
            self.data_received(pending)
        if wire.lost or wire.eof:
            self.connection_lost(wire.lost_error)

    async def _serve(self, _ws: AsyncWebSocketSession) -> str:
        """The owner task: wait for the end, then close the socket (bounded) before httpx-ws exits."""
        transport = self._transport
        assert transport is not None
        try:
            reason = await self._held.wait()
            transport.close()
            async with asyncio.timeout(CLOSE_TIMEOUT):
                await self._lost.wait()
            return reason
        finally:
            if not self._lost.is_set():
                transport.abort()

    def _closed_by(self, event: Closed) -> None:
        if event.by_peer:
            if self._closing:
                self._end(self._closing)
            else:
                reason = f" {event.reason!r}" if event.reason else ""
                self._end(f"the server closed the connection (code {event.code}{reason})")
        elif event.code == MESSAGE_TOO_BIG:
            self._end(too_large(self._framer.max_message_bytes))
        else:
            self._end(
                f"the server broke the WebSocket protocol ({event.reason}): closed, {event.code}"
            )
        assert self._transport is not None
        self._transport.close()

    def _end(self, reason: str) -> None:
        self._held.end(reason)
        self._wake_writers()

    def _wake_writers(self) -> None:
        for waiter in self._drain_waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._drain_waiters.clear()

    async def _drain(self) -> None:
        loop = asyncio.get_running_loop()
        while self._write_paused and not self._held.ended:
            waiter = loop.create_future()
            self._drain_waiters.append(waiter)
            await waiter
        if self._held.ended:
            raise SessionWriteError(f"the session ended while writing: {self._held.reason}")


def _check_accept(ws: AsyncWebSocketSession) -> None:
    """RFC 6455 §4.1: the server must answer our key, and with no extension we did not offer."""
    response = ws.response
    assert response is not None
    key = response.request.headers.get("sec-websocket-key", "")
    expected = base64.b64encode(hashlib.sha1(key.encode() + _ACCEPT_GUID).digest()).decode()
    if response.headers.get("sec-websocket-accept") != expected:
        raise TransportConnectError(
            f"{response.request.url} answered the upgrade without a valid Sec-WebSocket-Accept"
        )
    if response.headers.get("sec-websocket-extensions"):
        raise TransportConnectError(
            f"{response.request.url} enabled a WebSocket extension that was not offered"
        )


async def open_fast(
    url: str,
    *,
    on_text: TextSink,
    max_message_bytes: int,
    headers: Mapping[str, str],
    open_timeout: float,
    ssl_context: ssl.SSLContext | None,
) -> FastSession:
    """Open a :class:`FastSession` (errors as :func:`.transport.open_session`)."""
    session = FastSession(on_text, max_message_bytes, ssl_context)
    await session._held.start(
        url, headers=headers, open_timeout=open_timeout, ssl_context=ssl_context
    )
    return session
