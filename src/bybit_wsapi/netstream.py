"""An httpcore network backend whose streams this package owns, and an httpx transport over it.

httpx (through httpcore, the connection pool, TLS and the HTTP/1.1 upgrade) connects exactly as
it always does, but over :class:`WireStream`: an asyncio transport with our :class:`WireProtocol`.
httpcore's ``start_tls`` (``wss://``) puts :class:`~.transport_tls.TLSLayer` between the two,
with the ``ssl.SSLContext`` httpx was given.
After the 101, the fast session becomes the transport's protocol
(:meth:`WireProtocol.hand_over`) and parses frames straight from ``data_received``. Only public interfaces are used: httpcore's
``AsyncNetworkBackend``/``AsyncNetworkStream``, httpx's ``AsyncBaseTransport``, and
``get_extra_info``, which httpcore's upgrade stream passes through to ours.

While httpcore reads (the HTTP exchange), a read returns at most up to the end of the next HTTP
head (``\\r\\n\\r\\n``), so h11 is never handed the WebSocket bytes that follow a 101 response.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import AsyncIterator, Iterable
from typing import Any, cast

import httpcore
import httpx

from .transport_tls import TLSLayer

__all__ = ["WIRE_INFO", "WireBackend", "WireProtocol", "WireStream", "WireTransport"]

WIRE_INFO = "bybit_wsapi.wire"
"""``get_extra_info`` key under which a :class:`WireStream` returns itself."""

_HEAD_END = b"\r\n\r\n"
_READ_BUFFER_LIMIT = 1 << 20
"""Bytes buffered before httpcore reads them; reading from the socket pauses above this."""


class WireProtocol(asyncio.Protocol):
    """The protocol while httpcore reads and writes: buffers, and tracks write pauses."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.eof = False
        self.lost = False
        self.lost_error: Exception | None = None
        self.write_paused = False
        self._waiter: asyncio.Future[None] | None = None
        self._drain_waiters: list[asyncio.Future[None]] = []

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's are not subclasses

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if len(self.buffer) > _READ_BUFFER_LIMIT and self.transport is not None:
            self.transport.pause_reading()
        self._wake()

    def eof_received(self) -> bool | None:
        self.eof = True
        self._wake()
        return None  # asyncio closes the transport

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = True
        self.lost_error = exc
        self._wake()
        self.resume_writing()

    def pause_writing(self) -> None:
        self.write_paused = True

    def resume_writing(self) -> None:
        self.write_paused = False
        for waiter in self._drain_waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._drain_waiters.clear()

    async def drain(self) -> None:
        """Wait while the transport's write buffer is over its high-water mark (or until lost)."""
        while self.write_paused and not self.lost:
            waiter = asyncio.get_running_loop().create_future()
            self._drain_waiters.append(waiter)
            await waiter

    async def wait_readable(self) -> None:
        if self.buffer or self.eof or self.lost:
            return
        self._waiter = asyncio.get_running_loop().create_future()
        try:
            await self._waiter
        finally:
            self._waiter = None

    def hand_over(self, protocol: asyncio.BaseProtocol) -> bytes:
        """Make ``protocol`` the transport's protocol; returns what was buffered until now.

        The caller checks :attr:`lost` and :attr:`eof` (what happened before the hand-over) and
        :attr:`write_paused` (``protocol`` gets ``resume_writing`` from now on).
        """
        assert self.transport is not None
        self.transport.set_protocol(protocol)
        pending = bytes(self.buffer)
        self.buffer.clear()
        if not self.lost:
            self.transport.resume_reading()
        return pending

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)


