"""The supervisor of one socket in one event loop: sessions opened, authenticated, pinged,
drained and replaced, with backoff inside a budget of new connections.

Every socket runs on it, the trade socket and each stream socket alike; what differs between them
(auth or not, the ping and pong shapes, what is written, what a ready session starts with) is
their :class:`~.dialect.Dialect`. A first connect that has not succeeded within
``connect_timeout`` gives up and leaves no task behind; once a session was up, it reconnects for
as long as the client is open. When a session ends, the protocol hears it at once (trade: every
in-flight request fails, outcome unknown), before the socket is torn down. Nothing is ever
re-sent.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Literal

from .auth import auth_payload
from .dialect import Dialect
from .errors import AuthenticationError, WSConnectionError
from .events import EventEmitter
from .options import SIGN_TIMEOUT_SHARE, ConnectionOptions
from .process_setup import tls_context
from .retry import ConnectionBudget, backoff, fatal_status
from .session import AuthOutcome, Signal
from .transport import UpgradeRejectedError, WireSession, open_session
from .upgrade import describe

__all__ = ["Supervisor", "tls_context"]

logger = logging.getLogger(__name__)

SessionEnd = Literal["closed", "lost", "restart", "fatal"]


class _GiveUpError(Exception):
    """Retrying cannot fix this connect failure (rejected credentials, a refused upgrade)."""


class Supervisor:
    """Opens and replaces the sessions of one socket (``options.url``) in one event loop."""

    def __init__(
        self,
        options: ConnectionOptions,
        *,
        dialect: Dialect,
        events: EventEmitter,
        budget: ConnectionBudget,
        loop: asyncio.AbstractEventLoop,
    ) -> None:
        self.options = options
        self.dialect = dialect
        self.protocol = dialect.protocol
        self.events = events
        self.closed = False
        self._name = f"bybit-wsapi {options.ws_key}"
        self._live = False
        self._budget = budget
        self._loop = loop
        self._task: asyncio.Task[None] | None = None
        self._ready: asyncio.Future[None] | None = None
        self._end: tuple[SessionEnd, str] | None = None
        self._auth_waiter: asyncio.Future[AuthOutcome] | None = None
        self._last_error = ""
        self._wake = asyncio.Event()
        """The session must end (see ``_end``)."""
        self._drained = asyncio.Event()
        self._started = 0.0  # when the current run of attempts began (loop time)

    @property
    def task(self) -> asyncio.Task[None] | None:
        """The supervisor task, while it runs."""
        return self._task

    @property
    def live(self) -> bool:
        """Whether a ready (authenticated, if it authenticates) session is up."""
        return self._live

    @property
    def last_error(self) -> str:
        """Why the last connect failed or the last session was lost ("" if none did)."""
        return self._last_error

    def ready(self) -> asyncio.Future[None]:
        """Start the task if needed; the future settles when a session is ready."""
        if self._ready is None or (self._ready.done() and not self._live):
            self._ready = self._loop.create_future()
        if self._task is None and not self.closed:
            self._task = self._loop.create_task(self._supervise(), name=f"{self._name} supervisor")
        return self._ready

    async def close(self, reason: str) -> None:
        """Stop for good: ``ready`` fails, a live session gets a (bounded) close handshake."""
        self.closed = True
        self.settle_ready(WSConnectionError(reason))
        task = self._task
        if task is None:
            return
        if self._live:
            self.finish("closed", reason)
            try:
                async with asyncio.timeout(self.options.connect_timeout):
                    await asyncio.shield(task)
            except TimeoutError:
                pass
        await self.stop()

    async def stop(self) -> None:
        """Cancel the task and wait for it."""
        task = self._task
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    def signal(self, signal: Signal, reason: str) -> None:
        if signal == "restart":
            self.finish("restart", reason)
        else:
            self._drained.set()

    def finish(self, end: SessionEnd, reason: str) -> None:
        """End the current session (first reason wins) and wake the supervisor."""
        if self._end is None:
            self._end = (end, reason)
        if end != "restart":
            self._drained.set()  # a drain stops waiting for what can no longer come
        waiter = self._auth_waiter
        if waiter is not None and not waiter.done():
            waiter.set_exception(ConnectionError(reason))  # do not wait for an auth reply
        self._wake.set()

    async def _supervise(self) -> None:
        try:
            await self._reconnect()
        finally:
            self._task = None
        # it gave up (or a session ended for good): what came since starts a fresh attempt
        waiting = self.dialect.waiting()
        if not self.closed and (waiting or (self._ready is not None and not self._ready.done())):
            self.ready()

    async def _reconnect(self) -> None:
        """Sessions one after another, with backoff, until one ends for good."""
        options = self.options
        clock = self._loop.time
        delays = backoff(options.reconnect_initial_delay, options.reconnect_max_delay)
        started = self._started = clock()
        attempt = 0
        while not self.closed:
            end, reason, healthy = await self._session(reconnecting=attempt > 0)
            if end in ("closed", "fatal") or self.closed:
                return
            if healthy:  # the last session proved itself: back off afresh
                delays = backoff(options.reconnect_initial_delay, options.reconnect_max_delay)
            attempt += 1
            delay = 0.0 if end == "restart" else next(delays)
            delay += self._budget.wait(clock() + delay)
            first = not self.protocol.ever_open
            if first and started + options.connect_timeout - clock() <= delay:
                self.give_up(self.no_connection())  # a first connect does not outlast it
                return
            logger.debug("reconnecting in %.3f s (attempt %d): %s", delay, attempt, reason)
            self.events.emit(
                "reconnect",
                {
                    "wsKey": options.ws_key,
                    "attempt": attempt,
                    "delay": delay,
                    "reason": reason,
                    "connected_before": not first,
                },
            )
            await asyncio.sleep(delay)

    async def _session(self, *, reconnecting: bool) -> tuple[SessionEnd, str, bool]:
        """One connection from handshake to teardown: why it ended, and whether it was healthy."""
        clock = self._loop.time
        self._end = None
        self._wake.clear()
        self._drained.clear()
        self._budget.spend(clock())
        on_text, retire = _sink(self.protocol.receive, self._loop)
        try:
            session = await open_session(
                self.options.url,
                on_text=on_text,
                max_message_bytes=self.options.max_frame_bytes,
                headers={},
                open_timeout=self.options.connect_timeout,
                ssl_context=tls_context() if self.options.url.startswith("wss:") else None,
            )
        except UpgradeRejectedError as exc:
            if fatal_status(exc.status_code):
                self.give_up(WSConnectionError(str(exc)))
                return "fatal", str(exc), False
            return self._failed(exc)
        except Exception as exc:
            return self._failed(exc)
        opened_at = clock()
        self.protocol.connection_made(opened_at)
        watcher = self._loop.create_task(self._watch(session), name=f"{self._name} watcher")
        writer: asyncio.Task[None] | None = None
        ready_at: float | None = None
        fatal: Exception | None = None
        try:
            self.events.emit("open", {"wsKey": self.options.ws_key, "url": self.options.url})
            if self.dialect.authenticates:
                await self._authenticate(session)
                logger.debug("authenticated on %s", self.options.url)
                self.events.emit("authenticated", {"wsKey": self.options.ws_key})
            ready_at = clock()
            if reconnecting and self.protocol.ever_open:
                self.events.emit("reconnected", {"wsKey": self.options.ws_key})
            self.protocol.opened()
            self.settle_ready(None)
            writer = self._loop.create_task(
                self.dialect.session_ready(session), name=f"{self._name} writer"
            )
            writer.add_done_callback(self._writer_done)
            self._live = True
            await self._heartbeat(session)
            if (ended := self._ended()) is not None and ended[0] == "restart":
                await self._drain()
        except _GiveUpError as exc:
            assert isinstance(exc.__cause__, Exception)
            fatal = exc.__cause__
            self.finish("fatal", str(fatal))
        except ConnectionError as exc:
            self.finish("lost", str(exc) or describe(exc))
        finally:
            if self._live:
                self._live = False
                self.dialect.session_ended()
            retire()
            end, reason = self._ended() or ("lost", "the connection was lost")
            self.protocol.connection_lost(reason)  # before the teardown, which may take a while
            for task in (writer, watcher):
                if task is not None:
                    task.cancel()
            await asyncio.gather(*(t for t in (writer, watcher) if t), return_exceptions=True)
            await session.close()
        if fatal is not None:  # last: when the waiting calls fail, no task is left
            self.give_up(fatal)
        healthy = ready_at is not None and (
            self.protocol.answered or clock() - ready_at >= self.options.healthy_after
        )
        if end == "lost":
            self._last_error = reason
            logger.warning("connection to %s ended: %s", self.options.url, reason)
        return end, reason, healthy

    def _failed(self, exc: Exception) -> tuple[SessionEnd, str, bool]:
        self._last_error = describe(exc)
        logger.warning("connecting to %s failed: %s", self.options.url, self._last_error)
        return "lost", self._last_error, False

    def _ended(self) -> tuple[SessionEnd, str] | None:
        """Why the current session must end, if it must (set from other tasks)."""
        return self._end

    async def _watch(self, session: WireSession) -> None:
        self.finish("lost", await session.wait_closed())

    def _writer_done(self, writer: asyncio.Task[None]) -> None:
        if not writer.cancelled() and (error := writer.exception()) is not None:
            self.finish("lost", f"writing failed ({describe(error)})")

    async def _authenticate(self, session: WireSession) -> None:
        options = self.options
        expires = self.protocol.auth_expires(int(time.time() * 1000))
        # A sign hook is bounded by its timeout and, on a first connect, by a share of what is
        # left of connect_timeout: its failure, not the deadline, is what connect() reports.
        budget = None
        if not self.protocol.ever_open:
            left = self._started + options.connect_timeout - self._loop.time()
            budget = max(left, 0.0) * SIGN_TIMEOUT_SHARE
        deadline = asyncio.timeout(budget)
        try:
            async with deadline:
                signature = await options.signer.sign(auth_payload(expires))
        except AuthenticationError as failed:  # a sign hook failed: retrying will not help
            raise _GiveUpError() from failed
        except TimeoutError:
            if not deadline.expired():
                raise
            raise _GiveUpError() from AuthenticationError(
                None,
                f"{options.signer.description} returned no signature within {budget:.2g} s "
                "(its share of what was left of connect_timeout)",
            )
        waiter = self._auth_waiter = self._loop.create_future()
        self.protocol.auth_sent(waiter)
        try:
            frame = self.protocol.auth_frame(options.api_key, expires, signature)
            await session.send_texts([frame])
            async with asyncio.timeout(options.connect_timeout):
                outcome = await waiter
        except TimeoutError:
            raise ConnectionError(f"no auth reply within {options.connect_timeout:g} s") from None
        finally:
            self._auth_waiter = None
        error = self.protocol.auth_error
        if outcome is AuthOutcome.RETRY:
            raise ConnectionError(str(error))
        if outcome is AuthOutcome.FATAL:
            raise _GiveUpError() from error

    def no_connection(self) -> WSConnectionError:
        last = f": last error: {self._last_error}" if self._last_error else ""
        kind = "authenticated connection" if self.dialect.authenticates else "connection"
        return WSConnectionError(
            f"no {kind} to {self.options.url} within {self.options.connect_timeout:g} s{last}"
        )

    def give_up(self, error: Exception) -> None:
        """Fail everything waiting for a connection with ``error``; the supervisor stops."""
        logger.error("giving up on %s: %s", self.options.url, error)
        self.settle_ready(error)
        self.dialect.give_up(error)

    def settle_ready(self, error: Exception | None) -> None:
        ready = self._ready
        if ready is None or ready.done():
            return
        if error is None:
            ready.set_result(None)
        else:
            ready.set_exception(error)
            ready.exception()

    async def _heartbeat(self, session: WireSession) -> None:
        """Ping every ``ping_interval``; end the session if nothing arrives within ``pong_timeout``
        of a ping. The cadence does not wait out the pong allowance: a ping answered at once is
        followed by the next one ``ping_interval`` after it (no second ping while one is
        unanswered)."""
        options = self.options
        loop = self._loop
        next_ping = loop.time() + options.ping_interval
        pinged_at: float | None = None  # the ping not yet answered by any frame
        while True:
            due = (
                next_ping if pinged_at is None else min(next_ping, pinged_at + options.pong_timeout)
            )
            if await self._sleep_or_wake(max(0.0, due - loop.time())):
                return
            now = loop.time()
            if pinged_at is not None and not self.protocol.pong_overdue():
                pinged_at = None
            if pinged_at is not None:
                if now >= pinged_at + options.pong_timeout:
                    self.finish("lost", f"no pong arrived within {options.pong_timeout:g} s")
                    return
                next_ping = max(next_ping, pinged_at + options.pong_timeout)
                continue
            if now < next_ping:
                continue
            self.protocol.pinged(now)
            pinged_at = now
            next_ping = now + options.ping_interval
            try:
                async with asyncio.timeout(options.pong_timeout):
                    await session.send_texts([self.protocol.ping_frame()])
            except TimeoutError:
                self.finish("lost", f"the socket took no ping in {options.pong_timeout:g} s")
                return
            except ConnectionError as exc:
                self.finish("lost", f"sending a ping failed ({describe(exc)})")
                return

    async def _sleep_or_wake(self, seconds: float) -> bool:
        """Wait ``seconds``; True if the session was told to end meanwhile."""
        try:
            async with asyncio.timeout(seconds):
                await self._wake.wait()
        except TimeoutError:
            return False
        return True

    async def _drain(self) -> None:
        """After a restart notice: let in-flight replies arrive (bounded), then move."""
        if self.protocol.awaiting_replies() and not self.closed:
            try:
                async with asyncio.timeout(self.options.request_timeout):
                    await self._drained.wait()
            except TimeoutError:
                pass


def _sink(
    receive: Callable[[str, float], None], loop: asyncio.AbstractEventLoop
) -> tuple[Callable[[str], None], Callable[[], None]]:
    """A session's ``on_text`` (into the protocol with the loop's time, until retired), and its
    ``retire``. A closure, and ``time.monotonic`` itself when that is what ``loop.time`` returns:
    a frame less each, on every received message."""
    clock = time.monotonic if type(loop).time is asyncio.BaseEventLoop.time else loop.time
    live = True

    def on_text(text: str) -> None:
        if live:
            receive(text, clock())

    def retire() -> None:
        nonlocal live
        live = False

    return on_text, retire
