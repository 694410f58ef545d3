"""WebsocketClient's streams: typed iterators, the update event, subscribe_v5 and order_book."""

from decimal import Decimal
from typing import Any, assert_type

from bybit_wsapi import (
    OrderbookMessageV5,
    OrderMessageV5,
    OrderStatusV5,
    Subscription,
    TickerLinearMessageV5,
    WebsocketClient,
)
from bybit_wsapi.streams.orderbook import Level
from bybit_wsapi.streams.subscription import LiveOrderBook


async def consume(ws: WebsocketClient) -> None:
    await ws.subscribe_v5(["orderbook.50.BTCUSDT", "publicTrade.BTCUSDT"], "linear")
    await ws.subscribe_v5("order")
    await ws.unsubscribe_v5("strategy", is_private=True)
    orders = ws.stream_orders()
    assert_type(orders, Subscription[OrderMessageV5])
    async with orders:
        async for message in orders:
            assert_type(message, OrderMessageV5)
            for order in message["data"]:
                assert_type(order["orderStatus"], OrderStatusV5)
    async for book in ws.stream_orderbook("linear", "BTCUSDT", 50):
        assert_type(book, OrderbookMessageV5)
    async for ticker in ws.stream_tickers("linear", "BTCUSDT"):
        assert_type(ticker, TickerLinearMessageV5)
    live = ws.order_book("spot", "BTCUSDT", 200)
    assert_type(live, LiveOrderBook)
    async with live:
        assert_type(live.bids, list[Level])
        assert_type(live.best_ask, tuple[Decimal, Decimal] | None)
        async for current in live:
            assert_type(current.update_id, int | None)

    def on_update(message: dict[str, Any]) -> None: ...

    ws.on("update", on_update)