class WireStream(httpcore.AsyncNetworkStream):
    """An httpcore network stream over an asyncio transport and its :class:`WireProtocol`."""

    def __init__(self, transport: asyncio.Transport, protocol: WireProtocol) -> None:
        self.transport = transport
        self.protocol = protocol
        self.heads_whole = True
        """Whether every read so far ended at the end of an HTTP head (nothing beyond it)."""

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        protocol = self.protocol
        try:
            async with asyncio.timeout(timeout):
                await protocol.wait_readable()
        except TimeoutError:
            raise httpcore.ReadTimeout(f"no data within {timeout:g} s") from None
        buffer = protocol.buffer
        if not buffer:
            if protocol.lost_error is not None:
                raise httpcore.ReadError(str(protocol.lost_error))
            return b""
        end = buffer.find(_HEAD_END)
        take = max_bytes if end < 0 else min(max_bytes, end + len(_HEAD_END))
        data = bytes(buffer[:take])
        del buffer[:take]
        self.heads_whole = end >= 0 and end + len(_HEAD_END) == take
        if len(buffer) <= _READ_BUFFER_LIMIT and not protocol.lost:
            self.transport.resume_reading()
        return data

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if self.protocol.lost or self.transport.is_closing():
            raise httpcore.WriteError("the connection is closed")
        self.transport.write(buffer)
        try:
            async with asyncio.timeout(timeout):
                await self.protocol.drain()
        except TimeoutError:
            raise httpcore.WriteTimeout(f"the socket took nothing for {timeout:g} s") from None

    async def aclose(self) -> None:
        self.transport.close()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> WireStream:
        tls = TLSLayer(self.transport, self.protocol, ssl_context, server_hostname)
        try:
            async with asyncio.timeout(timeout):
                await tls.handshake()  # aborts the socket if it fails
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"no TLS handshake within {timeout:g} s") from None
        except (OSError, ssl.SSLError) as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        self.protocol.transport = tls
        return WireStream(tls, self.protocol)

    def get_extra_info(self, info: str) -> Any:
        if info == WIRE_INFO:
            return self
        if info == "is_readable":
            return bool(self.protocol.buffer) or self.protocol.eof or self.protocol.lost
        key = {"client_addr": "sockname", "server_addr": "peername"}.get(info, info)
        return self.transport.get_extra_info(key)


class WireBackend(httpcore.AsyncNetworkBackend):
    """httpcore connects through this: TCP (or a Unix socket) with a :class:`WireProtocol`."""

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> WireStream:
        loop = asyncio.get_running_loop()
        local = None if local_address is None else (local_address, 0)
        try:
            async with asyncio.timeout(timeout):
                transport, protocol = await loop.create_connection(
                    WireProtocol, host, port, local_addr=local
                )
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"no TCP connection within {timeout:g} s") from None
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        sock = transport.get_extra_info("socket")
        for option in socket_options or ():
            sock.setsockopt(*option)
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return WireStream(transport, protocol)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> WireStream:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                transport, protocol = await loop.create_unix_connection(WireProtocol, path)
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"no connection within {timeout:g} s") from None
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        return WireStream(transport, protocol)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


_HTTPX_ERRORS: dict[type[Exception], type[httpx.TransportError]] = {
    httpcore.ConnectTimeout: httpx.ConnectTimeout,
    httpcore.ReadTimeout: httpx.ReadTimeout,
    httpcore.WriteTimeout: httpx.WriteTimeout,
    httpcore.PoolTimeout: httpx.PoolTimeout,
    httpcore.ConnectError: httpx.ConnectError,
    httpcore.ReadError: httpx.ReadError,
    httpcore.WriteError: httpx.WriteError,
    httpcore.UnsupportedProtocol: httpx.UnsupportedProtocol,
    httpcore.RemoteProtocolError: httpx.RemoteProtocolError,
    httpcore.LocalProtocolError: httpx.LocalProtocolError,
}


class _ResponseStream(httpx.AsyncByteStream):
    def __init__(self, stream: Any) -> None:
        self._stream = stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._stream:
            yield chunk

    async def aclose(self) -> None:
        await self._stream.aclose()


class WireTransport(httpx.AsyncBaseTransport):
    """An httpx transport: an HTTP/1.1 httpcore pool connecting through :class:`WireBackend`."""

    def __init__(self, ssl_context: ssl.SSLContext | None) -> None:
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context, http1=True, http2=False, network_backend=WireBackend()
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.AsyncByteStream)
        core = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        try:
            response = await self._pool.handle_async_request(core)
        except Exception as exc:
            mapped = _HTTPX_ERRORS.get(type(exc))
            if mapped is None:
                raise
            raise mapped(str(exc), request=request) from exc
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_ResponseStream(response.stream),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        await self._pool.aclose()
