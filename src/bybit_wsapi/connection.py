"""The one authenticated connection to ``/v5/trade``: the code that owns the socket.

Task layout:

- the **supervisor** task connects (:func:`~.transport.open_session`), authenticates, sends JSON
  heartbeats, and reconnects with backoff;
- the session delivers each message to :meth:`TradeConnection._on_text` as it is parsed, which
  settles the matching request at once; a **reader** task per session waits for its end;
- every request queues in an outbox at once; awaited at once while the session is authenticated
  and the line is idle (nothing queued or being written), it is written by the awaiting task
  itself; otherwise a **writer** task per session sends queued requests in order, several per
  socket write. Each frame is
  stamped with a fresh timestamp just before it leaves.

A request is registered in the in-flight table before its frame is written. When a session ends, every in-flight request fails
at once with :class:`RequestOutcomeUnknownError` and queued ones wait for the next session
(bounded by their own timeouts). Nothing is ever re-sent.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import ssl
import time
from collections import deque
from collections.abc import Awaitable, Callable, Generator, Iterator, Mapping
from typing import Any, Literal

import httpx

from .auth import auth_payload
from .errors import (
    AuthenticationError,
    RequestNotSentError,
    RequestOutcomeUnknownError,
    RequestTimeoutError,
    WSAPIError,
    WSConnectionError,
)
from .events import EventEmitter
from .options import ConnectionOptions
from .orphans import Match, OrphanMatcher
from .protocol import (
    PING_FRAME,
    AuthReply,
    OrphanError,
    Pong,
    Reply,
    ReqIdGenerator,
    Unrecognised,
    decode,
    encode_params,
    request_frame,
    response_meta,
    signed_auth_frame,
)
from .retcodes import RESTART_CODES, RETRYABLE_AUTH_CODES, RetCode
from .retry import backoff
from .transport import SessionClosedError, UpgradeRejectedError, WireSession, open_session

__all__ = ["TradeConnection"]

logger = logging.getLogger(__name__)

SessionEnd = Literal["closed", "lost", "restart", "fatal"]
_MAX_FRAMES_PER_WRITE = 256


class _Request:
    """One request from submission to settlement."""

    __slots__ = (
        "deadline",
        "future",
        "op",
        "params",
        "params_json",
        "req_id",
        "sent",
        "sent_at",
        "timer",
    )

    def __init__(
        self,
        req_id: str,
        op: str,
        params: Mapping[str, Any],
        params_json: str,
        future: asyncio.Future[Any],
    ) -> None:
        self.req_id = req_id
        self.op = op
        self.params = params
        self.params_json = params_json
        self.future = future
        self.sent = False
        self.sent_at = 0.0
        self.deadline = 0.0
        """Event-loop time at which it times out."""
        self.timer: asyncio.TimerHandle | None = None

    def fail(self, exc: BaseException) -> None:
        if self.future.done():
            return
        self.future.set_exception(exc)
        self.future.exception()  # retrieved: a failure nobody awaits is not reported as lost
        if self.timer is not None:
            self.timer.cancel()


class _Call:
    """What ``submit`` returns: awaiting it completes the request (see ``_complete``)."""

    __slots__ = ("_connection", "_request")

    def __init__(self, connection: TradeConnection, request: _Request) -> None:
        self._connection = connection
        self._request = request

    def __await__(self) -> Generator[Any, None, Any]:
        return self._connection._complete(self._request).__await__()


class _FatalConnectError(Exception):
    """A connect attempt failed in a way retrying cannot fix (bad URL, rejected credentials)."""

    def __init__(self, error: Exception) -> None:
        self.error = error
        super().__init__(str(error))


class TradeConnection:
    """The ``/v5/trade`` connection behind a ``WebsocketClient``."""

    def __init__(self, options: ConnectionOptions, events: EventEmitter) -> None:
        self.options = options
        self.events = events
        self.time_offset_ms = 0
        self._req_ids = ReqIdGenerator()
        self._outbox: deque[_Request] = deque()
        self._outbox_ready = asyncio.Event()
        self._in_flight: dict[str, _Request] = {}
        self._auth_reply: asyncio.Future[AuthReply] | None = None
        self._orphans = OrphanMatcher()
        self._ready: asyncio.Future[None] | None = None
        self._supervisor: asyncio.Task[None] | None = None
        self._phase: Literal["idle", "connecting", "open", "backoff"] = "idle"
        self._wake = asyncio.Event()
        self._end: SessionEnd | None = None
        self._end_reason = ""
        self._draining = False
        self._drained = asyncio.Event()
        self._opened = False
        self._closed = False
        self._last_rx = 0.0
        self._last_error: BaseException | None = None
        self._live: WireSession | None = None
        """The authenticated session requests may be written to, if any."""
        self._writing = False
        """A write is under way: new requests queue behind it, for the writer to batch."""

    # -- public surface (used by WebsocketClient) ------------------------------------------------

    @property
    def is_open(self) -> bool:
        """Whether an authenticated session is up."""
        return (
            self._phase == "open"
            and self._ready is not None
            and self._ready.done()
            and not self._ready.exception()
        )

    @property
    def in_flight(self) -> int:
        """Requests sent and awaiting their reply."""
        return len(self._in_flight)

    def submit(self, op: str, params: Mapping[str, Any], timeout: float | None) -> Awaitable[Any]:
        """Queue one request now; await the result for its reply frame.

        Awaited at once while the session is up and nothing else is queued, the request is
        written by the awaiting task itself (a turn of the event loop sooner); otherwise, or if
        nobody awaits it, the writer task sends it.
        """
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        req_id = self._req_ids()
        if self._closed:
            _Request(req_id, op, params, "", future).fail(
                RequestNotSentError("the client is closed", op=op, req_id=req_id, params=params)
            )
            return future
        request = _Request(req_id, op, params, encode_params(params), future)
        wait = self.options.request_timeout if timeout is None else timeout
        request.deadline = loop.time() + wait
        request.timer = loop.call_at(request.deadline, self._expire, request, wait)
        self._outbox.append(request)
        if self._live is not None and not self._draining:
            loop.call_soon(self._kick)
        else:
            self._outbox_ready.set()
            self._ensure_running()
        return _Call(self, request)

    async def _complete(self, request: _Request) -> Any:
        """Write ``request`` if it is next in line and the line is idle; then wait for it."""
        outbox = self._outbox
        session = self._live
        if (
            session is not None
            and outbox
            and outbox[0] is request
            and not request.future.done()  # it timed out before anyone awaited it
            and not self._writing
            and not self._draining
        ):
            outbox.popleft()
            try:
                # a socket that takes nothing (peer not reading) must not outlast the timeout
                async with asyncio.timeout_at(request.deadline):
                    await self._send(session, [request])
            except TimeoutError:
                pass  # its timer settles it: sent, outcome unknown
        return await request.future

    def _kick(self) -> None:
        """Wake the writer for requests nobody awaited at once."""
        if self._outbox:
            self._outbox_ready.set()

    async def connect(self) -> None:
        """Connect and authenticate now, or wait for the attempt under way.

        Raises:
            AuthenticationError: the credentials were rejected.
            WSConnectionError: no authenticated session within ``connect_timeout``.
        """
        if self._closed:
            raise WSConnectionError("the client is closed")
        ready = self._ensure_running()
        try:
            async with asyncio.timeout(self.options.connect_timeout):
                await asyncio.shield(ready)
        except TimeoutError:
            last = f": last error: {self._last_error}" if self._last_error else ""
            raise WSConnectionError(
                f"no authenticated connection to {self.options.url} within "
                f"{self.options.connect_timeout:g} s{last}"
            ) from None

    async def close(self) -> None:
        """Close the session, fail every pending request, and stop every task."""
        if self._closed:
            if self._supervisor is not None:
                await asyncio.gather(self._supervisor, return_exceptions=True)
            return
        self._closed = True
        closed = "the client was closed"
        self._fail_queued(
            lambda r: RequestNotSentError(closed, op=r.op, req_id=r.req_id, params=r.params)
        )
        if self._ready is not None and not self._ready.done():
            self._ready.set_exception(WSConnectionError(closed))
            self._ready.exception()
        supervisor = self._supervisor
        if supervisor is not None:
            if self._phase == "open":
                self._finish("closed", closed)
                try:
                    async with asyncio.timeout(self.options.connect_timeout):
                        await asyncio.shield(supervisor)
                except TimeoutError:
                    supervisor.cancel()
            else:
                supervisor.cancel()
            await asyncio.gather(supervisor, return_exceptions=True)
        self._fail_in_flight(closed)
        await self.events.aclose()
        self.events.emit("close", {"wsKey": self.options.ws_key})

    # -- request bookkeeping ---------------------------------------------------------------------

    def _expire(self, request: _Request, timeout: float) -> None:
        if self._in_flight.pop(request.req_id, None) is not None:
            self._orphans.timed_out(request.req_id, request.op)
            self._note_settled()
        request.fail(
            RequestTimeoutError(
                timeout=timeout,
                sent=request.sent,
                op=request.op,
                req_id=request.req_id,
                params=request.params,
            )
        )

    def _fail_queued(self, error: Callable[[_Request], BaseException]) -> None:
        while self._outbox:
            request = self._outbox.popleft()
            request.fail(error(request))

    def _fail_in_flight(self, reason: str) -> None:
        requests = list(self._in_flight.values())
        self._in_flight.clear()
        for r in requests:
            r.fail(
                RequestOutcomeUnknownError(
                    f"{r.op} was sent but {reason} before its reply (reqId {r.req_id}); "
                    "check the order (e.g. by orderLinkId) before sending it again",
                    op=r.op,
                    req_id=r.req_id,
                    params=r.params,
                )
            )

    def _note_settled(self) -> None:
        if self._draining and not self._in_flight:
            self._drained.set()

    # -- supervisor ------------------------------------------------------------------------------

    def _ensure_running(self) -> asyncio.Future[None]:
        """Start the supervisor if needed; the future settles when a session is authenticated."""
        loop = asyncio.get_running_loop()
        if self._supervisor is None and not self._closed:
            if self._ready is None or self._ready.done():
                self._ready = loop.create_future()
            self._supervisor = loop.create_task(self._supervise(), name="bybit-wsapi supervisor")
        assert self._ready is not None
        return self._ready

    def _finish(self, end: SessionEnd, reason: str) -> None:
        """End the current session (first reason wins) and wake the supervisor."""
        if self._end is None:
            self._end = end
            self._end_reason = reason
        if self._auth_reply is not None and not self._auth_reply.done():
            self._auth_reply.set_exception(ConnectionError(reason))  # do not wait for a reply
        self._wake.set()

    async def _supervise(self) -> None:
        delays = backoff(self.options.reconnect_initial_delay, self.options.reconnect_max_delay)
        attempt = 0
        try:
            while not self._closed:
                self._phase = "connecting"
                end = await self._session(reconnecting=attempt > 0)
                if end in ("closed", "fatal") or self._closed:
                    return
                if self._opened:  # the last session worked: start backing off afresh
                    delays = backoff(
                        self.options.reconnect_initial_delay, self.options.reconnect_max_delay
                    )
                attempt += 1
                delay = 0.0 if end == "restart" else next(delays)
                logger.debug(
                    "reconnecting in %.3f s (attempt %d): %s", delay, attempt, self._end_reason
                )
                self.events.emit(
                    "reconnect",
                    {
                        "wsKey": self.options.ws_key,
                        "attempt": attempt,
                        "delay": delay,
                        "reason": self._end_reason,
                    },
                )
                self._phase = "backoff"
                await asyncio.sleep(delay)
        finally:
            self._phase = "idle"
            self._supervisor = None

    async def _session(self, *, reconnecting: bool) -> SessionEnd:
        """One connection from handshake to teardown; returns why it ended."""
        self._end = None
        self._end_reason = ""
        self._orphans.reset()
        self._wake.clear()
        self._draining = False
        self._drained.clear()
        self._opened = False
        try:
            session = await open_session(
                self.options.url,
                on_text=self._on_text,
                max_message_bytes=self.options.max_frame_bytes,
                headers={},
                open_timeout=self.options.connect_timeout,
                ssl_context=_tls_context() if self.options.url.startswith("wss:") else None,
            )
            try:
                return await self._run(session, reconnecting=reconnecting)
            finally:
                await session.close()
        except Exception as exc:
            leaves = list(_leaves(exc))
            fatal = next((e for e in leaves if isinstance(e, _FatalConnectError)), None)
            if fatal is not None:
                self._give_up(fatal.error)
                return "fatal"
            error = leaves[0]
            if isinstance(error, UpgradeRejectedError) and _fatal_status(error.status_code):
                self._give_up(WSConnectionError(str(error)))
                return "fatal"
            self._last_error = error
            logger.warning("connection to %s failed: %s", self.options.url, _describe(error))
            return "lost"
        finally:
            self._fail_in_flight(self._end_reason or "the connection was lost")
            if self._ready is not None and self._ready.done() and not self._closed:
                self._ready = asyncio.get_running_loop().create_future()  # for the next session

    async def _run(self, session: WireSession, *, reconnecting: bool) -> SessionEnd:
        self._last_rx = time.perf_counter()
        self.events.emit("open", {"wsKey": self.options.ws_key, "url": self.options.url})
        reader = asyncio.create_task(self._read(session), name="bybit-wsapi reader")
        writer: asyncio.Task[None] | None = None
        try:
            await self._authenticate(session)
            self._phase = "open"
            self._opened = True
            logger.debug("authenticated on %s", self.options.url)
            self.events.emit("authenticated", {"wsKey": self.options.ws_key})
            if reconnecting:
                self.events.emit("reconnected", {"wsKey": self.options.ws_key})
            assert self._ready is not None
            if not self._ready.done():
                self._ready.set_result(None)
            writer = asyncio.create_task(self._write(session), name="bybit-wsapi writer")
            self._live = session
            await self._heartbeat(session)
            return self._end or "lost"
        finally:
            self._live = None
            self._phase = "connecting"
            for task in (writer, reader):
                if task is not None:
                    task.cancel()
            await asyncio.gather(
                *(t for t in (writer, reader) if t is not None), return_exceptions=True
            )

    async def _authenticate(self, session: WireSession) -> None:
        expires = int(time.time() * 1000) + self.time_offset_ms + self.options.recv_window_ms
        try:  # once per connection: a sign hook may take a while (bounded by its timeout)
            signature = await self.options.signer.sign(auth_payload(expires))
        except AuthenticationError as failed:  # a sign hook failed: retrying will not help
            raise _FatalConnectError(failed) from None
        self._auth_reply = asyncio.get_running_loop().create_future()
        frame = signed_auth_frame(
            self.options.api_key, expires, signature, f"auth-{self._req_ids()}"
        )
        await session.send_texts([frame])
        try:
            async with asyncio.timeout(self.options.connect_timeout):
                reply = await self._auth_reply
        except TimeoutError:
            raise ConnectionError(
                f"no auth reply within {self.options.connect_timeout:g} s"
            ) from None
        finally:
            self._auth_reply = None
        if reply.ok or reply.ret_code == RetCode.REPEAT_AUTH:
            return
        error = AuthenticationError(reply.ret_code, reply.ret_msg, reply.frame)
        if reply.ret_code in RETRYABLE_AUTH_CODES:
            raise ConnectionError(str(error))
        raise _FatalConnectError(error)

    def _give_up(self, error: Exception) -> None:
        """Fail everything waiting for a connection with ``error``; the supervisor stops."""
        self._last_error = error
        logger.error("giving up on %s: %s", self.options.url, error)
        if self._ready is not None and not self._ready.done():
            self._ready.set_exception(error)
            self._ready.exception()
        if isinstance(error, AuthenticationError):
            self._fail_queued(
                lambda _r: AuthenticationError(error.ret_code, error.ret_msg, error.response)
            )
        else:
            self._fail_queued(
                lambda r: RequestNotSentError(str(error), op=r.op, req_id=r.req_id, params=r.params)
            )

    async def _heartbeat(self, session: WireSession) -> None:
        """Ping every ``ping_interval``; end the session if nothing arrives within ``pong_timeout``."""
        while not await self._sleep_or_wake(self.options.ping_interval):
            pinged_at = time.perf_counter()
            try:
                async with asyncio.timeout(self.options.pong_timeout):
                    await session.send_texts([PING_FRAME])
            except TimeoutError:
                logger.warning(
                    "the socket took no ping in %g s: reconnecting", self.options.pong_timeout
                )
                self._finish("lost", f"the socket took no ping in {self.options.pong_timeout:g} s")
                return
            if await self._sleep_or_wake(self.options.pong_timeout):
                break
            if self._last_rx < pinged_at:
                logger.warning("no pong within %g s: reconnecting", self.options.pong_timeout)
                self._finish("lost", f"no pong arrived within {self.options.pong_timeout:g} s")
                return
        if self._end == "restart":
            await self._drain()

    async def _sleep_or_wake(self, seconds: float) -> bool:
        """Wait ``seconds``; True if the session was told to end meanwhile."""
        try:
            async with asyncio.timeout(seconds):
                await self._wake.wait()
        except TimeoutError:
            return False
        return True

    async def _drain(self) -> None:
        """After a restart notice: let in-flight replies arrive (bounded), then end the session."""
        if self._in_flight and not self._closed:
            try:
                async with asyncio.timeout(self.options.request_timeout):
                    await self._drained.wait()
            except TimeoutError:
                pass

    # -- writer and reader -----------------------------------------------------------------------

    async def _write(self, session: WireSession) -> None:
        """Send what queued while no session was up, or while the line was busy."""
        outbox = self._outbox
        while True:
            if not outbox:
                self._outbox_ready.clear()
                await self._outbox_ready.wait()
                continue
            if self._draining:
                return
            batch: list[_Request] = []
            while outbox and len(batch) < _MAX_FRAMES_PER_WRITE:
                request = outbox.popleft()
                if not request.future.done():
                    batch.append(request)
            if batch and not await self._send(session, batch):
                return

    async def _send(self, session: WireSession, batch: list[_Request]) -> bool:
        """Register ``batch`` in flight and write it; False once the session cannot send."""
        options = self.options
        timestamp_ms = int(time.time() * 1000) + self.time_offset_ms
        sent_at = time.perf_counter()
        frames = []
        for request in batch:
            frames.append(
                request_frame(
                    request.req_id,
                    request.op,
                    request.params_json,
                    timestamp_ms=timestamp_ms,
                    recv_window_ms=options.recv_window_ms,
                    referer=options.referer,
                )
            )
            self._in_flight[request.req_id] = request
            request.sent = True
            request.sent_at = sent_at
        self._writing = True
        try:
            await session.send_texts(frames)
            return True
        except SessionClosedError:
            # the session was already closing: nothing was written, so they wait for the next
            for request in reversed(batch):
                self._in_flight.pop(request.req_id, None)
                request.sent = False
                self._outbox.appendleft(request)
            reason = "the connection was closing"
        except Exception as exc:
            reason = f"sending failed ({_describe(exc)})"
        finally:
            self._writing = False
        if self._live is session:
            self._finish("lost", reason)
        return False

    async def _read(self, session: WireSession) -> None:
        """Wait for what ends the session: messages go to :meth:`_on_text` as they arrive."""
        reason = await session.wait_closed()
        if self._end is None:
            logger.warning("%s: reconnecting", reason)
        self._finish("lost", reason)

    def _on_text(self, text: str) -> None:
        """One complete message, from the session's receive task (must not raise)."""
        now = time.perf_counter()
        self._last_rx = now
        try:
            self._dispatch(text, now)
        except Exception:
            logger.exception("failed to handle a frame: %.200r", text)

    def _dispatch(self, text: str, received_at: float) -> None:
        message = decode(text)
        if type(message) is Reply:
            self._settle(message, received_at)
        elif type(message) is Pong:
            pass
        elif type(message) is AuthReply:
            if self._auth_reply is not None and not self._auth_reply.done():
                self._auth_reply.set_result(message)
            else:
                logger.warning("unexpected auth reply: retCode=%s", message.ret_code)
        elif type(message) is OrphanError:
            self._settle_orphan(message)
        elif type(message) is Unrecognised:
            logger.warning("ignored a frame (%s): %.200r", message.reason, message.text)

    def _settle(self, reply: Reply, received_at: float) -> None:
        request = self._in_flight.pop(reply.req_id, None)
        op = reply.op if request is None else request.op
        if matches := self._orphans.replied(reply.req_id, op):
            self._settle_matches(matches)
        if request is None:
            logger.warning(
                "reply to an unknown or expired reqId %r (%s, retCode=%s)",
                reply.req_id,
                reply.op,
                reply.ret_code,
            )
        else:
            self._answer(request, reply, received_at)
        if reply.ret_code:  # a restart notice concerns the server, whoever still waits
            self._restart_if_told(reply.ret_code)

    def _answer(self, request: _Request, reply: Reply, received_at: float) -> None:
        if self._draining:
            self._note_settled()
        if request.timer is not None:
            request.timer.cancel()
        if request.future.done():  # its caller gave up on it
            return
        frame = reply.frame
        frame["wsKey"] = self.options.ws_key
        frame["meta"] = response_meta(frame, (received_at - request.sent_at) * 1000.0)
        if reply.ret_code == 0:
            request.future.set_result(frame)
            if self.events.has_handlers("response"):
                self.events.emit("response", frame)
        else:
            self._reject(request, reply.ret_code, reply.ret_msg, frame, matched_by_op=False)

    def _settle_orphan(self, orphan: OrphanError) -> None:
        """An error without ``reqId``: settle its request once it is certain which one it is."""
        waiting = [r.req_id for r in self._in_flight.values() if r.op == orphan.op]
        self._settle_matches(self._orphans.error(orphan, waiting))
        self._restart_if_told(orphan.ret_code)

    def _settle_matches(self, matches: list[Match]) -> None:
        for req_id, orphan in matches:
            request = None if req_id is None else self._in_flight.pop(req_id, None)
            if request is None:
                logger.warning(
                    "error without reqId for %s (retCode=%s %r) matches no waiting request%s",
                    orphan.op,
                    orphan.ret_code,
                    orphan.ret_msg,
                    "" if req_id is None else f" (reqId {req_id} had timed out)",
                )
                continue
            self._note_settled()
            frame = dict(orphan.frame, wsKey=self.options.ws_key)
            self._reject(request, orphan.ret_code, orphan.ret_msg, frame, matched_by_op=True)

    def _reject(
        self,
        request: _Request,
        ret_code: int | None,
        ret_msg: str,
        frame: Mapping[str, Any],
        *,
        matched_by_op: bool,
    ) -> None:
        """Fail ``request`` with the API's error and emit it."""
        error = WSAPIError(
            ret_code=ret_code,
            ret_msg=ret_msg,
            op=request.op,
            req_id=request.req_id,
            response=frame,
            params=request.params,
            matched_by_op=matched_by_op,
        )
        request.fail(error)
        self.events.emit("exception", error)

    def _restart_if_told(self, ret_code: int | None) -> None:
        """10019/10016: the server is restarting; move to a new connection."""
        if ret_code in RESTART_CODES:
            self._restart(f"the server answered retCode={ret_code} (restarting)")

    def _restart(self, reason: str) -> None:
        """Stop sending on this session and move to a new one once in-flight replies are in."""
        if not self._draining:
            logger.warning("%s: moving to a new connection", reason)
            self._draining = True
            self._finish("restart", reason)


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """httpx's default verified TLS context, built once: building one costs tens of ms.

    (A ``ws://`` URL, such as the local server's, has no TLS, hence ``verify=False`` there.)
    """
    return httpx.create_ssl_context()


def _leaves(exc: BaseException) -> Iterator[BaseException]:
    """The exceptions inside (possibly nested) exception groups, or ``exc`` itself."""
    if isinstance(exc, BaseExceptionGroup):
        for inner in exc.exceptions:
            yield from _leaves(inner)
    else:
        yield exc


def _describe(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _fatal_status(status: int) -> bool:
    """HTTP statuses of a failed upgrade that retrying will not fix."""
    return 400 <= status < 500 and status not in (408, 429)
