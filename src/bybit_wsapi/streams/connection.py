"""One stream socket (a public category's, or ``/v5/private``): the code that owns it.

Task layout, on the transport's :func:`~bybit_wsapi.transport.open_session`:

- a **supervisor** task, started on first use, connects, authenticates (private: ``auth`` is
  acknowledged before any subscribe is written), then asks again for every wanted topic (``dcp``
  first), pings every ``ping_interval`` and reconnects with backoff when the session ends or
  nothing arrives within ``pong_timeout`` of a ping (any frame counts as alive);
- received text is classified and handled synchronously in the transport's callback: pushes go
  to :class:`~.topics.StreamTopics`, acks to the :class:`~.subscriptions.SubscriptionTable`;
- a **writer** task per session writes the table's requests as they appear.

If no session was ever authenticated, a failed connect or a refused ``auth`` ends the supervisor
(nothing is left running) and every waiting call fails; later drops reconnect without end.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Final

from bybit_wsapi_generated import StreamWsKey
from bybit_wsapi_generated.streams import STREAMS

from ..auth import auth_payload
from ..errors import AuthenticationError, SubscriptionError, WSConnectionError
from ..events import EventEmitter, ReconnectEvent
from ..options import ConnectionOptions
from ..retry import ConnectionBudget, backoff, fatal_status
from ..supervisor import tls_context
from ..transport import UpgradeRejectedError, WireSession, open_session
from .frames import PONG, Ack, AuthAck, Push, Unrecognised, auth_frame, classify, ping_frame
from .routing import limits_of
from .subscriptions import SubscriptionTable
from .topics import StreamTopics

__all__ = ["StreamConnection"]

logger = logging.getLogger(__name__)

_UNRECOGNISED_LOGGED: Final = 20
"""Unrecognised frames logged per connection (then only counted), so a flood cannot fill logs."""


class _GiveUpError(Exception):
    """The connection cannot work with these settings: stop reconnecting."""

    def __init__(self, error: Exception) -> None:
        self.error = error
        super().__init__(str(error))


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
        self.options = options
        self.events = events
        self.budget = budget
        """New connections allowed (Bybit: 500 per 5 minutes), shared by the client's sockets."""
        self.private = STREAMS[ws_key]["access"] == "private"
        self.table = SubscriptionTable(ws_key, limits_of(ws_key))
        self.table.topic_failed = self._topic_failed
        self.topics = StreamTopics(ws_key, events, self._resync)
        self.last_error: Exception | None = None
        """Why the last session failed or ended."""
        self.ever_open = False
        self.unrecognised = 0
        self.pongs = 0
        """Pongs received (every dialect's shape)."""
        self._supervisor: asyncio.Task[None] | None = None
        self._writable = asyncio.Event()
        self._ended = asyncio.Event()
        self._auth: asyncio.Future[AuthAck] | None = None
        self._alive = asyncio.Event()
        """Set by every received frame (cleared when a ping goes out)."""
        self._count = 0
        self._closed = False

    @property
    def is_open(self) -> bool:
        """Whether a session is up and (private) authenticated."""
        return self.table.ready

    @property
    def running(self) -> bool:
        return self._supervisor is not None

    def closing(self) -> bool:
        """Whether :meth:`close` was called (a call: mypy must not narrow it across awaits)."""
        return self._closed

    def start(self) -> None:
        """Make sure the supervisor runs (it connects on first use)."""
        if self._supervisor is None and not self._closed:
            self._supervisor = asyncio.get_running_loop().create_task(
                self._supervise(), name=f"bybit-wsapi {self.ws_key} supervisor"
            )

    def flush(self) -> None:
        """Write whatever the table has queued (now, if the session is ready)."""
        self._writable.set()

    async def close(self) -> None:
        """End the supervisor and the session; every waiting call fails. Idempotent."""
        self._closed = True
        self.table.fail_all("the client was closed")
        self.topics.end()
        task, self._supervisor = self._supervisor, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    # -- received frames -------------------------------------------------------------------------

    def _on_text(self, text: str) -> None:
        self._alive.set()
        decoded = classify(text)
        if isinstance(decoded, Push):
            self.topics.push(decoded.topic, decoded.message)
        elif decoded is PONG:
            self.pongs += 1
        elif isinstance(decoded, Ack):
            self.table.on_ack(decoded)
            self.flush()
        elif isinstance(decoded, AuthAck):
            if self._auth is not None and not self._auth.done():
                self._auth.set_result(decoded)
        elif isinstance(decoded, Unrecognised):
            self.unrecognised += 1
            if self.unrecognised <= _UNRECOGNISED_LOGGED:
                logger.warning("%s: %s: %.200s", self.ws_key, decoded.reason, decoded.text)

    def _resync(self, topic: str, reason: str) -> None:
        self.table.resync(topic)
        self.flush()

    def _topic_failed(self, topic: str, reason: str) -> None:
        logger.error("%s: Bybit refused %r: %s", self.ws_key, topic, reason)
        error = SubscriptionError("subscribe", {topic: reason})
        state = self.topics.states.get(topic)
        for sink in list(state.sinks) if state is not None else ():
            sink.fail(error)
        self.events.emit("exception", error)

    # -- the supervisor --------------------------------------------------------------------------

    async def _supervise(self) -> None:
        options = self.options
        delays = backoff(options.reconnect_initial_delay, options.reconnect_max_delay)
        attempt = 0
        try:
            while not self.closing():
                opened = await self._session(reconnecting=attempt > 0)
                if self.closing():
                    return
                if opened:
                    delays = backoff(options.reconnect_initial_delay, options.reconnect_max_delay)
                elif not self.ever_open:
                    self._give_up(self.last_error or WSConnectionError("no connection"))
                    return
                attempt += 1
                delay = next(delays)
                delay += self.budget.wait(time.monotonic() + delay)
                reason = str(self.last_error or "the connection ended")
                event: ReconnectEvent = {
                    "wsKey": self.ws_key,
                    "attempt": attempt,
                    "delay": delay,
                    "reason": reason,
                    "connected_before": self.ever_open,
                }
                self.events.emit("reconnect", event)
                await asyncio.sleep(delay)
        except _GiveUpError as fatal:
            self._give_up(fatal.error)
        finally:
            if self._supervisor is asyncio.current_task():
                self._supervisor = None

    def _give_up(self, error: Exception) -> None:
        logger.error("%s: giving up on %s: %s", self.ws_key, self.url, error)
        self.events.emit("exception", error)
        self.table.fail_all(f"no connection to {self.url}: {error}")
        self.table.wanted.clear()

    async def _session(self, *, reconnecting: bool) -> bool:
        """One session, handshake to teardown; whether it was ready (authenticated) at some point."""
        self._ended.clear()
        ready = False
        self.budget.spend(time.monotonic())
        try:
            session = await open_session(
                self.url,
                on_text=self._on_text,
                max_message_bytes=self.options.max_frame_bytes,
                headers={},
                open_timeout=self.options.connect_timeout,
                ssl_context=tls_context() if self.url.startswith("wss:") else None,
            )
        except UpgradeRejectedError as refused:
            self.last_error = WSConnectionError(str(refused))
            if fatal_status(refused.status_code):
                raise _GiveUpError(self.last_error) from None
            return False
        except ConnectionError as failed:
            self.last_error = failed
            logger.warning("%s: connection to %s failed: %s", self.ws_key, self.url, failed)
            return False
        tasks: list[asyncio.Task[None]] = []
        try:
            self.events.emit("open", {"wsKey": self.ws_key, "url": self.url})
            watcher = asyncio.create_task(
                self._watch(session), name=f"bybit-wsapi {self.ws_key} watcher"
            )
            tasks.append(watcher)
            if self.private:
                await self._authenticate(session)
                self.events.emit("authenticated", {"wsKey": self.ws_key})
            ready = self.ever_open = True
            self.table.connection_ready()
            if reconnecting:
                self.events.emit("reconnected", {"wsKey": self.ws_key})
            tasks.append(
                asyncio.create_task(self._write(session), name=f"bybit-wsapi {self.ws_key} writer")
            )
            await self._heartbeat(session)
        except (ConnectionError, TimeoutError) as lost:
            self.last_error = lost
        finally:
            self.table.connection_lost()
            self.topics.reset()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await session.close()
            if self._closed:
                self.events.emit("close", {"wsKey": self.ws_key})
        return ready

    async def _watch(self, session: WireSession) -> None:
        reason = await session.wait_closed()
        self.last_error = ConnectionError(reason)
        self._ended.set()
        self._writable.set()

    async def _authenticate(self, session: WireSession) -> None:
        expires = int(time.time() * 1000) + self.options.recv_window_ms
        try:
            signature = await self.options.signer.sign(auth_payload(expires))
        except AuthenticationError as failed:
            raise _GiveUpError(failed) from None
        self._count += 1
        self._auth = asyncio.get_running_loop().create_future()
        frame = auth_frame(self.options.api_key, expires, signature, f"auth-{self._count}")
        try:
            await session.send_texts([frame])
            async with asyncio.timeout(self.options.connect_timeout):
                reply = await self._wait_or_end(self._auth)
        except TimeoutError:
            raise ConnectionError(
                f"no auth reply within {self.options.connect_timeout:g} s"
            ) from None
        finally:
            self._auth = None
        if not reply.success:
            error = AuthenticationError(None, reply.ret_msg or "refused")
            if self.ever_open:  # it worked before: a clock step or a blip, try again
                raise ConnectionError(str(error))
            raise _GiveUpError(error)

    async def _wait_or_end(self, future: asyncio.Future[AuthAck]) -> AuthAck:
        ended = asyncio.ensure_future(self._ended.wait())
        try:
            await asyncio.wait((future, ended), return_when=asyncio.FIRST_COMPLETED)
        finally:
            ended.cancel()
        if not future.done():
            raise ConnectionError(str(self.last_error or "the session ended"))
        return future.result()

    async def _write(self, session: WireSession) -> None:
        while not self._ended.is_set():
            await self._writable.wait()
            self._writable.clear()
            frames = [batch.frame for batch in self.table.batches()]
            if frames:
                await session.send_texts(frames)

    async def _heartbeat(self, session: WireSession) -> None:
        """Ping every ``ping_interval``; end if nothing arrives within ``pong_timeout`` of one."""
        options = self.options
        self.flush()
        while not await self._sleep_or_end(options.ping_interval):
            self._count += 1
            self._alive.clear()
            try:
                async with asyncio.timeout(options.pong_timeout):
                    await session.send_texts([ping_frame(f"ping-{self._count}")])
                    if not await self._first(self._alive):  # any frame will do, as in Node
                        break
            except TimeoutError:
                raise ConnectionError(f"no pong within {options.pong_timeout:g} s") from None
            if self._ended.is_set():
                break
        raise ConnectionError(str(self.last_error or "the session ended"))

    async def _sleep_or_end(self, seconds: float) -> bool:
        """Wait ``seconds``; True if the session ended meanwhile."""
        try:
            async with asyncio.timeout(seconds):
                await self._ended.wait()
        except TimeoutError:
            return False
        return True

    async def _first(self, event: asyncio.Event) -> bool:
        """Wait for ``event`` or the session's end; whether ``event`` came first."""
        waiters = [asyncio.ensure_future(event.wait()), asyncio.ensure_future(self._ended.wait())]
        try:
            await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()
        return event.is_set()
