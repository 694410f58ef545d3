"""The public clients: ``WebsocketClient`` (raw ``send_ws_api_request``) and
``WebsocketAPIClient`` (one typed method per operation), as in the Node SDK.

Every typed overload and method comes from the generated layer; this module implements the one
raw send (``_send_ws_api_request``) and the lifecycle around it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Mapping
from types import TracebackType
from typing import Any, Self, TypedDict, Unpack

from bybit_wsapi_generated import WS_KEY_MAP, WSAPIMethods, WSAPIOperation, WSAPISender, WsKey

from .auth import Secret
from .connection import ConnectionOptions, TradeConnection
from .endpoints import Region, ws_api_url
from .errors import BybitWSError, ConfigurationError
from .events import EventEmitter, EventName, Handler

__all__ = ["ClientOptions", "WebsocketAPIClient", "WebsocketClient"]

logger = logging.getLogger("bybit_wsapi")


class ClientOptions(TypedDict, total=False):
    """Keyword options of both clients (all optional)."""

    testnet: bool
    """Use Bybit's testnet (``wss://stream-testnet.bybit.com/v5/trade``)."""
    demo_trading: bool
    """Rejected: Bybit's demo trading has no WS trade API. Use testnet instead."""
    region: Region
    """A regional mainnet host: ``tr``, ``kz`` (documented), ``id``, ``ge``, ``jp``."""
    ws_url: str
    """Any other endpoint, e.g. the local test server's ``server.url``."""
    recv_window: int
    """``X-BAPI-RECV-WINDOW`` in ms (default 5000)."""
    request_timeout: float
    """Default seconds to wait for a reply (default 10); each call can override it."""
    connect_timeout: float
    """Seconds for the handshake, the auth reply, and ``connect_ws_api()`` (default 10)."""
    ping_interval: float
    """Seconds between JSON heartbeats (default 20, as Bybit recommends)."""
    pong_timeout: float
    """Seconds without any frame after a ping before reconnecting (default 10)."""
    referer: str
    """API broker id sent as the ``Referer`` header (none by default)."""
    max_frame_bytes: int
    """Largest frame accepted; a bigger one ends the connection (default 4 MiB)."""
    reconnect_initial_delay: float
    """First reconnect delay in seconds, doubled per failed attempt, with jitter (default 0.25)."""
    reconnect_max_delay: float
    """Longest reconnect delay in seconds (default 30)."""


def _number(options: Mapping[str, object], name: str, default: float) -> float:
    value = options.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ConfigurationError(f"{name} must be a positive number of seconds, got {value!r}")
    return float(value)


def _integer(options: Mapping[str, object], name: str, default: int, minimum: int) -> int:
    value = options.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ConfigurationError(f"{name} must be an int >= {minimum}, got {value!r}")
    return value


def _text(value: object, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigurationError(f"{what} must be a non-empty string, got {type(value).__name__}")
    return value


def _connection_options(key: object, secret: object, options: ClientOptions) -> ConnectionOptions:
    raw: Mapping[str, object] = options
    referer = raw.get("referer")
    url = ws_api_url(
        testnet=options.get("testnet", False),
        demo_trading=options.get("demo_trading", False),
        region=options.get("region"),
        ws_url=options.get("ws_url"),
    )
    return ConnectionOptions(
        url=url,
        api_key=_text(key, "key (your Bybit API key)"),
        secret=Secret(_text(secret, "secret (your Bybit API secret)")),
        ws_key=WS_KEY_MAP.v5_private_trade,
        recv_window_ms=_integer(raw, "recv_window", 5000, 1),
        request_timeout=_number(raw, "request_timeout", 10.0),
        connect_timeout=_number(raw, "connect_timeout", 10.0),
        ping_interval=_number(raw, "ping_interval", 20.0),
        pong_timeout=_number(raw, "pong_timeout", 10.0),
        referer=None if referer is None else _text(referer, "referer"),
        max_frame_bytes=_integer(raw, "max_frame_bytes", 4 * 1024 * 1024, 1024),
        reconnect_initial_delay=_number(raw, "reconnect_initial_delay", 0.25),
        reconnect_max_delay=_number(raw, "reconnect_max_delay", 30.0),
    )


class WebsocketClient(WSAPISender):
    """The WS API connection: ``send_ws_api_request`` plus events (Node: ``WebsocketClient``).

    Example::

        ws = WebsocketClient(key=..., secret=..., ws_url=server.url)
        ws.on("response", print)
        await ws.connect_ws_api()
        reply = await ws.send_ws_api_request(WS_KEY_MAP.v5_private_trade, "order.create", {...})
        await ws.close()

    One instance holds one authenticated connection and belongs to one event loop; it is not
    thread-safe. Requests may be made from many tasks at once.
    """

    def __init__(self, *, key: str, secret: str, **options: Unpack[ClientOptions]) -> None:
        self._events = EventEmitter()
        self._connection = TradeConnection(_connection_options(key, secret, options), self._events)
        self._key_hint = key[:4]

    def __repr__(self) -> str:
        state = "open" if self._connection.is_open else "not connected"
        return f"<WebsocketClient key={self._key_hint}… url={self.url} {state}>"

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

    def on(self, event: EventName, handler: Handler) -> None:
        """Call ``handler(payload)`` on ``event``; it may be sync or async, and may raise.

        Events: ``open``, ``authenticated``, ``reconnect``, ``reconnected``, ``close`` (payload:
        a dict with ``wsKey``), ``response`` (a successful reply) and ``exception`` (the
        ``BybitWSError`` of a failed reply).
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
        """
        await self._connection.connect()

    def set_time_offset_ms(self, offset_ms: int) -> None:
        """Add ``offset_ms`` to the local clock in timestamps (correct a skewed clock)."""
        self._connection.time_offset_ms = int(offset_ms)

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
        if ws_key != WS_KEY_MAP.v5_private_trade:
            raise ConfigurationError(
                f"the WS API runs on {WS_KEY_MAP.v5_private_trade!r}, not {ws_key!r}"
            )
        if timeout is not None:
            _number({"timeout": timeout}, "timeout", 0.0)
        return self._connection.submit(operation, params, timeout)

    async def close(self) -> None:
        """Close the connection: pending calls fail with a clear error and no task is left."""
        await self._connection.close()

    async def __aenter__(self) -> Self:
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
        secret: str,
        attach_event_listeners: bool = True,
        **options: Unpack[ClientOptions],
    ) -> None:
        self._ws = WebsocketClient(key=key, secret=secret, **options)
        if attach_event_listeners:
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
            logger.log(level, "%s: %s", text, payload)

        return handler

    for event, level, text in _LOGGED_EVENTS:
        ws.on(event, log_event(level, text))

    def log_exception(error: object) -> None:
        if isinstance(error, BybitWSError):
            logger.warning("request failed: %s", error)

    ws.on("exception", log_exception)
