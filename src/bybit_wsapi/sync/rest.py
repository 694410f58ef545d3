"""``RestClient``, blocking: the async ``bybit_wsapi.rest.RestClient`` on its own loop thread.

Each query is one call into that loop (:class:`~.loop.LoopThread`, as the sync WS clients run
theirs); the page walks are blocking iterators, each page one call. Ctrl-C cancels the query in
flight (a read: nothing to reconcile) and raises ``KeyboardInterrupt``. ``queries`` is the
same client for code on another event loop (a sync WS client's order tracker).
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Generator
from functools import partial
from types import TracebackType
from typing import Any, Self, TypeVar, Unpack

import httpx
from bybit_wsapi_generated import ServerTimeResultV5
from bybit_wsapi_generated.rest import REST_PATHS

from ..rest import client as aio
from ..rest.errors import RestHTTPError
from ..rest.pages import DEFAULT_MAX_PAGES
from ..rest.types import (
    ExecutionListResult,
    ExecutionQuery,
    OrderHistoryQuery,
    OrderListResult,
    OrderQuery,
)
from ..signing import KeyType, SignHook
from .loop import LoopThread

__all__ = ["RestClient"]

T = TypeVar("T")


class RestClient:
    """Signed V5 REST order queries, blocking (pybit: ``HTTP``'s ``get_open_orders``...).

    Example::

        with RestClient(key=..., secret=..., testnet=True) as rest:
            rest.sync_time()
            for page in rest.open_order_pages(category="linear", symbol="BTCUSDT"):
                ...

    The options, results and errors are those of ``bybit_wsapi.rest.RestClient``, which runs
    on this client's own event-loop thread (``bybit-wsapi-loop-N``). Safe to call from many
    threads at once.
    """

    def __init__(
        self,
        *,
        key: str,
        secret: str | None = None,
        key_type: KeyType | None = None,
        secret_passphrase: str | bytes | None = None,
        sign: SignHook | None = None,
        base_url: str | None = None,
        testnet: bool = False,
        recv_window_ms: int = aio.DEFAULT_RECV_WINDOW_MS,
        timeout: float = aio.DEFAULT_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        make = partial(
            aio.RestClient,
            key=key,
            secret=secret,
            key_type=key_type,
            secret_passphrase=secret_passphrase,
            sign=sign,
            base_url=base_url,
            testnet=testnet,
            recv_window_ms=recv_window_ms,
            timeout=timeout,
            transport=transport,
        )
        self._loop = LoopThread()
        try:  # made on the loop: its httpx client belongs there
            self._rest = self._loop.call(partial(_made, make), _stopped)
        except BaseException:
            self._loop.shutdown(_nothing())
            raise
        self._finalizer = weakref.finalize(self, _shutdown, self._loop, self._rest)
        """Also runs at interpreter exit: an unclosed client never holds the process."""

    def __repr__(self) -> str:
        return f"<bybit_wsapi.sync.{repr(self._rest)[1:]}"

    @property
    def key(self) -> str:
        return self._rest.key

    @property
    def base_url(self) -> str:
        return self._rest.base_url

    @property
    def recv_window_ms(self) -> int:
        return self._rest.recv_window_ms

    @property
    def queries(self) -> _Queries:
        """The three queries, awaitable on any event loop, run on this client's loop thread:
        ``ws.track_orders(rest=rest.queries)`` (it stays yours to close)."""
        return _Queries(self)

    def _call(self, start: Callable[[], Awaitable[T]], path: str) -> T:
        return self._loop.call(start, partial(_closed, path))

    def get_open_orders(self, **params: Unpack[OrderQuery]) -> OrderListResult:
        """``GET /v5/order/realtime``: open orders, and by id the recently closed ones too."""
        start = partial(self._rest.get_open_orders, **params)
        return self._call(start, REST_PATHS["get_open_orders"])

    def get_order_history(self, **params: Unpack[OrderHistoryQuery]) -> OrderListResult:
        """``GET /v5/order/history``: closed orders (delayed; Bybit's retention rules apply)."""
        start = partial(self._rest.get_order_history, **params)
        return self._call(start, REST_PATHS["get_order_history"])

    def get_executions(self, **params: Unpack[ExecutionQuery]) -> ExecutionListResult:
        """``GET /v5/execution/list``: fills, newest first."""
        start = partial(self._rest.get_executions, **params)
        return self._call(start, REST_PATHS["get_executions"])

    def open_order_pages(
        self, *, max_pages: int = DEFAULT_MAX_PAGES, **params: Unpack[OrderQuery]
    ) -> Generator[OrderListResult, None, None]:
        """Every page of ``get_open_orders(**params)``, following ``nextPageCursor``.

        Raises ``RestPagesLeftError`` when pages remain after ``max_pages``.
        """
        return self._pages(self._rest.open_order_pages(max_pages=max_pages, **params))

    def order_history_pages(
        self, *, max_pages: int = DEFAULT_MAX_PAGES, **params: Unpack[OrderHistoryQuery]
    ) -> Generator[OrderListResult, None, None]:
        """Every page of ``get_order_history(**params)`` (as ``open_order_pages``)."""
        return self._pages(self._rest.order_history_pages(max_pages=max_pages, **params))

    def execution_pages(
        self, *, max_pages: int = DEFAULT_MAX_PAGES, **params: Unpack[ExecutionQuery]
    ) -> Generator[ExecutionListResult, None, None]:
        """Every page of ``get_executions(**params)`` (as ``open_order_pages``)."""
        return self._pages(self._rest.execution_pages(max_pages=max_pages, **params))

    def _pages(self, walk: AsyncIterator[T]) -> Generator[T, None, None]:
        """``walk``, each page one call into the loop; a walk left early is closed there."""
        try:
            while True:
                try:
                    page = self._call(walk.__anext__, "a page walk")
                except StopAsyncIteration:
                    return
                yield page
        finally:
            close = getattr(walk, "aclose", None)
            if close is not None and not self._loop.closed and not self._loop.on_loop_thread():
                self._call(close, "a page walk")

    def get_server_time(self) -> ServerTimeResultV5:
        """``GET /v5/market/time`` (public, unsigned): Bybit's clock, ``timeSecond``/``timeNano``."""
        return self._call(self._rest.get_server_time, REST_PATHS["get_server_time"])

    def sync_time(self) -> int:
        """Measure the offset to Bybit's clock and use it (``bybit_wsapi.rest.RestClient``'s
        ``sync_time``); returned in ms.

        Raises:
            RestAPIError, RestHTTPError: the time query failed (the offset is unchanged).
        """
        return self._call(self._rest.sync_time, REST_PATHS["get_server_time"])

    def set_time_offset_ms(self, offset_ms: int) -> None:
        """Add ``offset_ms`` (server minus local clock) to every timestamp signed from now on."""
        self._rest.set_time_offset_ms(offset_ms)

    def get_time_offset_ms(self) -> int:
        return self._rest.get_time_offset_ms()

    def get(self, path: str, params: dict[str, object]) -> dict[str, Any]:
        """One signed GET; its ``result`` (errors as the query methods)."""
        return self._call(partial(self._rest.get, path, params), path)

    def close(self) -> None:
        """Close the HTTP client and stop the loop thread; later calls raise. Idempotent."""
        self._finalizer()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class _Queries:
    """A :class:`RestClient`'s queries as an ``OrderQueries`` (async) for another loop."""

    def __init__(self, client: RestClient) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<queries of {self._client!r}>"

    async def _run(self, query: Coroutine[Any, Any, T], path: str) -> T:
        future = self._client._loop.submit(query, partial(_closed, path))
        return await asyncio.wrap_future(future)  # cancelling it cancels the query

    async def get_open_orders(self, **params: Unpack[OrderQuery]) -> OrderListResult:
        query = self._client._rest.get_open_orders(**params)
        return await self._run(query, REST_PATHS["get_open_orders"])

    async def get_order_history(self, **params: Unpack[OrderHistoryQuery]) -> OrderListResult:
        query = self._client._rest.get_order_history(**params)
        return await self._run(query, REST_PATHS["get_order_history"])

    async def get_executions(self, **params: Unpack[ExecutionQuery]) -> ExecutionListResult:
        query = self._client._rest.get_executions(**params)
        return await self._run(query, REST_PATHS["get_executions"])


async def _made(make: Callable[[], aio.RestClient]) -> aio.RestClient:
    return make()


async def _nothing() -> None:
    """What ``shutdown`` runs when the client was never made."""


def _stopped() -> BaseException:
    return RuntimeError("the RestClient's event loop stopped while it was being created")


def _closed(what: str) -> BaseException:
    return RestHTTPError(what, None, "the RestClient is closed: make a new one")


def _shutdown(loop: LoopThread, rest: aio.RestClient) -> None:
    loop.shutdown(rest.close())
