"""Valid calls to every generated stream method; each returns its family's typed Subscription."""

from collections.abc import AsyncIterator
from typing import Any, Generic, Literal, TypeVar, assert_type

from bybit_wsapi_generated.streams import TopicFamily

from bybit_wsapi import (
    WS_KEY_MAP,
    AllLiquidationMessageV5,
    CategoryV5,
    DcpMessageV5,
    ExecutionMessageV5,
    FastExecutionMessageV5,
    GreeksMessageV5,
    KlineMessageV5,
    OrderbookMessageV5,
    OrderMessageV5,
    OrderStatusV5,
    PositionMessageV5,
    PublicTradeMessageV5,
    StopOrderTypeV5,
    StreamMethods,
    StreamWsKey,
    Subscription,
    TickerLinearMessageV5,
    TickerOptionMessageV5,
    TickerSpotMessageV5,
    WalletMessageV5,
    WsKey,
)

T = TypeVar("T")


async def public_topics(ws: StreamMethods) -> None:
    book = ws.stream_orderbook(category="linear", symbol="BTCUSDT", depth=50)
    assert_type(book, Subscription[OrderbookMessageV5])
    assert_type(
        ws.stream_orderbook("option", "BTC-27DEC24-60000-C", 25), Subscription[OrderbookMessageV5]
    )
    assert_type(ws.stream_trades("spot", "BTCUSDT"), Subscription[PublicTradeMessageV5])
    assert_type(ws.stream_trades("option", "BTC"), Subscription[PublicTradeMessageV5])
    assert_type(ws.stream_tickers("inverse", "BTCUSD"), Subscription[TickerLinearMessageV5])
    assert_type(ws.stream_tickers("spot", "BTCUSDT"), Subscription[TickerSpotMessageV5])
    assert_type(
        ws.stream_tickers("option", "BTC-27DEC24-60000-C"), Subscription[TickerOptionMessageV5]
    )
    assert_type(ws.stream_klines("linear", "BTCUSDT", "D"), Subscription[KlineMessageV5])
    assert_type(ws.stream_klines("spot", "BTCUSDT", interval="15"), Subscription[KlineMessageV5])
    assert_type(ws.stream_liquidations("inverse", "BTCUSD"), Subscription[AllLiquidationMessageV5])


async def private_topics(ws: StreamMethods) -> None:
    assert_type(ws.stream_orders(), Subscription[OrderMessageV5])
    assert_type(ws.stream_orders("linear"), Subscription[OrderMessageV5])
    assert_type(ws.stream_orders(category=None), Subscription[OrderMessageV5])
    assert_type(ws.stream_executions("option"), Subscription[ExecutionMessageV5])
    assert_type(ws.stream_fast_executions(), Subscription[FastExecutionMessageV5])
    assert_type(ws.stream_fast_executions("spot"), Subscription[FastExecutionMessageV5])
    assert_type(ws.stream_positions("inverse"), Subscription[PositionMessageV5])
    assert_type(ws.stream_wallet(), Subscription[WalletMessageV5])
    assert_type(ws.stream_greeks(), Subscription[GreeksMessageV5])
    assert_type(ws.stream_dcp("future"), Subscription[DcpMessageV5])


async def a_category_known_only_as_the_enum(ws: StreamMethods, category: CategoryV5) -> None:
    """Overloads split a union argument: the result is the union of the variants' types."""
    assert_type(
        ws.stream_tickers(category, "BTCUSDT"),
        Subscription[TickerLinearMessageV5]
        | Subscription[TickerSpotMessageV5]
        | Subscription[TickerOptionMessageV5],
    )


async def consuming_messages(ws: StreamMethods) -> None:
    async with ws.stream_orderbook("spot", "BTCUSDT", 200) as book:
        assert_type(book.topic, str)
        assert_type(book.ws_key, StreamWsKey)
        async for msg in book:
            assert_type(msg["type"], Literal["snapshot", "delta"])
            assert_type(msg["data"]["b"], list[list[str]])
            assert_type(msg["data"]["u"], int)
            assert_type(msg["cts"], int)
    tickers = ws.stream_tickers("linear", "BTCUSDT")
    async for tick in tickers:
        assert_type(tick["data"]["symbol"], str)
        assert_type(tick["data"].get("lastPrice"), str | None)  # deltas are partial
        if tick["type"] == "delta":
            assert_type(tick["cs"], int)
    await tickers.close()
    async for order_msg in ws.stream_orders():
        for order in order_msg["data"]:
            assert_type(order["orderStatus"], OrderStatusV5)
            assert_type(order["stopOrderType"], StopOrderTypeV5 | Literal["", "UNKNOWN"])
            assert_type(order.get("cumFeeDetail"), dict[str, str] | None)
            assert_type(order["positionIdx"], Literal[0, 1, 2])
    async for fill_msg in ws.stream_executions("linear"):
        assert_type(fill_msg["data"][0]["execType"], Literal["Trade", "AdlTrade", "Funding", "BustTrade", "Delivery", "Settle", "BlockTrade", "MovePosition", "FutureSpread", "CorporateAction", "UNKNOWN"])  # fmt: skip
    async for wallet in ws.stream_wallet():
        assert_type(wallet["data"][0]["coin"][0]["walletBalance"], str)


def stream_keys() -> None:
    assert_type(WS_KEY_MAP.v5_linear_public, Literal["v5LinearPublic"])
    assert_type(WS_KEY_MAP.v5_private, Literal["v5Private"])
    key: StreamWsKey = WS_KEY_MAP.v5_option_public
    any_key: WsKey = key
    trade: WsKey = WS_KEY_MAP.v5_private_trade


class _Queue(Generic[T]):
    """The smallest runtime shape a generated ``stream_*`` method may return."""

    def __init__(self, ws_key: StreamWsKey, topic: str) -> None:
        self._ws_key, self._topic = ws_key, topic

    @property
    def topic(self) -> str:
        return self._topic

    @property
    def ws_key(self) -> StreamWsKey:
        return self._ws_key

    async def _messages(self) -> AsyncIterator[T]:
        return
        yield

    def __aiter__(self) -> AsyncIterator[T]:
        return self._messages()

    async def __aenter__(self) -> "_Queue[T]":
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def close(self) -> None:
        pass


class _Runtime(StreamMethods):
    def _subscription(
        self, ws_key: StreamWsKey, topic: str, family: TopicFamily
    ) -> Subscription[Any]:
        return _Queue[Any](ws_key, topic)


def the_seam_is_implementable() -> None:
    runtime = _Runtime()
    assert_type(runtime.stream_wallet(), Subscription[WalletMessageV5])
    sub: Subscription[OrderMessageV5] = _Queue[OrderMessageV5]("v5Private", "order")
