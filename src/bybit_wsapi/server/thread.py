"""Run a :class:`LocalServer` on its own event loop in a daemon thread, for sync code."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import Future
from types import TracebackType
from typing import Any, Self, TypeVar

from .account import Account
from .app import LocalServer
from .config import ServerConfig
from .faults import Faults
from .market import Market
from .protocol import Received

__all__ = ["ServerThread", "run_server_in_thread"]

T = TypeVar("T")

_TIMEOUT = 30.0
"""Seconds to wait for the server thread to start, answer or stop."""


def run_server_in_thread(config: ServerConfig | None = None) -> ServerThread:
    """A not yet started :class:`ServerThread`: ``with run_server_in_thread(cfg) as handle:``."""
    return ServerThread(config)


class ServerThread:
    """A local server on a daemon thread. ``start()`` returns once it accepts connections.

    ``faults`` is the live object (plain attribute writes are safe from any thread); the other
    accessors run on the server's loop and return snapshots.
    """

    def __init__(self, config: ServerConfig | None = None) -> None:
        self.server = LocalServer(config)
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._started: Future[None] = Future()

    @property
    def url(self) -> str:
        """``ws://HOST:PORT/v5/trade``."""
        return self.server.url

    @property
    def base_url(self) -> str:
        """``ws://HOST:PORT``: append ``/v5/private`` or ``/v5/public/{category}``."""
        return self.server.base_url

    @property
    def market(self) -> Market:
        """The simulated market, live: it belongs to the server's loop, so read it between
        ``step()`` calls of a manual clock, or through ``call()``."""
        return self.server.market

    @property
    def accounts(self) -> dict[str, Account]:
        """API key -> account, live (the same rule as ``market``)."""
        return self.server.accounts

    @property
    def faults(self) -> Faults:
        """The server's live fault switches."""
        return self.server.faults

    @property
    def received(self) -> list[Received]:
        """A snapshot of ``LocalServer.received``."""
        return self._call(lambda: list(self.server.received))

    @property
    def running(self) -> bool:
        """Whether the server thread is alive (started and not yet stopped)."""
        return self._thread is not None and self._thread.is_alive()

    @property
    def connection_count(self) -> int:
        """Open trade connections."""
        return self._call(lambda: self.server.connection_count)

    @property
    def stream_connection_count(self) -> int:
        """Open stream connections."""
        return self._call(lambda: self.server.stream_connection_count)

    def orders(self, api_key: str) -> list[dict[str, object]]:
        """A snapshot of the account's orders."""
        return self._call(lambda: self.server.orders(api_key))

    def wallet(self, api_key: str) -> dict[str, str]:
        """A snapshot of the account's wallet: coin -> balance."""
        return self._call(self.server.accounts[api_key].wallet)

    def call(self, function: Callable[[LocalServer], T]) -> T:
        """``function(server)`` run on the server's loop (the market and accounts live there):
        e.g. ``handle.call(lambda s: s.market.listing("linear", "BTCUSDT").book.best("Buy"))``."""
        return self._call(lambda: function(self.server))

    def step(self, ms: int) -> None:
        """Move the manual clock (``ServerConfig(manual_clock=True)``) and wait until the
        pushes it caused were written."""
        self._run(self.server.step(ms))

    def inject(self, fault: str, category: str | None = None, topic: str | None = None) -> int:
        """A one-shot stream data fault (see ``LocalServer.inject``)."""
        return self._call(lambda: self.server.inject(fault, category, topic))

    def burst(self, category: str, topic: str, count: int) -> int:
        """``count`` deltas of a subscribed orderbook topic at once."""
        return self._call(lambda: self.server.burst(category, topic, count))

    def wait_received(self, count: int) -> list[Received]:
        """Block until the server received ``count`` order-op requests; returns a snapshot."""
        return self._run(self._wait_received(count))

    async def _wait_received(self, count: int) -> list[Received]:
        return list(await self.server.wait_received(count))

    def wait_connections(self, count: int) -> None:
        """Block until exactly ``count`` client connections are open."""
        self._run(self.server.wait_connections(count))

    def wait_stream_connections(self, count: int) -> None:
        """Block until exactly ``count`` stream connections are open."""
        self._run(self.server.wait_stream_connections(count))

    def drop_connections(self) -> None:
        """Abort every trade connection (no close frame) and wait until they are gone."""
        self._run(self.server.drop_connections())

    def drop_stream_connections(self) -> None:
        """Abort every stream connection (no close frame) and wait until they are gone."""
        self._run(self.server.drop_stream_connections())

    def start(self) -> Self:
        """Start the thread and wait until the server accepts connections."""
        if self._thread is not None:
            raise RuntimeError("the server thread was already started")
        self._thread = threading.Thread(target=self._main, name="bybit-wsapi-server", daemon=True)
        self._thread.start()
        self._started.result(_TIMEOUT)
        return self

    def stop(self) -> None:
        """Stop the server and join the thread (idempotent)."""
        loop, stop, thread = self._loop, self._stop, self._thread
        if loop is None or stop is None or thread is None or not thread.is_alive():
            return
        loop.call_soon_threadsafe(stop.set)
        thread.join(_TIMEOUT)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _main(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as exc:
            if not self._started.done():
                self._started.set_exception(exc)
            else:
                raise

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        async with self.server:
            self._started.set_result(None)
            await self._stop.wait()

    def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        if self._loop is None:
            coro.close()
            raise RuntimeError("the server thread is not running")
        future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        try:
            return future.result(_TIMEOUT)
        except TimeoutError:
            future.cancel()
            raise

    def _call(self, function: Callable[[], T]) -> T:
        async def call() -> T:
            return function()

        return self._run(call())
