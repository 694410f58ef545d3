"""The local server's sockets: one port, routed by path; the trade socket here (protocol
engine, transport faults, replies out), the stream sockets in :mod:`.streams_io`."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import random
from collections.abc import Mapping
from types import TracebackType
from typing import Self

from bybit_wsapi_generated.tables import API_PATH
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from bybit_wsapi.auth import account_verifier

from .account import Account
from .conditions import Conditions
from .config import ServerConfig
from .faults import GARBAGE_FRAMES, Faults, SplitMode, truncated
from .frames import encode, raw_text_frame
from .handshake import HandshakeError, Route, route
from .market import Market
from .protocol import Engine, Pending, Received, Session
from .rest import REST_PATHS, RestServer
from .streams import StreamRequest, Streams
from .streams_hub import Hub, private_scope
from .streams_io import StreamServer, now_ms, watch_idle
from .streams_market import Clock, MarketFeed

__all__ = ["LocalServer"]

LOG = logging.getLogger(__name__)

_CLOSE_TIMEOUT = 2.0
"""Seconds to wait for a client's close frame after the server closes a connection."""


class _NoFrameLogger(logging.LoggerAdapter[logging.Logger]):
    """websockets logs every frame at DEBUG, auth signatures included: never enable that level."""

    def isEnabledFor(self, level: int) -> bool:  # noqa: N802 (the logging API's name)
        return level > logging.DEBUG and self.logger.isEnabledFor(level)


class _Connection:
    """One client connection: its socket, protocol session and fault bookkeeping."""

    __slots__ = ("closed", "frames", "last_received", "session", "tasks", "ws")

    def __init__(self, ws: ServerConnection, session: Session) -> None:
        self.ws = ws
        self.session = session
        self.last_received = asyncio.get_running_loop().time()
        self.frames = 0
        self.tasks: set[asyncio.Task[None]] = set()
        self.closed = asyncio.Event()

    def drop(self) -> None:
        """End the TCP connection without a close frame (data already written is flushed)."""
        self.ws.transport.close()


