"""The sync WebsocketClient's streams: blocking typed iterators, update callbacks, books."""

from decimal import Decimal
from typing import Any, assert_type

from bybit_wsapi import OrderbookMessageV5, OrderMessageV5, OrderStatusV5, TickerLinearMessageV5
from bybit_wsapi.streams.orderbook import Level
from bybit_wsapi.sync import SyncSubscription, WebsocketClient
from bybit_wsapi.sync.streams import BlockingOrderBook, BookSnapshot


def consume(ws: WebsocketClient) -> None:
    ws.subscribe_v5(["orderbook.50.BTCUSDT", "publicTrade.BTCUSDT"], "linear")
    ws.subscribe_v5("order")
    ws.unsubscribe_v5("strategy", is_private=True)
    orders = ws.stream_orders()
    assert_type(orders, SyncSubscription[OrderMessageV5])
    with orders:
        for message in orders:
            assert_type(message, OrderMessageV5)
            for order in message["data"]:
                assert_type(order["orderStatus"], OrderStatusV5)
    for book in ws.stream_orderbook("linear", "BTCUSDT", 50):
        assert_type(book, OrderbookMessageV5)
    ticker = next(iter(ws.stream_tickers("linear", "BTCUSDT")))
    assert_type(ticker, TickerLinearMessageV5)
    live = ws.order_book("spot", "BTCUSDT", 200)
    assert_type(live, BlockingOrderBook)
    with live:
        now = live.snapshot()
        assert_type(now, BookSnapshot)
        assert_type(now.bids, list[Level])
        assert_type(now.best_ask, tuple[Decimal, Decimal] | None)
        for state in live:
            assert_type(state.update_id, int | None)

    def on_update(message: dict[str, Any]) -> None: ...

    ws.on("update", on_update)
