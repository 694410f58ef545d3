"""The generic, sans-I/O half of a client connection (the python-websockets pattern).

- :class:`SessionState`, what every socket kind has: the auth exchange's state, the heartbeat's,
  and whether a session ever opened. The supervisor (``supervisor.py``) feeds it received text
  with the time, writes the frames it hands back, and calls
  :meth:`~SessionState.connection_lost` when the socket goes. Stream sockets build on it
  (``streams/protocol.py``).
- :class:`ClientProtocol`, a session that carries requests: the request table, and what every
  timeout, loss or refusal becomes. A *dialect* subclass (``trade.TradeProtocol``) decides what a
  received frame means and how a request is framed.

No I/O and no clock reads here.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from .errors import (
    AuthenticationError,
    BybitWSError,
    RequestError,
    RequestNotSentError,
    RequestOutcomeUnknownError,
    RequestTimeoutError,
)
from .protocol import ReqIdGenerator
from .requests import Request, RequestTable, Waiter
from .retcodes import RETRYABLE_AUTH_CODES, RetCode

__all__ = [
    "AuthOutcome",
    "ClientProtocol",
    "EventSink",
    "Limits",
    "Phase",
    "SessionState",
    "Signal",
]

logger = logging.getLogger(__name__)


class Phase(enum.Enum):
    """Where the current connection is."""

    DOWN = "down"
    """No socket: requests queue."""
    AUTHENTICATING = "authenticating"
    OPEN = "open"
    """Authenticated: queued requests may be written."""
    DRAINING = "draining"
    """Told to move (restart notice): nothing more is written, in-flight replies still count."""
    CLOSED = "closed"


Signal = Literal["restart", "drained"]
"""What the protocol tells its connection: move to a new connection; nothing in flight is left."""


class EventSink(Protocol):
    """The user's events (``events.EventEmitter``)."""

    def emit(self, event: Any, payload: object) -> None: ...
    def has_handlers(self, event: Any) -> bool: ...


@dataclass(frozen=True, slots=True)
class Limits:
    """The timings and sizes a protocol works with (from the client's options)."""

    request_timeout: float
    connect_timeout: float
    recv_window_ms: int
    max_request_bytes: int


class AuthOutcome(enum.Enum):
    OK = "ok"
    RETRY = "retry"
    """Failed in a way a new connection may cure."""
    FATAL = "fatal"


class SessionState:
    """One socket's session state across its reconnects: auth, heartbeat, ever opened."""

    ws_key: str

    def __init__(self, ws_key: str, recv_window_ms: int) -> None:
        self.ws_key = ws_key
        self.recv_window_ms = recv_window_ms
        self.phase = Phase.DOWN
        self.time_offset_ms = 0
        self.last_rx = 0.0
        self.pinged_at: float | None = None
        self.auth_error: BaseException | None = None
        """Why the last auth failed (``AuthenticationError``), for what waits on it."""
        self._auth_waiter: Waiter | None = None
        self.ever_open = False
        """Whether a session was ever ready (else retrying is still a first connect)."""
        self.answered = False
        """Whether the current session answered something (it proved healthy)."""

    def connection_made(self, now: float) -> None:
        """A socket is up (not yet authenticated)."""
        self.phase = Phase.AUTHENTICATING
        self.last_rx = now
        self.pinged_at = None
        self.auth_error = None
        self.answered = False

    def auth_expires(self, wall_ms: int) -> int:
        """``expires`` of the auth frame for the wall clock ``wall_ms``."""
        return wall_ms + self.time_offset_ms + self.recv_window_ms

    def auth_sent(self, waiter: Waiter) -> None:
        """The auth frame left; ``waiter`` gets an :class:`AuthOutcome` with the reply."""
        self._auth_waiter = waiter

    def auth_replied(self, outcome: AuthOutcome, error: BaseException | None) -> None:
        """Settle the auth waiter with ``outcome`` (``error``: why it failed)."""
        waiter, self._auth_waiter = self._auth_waiter, None
        if waiter is None or waiter.done():
            logger.warning("%s: unexpected auth reply (%s)", self.ws_key, error or "success")
            return
        if outcome is AuthOutcome.OK:
            self.phase = Phase.OPEN
        else:
            self.auth_error = error
        waiter.set_result(outcome)

    def opened(self) -> None:
        """The session is ready (authenticated, if it authenticates): things may be written."""
        self.phase = Phase.OPEN
        self.ever_open = True

    def connection_lost(self, reason: str) -> object:
        """The socket is gone (or going): a pending auth fails with ``reason``."""
        if self.phase is not Phase.CLOSED:
            self.phase = Phase.DOWN
        waiter, self._auth_waiter = self._auth_waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_exception(ConnectionError(reason))
            waiter.exception()
        return None

    def awaiting_replies(self) -> bool:
        """Whether replies are due on this session (a drain waits for them)."""
        return False

    # -- heartbeat -------------------------------------------------------------------------------

    def pinged(self, now: float) -> None:
        self.pinged_at = now

    def pong_overdue(self) -> bool:
        """Whether nothing arrived since the last ping (any frame counts as alive)."""
        return self.pinged_at is not None and self.last_rx < self.pinged_at

    # -- what a dialect provides -----------------------------------------------------------------

    def receive(self, text: str, now: float) -> None:
        """One complete received message (sets ``last_rx``). Must not raise."""
        raise NotImplementedError

    def ping_frame(self) -> str:
        raise NotImplementedError

    def auth_frame(self, api_key: str, expires_ms: int, signature: str) -> str:
        """The auth frame around its signature (of ``auth_payload(expires_ms)``)."""
        raise NotImplementedError