class LocalServer:
    """A local Bybit server: ``async with LocalServer(config) as server``.

    One port serves ``/v5/trade`` (``url``), ``/v5/private`` and ``/v5/public/{category}``
    (under ``base_url``). ``market`` is the simulated market, ``accounts`` the account behind
    each API key, ``clock`` the market's time (``ServerConfig.manual_clock``: ``await
    step(ms)``). ``faults`` is this server's live copy of ``config.faults``; ``received``,
    ``orders()`` and ``connection_count`` show what happened. Not thread-safe: use it from its
    event loop (see ``run_server_in_thread`` for sync code).
    """

    def __init__(self, config: ServerConfig | None = None) -> None:
        self.config = config if config is not None else ServerConfig()
        self.faults: Faults = dataclasses.replace(self.config.faults)
        self._engine = Engine(self.config, self.faults)
        self._rng = random.Random(self.config.seed)
        self._server: Server | None = None
        self._base_url: str | None = None
        self._connections: dict[ServerConnection, _Connection] = {}
        self._conditions = Conditions()
        self._engine.on_received = self._conditions.check
        trading = self._engine.trading
        self.market: Market = trading.market
        """The simulated market (``market.listing(category, symbol)``, ``market.topics(...)``)."""
        self.accounts: dict[str, Account] = trading.accounts
        """API key -> its account (``orders()``, ``wallet()``, ``positions``)."""
        self.clock = Clock(self.config.manual_clock)
        """The market's time; with ``manual_clock``, ``clock.advance(ms)`` moves it."""
        self.hub = Hub()
        """Who subscribed which stream topic; ``hub.publish`` queues a message to them."""
        streams = Streams(
            self._engine.check_auth,
            self.market.valid_topic,
            subscribe_before_auth=self.config.subscribe_before_auth,
            unsubscribe_unknown=self.config.unsubscribe_unknown,
            no_pong=lambda: self.faults.no_pong,
        )
        if self.config.record_received:
            streams.requests = []
        self._streams = StreamServer(
            self.config, self.faults, streams, self.hub, self._conditions.check
        )
        self._streams.on_public_subscribe = self._snapshot
        self._streams.on_public_unsubscribe = self.market.unsubscribe
        self._streams.on_private_change = self._private_change
        for account in self.accounts.values():
            account.wants_pushes = False  # until its private stream has a subscriber
        self._feed = MarketFeed(self.market, self.hub, self.clock, self.faults)
        verifiers = {key: account_verifier(value) for key, value in self.config.accounts.items()}
        rest = dataclasses.replace(self.config.rest, fail_next=list(self.config.rest.fail_next))
        self.rest = RestServer(self.accounts, verifiers, self.clock.now_ms, rest)
        """The V5 REST order queries on this port (``rest.options``: delays, buffer, limit)."""

    @property
    def base_url(self) -> str:
        """``ws://HOST:PORT`` (once started): append ``/v5/private``, ``/v5/public/linear``..."""
        if self._base_url is None:
            raise RuntimeError("the server is not running: await start() first")
        return self._base_url

    @property
    def url(self) -> str:
        """``ws://HOST:PORT/v5/trade`` (once started)."""
        return self.base_url + API_PATH

    @property
    def received(self) -> list[Received]:
        """Every order-op request accepted for processing, in arrival order (live list).

        Items are ``(api_key, op, reqId or None, args[0])``. Recorded once auth, reqId, header
        and args passed, before params validation, rate limiting and faults; a request answered
        10019 by the ``restarting`` fault is refused before that, so it is not recorded.
        """
        return self._engine.received

    @property
    def stream_requests(self) -> list[StreamRequest]:
        """Every stream subscribe and unsubscribe received: ``(stream, conn_id, op, topics)``
        (e.g. a client's resubscription after a drop; empty without ``record_received``)."""
        return self._streams.streams.requests or []

    @property
    def connection_count(self) -> int:
        """Open ``/v5/trade`` connections."""
        return len(self._connections)

    @property
    def stream_connection_count(self) -> int:
        """Open ``/v5/private`` and ``/v5/public/*`` connections."""
        return len(self._streams.connections)

    async def wait_received(self, count: int) -> list[Received]:
        """Wait until ``received`` holds at least ``count`` requests; returns it."""
        if not self.config.record_received:
            raise RuntimeError("this server does not record requests (record_received=False)")
        await self._conditions.wait(lambda: len(self.received) >= count)
        return self.received

    async def wait_connections(self, count: int) -> None:
        """Wait until exactly ``count`` trade connections are open (e.g. after a reconnect)."""
        await self._conditions.wait(lambda: len(self._connections) == count)

    async def wait_stream_connections(self, count: int) -> None:
        """Wait until exactly ``count`` stream connections are open."""
        await self._conditions.wait(lambda: len(self._streams.connections) == count)

    async def step(self, ms: int) -> None:
        """Move the manual clock ``ms`` forward; returns once the pushes it caused are written."""
        self.clock.advance(ms)
        await self._streams.flushed()

    async def flushed(self) -> None:
        """Wait until every stream connection has written what was queued for it."""
        await self._streams.flushed()

    def inject(self, fault: str, category: str | None = None, topic: str | None = None) -> int:
        """A one-shot data fault on the matching subscribed public topics (``gap``,
        ``snapshot``, ``reset``, ``missing_delete``, ``duplicate``); how many topics got it."""
        return self._feed.inject(fault, category, topic)

    def burst(self, category: str, topic: str, count: int) -> int:
        """``count`` deltas of a subscribed orderbook topic at once; how many were queued."""
        return self._feed.burst(category, topic, count)

    def _private_change(self, api_key: str) -> None:
        subscribed = self.hub.subscriptions(private_scope(api_key)) > 0
        self.accounts[api_key].wants_pushes = subscribed

    def _snapshot(self, category: str, topic: str) -> Mapping[str, object] | None:
        push = self.market.subscribe(category, topic, self.clock.now_ms())
        return None if push is None else push.message

    def orders(self, api_key: str) -> list[dict[str, object]]:
        """Copies of the account's orders, oldest first (``KeyError`` for an unknown key)."""
        return self._engine.orders(api_key)

    async def start(self) -> None:
        """Listen; returns once connections are accepted (``url`` is then set)."""
        if self._server is not None:
            raise RuntimeError("the server is already running")
        config = self.config
        self._server = await serve(
            self._serve,
            config.host,
            config.port,
            process_request=self._check_request,
            compression=None,
            ping_interval=None,
            max_size=config.max_frame_bytes,
            close_timeout=_CLOSE_TIMEOUT,
            logger=_NoFrameLogger(logging.getLogger(f"{__name__}.websockets")),
        )
        port = self._server.sockets[0].getsockname()[1]
        host = f"[{config.host}]" if ":" in config.host else config.host
        self._base_url = f"ws://{host}:{port}"
        self._feed.start()
        LOG.info("listening on %s (and /v5/private, /v5/public/*)", self.url)

    async def stop(self) -> None:
        """Close every connection (1001 going away) and stop listening."""
        server, self._server = self._server, None
        if server is None:
            return
        await self._feed.stop()
        server.close()
        await server.wait_closed()
        self._base_url = None
        LOG.info("stopped")

    async def drop_stream_connections(self) -> None:
        """Abort every stream connection (no close frame) and wait until they are gone."""
        await self._streams.drop()

    async def drop_connections(self) -> None:
        """Abort every trade connection at once (no close frame) and wait until they are gone."""
        connections = list(self._connections.values())
        for connection in connections:
            connection.ws.transport.abort()
        for connection in connections:
            await connection.closed.wait()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # ---- connections ----------------------------------------------------------------------

    def _check_request(self, connection: ServerConnection, request: Request) -> Response | None:
        if request.path.split("?", 1)[0] in REST_PATHS and "Upgrade" not in request.headers:
            status, headers, body = self.rest.handle(request.path, dict(request.headers))
            return Response(status, "OK", Headers(headers), body.encode())
        try:
            route(request.path)
        except HandshakeError as rejection:
            return connection.respond(rejection.status, rejection.body)
        return None

    async def _serve(self, ws: ServerConnection) -> None:
        target = route(ws.request.path if ws.request else API_PATH)
        if target.stream == "trade":
            await self._serve_trade(ws, target)
        else:
            await self._streams.serve(ws, target)

    async def _serve_trade(self, ws: ServerConnection, target: Route) -> None:
        session = self._engine.open_session()
        connection = _Connection(ws, session)
        self._connections[ws] = connection
        self._conditions.check()
        watchdog = asyncio.create_task(
            watch_idle(
                lambda: connection.last_received,
                target.idle_timeout or self.config.idle_timeout,
                self.config.idle_check_interval,
                lambda: ws.close(1000, "idle timeout"),
                session.conn_id,
            )
        )
        LOG.debug("connection %s opened", session.conn_id)
        try:
            await self._receive(connection)
        except ConnectionClosed:
            pass
        finally:
            watchdog.cancel()
            for task in connection.tasks:
                task.cancel()
            await asyncio.gather(watchdog, *connection.tasks, return_exceptions=True)
            self._engine.close_session(session)
            del self._connections[ws]
            connection.closed.set()
            self._conditions.check()
            LOG.debug("connection %s closed", session.conn_id)

    async def _receive(self, connection: _Connection) -> None:
        ws = connection.ws
        session = connection.session
        engine = self._engine
        faults = self.faults
        operations = engine.operations
        clock = asyncio.get_running_loop().time
        async for message in ws:
            connection.last_received = clock()
            connection.frames += 1
            if faults.drop_probability > 0 and self._rng.random() < faults.drop_probability:
                connection.drop()
                return
            now = now_ms()
            result = engine.handle(session, message, now)
            if isinstance(result, Pending):
                if faults.drop_before_apply:
                    connection.drop()
                    return
                if faults.cancel_races_fill and result.op.action == "cancel":
                    self.accounts[result.api_key].race_next_cancel = True
                reply = result.apply(self.clock.now_ms())
                ack_first = result.ack_first and not faults.push_before_ack
                if not ack_first:
                    self._feed.publish(result.pushes)
                    if faults.push_before_ack:
                        await self._streams.flushed(result.api_key)
                if faults.drop_after_apply:
                    if ack_first:
                        self._feed.publish(result.pushes)  # applied: the streams still tell
                    connection.drop()
                    return
                await self._reply(connection, reply, order_op=True)
                if ack_first:
                    self._feed.publish(result.pushes)
            elif result is not None:
                await self._reply(connection, result, order_op=result.get("op") in operations)
            limit = faults.drop_after_frames
            if limit is not None and connection.frames >= limit:
                connection.drop()
                return

    # ---- replies --------------------------------------------------------------------------

    async def _reply(
        self, connection: _Connection, reply: dict[str, object], order_op: bool
    ) -> None:
        faults = self.faults
        text = encode(reply)
        split: SplitMode | None = None
        if order_op:
            frames = [GARBAGE_FRAMES[i % len(GARBAGE_FRAMES)] for i in range(faults.garbage_frames)]
            frames += [truncated(text)] * faults.truncated_frames
            if faults.unknown_req_id_replies:
                frames.append(encode({**reply, "reqId": f"unknown-{self._rng.getrandbits(64):x}"}))
            oversize = faults.oversize_replies
            if oversize is not None and len(text) <= oversize:
                text += " " * (oversize + 1 - len(text))  # ASCII JSON: characters are bytes
            frames.append(text)
            split = faults.split_reply
            if faults.duplicate_replies and split is None:
                frames.append(text)
        else:
            frames = [text]
        delay = faults.delay_ms
        if delay > 0:
            task = asyncio.create_task(self._send_later(connection, frames, split, delay / 1000))
            connection.tasks.add(task)
            task.add_done_callback(connection.tasks.discard)
        else:
            await self._send(connection, frames, split)

    async def _send_later(
        self, connection: _Connection, frames: list[str], split: SplitMode | None, delay: float
    ) -> None:
        await asyncio.sleep(delay)
        with contextlib.suppress(ConnectionClosed):
            await self._send(connection, frames, split)

    @staticmethod
    async def _send(connection: _Connection, frames: list[str], split: SplitMode | None) -> None:
        ws = connection.ws
        if split is not None:
            *frames, last = frames
        for frame in frames:
            await ws.send(frame)
        if split is None:
            return
        payload = last.encode()
        if split == "fragment":
            data = raw_text_frame(payload[: len(payload) // 2], fin=False)
        else:
            whole = raw_text_frame(payload, fin=True)
            data = whole[: len(whole) // 2]
        ws.transport.write(data)
        connection.drop()
