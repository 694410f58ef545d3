"""The one authenticated connection to ``/v5/trade`` behind a ``WebsocketClient``.

Three parts, each with one job:

- :class:`~.trade.TradeProtocol` (sans-I/O) holds every request and decides what each reply,
  timeout or loss becomes; it settles the callers' futures synchronously as replies arrive;
- :class:`~.line.RequestLine` moves requests into it and frames onto the session;
- :class:`~.supervisor.Supervisor` opens, authenticates, pings and replaces sessions, as it does
  for the stream sockets; :class:`TradeDialect` is the trade socket's part in it.

:class:`TradeConnection` binds them to one event loop at a time (:meth:`TradeConnection._bind`)
and runs ``connect`` and ``close``.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Awaitable, Coroutine, Mapping
from typing import Any

from .errors import AuthenticationError, BybitWSError, WSConnectionError
from .events import EventEmitter
from .line import RequestLine
from .options import ConnectionOptions
from .requests import Waiter
from .retry import ConnectionBudget
from .session import Limits, Phase, Signal
from .supervisor import Supervisor
from .trade import TradeProtocol
from .transport import WireSession

__all__ = ["TradeConnection", "TradeDialect"]

logger = logging.getLogger(__name__)

_CLOSED = "the client was closed"


class TradeDialect:
    """The trade socket's :class:`~.dialect.Dialect`: it authenticates, and writes requests."""

    authenticates = True

    def __init__(self, protocol: TradeProtocol, line: RequestLine, events: EventEmitter) -> None:
        self.protocol = protocol
        self.line = line
        self.events = events

    def session_ready(self, session: WireSession) -> Coroutine[Any, Any, None]:
        self.line.live = session
        return self.line.write(session)

    def session_ended(self) -> None:
        self.line.live = None

    def waiting(self) -> bool:
        return any(not request.settled for request in self.protocol.table.queue)

    def give_up(self, error: Exception) -> None:
        protocol = self.protocol
        if isinstance(error, AuthenticationError):  # one event for all: it names no request
            protocol.fail_queued(
                lambda _r: AuthenticationError(error.ret_code, error.ret_msg, error.response),
                emit=False,
            )
            self.events.emit("exception", error)
        else:
            protocol.fail_queued(lambda r: protocol.not_sent(r, str(error)))


class TradeConnection:
    """The ``/v5/trade`` connection behind a ``WebsocketClient``."""

    def __init__(self, options: ConnectionOptions, events: EventEmitter) -> None:
        self.options = options
        self.events = events
        limits = Limits(
            request_timeout=options.request_timeout,
            connect_timeout=options.connect_timeout,
            recv_window_ms=options.recv_window_ms,
            max_request_bytes=options.max_frame_bytes,
        )
        self.protocol = TradeProtocol(
            options.ws_key, limits, events, self._signal, referer=options.referer
        )
        self._budget = ConnectionBudget(options.max_new_connections, options.new_connections_window)
        self._closed = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._line: RequestLine | None = None
        self._supervisor: Supervisor | None = None

    @property
    def is_open(self) -> bool:
        """Whether an authenticated session is up."""
        line = self._line
        return line is not None and line.live is not None and self.protocol.phase is Phase.OPEN

    @property
    def in_flight(self) -> int:
        """Requests sent and awaiting their reply."""
        return len(self.protocol.table.in_flight)

    @property
    def time_offset_ms(self) -> int:
        return self.protocol.time_offset_ms

    @time_offset_ms.setter
    def time_offset_ms(self, value: int) -> None:
        self.protocol.time_offset_ms = value

    def submit(self, op: str, params: Mapping[str, Any], timeout: float | None) -> Awaitable[Any]:
        """Queue one request now; await the result for its reply (or its error)."""
        line, supervisor = self._bind()
        call, needs_session = line.submit(op, params, timeout)
        if needs_session:
            supervisor.ready()
        return call

    def submit_now(
        self,
        loop: asyncio.AbstractEventLoop,
        op: str,
        params: Mapping[str, Any],
        timeout: float | None,
        waiter: Waiter,
    ) -> bool:
        """:meth:`submit` from a thread to which ``loop`` is lent (see :mod:`.sync.baton`),
        written at once and settling ``waiter``; False, and nothing done, unless this connection
        runs on ``loop`` and its line is idle (:meth:`.RequestLine.submit_now`)."""
        line = self._line
        if loop is not self._loop or line is None:
            return False
        return line.submit_now(op, params, timeout, waiter)

    async def connect(self) -> None:
        """Connect and authenticate now, or wait for the attempt under way.

        Raises:
            AuthenticationError: the credentials were rejected.
            WSConnectionError: no authenticated session within ``connect_timeout``.
        """
        _, supervisor = self._bind()
        if self._closed:
            raise WSConnectionError("the client is closed: make a new one")
        if self.is_open:
            return
        ready = supervisor.ready()
        try:
            async with asyncio.timeout(self.options.connect_timeout):
                await asyncio.shield(ready)
        except TimeoutError:
            error = supervisor.no_connection()
            if not self.protocol.ever_open:  # a first connect: stop trying, leave no task
                supervisor.give_up(error)
                await supervisor.stop()
            raise error from None
        except BaseException:
            if supervisor.task is not None and ready.done():  # it gave up: let it finish
                await asyncio.gather(supervisor.task, return_exceptions=True)
            raise

    async def close(self) -> None:
        """Close the session, fail every pending request, and stop every task."""
        line, supervisor = self._bind()
        if self._closed:
            if supervisor.task is not None:
                await asyncio.gather(supervisor.task, return_exceptions=True)
            return
        self._closed = supervisor.closed = True
        self.protocol.close(_CLOSED)
        await supervisor.close(_CLOSED)
        self.protocol.connection_lost(_CLOSED)
        line.stop()
        await self.events.aclose()
        self.events.emit("close", {"wsKey": self.options.ws_key})

    def _signal(self, signal: Signal, reason: str) -> None:
        if self._supervisor is not None:
            self._supervisor.signal(signal, reason)

    def _bind(self) -> tuple[RequestLine, Supervisor]:
        """The line and supervisor of the running loop, which must be this client's.

        A client whose event loop has ended (``asyncio.run`` returned) starts afresh in the new
        one; a call from another thread, or from another loop while its own runs, is refused.
        """
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            raise BybitWSError(
                f"the client was called from thread {threading.current_thread().name!r}, which "
                "runs no event loop: call it from the thread of its event loop (from another "
                "thread, use asyncio.run_coroutine_threadsafe)"
            ) from None
        line, supervisor = self._line, self._supervisor
        if loop is self._loop and line is not None and supervisor is not None:
            return line, supervisor
        if self._loop is not None and self._loop.is_running():
            raise BybitWSError(
                "the client belongs to the event loop of another thread (or another running "
                "loop): call it from there (asyncio.run_coroutine_threadsafe), or make one "
                "client per event loop"
            )
        if self._loop is not None:
            logger.info("the client's event loop ended: starting afresh in the new one")
            self.protocol.forget()
        self._loop = loop
        line = RequestLine(self.protocol, loop, self._broken)
        supervisor = Supervisor(
            self.options,
            dialect=TradeDialect(self.protocol, line, self.events),
            events=self.events,
            budget=self._budget,
            loop=loop,
        )
        supervisor.closed = self._closed
        self._line, self._supervisor = line, supervisor
        return line, supervisor

    def _broken(self, reason: str) -> None:
        if self._supervisor is not None:
            self._supervisor.finish("lost", reason)
