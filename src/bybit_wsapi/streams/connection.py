"""One stream socket (a public category's, or ``/v5/private``): its part in the supervisor loop
every socket runs on.

The :class:`~bybit_wsapi.supervisor.Supervisor`, the trade socket's, connects it on first use,
authenticates it (private only: ``auth`` is acknowledged before any subscribe is written), pings
it, and reconnects it with the same backoff and the same budget of new connections
(``max_new_connections`` per ``new_connections_window``, shared by the client's stream sockets);
a first connect that fails for ``connect_timeout`` gives up, leaving no task, and every waiting
call fails. The sans-I/O :class:`~.protocol.StreamProtocol` is fed every received frame; this
class is its :class:`~bybit_wsapi.dialect.Dialect`: while a session is ready its writer writes
the subscription table's requests as they appear.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Coroutine
from typing import Any

from bybit_wsapi_generated import StreamWsKey
from bybit_wsapi_generated.streams import STREAMS

from ..events import EventEmitter
from ..options import ConnectionOptions
from ..retry import ConnectionBudget
from ..supervisor import Supervisor
from ..transport import WireSession
from .protocol import StreamProtocol
from .subscriptions import SubscriptionTable
from .topics import StreamTopics

__all__ = ["StreamConnection"]

_CLOSED = "the client was closed"


class StreamConnection:
    """The socket ``ws_key`` of one client, across its reconnects."""

    def __init__(
        self,
        ws_key: StreamWsKey,
        options: ConnectionOptions,
        events: EventEmitter,
        budget: ConnectionBudget,
    ) -> None:
        assert options.stream_urls is not None
        self.ws_key = ws_key
        self.url = options.stream_urls[ws_key]
        self.options = dataclasses.replace(options, url=self.url, ws_key=ws_key)
        self.events = events
        self.budget = budget
        """New connections allowed (Bybit: 500 per 5 minutes), shared by the client's sockets."""
        self.authenticates = STREAMS[ws_key]["access"] == "private"
        self.protocol = StreamProtocol(
            ws_key, events, recv_window_ms=options.recv_window_ms, wake=self.flush
        )
        self._supervisor: Supervisor | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._writable = asyncio.Event()
        self._closed = False

    @property
    def table(self) -> SubscriptionTable:
        return self.protocol.table

    @property
    def topics(self) -> StreamTopics:
        return self.protocol.topics

    @property
    def pongs(self) -> int:
        """Pongs received (every dialect's shape)."""
        return self.protocol.pongs

    @property
    def unrecognised(self) -> int:
        return self.protocol.unrecognised

    @property
    def is_open(self) -> bool:
        """Whether a session is up and (private) authenticated."""
        return self.table.ready

    @property
    def ever_open(self) -> bool:
        return self.protocol.ever_open

    @property
    def last_error(self) -> str | None:
        """Why the last connect failed or the last session was lost, if one did."""
        supervisor = self._supervisor
        return (supervisor.last_error or None) if supervisor is not None else None

    @property
    def running(self) -> bool:
        return self._supervisor is not None and self._supervisor.task is not None

    def start(self) -> None:
        """Make sure the supervisor runs (it connects on first use)."""
        if self._closed:
            return
        loop = asyncio.get_running_loop()
        supervisor = self._supervisor
        if supervisor is None or (supervisor.task is None and self._loop is not loop):
            self._loop, self._writable = loop, asyncio.Event()
            supervisor = self._supervisor = Supervisor(
                self.options, dialect=self, events=self.events, budget=self.budget, loop=loop
            )
        supervisor.ready()

    def flush(self) -> None:
        """Write whatever the table has queued (now, if the session is ready)."""
        self._writable.set()

    async def close(self) -> None:
        """End the session and the supervisor; every waiting call fails. Idempotent."""
        self._closed = True
        self.protocol.close(_CLOSED)
        supervisor = self._supervisor
        if supervisor is not None:
            was_live = supervisor.live
            await supervisor.close(_CLOSED)
            if was_live:
                self.events.emit("close", {"wsKey": self.ws_key})

    # -- the dialect (what the supervisor asks) --------------------------------------------------

    def session_ready(self, session: WireSession) -> Coroutine[Any, Any, None]:
        return self._write(session)

    def session_ended(self) -> None:
        """Nothing to do: the protocol's ``connection_lost`` forgets the session's topics."""

    def waiting(self) -> bool:
        return bool(self.table.wanted)

    def give_up(self, error: Exception) -> None:
        self.events.emit("exception", error)
        self.protocol.give_up(f"no connection to {self.url}: {error}")

    async def _write(self, session: WireSession) -> None:
        """The writer of a ready session: the table's requests, as they appear."""
        while True:
            self._writable.clear()
            frames = [batch.frame for batch in self.table.batches()]
            if frames:
                await session.send_texts(frames)
                continue
            await self._writable.wait()
