"""The public clients: ``WebsocketClient`` (raw ``send_ws_api_request``, and every stream) and
``WebsocketAPIClient`` (one typed method per operation), as in the Node SDK.

Every typed overload and method comes from the generated layer; this module implements the one
raw send (``_send_ws_api_request``) and the lifecycle around it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Mapping
from types import TracebackType
from typing import Any, Literal, Self, Unpack, overload

from bybit_wsapi_generated import (
    WS_KEY_MAP,
    WSAPIAnyResponse,
    WSAPIMethods,
    WSAPIOperation,
    WSAPISender,
    WsKey,
)

from .connection import TradeConnection
from .errors import BybitWSError, ConfigurationError
from .events import (
    ConnectionEvent,
    ConnectionEventName,
    EventEmitter,
    EventHandler,
    EventName,
    Handler,
    OpenEvent,
    ReconnectEvent,
    UpdateEvent,
)
from .options import ClientOptions, check_flag, check_seconds, connection_options
from .orders.replies import BATCH_OPS, ORDER_OPS
from .orders.tracker import OrderTracker
from .orders.wiring import PRIVATE_TOPICS, TrackingOptions, attach_tracker, follow_reply
from .requests import Waiter
from .rest.client import RestClient
from .streams.api import StreamsAPI
from .streams.manager import StreamManager

__all__ = ["WebsocketAPIClient", "WebsocketClient", "attach_default_listeners"]

logger = logging.getLogger(__name__)


class WebsocketClient(WSAPISender, StreamsAPI):
    """The WS API connection and the streams, each on its own socket (Node: ``WebsocketClient``).

    Example::

        ws = WebsocketClient(key=..., secret=..., ws_url=server.url)
        ws.on("response", print)
        await ws.connect_ws_api()
        reply = await ws.send_ws_api_request(WS_KEY_MAP.v5_private_trade, "order.create", {...})
        await ws.subscribe_v5(["orderbook.50.BTCUSDT"], "linear")   # "update" events
        async for message in ws.stream_orders():                      # typed, bounded
            ...
        await ws.close()

    ``secret`` is the API secret, or the PEM private key of a self-generated RSA key; leave it
    out when ``sign=`` signs (README: API keys). Without ``key``, ``secret`` and ``sign`` the
    client serves public market data only: the trade socket and the private streams raise
    ``ConfigurationError`` at once, before any connection.

    One instance holds one authenticated connection and belongs to one event loop; it is not
    thread-safe. Requests may be made from many tasks at once.
    """

    def __init__(
        self,
        *,
        key: str | None = None,
        secret: str | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        self._events = EventEmitter()
        checked = connection_options(key, secret, options)
        self._connection = TradeConnection(checked, self._events)
        self._streams = StreamManager(checked, self._events)
        self._orders: OrderTracker | None = None
        self._close_rest = False
        self._key_hint = "none (public only)" if key is None else f"{key[:4]}…"

    def __repr__(self) -> str:
        state = "open" if self._connection.is_open else "not connected"
        return f"<WebsocketClient key={self._key_hint} url={self.url} {state}>"

    @property
    def public_only(self) -> bool:
        """Made without keys: public streams only (``async with`` then connects nothing)."""
        return self._connection.options.keys_missing is not None

    @property
    def url(self) -> str:
        """The ``/v5/trade`` endpoint."""
        return self._connection.options.url

    @property
    def is_connected(self) -> bool:
        """Whether an authenticated connection is up right now."""
        return self._connection.is_open

    @property
    def in_flight(self) -> int:
        """Requests sent and waiting for their reply."""
        return self._connection.in_flight

    @overload
    def on(self, event: Literal["open"], handler: EventHandler[OpenEvent]) -> None: ...
    @overload
    def on(self, event: ConnectionEventName, handler: EventHandler[ConnectionEvent]) -> None: ...
    @overload
    def on(self, event: Literal["reconnect"], handler: EventHandler[ReconnectEvent]) -> None: ...
    @overload
    def on(self, event: Literal["response"], handler: EventHandler[WSAPIAnyResponse]) -> None: ...
    @overload
    def on(self, event: Literal["exception"], handler: EventHandler[BybitWSError]) -> None: ...
    @overload
    def on(self, event: Literal["update"], handler: EventHandler[UpdateEvent]) -> None: ...
    @overload
    def on(self, event: EventName, handler: EventHandler[object]) -> None: ...
    def on(self, event: EventName, handler: Handler) -> None:
        """Call ``handler(payload)`` on ``event``; it may be sync or async, and may raise.

        Events and payloads: ``open`` (``OpenEvent``), ``authenticated``, ``reconnected``,
        ``close`` (``ConnectionEvent``), ``reconnect`` (``ReconnectEvent``), ``response`` (a
        successful reply, ``WSAPIAnyResponse``), ``exception`` (the ``BybitWSError`` of a
        failed request or a refused topic) and ``update`` (every pushed stream message, with
        ``wsKey`` added). mypy checks that ``handler`` takes the event's payload.

        Raises:
            ConfigurationError: an unknown event name.
        """
        self._events.on(event, handler)

    def off(self, event: EventName, handler: Handler) -> None:
        """Detach a handler attached with :meth:`on`."""
        self._events.off(event, handler)

    async def connect_ws_api(self) -> None:
        """Connect and authenticate now, so the first request has no cold start.

        Raises:
            AuthenticationError: Bybit rejected the key or signature.
            WSConnectionError: no authenticated connection within ``connect_timeout``.
            ConfigurationError: demo trading, which has no WS trade API, or a client made
                without keys.
        """
        self._refuse_trade()
        await self._connection.connect()

    def _refuse_trade(self) -> None:
        options = self._connection.options
        refusal = options.keys_missing or options.trade_refusal
        if refusal is not None:
            raise ConfigurationError(refusal)

    def set_time_offset_ms(self, offset_ms: int) -> None:
        """Add ``offset_ms`` to the local clock in timestamps (correct a skewed clock)."""
        self._connection.time_offset_ms = int(offset_ms)

    async def track_orders(self, **options: Unpack[TrackingOptions]) -> OrderTracker:
        """Turn order tracking on: :attr:`orders` follows every order sent from now on (single
        and batch), from the replies and the private ``order``/``execution`` topics (subscribed
        here unless ``subscribe=False``). Call it once, before sending the orders to follow.

        Raises:
            ConfigurationError: tracking is on already, or the client cannot trade (no keys,
                demo trading).
            SubscriptionError: Bybit refused a topic (tracking stays off).
        """
        if self._orders is not None:
            raise ConfigurationError("order tracking is on already: use ws.orders")
        self._refuse_trade()
        tracker, detach = attach_tracker(self, options)
        self._orders, self._close_rest = tracker, options.get("close_rest", False)
        if options.get("subscribe", True):
            try:
                await self.subscribe_v5(list(PRIVATE_TOPICS), is_private=True)
            except BaseException:
                detach()
                self._orders = None
                raise
        return tracker

    @property
    def orders(self) -> OrderTracker:
        """The order tracker (README: Following an order): each order's state, ``wait``,
        ``changes``, ``reconcile``.

        Raises:
            ConfigurationError: tracking is off: ``await ws.track_orders(rest=...)`` first.
        """
        if self._orders is None:
            raise ConfigurationError(
                "order tracking is off: call await ws.track_orders(rest=RestClient(...)) once, "
                "before sending the orders you want to follow"
            )
        return self._orders

    def get_time_offset_ms(self) -> int:
        return self._connection.time_offset_ms

    def _send_ws_api_request(
        self,
        ws_key: WsKey,
        operation: WSAPIOperation,
        params: Mapping[str, Any],
        timeout: float | None,
    ) -> Awaitable[Any]:
        """Queue the request now; awaiting the result gives its reply or a ``BybitWSError``."""
        self._check_send(ws_key, timeout)
        call = self._connection.submit(operation, params, timeout)
        orders = self._orders
        if orders is not None and (operation in BATCH_OPS or operation in ORDER_OPS):
            return follow_reply(orders, call, params)
        return call

    def _submit_now(
        self,
        ws_key: WsKey,
        operation: WSAPIOperation,
        params: Mapping[str, Any],
        timeout: float | None,
        *,
        loop: asyncio.AbstractEventLoop,
        waiter: Waiter,
    ) -> bool:
        """``_send_ws_api_request`` from a thread to which ``loop``, this client's, is lent (the
        sync client's calling thread), written at once and settling ``waiter``; False, and
        nothing done, unless the connection is idle and orders are not tracked (the tracker's
        handlers may start tasks): then send it the usual way."""
        if self._orders is not None:
            return False
        self._check_send(ws_key, timeout)
        return self._connection.submit_now(loop, operation, params, timeout, waiter)

    def _check_send(self, ws_key: WsKey, timeout: float | None) -> None:
        if ws_key != WS_KEY_MAP.v5_private_trade:
            raise ConfigurationError(
                f"the WS API runs on {WS_KEY_MAP.v5_private_trade!r}, not {ws_key!r}"
            )
        if timeout is not None:
            check_seconds("timeout", timeout)
        self._refuse_trade()

    async def close(self) -> None:
        """Close every socket: pending calls fail with a clear error and no task is left."""
        await self._streams.close()
        await self._connection.close()
        if self._orders is not None:
            await self._orders.aclose()  # iterators end after what they hold; no reconcile left
            if self._close_rest and isinstance(self._orders.rest, RestClient):
                await self._orders.rest.close()

    async def __aenter__(self) -> Self:
        if not self.public_only:
            await self.connect_ws_api()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


class WebsocketAPIClient(WSAPIMethods):
    """One typed method per WS API operation (Node: ``WebsocketAPIClient``).

    Example::

        async with WebsocketAPIClient(key=..., secret=..., testnet=True) as client:
            r = await client.submit_new_order({"category": "linear", "symbol": "BTCUSDT",
                                               "side": "Buy", "orderType": "Limit",
                                               "qty": "1", "price": "50000"})
            r["data"]["orderId"], r["meta"]["rttMs"]

    With ``attach_event_listeners=True`` (the default) connection events and failed replies are
    logged on the ``bybit_wsapi`` logger; pass False and attach your own through
    ``get_ws_client().on(...)``.
    """

    def __init__(
        self,
        *,
        key: str,
        secret: str | None = None,
        attach_event_listeners: bool = True,
        **options: Unpack[ClientOptions],
    ) -> None:
        self._ws = WebsocketClient(key=key, secret=secret, **options)
        self._ws._refuse_trade()  # the WS API only: nothing here works on demo trading
        if check_flag("attach_event_listeners", attach_event_listeners):
            attach_default_listeners(self._ws)

    def __repr__(self) -> str:
        return f"<WebsocketAPIClient {self._ws!r}>"

    def get_ws_client(self) -> WebsocketClient:
        """The ``WebsocketClient`` underneath: events, ``send_ws_api_request``, state."""
        return self._ws

    async def connect(self) -> None:
        """Connect and authenticate ahead of the first request (``connect_ws_api``)."""
        await self._ws.connect_ws_api()

    def set_time_offset_ms(self, offset_ms: int) -> None:
        """Add ``offset_ms`` to the local clock in request timestamps."""
        self._ws.set_time_offset_ms(offset_ms)

    async def track_orders(self, **options: Unpack[TrackingOptions]) -> OrderTracker:
        """Turn order tracking on for the orders this client sends (``WebsocketClient.track_orders``:
        the private ``order``/``execution`` topics go on the same client's private socket)."""
        return await self._ws.track_orders(**options)

    @property
    def orders(self) -> OrderTracker:
        """The order tracker; ``ConfigurationError`` until ``track_orders`` was called."""
        return self._ws.orders

    async def close(self) -> None:
        await self._ws.close()

    async def __aenter__(self) -> Self:
        await self.connect()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


_LOGGED_EVENTS: tuple[tuple[EventName, int, str], ...] = (
    ("open", logging.INFO, "connection open"),
    ("authenticated", logging.INFO, "authenticated"),
    ("reconnect", logging.WARNING, "connection lost, reconnecting"),
    ("reconnected", logging.INFO, "reconnected and re-authenticated"),
    ("close", logging.INFO, "connection closed"),
)


def attach_default_listeners(ws: WebsocketClient) -> None:
    """Log connection events and failed replies on the ``bybit_wsapi`` logger."""

    def log_event(level: int, text: str) -> Handler:
        def handler(payload: object) -> None:
            if isinstance(payload, dict) and payload.get("connected_before") is False:
                shown = "connecting failed, retrying"  # a first connect lost nothing
            else:
                shown = text
            logger.log(level, "%s: %s", shown, payload)

        return handler

    for event, level, text in _LOGGED_EVENTS:
        ws.on(event, log_event(level, text))

    def log_exception(error: object) -> None:
        if isinstance(error, BybitWSError):
            logger.warning("request failed: %s", error)

    ws.on("exception", log_exception)
