"""The sync clients: the async ones, run on a background event-loop thread per client.

Every typed method and overload comes from the generated ``WSAPISyncMethods`` and
``WSAPISyncSender``; this module implements the one blocking send and the lifecycle.
"""

from __future__ import annotations

import concurrent.futures
import inspect
import threading
import weakref
from collections.abc import Callable, Mapping
from functools import partial
from types import TracebackType
from typing import Any, Literal, Self, TypeVar, Unpack, get_args, overload

from bybit_wsapi_generated import WSAPIAnyResponse, WSAPIOperation, WSAPIWsKey
from bybit_wsapi_generated.sync_operations import WSAPISyncMethods, WSAPISyncSender

from .. import client as aio
from ..errors import BybitWSError, ConfigurationError, RequestOutcomeUnknownError, WSConnectionError
from ..errors import RequestNotSentError as _NotSent
from ..events import (
    ConnectionEvent,
    ConnectionEventName,
    EventName,
    OpenEvent,
    ReconnectEvent,
    UpdateEvent,
)
from ..options import ClientOptions
from .callbacks import Callback, CallbackThread
from .errors import RequestInterrupted
from .loop import LoopThread
from .orders import SyncOrdersAPI, SyncOrdersDelegate
from .streams import SyncStreamsAPI

__all__ = ["WebsocketAPIClient", "WebsocketClient"]

T = TypeVar("T")
SyncHandler = Callable[[T], object]
"""A plain function taking an event's payload (``async def`` is refused)."""

_EVENTS: tuple[EventName, ...] = get_args(EventName)


