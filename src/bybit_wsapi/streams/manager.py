"""A client's stream sockets: one :class:`~.connection.StreamConnection` per wsKey, opened on
first use, and the calls that wait for Bybit's acks (``subscribe_v5``, ``unsubscribe_v5``).

A call returns when every topic has Bybit's answer; it raises
:class:`~bybit_wsapi.errors.SubscriptionError` naming each refused topic and why. A call that
gets no answer within ``connect_timeout + request_timeout`` raises too, and its topics are given
up (unsubscribed) so that what raised is never left half-subscribed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from bybit_wsapi_generated import WS_KEY_MAP, StreamWsKey

from ..errors import ConfigurationError, StreamOverflowError, SubscriptionError
from ..events import EventEmitter
from ..options import ConnectionOptions
from ..retry import ConnectionBudget
from .connection import StreamConnection
from .subscriptions import TopicCall
from .topics import Sink, TopicState

__all__ = ["StreamManager"]


class StreamManager:
    """The stream sockets of one client."""

    def __init__(self, options: ConnectionOptions, events: EventEmitter) -> None:
        self.options = options
        self.events = events
        self.connections: dict[StreamWsKey, StreamConnection] = {}
        self.budget = ConnectionBudget(options.max_new_connections, options.new_connections_window)
        self.overflows = 0
        """Gaps reported to consumers that fell behind (each also on the ``exception`` event)."""
        self._closed = False

    def connection(self, ws_key: StreamWsKey) -> StreamConnection:
        """The socket of ``ws_key``, made on first use.

        Raises:
            ConfigurationError: the private socket on a client made without keys.
        """
        conn = self.connections.get(ws_key)
        if conn is None:
            if ws_key == WS_KEY_MAP.v5_private and self.options.keys_missing is not None:
                raise ConfigurationError(self.options.keys_missing)
            conn = StreamConnection(ws_key, self.options, self.events, self.budget)
            self.connections[ws_key] = conn
        return conn

    def attach(self, ws_key: StreamWsKey, topic: str, sink: Sink) -> TopicState:
        return self.connection(ws_key).topics.attach(topic, sink)

    def detach(self, ws_key: StreamWsKey, topic: str, sink: Sink) -> None:
        conn = self.connections.get(ws_key)
        if conn is not None:
            conn.topics.detach(topic, sink)

    def overflowed(self, error: StreamOverflowError) -> None:
        self.overflows += 1
        self.events.emit("exception", error)

    async def subscribe(self, ws_key: StreamWsKey, topics: Iterable[str], holder: object) -> None:
        """Subscribe ``topics`` on ``ws_key`` for ``holder``; returns once Bybit acknowledged.

        Raises:
            SubscriptionError: a topic was refused, or no answer came in time.
        """
        if self._closed:
            raise SubscriptionError("subscribe", dict.fromkeys(topics, "the client is closed"))
        conn = self.connection(ws_key)
        listed = list(topics)
        late = [topic for topic in listed if topic in conn.table.wanted and _new_book(conn, topic)]
        call = conn.table.subscribe(listed, holder)
        conn.start()
        conn.flush()
        await self._settled(conn, call, holder)
        for topic in late:  # a book joining a topic already subscribed needs its own snapshot
            conn.table.resync(topic)
        if late:
            conn.flush()

    async def unsubscribe(self, ws_key: StreamWsKey, topics: Iterable[str], holder: object) -> None:
        """Drop ``holder`` from ``topics``; those left without holders are unsubscribed."""
        conn = self.connections.get(ws_key)
        if conn is None:
            return
        call = conn.table.unsubscribe(topics, holder)
        conn.flush()
        await self._settled(conn, call, holder)

    async def _settled(self, conn: StreamConnection, call: TopicCall, holder: object) -> None:
        if not call.done:
            done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

            def settled(_call: TopicCall) -> None:
                if not done.done():
                    done.set_result(None)

            call.on_done = settled
            wait = self.options.connect_timeout + self.options.request_timeout
            try:
                async with asyncio.timeout(wait):
                    await done
            except TimeoutError:
                missing = [t for t in call.topics if t not in call.outcomes]
                if call.op == "subscribe":
                    conn.table.unsubscribe(missing, holder)
                    conn.flush()
                reason = f"no answer from Bybit within {wait:g} s"
                if not conn.ever_open and conn.last_error is not None:
                    reason += f" (no connection to {conn.url}: {conn.last_error})"
                failures = {**call.failures, **dict.fromkeys(missing, reason)}
                raise SubscriptionError(call.op, failures) from None
        if call.failures:
            raise SubscriptionError(call.op, call.failures)

    async def close(self) -> None:
        """Close every socket; every waiting call fails and no task is left."""
        self._closed = True
        await asyncio.gather(*(conn.close() for conn in self.connections.values()))


def _new_book(conn: StreamConnection, topic: str) -> bool:
    state = conn.topics.states.get(topic)
    return state is not None and state.book is not None and state.book.update_id is None
