# Generated from ws_api.yaml, ws_streams.yaml, rest_api.yaml (sha256 95f76c9f1769faa46527bbfced197b6a559c0ec9c81bf65148990df76bd58e50) by codegen. DO NOT EDIT: change the spec or codegen/templates, then run `make generate`.
"""The blocking twin of the subscription surface, for threaded code (``bybit_wsapi.sync``).

``SyncStreamMethods`` has the ``stream_*`` methods of ``StreamMethods``, with the same topics,
sockets and checks, each returning a ``SyncSubscription``: a blocking iterator of the family's
message ``TypedDict``. The sync runtime implements one method, ``_subscription``.
"""

from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import Any, Literal, Protocol, TypeVar, overload

from .envelope import StreamWsKey
from .models import (
    AllLiquidationMessageV5,
    DcpMessageV5,
    DcpProductV5,
    ExecutionMessageV5,
    FastExecutionMessageV5,
    GreeksMessageV5,
    KlineIntervalV5,
    KlineMessageV5,
    OrderMessageV5,
    OrderbookMessageV5,
    PositionMessageV5,
    PublicTradeMessageV5,
    TickerLinearMessageV5,
    TickerOptionMessageV5,
    TickerSpotMessageV5,
    WalletMessageV5,
)
from .streams import PRIVATE_WS_KEY, PUBLIC_WS_KEYS, TopicFamily

__all__ = [
    "SyncStreamMethods",
    "SyncSubscription",
]

TMessage_co = TypeVar("TMessage_co", covariant=True)


class SyncSubscription(Protocol[TMessage_co]):
    """One topic's live messages: a blocking iterator, and a context manager around it.

    Typing only: the runtime returns its own implementation. ``with`` subscribes (and raises if
    Bybit refuses) and unsubscribes on exit; iterating without it subscribes on the first message
    asked for. ``close()`` unsubscribes and ends the iteration.
    """

    @property
    def topic(self) -> str:
        """The topic string, e.g. ``orderbook.50.BTCUSDT``."""
        ...

    @property
    def ws_key(self) -> StreamWsKey:
        """The socket it lives on, e.g. ``WS_KEY_MAP.v5_linear_public``."""
        ...

    def __iter__(self) -> Iterator[TMessage_co]: ...

    def __enter__(self) -> "SyncSubscription[TMessage_co]": ...

    def __exit__(self, *exc_info: object) -> None: ...

    def close(self) -> None:
        """Unsubscribe and end the iteration (idempotent)."""
        ...


