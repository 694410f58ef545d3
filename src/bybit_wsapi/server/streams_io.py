"""The stream connections' sockets: frames in to :class:`~.streams.Streams`, replies and pushes
out through each connection's bounded :class:`~.streams_hub.Outbox` and its sender task.

Replies and pushes share one queue per connection, so a subscribe ack always precedes the
topic's snapshot and pushes keep their order. The idle rule (nothing received and nothing sent
for ``idle_timeout`` or ``max_active_time``) is checked on a tick, as Bybit does.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping

from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed

from .config import ServerConfig
from .faults import Faults
from .frames import encode
from .handshake import Route
from .streams import Streams, StreamSession
from .streams_hub import Hub, Outbox, private_scope

__all__ = ["StreamConnection", "StreamServer", "now_ms", "watch_idle"]

LOG = logging.getLogger(__name__)

PublicHook = Callable[[str, str], Mapping[str, object] | None]
"""``(category, topic) -> snapshot or None``: a public subscription started."""


def now_ms() -> int:
    """The server clock in ms (wall time, as Bybit's timestamps)."""
    return time.time_ns() // 1_000_000


async def watch_idle(
    last_activity: Callable[[], float],
    timeout: float,
    tick: float,
    close: Callable[[], Awaitable[None]],
    conn_id: str,
) -> None:
    """Every ``tick`` seconds, close the connection if it was idle for ``timeout`` seconds."""
    clock = asyncio.get_running_loop().time
    tick = min(tick, timeout)
    while clock() - last_activity() < timeout:
        await asyncio.sleep(tick)
    LOG.info("closing connection %s: idle for %s s", conn_id, timeout)
    await close()


class StreamConnection:
    """One stream connection: its socket, protocol session, send queue and activity."""

    __slots__ = ("closed", "last_activity", "outbox", "sent", "session", "ws")

    def __init__(self, ws: ServerConnection, session: StreamSession, outbox: Outbox) -> None:
        self.ws = ws
        self.session = session
        self.outbox = outbox
        self.last_activity = asyncio.get_running_loop().time()
        self.closed = asyncio.Event()
        self.sent = 0
        """Frames written."""

    def scope(self) -> str:
        """The hub scope of its topics: the category, or the account."""
        session = self.session
        if session.stream == "private":
            assert session.api_key is not None
            return private_scope(session.api_key)
        return session.stream


class StreamServer:
    """Serves ``/v5/private`` and ``/v5/public/*`` connections for a :class:`LocalServer`."""

    def __init__(
        self,
        config: ServerConfig,
        faults: Faults,
        streams: Streams,
        hub: Hub,
        on_change: Callable[[], None],
    ) -> None:
        self.config = config
        self.faults = faults
        self.streams = streams
        self.hub = hub
        self.connections: dict[ServerConnection, StreamConnection] = {}
        self._on_change = on_change
        self.on_public_subscribe: PublicHook | None = None
        """The market's snapshot for a new public subscriber."""
        self.on_public_unsubscribe: Callable[[str, str], None] | None = None
        self.on_private_change: Callable[[str], None] | None = None
        """``(api_key)``: the account's private subscriptions changed."""

    async def serve(self, ws: ServerConnection, route: Route) -> None:
        """Run one stream connection until it closes."""
        session = self.streams.open_session(route.stream)
        outbox = Outbox(self.config.stream_queue_bytes, lambda: self._overflow(connection))
        connection = StreamConnection(ws, session, outbox)
        self.connections[ws] = connection
        self._on_change()
        timeout = route.idle_timeout or self.config.idle_timeout
        tasks = [
            asyncio.create_task(self._send(connection)),
            asyncio.create_task(
                watch_idle(
                    lambda: connection.last_activity,
                    timeout,
                    self.config.idle_check_interval,
                    lambda: ws.close(1000, "idle timeout"),
                    session.conn_id,
                )
            ),
        ]
        try:
            await self._receive(connection)
        except ConnectionClosed:
            pass
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            outbox.flushed.set()
            if session.live:
                self._stop(connection, list(session.topics))
            del self.connections[ws]
            connection.closed.set()
            self._on_change()

    async def _receive(self, connection: StreamConnection) -> None:
        ws, session, outbox = connection.ws, connection.session, connection.outbox
        clock = asyncio.get_running_loop().time
        handle = self.streams.handle
        async for message in ws:
            connection.last_activity = clock()
            now = now_ms()
            result = handle(session, message, now)
            for reply in result.replies:
                outbox.put(encode(reply))
            if result.unsubscribed:
                self._stop(connection, result.unsubscribed)
            if result.subscribed:
                self._start(connection, result.subscribed)

    def _start(self, connection: StreamConnection, topics: list[str]) -> None:
        scope = connection.scope()
        hub, outbox, hook = self.hub, connection.outbox, self.on_public_subscribe
        public = connection.session.stream != "private"
        for topic in topics:
            hub.add(scope, topic, outbox)
            if public and hook is not None:
                snapshot = hook(scope, topic)
                if snapshot is not None:
                    outbox.put(encode(snapshot))
        self._private_changed(connection)

    def _stop(self, connection: StreamConnection, topics: list[str]) -> None:
        scope = connection.scope()
        hook = self.on_public_unsubscribe
        public = connection.session.stream != "private"
        for topic in topics:
            self.hub.remove(scope, topic, connection.outbox)
            if public and hook is not None:
                hook(scope, topic)
        self._private_changed(connection)

    def _private_changed(self, connection: StreamConnection) -> None:
        key, hook = connection.session.api_key, self.on_private_change
        if connection.session.stream == "private" and key is not None and hook is not None:
            hook(key)

    async def _send(self, connection: StreamConnection) -> None:
        ws, outbox, faults = connection.ws, connection.outbox, self.faults
        clock = asyncio.get_running_loop().time
        try:
            while True:
                await outbox.ready.wait()
                while (text := outbox.pop()) is not None:
                    await ws.send(text)
                    connection.sent += 1
                    limit = faults.stream_drop_after_pushes
                    if limit is not None and connection.sent >= limit:
                        ws.transport.close()  # the fault: no close frame
                        return
                outbox.flushed.set()
                connection.last_activity = clock()
        except ConnectionClosed:
            pass
        finally:
            outbox.flushed.set()  # nothing more will be written: nobody waits in vain

    def _overflow(self, connection: StreamConnection) -> None:
        LOG.warning(
            "dropping stream connection %s: a slow consumer, more than %d bytes queued "
            "(stream_queue_bytes)",
            connection.session.conn_id,
            self.config.stream_queue_bytes,
        )
        connection.ws.transport.abort()

    async def flushed(self, account: str | None = None) -> None:
        """Wait until every stream connection (only ``account``'s private ones, if given) has
        written what was queued for it."""
        for connection in list(self.connections.values()):
            session = connection.session
            if account is None or (session.stream == "private" and session.api_key == account):
                await connection.outbox.flushed.wait()

    async def drop(self) -> None:
        """Abort every stream connection (no close frame) and wait until they are gone."""
        connections = list(self.connections.values())
        for connection in connections:
            connection.ws.transport.abort()
        for connection in connections:
            await connection.closed.wait()
