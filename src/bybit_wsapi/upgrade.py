"""httpx-ws's ``aconnect_ws`` held open by an owner task, and its failures as clear errors.

httpx-ws requires the task that enters ``aconnect_ws`` to exit it. :class:`HeldUpgrade` gives the
session its own owner task, so a connection may open a session in one task and close it in
another. Both session implementations connect through it.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Awaitable, Callable, Iterator, Mapping

import httpx
from httpx_ws import AsyncWebSocketSession, WebSocketUpgradeError, aconnect_ws

from .transport_api import TransportConnectError, UpgradeRejectedError

__all__ = ["HeldUpgrade", "connect_error", "describe"]

Serve = Callable[[AsyncWebSocketSession], Awaitable[str]]
"""Runs the open session in the owner task; returns why the session ended."""


class HeldUpgrade:
    """One ``aconnect_ws`` session, entered and exited by its own owner task."""

    def __init__(
        self,
        serve: Serve,
        *,
        http_transport: httpx.AsyncBaseTransport | None = None,
        session_class: type[AsyncWebSocketSession] = AsyncWebSocketSession,
        prepare: Callable[[AsyncWebSocketSession], None] | None = None,
    ) -> None:
        self._serve = serve
        self._prepare = prepare
        self._http_transport = http_transport
        self._session_class = session_class
        self._owner: asyncio.Task[None] | None = None
        self._ended = asyncio.Event()
        self.reason = ""
        """Why the session ended (empty while it is open)."""

    @property
    def ended(self) -> bool:
        return self._ended.is_set()

    async def start(
        self,
        url: str,
        *,
        headers: Mapping[str, str],
        open_timeout: float,
        ssl_context: ssl.SSLContext | None,
    ) -> AsyncWebSocketSession:
        """Connect and upgrade; the session stays open until ``serve`` returns."""
        opened: asyncio.Future[AsyncWebSocketSession] = asyncio.get_running_loop().create_future()
        owner = asyncio.create_task(
            self._own(url, dict(headers), open_timeout, ssl_context, opened),
            name=f"bybit-wsapi session {url}",
        )
        self._owner = owner
        try:
            async with asyncio.timeout(open_timeout):
                return await asyncio.shield(opened)
        except TimeoutError:
            raise TransportConnectError(
                f"no WebSocket session with {url} within {open_timeout:g} s"
            ) from None
        finally:
            if not opened.done() or opened.cancelled() or opened.exception() is not None:
                owner.cancel()
                await asyncio.gather(owner, return_exceptions=True)

    async def wait(self) -> str:
        await self._ended.wait()
        return self.reason

    async def stop(self, timeout: float) -> None:
        """Wait (bounded) for the owner to leave ``aconnect_ws``; cancel it past ``timeout``."""
        owner = self._owner
        if owner is None:
            return
        try:
            async with asyncio.timeout(timeout):
                await asyncio.shield(owner)
        except TimeoutError:
            owner.cancel()
            await asyncio.gather(owner, return_exceptions=True)

    def end(self, reason: str) -> None:
        """Record that the session is over (the first reason wins)."""
        if not self._ended.is_set():
            self.reason = reason
            self._ended.set()

    async def _own(
        self,
        url: str,
        headers: dict[str, str],
        open_timeout: float,
        ssl_context: ssl.SSLContext | None,
        opened: asyncio.Future[AsyncWebSocketSession],
    ) -> None:
        verify: ssl.SSLContext | bool = (
            ssl_context if ssl_context is not None else url.startswith(("wss:", "https:"))
        )
        try:
            async with (
                httpx.AsyncClient(
                    timeout=httpx.Timeout(open_timeout),
                    verify=verify,
                    transport=self._http_transport,
                ) as http,
                aconnect_ws(
                    url,
                    http,
                    keepalive_ping_interval_seconds=None,
                    session_class=self._session_class,
                    headers=headers,
                ) as ws,
            ):
                if self._prepare is not None:
                    self._prepare(ws)  # its errors fail the open
                opened.set_result(ws)
                self.end(await self._serve(ws))
        except Exception as exc:  # errors leave httpx-ws's task group inside ExceptionGroups
            if not opened.done():
                opened.set_exception(connect_error(url, exc))
            self.end(f"the connection was lost ({describe(next(leaves(exc)))})")
        finally:
            self.end("the connection was lost")


def connect_error(url: str, exc: BaseException) -> ConnectionError:
    """What a failed connect attempt becomes: a rejected upgrade, or why none happened."""
    error = next(leaves(exc))
    if isinstance(error, UpgradeRejectedError | TransportConnectError):  # already clear
        return error
    if isinstance(error, WebSocketUpgradeError):
        return UpgradeRejectedError(url, error.response.status_code)
    if isinstance(error, httpx.TimeoutException):
        message = f"timed out connecting to {url}"
    elif isinstance(error, httpx.UnsupportedProtocol | httpx.InvalidURL):
        message = f"{url!r} is not a usable WebSocket URL ({error}); expected ws:// or wss://"
    elif isinstance(error, httpx.ConnectError):
        message = f"cannot connect to {url}: {describe(error)}"
    else:
        message = f"cannot open a WebSocket session with {url}: {describe(error)}"
    result = TransportConnectError(message)
    result.__cause__ = error
    return result


def leaves(exc: BaseException) -> Iterator[BaseException]:
    """The exceptions inside (possibly nested) exception groups, or ``exc`` itself."""
    if isinstance(exc, BaseExceptionGroup):
        for inner in exc.exceptions:
            yield from leaves(inner)
    else:
        yield exc


def describe(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