class ClientProtocol(SessionState):
    """One client's request-carrying connection state, whichever socket it currently rides on."""

    frame_overhead = 0
    """Bytes a request's frame takes around its parameters (a dialect sets it)."""

    def __init__(
        self, ws_key: str, limits: Limits, events: EventSink, signal: Callable[[Signal, str], None]
    ) -> None:
        super().__init__(ws_key, limits.recv_window_ms)
        self.limits = limits
        self.events = events
        self.signal = signal
        self.table = RequestTable()
        self.req_ids = ReqIdGenerator()

    # -- lifecycle -------------------------------------------------------------------------------

    @property
    def writable(self) -> bool:
        """Whether queued requests may be written now."""
        return self.phase is Phase.OPEN

    def authenticated(self, code: int | None, msg: str, frame: Mapping[str, Any]) -> None:
        """The auth reply: settle the auth waiter with what it means."""
        if code in (RetCode.OK, RetCode.REPEAT_AUTH):
            self.auth_replied(AuthOutcome.OK, None)
            return
        retry = code in RETRYABLE_AUTH_CODES
        self.auth_replied(
            AuthOutcome.RETRY if retry else AuthOutcome.FATAL,
            AuthenticationError(code, msg, dict(frame)),
        )

    def connection_lost(self, reason: str) -> list[RequestError]:
        """The socket is gone (or going): every in-flight request fails now, outcome unknown.

        Queued requests stay queued for the next connection. Returns the failures (each also
        emitted on ``exception``).
        """
        super().connection_lost(reason)
        failures: list[RequestError] = []
        for request in self.table.drop_in_flight():
            error = RequestOutcomeUnknownError(
                f"{request.op} was sent but {reason} before its reply (reqId {request.req_id}); "
                "check the order (e.g. by orderLinkId) before sending it again",
                op=request.op,
                req_id=request.req_id,
                params=request.params,
            )
            if self.fail(request, error):
                failures.append(error)
        self.session_reset()
        return failures

    def awaiting_replies(self) -> bool:
        return bool(self.table.in_flight)

    def fail_queued(
        self, error: Callable[[Request], BybitWSError], *, emit: bool = True
    ) -> list[BybitWSError]:
        """Fail every queued request (nothing of them left): no connection will take them.

        Each failure is emitted on ``exception`` unless ``emit`` is False.
        """
        failures = []
        for request in self.table.drop_queued():
            failure = error(request)
            if self.fail(request, failure) if emit else request.fail(failure):
                failures.append(failure)
        return failures

    def close(self, reason: str) -> None:
        """The client is closing: queued requests fail as not sent; nothing is accepted."""
        self.phase = Phase.CLOSED
        self.fail_queued(lambda r: self.not_sent(r, reason))

    def forget(self) -> None:
        """The event loop of every pending request is gone: drop them all, unsettled."""
        self.table = RequestTable()
        self.phase = Phase.DOWN
        self.ever_open = False
        self._auth_waiter = None
        self.session_reset()

    # -- requests --------------------------------------------------------------------------------

    def submit(
        self,
        op: str,
        params: Mapping[str, Any],
        waiter: Waiter,
        *,
        timeout: float | None,
        now: float,
    ) -> Request:
        """Queue a request (arm a timer for its ``deadline`` and ``connect_deadline``).

        A request that cannot be valid (see :meth:`refusal`), or one made after ``close``,
        fails at once as not sent.

        Raises:
            TypeError: a value is not JSON-serialisable (numbers must be str, e.g. ``"0.5"``).
            ValueError: the params contain themselves.
        """
        req_id = self.req_ids()
        params_json = "" if self.phase is Phase.CLOSED else self.encode(params)
        wait = self.limits.request_timeout if timeout is None else timeout
        connect_by = now + self.limits.connect_timeout
        request = Request(
            req_id,
            op,
            params,
            params_json,
            waiter,
            timeout=wait,
            deadline=now + wait,
            connect_deadline=connect_by,
        )
        if self.phase is Phase.CLOSED:
            self.fail(request, self.not_sent(request, "the client is closed"))
            return request
        refusal = self.refusal(request)
        if refusal is not None:
            self.fail(request, self.not_sent(request, refusal))
            return request
        self.table.add(request)
        return request

    def refusal(self, request: Request) -> str | None:
        """Why ``request`` cannot be valid and must not be sent, if so (dialects add rules)."""
        limit = self.limits.max_request_bytes
        room = limit - self.frame_overhead
        text = request.params_json
        if len(text) * 4 <= room:  # UTF-8 takes at most 4 bytes a character: no need to count
            return None
        size = len(text.encode()) + self.frame_overhead
        if size > limit:
            return (
                f"its frame would take {size} bytes, over the frame limit "
                f"max_frame_bytes={limit}: make it smaller (split a batch)"
            )
        return None

    def expire(self, now: float) -> None:
        """Fail what is due at ``now``: timeouts, and queued requests no connection took."""
        for request in self.table.due(now):
            if now >= request.deadline:
                sent = request.sent
                self.fail(
                    request,
                    RequestTimeoutError(
                        timeout=request.timeout,
                        sent=sent,
                        op=request.op,
                        req_id=request.req_id,
                        params=request.params,
                    ),
                )
                if sent:  # its reply may still come: remembered for that
                    self.table.timed_out(request)
                    self.timed_out(request)
            elif not request.sent and self.phase in (Phase.DOWN, Phase.AUTHENTICATING):
                self.table.queue.remove(request)
                reason = f"no authenticated connection within {self.limits.connect_timeout:g} s"
                if self.auth_error is not None:
                    reason += f" (last error: {self.auth_error})"
                self.fail(request, self.not_sent(request, reason))
        self.check_drained()

    def check_drained(self) -> None:
        """Signal ``drained`` once a draining connection has nothing in flight."""
        if self.phase is Phase.DRAINING and not self.table.in_flight:
            self.signal("drained", "nothing in flight")

    def fail(self, request: Request, error: BybitWSError) -> bool:
        """Settle ``request`` with ``error`` and emit it; False if it was settled already."""
        if not request.fail(error):
            return False
        self.events.emit("exception", error)
        return True

    @staticmethod
    def not_sent(request: Request, reason: str) -> RequestNotSentError:
        return RequestNotSentError(
            f"{request.op} was not sent: {reason} (reqId {request.req_id})",
            op=request.op,
            req_id=request.req_id,
            params=request.params,
        )

    # -- what a dialect provides -----------------------------------------------------------------

    def encode(self, params: Mapping[str, Any]) -> str:
        """The JSON text of a request's parameters (raises on what JSON cannot carry)."""
        raise NotImplementedError

    def frames(self, batch: list[Request], wall_ms: int, now: float) -> list[str]:
        """The frames of ``batch`` (taken from the table), stamped with the wall clock."""
        raise NotImplementedError

    def timed_out(self, request: Request) -> None:
        """Hook: a sent request timed out (its reply may come late)."""

    def session_reset(self) -> None:
        """Hook: the connection is gone; forget what belonged to it."""
