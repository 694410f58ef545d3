"""Invalid stream calls and reads: each line fails with the error code it names."""

from bybit_wsapi import WS_KEY_MAP, StreamMethods, StreamWsKey, WSAPISender


async def wrong_arguments(ws: StreamMethods) -> None:
    ws.stream_orderbook("option", "BTCUSDT", 50)  # type: ignore[call-overload]
    ws.stream_orderbook("linear", "BTCUSDT", 25)  # type: ignore[call-overload]
    ws.stream_orderbook("futures", "BTCUSDT", 50)  # type: ignore[call-overload]
    ws.stream_tickers("linear")  # type: ignore[call-overload]
    ws.stream_klines("linear", "BTCUSDT", "2")  # type: ignore[arg-type]
    ws.stream_klines("option", "BTC", "D")  # type: ignore[arg-type]
    ws.stream_liquidations("spot", "BTCUSDT")  # type: ignore[arg-type]
    ws.stream_positions("spot")  # type: ignore[arg-type]
    ws.stream_wallet("linear")  # type: ignore[call-arg]
    ws.stream_dcp("linear")  # type: ignore[arg-type]
    ws.stream_order_book("linear", "BTCUSDT", 50)  # type: ignore[attr-defined]


async def wrong_reads(ws: StreamMethods) -> None:
    async for msg in ws.stream_trades("linear", "BTCUSDT"):
        msg["data"]["price"]  # type: ignore[call-overload]
        msg["data"][0]["price"]  # type: ignore[typeddict-item]
        side: int = msg["data"][0]["S"]  # type: ignore[assignment]
    async for fast in ws.stream_fast_executions():
        fast["id"]  # type: ignore[typeddict-item]


def a_stream_key_is_not_the_trade_key(ws: WSAPISender, key: StreamWsKey) -> None:
    ws.send_ws_api_request(WS_KEY_MAP.v5_private, "order.cancel", {"category": "linear", "symbol": "X", "orderId": "1"})  # type: ignore[call-overload]  # fmt: skip