class WebsocketClient(WSAPISyncSender, SyncStreamsAPI, SyncOrdersAPI):
    """The WS API connection, blocking: ``send_ws_api_request`` plus events (plain callables).

    Example::

        with WebsocketClient(key=..., secret=..., testnet=True) as ws:  # connects
            ws.on("response", print)
            reply = ws.send_ws_api_request(WS_KEY_MAP.v5_private_trade, "order.create", {...})

    Without keys it serves the public streams only (``with`` then connects nothing).

    Safe to use from many threads at once. Options, replies and errors are those of
    ``bybit_wsapi.WebsocketClient``, which runs on this client's own event-loop thread.
    """

    def __init__(
        self,
        *,
        key: str | None = None,
        secret: str | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        self._start(lambda: aio.WebsocketClient(key=key, secret=secret, **options))

    @classmethod
    def _wrapping(cls, make: Callable[[], aio.WebsocketClient]) -> Self:
        self = cls.__new__(cls)
        self._start(make)
        return self

    def _start(self, make: Callable[[], aio.WebsocketClient]) -> None:
        self._loop = LoopThread()
        handlers: dict[str, tuple[Callback, ...]] = {}
        self._handlers = handlers
        self._callbacks = CallbackThread(  # holds the dict, not self (the finalizer holds it)
            self._loop.name.replace("loop", "callbacks"),
            handlers=lambda event: handlers.get(event, ()),
        )
        self._handlers_lock = threading.Lock()
        try:
            self._ws = self._loop.call(partial(self._create, make), _closed_error)
        except BaseException:
            self._loop.shutdown(_nothing())
            raise
        self._finalizer = weakref.finalize(
            self, _shutdown, self._loop, self._ws, self._callbacks
        )  # also runs at interpreter exit, so an unclosed client never holds the process

    async def _create(self, make: Callable[[], aio.WebsocketClient]) -> aio.WebsocketClient:
        ws = make()
        self._request_timeout = ws._connection.options.request_timeout
        for event in _EVENTS:  # forwarders, run on the loop: they only queue
            ws.on(event, self._forwarder(event))
        return ws

    def _forwarder(self, event: str) -> Callback:
        handlers, callbacks = self._handlers, self._callbacks

        def forward(payload: object) -> None:
            targets = handlers.get(event)
            if targets:
                callbacks.put(event, targets, payload)

        return forward

    def __repr__(self) -> str:
        return f"<bybit_wsapi.sync.{repr(self._ws)[1:]}"

    @property
    def url(self) -> str:
        """The ``/v5/trade`` endpoint."""
        return self._ws.url

    @property
    def is_connected(self) -> bool:
        """Whether an authenticated connection is up right now."""
        return self._ws.is_connected

    @property
    def in_flight(self) -> int:
        """Requests sent and waiting for their reply."""
        return self._ws.in_flight

    @property
    def callback_thread_name(self) -> str:
        """The name of the thread that runs this client's ``on`` handlers, one at a time."""
        return self._callbacks.name

    @property
    def callback_backlog(self) -> int:
        """Events waiting for their handlers now."""
        return self._callbacks.backlog

    @property
    def callbacks_dropped(self) -> int:
        """Stream pushes dropped so far because handlers fell behind (each gap on ``exception``)."""
        return self._callbacks.dropped

    @property
    def max_callback_backlog(self) -> int:
        """Waiting events past which new calls wait and stream pushes are dropped (settable)."""
        return self._callbacks.max_backlog

    @max_callback_backlog.setter
    def max_callback_backlog(self, value: int) -> None:
        if value < 1:
            raise ValueError(f"max_callback_backlog must be at least 1, got {value!r}")
        self._callbacks.max_backlog = value

    @overload
    def on(self, event: Literal["open"], handler: SyncHandler[OpenEvent]) -> None: ...
    @overload
    def on(self, event: ConnectionEventName, handler: SyncHandler[ConnectionEvent]) -> None: ...
    @overload
    def on(self, event: Literal["reconnect"], handler: SyncHandler[ReconnectEvent]) -> None: ...
    @overload
    def on(self, event: Literal["response"], handler: SyncHandler[WSAPIAnyResponse]) -> None: ...
    @overload
    def on(self, event: Literal["exception"], handler: SyncHandler[BybitWSError]) -> None: ...
    @overload
    def on(self, event: Literal["update"], handler: SyncHandler[UpdateEvent]) -> None: ...
    @overload
    def on(self, event: EventName, handler: SyncHandler[object]) -> None: ...
    def on(self, event: EventName, handler: Callable[[Any], object]) -> None:
        """Call ``handler(payload)`` on ``event``, on this client's callback thread.

        Callbacks run one at a time, in the order the events happened, on a thread of their own
        (``bybit-wsapi-callbacks-N``), never on the event loop: a slow callback delays later
        callbacks, not replies or heartbeats. A call's ``response`` callback may run before or
        after the call itself returns. Past ``MAX_BACKLOG`` waiting events, ``update`` pushes
        are dropped and each gap reaches ``exception`` as a ``CallbackOverflowError``. Callbacks may make calls on the client and may raise (it
        is logged). Events and payloads are those of ``bybit_wsapi.WebsocketClient.on``; mypy
        checks that ``handler`` takes the event's payload.

        Raises:
            ConfigurationError: an unknown event, or an ``async def`` handler.
        """
        if event not in _EVENTS:
            raise ConfigurationError(f"unknown event {event!r}; use one of {', '.join(_EVENTS)}")
        if inspect.iscoroutinefunction(handler):
            raise ConfigurationError(
                f"{handler!r} is an async function: the sync client calls plain functions "
                "(for async handlers use bybit_wsapi.WebsocketClient)"
            )
        with self._handlers_lock:
            self._handlers[event] = (*self._handlers.get(event, ()), handler)
        self._callbacks.start()

    def off(self, event: EventName, handler: Callable[[Any], object]) -> None:
        """Detach a handler attached with :meth:`on` (no error if it was not attached)."""
        with self._handlers_lock:
            handlers = list(self._handlers.get(event, ()))
            if handler in handlers:
                handlers.remove(handler)
                self._handlers[event] = tuple(handlers)

    @property
    def public_only(self) -> bool:
        """Made without keys: public streams only (``with`` then connects nothing)."""
        return self._ws.public_only

    def connect_ws_api(self) -> None:
        """Connect and authenticate now, so the first request has no cold start.

        Raises:
            AuthenticationError: Bybit rejected the key or signature.
            WSConnectionError: no authenticated connection within ``connect_timeout``, or the
                client is closed.
        """
        self._loop.call(self._ws.connect_ws_api, _connect_closed_error)

    def set_time_offset_ms(self, offset_ms: int) -> None:
        """Add ``offset_ms`` to the local clock in timestamps (correct a skewed clock)."""
        self._ws.set_time_offset_ms(offset_ms)

    def get_time_offset_ms(self) -> int:
        return self._ws.get_time_offset_ms()

    def _send_ws_api_request(
        self,
        ws_key: WSAPIWsKey,
        operation: WSAPIOperation,
        params: Mapping[str, Any],
        timeout: float | None,
    ) -> Any:
        """Send (from this thread if the loop lends itself) and block for the reply; Ctrl-C
        cancels the call."""
        if not self._callbacks.wait_for_room(self._request_timeout if timeout is None else timeout):
            raise _NotSent(
                f"the event callbacks are {self._callbacks.backlog} events behind (a callback is "
                "slow or stuck), so the call was not sent: speed up the callbacks",
                op=operation,
                req_id=None,
                params=params,
            )
        try:
            return self._loop.call(
                partial(self._ws._send_ws_api_request, ws_key, operation, params, timeout),
                lambda: _NotSent("the client is closed", op=operation, req_id=None, params=params),
                partial(self._ws._submit_now, ws_key, operation, params, timeout),
            )
        except KeyboardInterrupt:
            raise RequestInterrupted(operation, params) from None
        except concurrent.futures.CancelledError:
            raise RequestOutcomeUnknownError(
                "the client was closed while this call waited for its reply",
                op=operation,
                req_id=None,
                params=params,
            ) from None

    def close(self) -> None:
        """Close the connection and stop the client's threads; pending calls fail with a clear
        error (``RequestNotSentError`` or ``RequestOutcomeUnknownError``). Idempotent."""
        self._finalizer()
        self._loop.shutdown(_nothing())

    def __enter__(self) -> Self:
        try:
            if not self.public_only:
                self.connect_ws_api()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class WebsocketAPIClient(WSAPISyncMethods, SyncOrdersDelegate):
    """One blocking typed method per WS API operation (pybit users: ``WebSocketTrading``).

    Example::

        with WebsocketAPIClient(key=..., secret=..., testnet=True) as client:
            r = client.submit_new_order({"category": "linear", "symbol": "BTCUSDT",
                                         "side": "Buy", "orderType": "Limit",
                                         "qty": "1", "price": "50000"})
            r["data"]["orderId"], r["meta"]["rttMs"]

    The same options, replies and errors as ``bybit_wsapi.WebsocketAPIClient``; safe to call
    from many threads at once. Events: ``get_ws_client().on(...)``.
    """

    def __init__(
        self,
        *,
        key: str,
        secret: str | None = None,
        attach_event_listeners: bool = True,
        **options: Unpack[ClientOptions],
    ) -> None:
        def make() -> aio.WebsocketClient:
            return aio.WebsocketAPIClient(
                key=key, secret=secret, attach_event_listeners=attach_event_listeners, **options
            ).get_ws_client()

        self._ws = WebsocketClient._wrapping(make)

    def __repr__(self) -> str:
        return f"<bybit_wsapi.sync.WebsocketAPIClient {self._ws!r}>"

    def get_ws_client(self) -> WebsocketClient:
        """The sync ``WebsocketClient`` underneath: events, ``send_ws_api_request``, state."""
        return self._ws

    def connect(self) -> None:
        """Connect and authenticate ahead of the first request (``connect_ws_api``)."""
        self._ws.connect_ws_api()

    def set_time_offset_ms(self, offset_ms: int) -> None:
        """Add ``offset_ms`` to the local clock in request timestamps."""
        self._ws.set_time_offset_ms(offset_ms)

    def close(self) -> None:
        """Close the connection; pending calls fail with a clear error. Idempotent."""
        self._ws.close()

    def __enter__(self) -> Self:
        self._ws.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


async def _nothing() -> None:
    """What ``shutdown`` runs when the client is already closed (or was never made)."""


def _closed_error() -> BaseException:
    return RuntimeError("the client's event loop stopped while it was being created")


def _connect_closed_error() -> BaseException:
    return WSConnectionError("the client is closed")


def _shutdown(loop: LoopThread, ws: aio.WebsocketClient, callbacks: CallbackThread) -> None:
    """Close ``ws`` on its loop, stop the loop, then deliver the last callbacks."""
    try:
        loop.shutdown(ws.close())
    finally:
        callbacks.stop()