class SyncStreamMethods(ABC):
    """One typed method per topic family, each returning ``self._subscription(...)``."""

    @abstractmethod
    def _subscription(
        self, ws_key: StreamWsKey, topic: str, family: TopicFamily
    ) -> SyncSubscription[Any]:
        """A blocking subscription to ``topic`` on the socket ``ws_key`` (the runtime's seam)."""

    @overload
    def stream_orderbook(
        self,
        category: Literal["linear", "inverse", "spot"],
        symbol: str,
        depth: Literal[1, 50, 200, 1000],
    ) -> SyncSubscription[OrderbookMessageV5]: ...

    @overload
    def stream_orderbook(
        self, category: Literal["option"], symbol: str, depth: Literal[25, 100]
    ) -> SyncSubscription[OrderbookMessageV5]: ...

    def stream_orderbook(
        self, category: Literal["linear", "inverse", "spot", "option"], symbol: str, depth: int
    ) -> SyncSubscription[OrderbookMessageV5]:
        """The order book of one symbol: a snapshot, then deltas (depth 1 sends snapshots only).

        Subscribes to ``orderbook.{depth}.{symbol}`` on the socket of ``category``; messages:
        ``OrderbookMessageV5``.
        """
        return self._subscription(
            PUBLIC_WS_KEYS[category], f"orderbook.{depth}.{symbol}", "orderbook"
        )

    def stream_trades(
        self, category: Literal["linear", "inverse", "spot", "option"], symbol: str
    ) -> SyncSubscription[PublicTradeMessageV5]:
        """The trades of one symbol (for options, of one base coin, e.g. BTC).

        Subscribes to ``publicTrade.{symbol}`` on the socket of ``category``; messages:
        ``PublicTradeMessageV5``.
        """
        return self._subscription(PUBLIC_WS_KEYS[category], f"publicTrade.{symbol}", "publicTrade")

    @overload
    def stream_tickers(
        self, category: Literal["linear", "inverse"], symbol: str
    ) -> SyncSubscription[TickerLinearMessageV5]: ...

    @overload
    def stream_tickers(
        self, category: Literal["spot"], symbol: str
    ) -> SyncSubscription[TickerSpotMessageV5]: ...

    @overload
    def stream_tickers(
        self, category: Literal["option"], symbol: str
    ) -> SyncSubscription[TickerOptionMessageV5]: ...

    def stream_tickers(
        self, category: Literal["linear", "inverse", "spot", "option"], symbol: str
    ) -> SyncSubscription[TickerLinearMessageV5 | TickerSpotMessageV5 | TickerOptionMessageV5]:
        """The ticker of one symbol: linear and inverse send a snapshot then partial deltas; spot
        and option send snapshots.

        Subscribes to ``tickers.{symbol}`` on the socket of ``category``; messages:
        ``TickerLinearMessageV5`` or ``TickerSpotMessageV5`` or ``TickerOptionMessageV5``.
        """
        return self._subscription(PUBLIC_WS_KEYS[category], f"tickers.{symbol}", "tickers")

    def stream_klines(
        self, category: Literal["linear", "inverse", "spot"], symbol: str, interval: KlineIntervalV5
    ) -> SyncSubscription[KlineMessageV5]:
        """The candles of one symbol at one interval.

        Subscribes to ``kline.{interval}.{symbol}`` on the socket of ``category``; messages:
        ``KlineMessageV5``.
        """
        return self._subscription(PUBLIC_WS_KEYS[category], f"kline.{interval}.{symbol}", "kline")

    def stream_liquidations(
        self, category: Literal["linear", "inverse"], symbol: str
    ) -> SyncSubscription[AllLiquidationMessageV5]:
        """Every liquidation of one symbol, every 500 ms.

        Subscribes to ``allLiquidation.{symbol}`` on the socket of ``category``; messages:
        ``AllLiquidationMessageV5``.
        """
        return self._subscription(
            PUBLIC_WS_KEYS[category], f"allLiquidation.{symbol}", "allLiquidation"
        )

    def stream_orders(
        self, category: Literal["spot", "linear", "inverse", "option"] | None = None
    ) -> SyncSubscription[OrderMessageV5]:
        """Your order updates, of every category or of one.

        Subscribes to ``order`` or ``order.{category}`` on ``/v5/private`` (after auth);
        messages: ``OrderMessageV5``.
        """
        return self._subscription(
            PRIVATE_WS_KEY, "order" if category is None else f"order.{category}", "order"
        )

    def stream_executions(
        self, category: Literal["spot", "linear", "inverse", "option"] | None = None
    ) -> SyncSubscription[ExecutionMessageV5]:
        """Your executions (fills, funding, delivery, ...), of every category or of one.

        Subscribes to ``execution`` or ``execution.{category}`` on ``/v5/private`` (after auth);
        messages: ``ExecutionMessageV5``.
        """
        return self._subscription(
            PRIVATE_WS_KEY,
            "execution" if category is None else f"execution.{category}",
            "execution",
        )

    def stream_fast_executions(
        self, category: Literal["linear", "inverse", "spot", "option"] | None = None
    ) -> SyncSubscription[FastExecutionMessageV5]:
        """Your trades with lower latency and fewer fields (execType Trade only), of every category
        or of one.

        Subscribes to ``execution.fast`` or ``execution.fast.{category}`` on ``/v5/private``
        (after auth); messages: ``FastExecutionMessageV5``.
        """
        return self._subscription(
            PRIVATE_WS_KEY,
            "execution.fast" if category is None else f"execution.fast.{category}",
            "execution.fast",
        )

    def stream_positions(
        self, category: Literal["linear", "inverse", "option"] | None = None
    ) -> SyncSubscription[PositionMessageV5]:
        """Your positions, of every category or of one (no spot).

        Subscribes to ``position`` or ``position.{category}`` on ``/v5/private`` (after auth);
        messages: ``PositionMessageV5``.
        """
        return self._subscription(
            PRIVATE_WS_KEY, "position" if category is None else f"position.{category}", "position"
        )

    def stream_wallet(self) -> SyncSubscription[WalletMessageV5]:
        """Your wallet balance (no snapshot on subscribe).

        Subscribes to ``wallet`` on ``/v5/private`` (after auth); messages: ``WalletMessageV5``.
        """
        return self._subscription(PRIVATE_WS_KEY, "wallet", "wallet")

    def stream_greeks(self) -> SyncSubscription[GreeksMessageV5]:
        """The greeks of your option positions, by base coin.

        Subscribes to ``greeks`` on ``/v5/private`` (after auth); messages: ``GreeksMessageV5``.
        """
        return self._subscription(PRIVATE_WS_KEY, "greeks", "greeks")

    def stream_dcp(self, product: DcpProductV5) -> SyncSubscription[DcpMessageV5]:
        """Arm Disconnect-Cancel-Protection for one product: if every connection holding it dies,
        Bybit cancels your orders after the DCP window. Resubscribe it first after a reconnect.

        Subscribes to ``dcp.{product}`` on ``/v5/private`` (after auth); messages:
        ``DcpMessageV5``.
        """
        return self._subscription(PRIVATE_WS_KEY, f"dcp.{product}", "dcp")
