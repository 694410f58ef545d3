"""Misuse of the sync WebsocketClient's streams that mypy must reject."""

from bybit_wsapi import OrderMessageV5
from bybit_wsapi.sync import WebsocketClient


async def misuse(ws: WebsocketClient) -> None:
    ws.stream_orderbook("option", "BTC-X", 50)  # type: ignore[call-overload]
    ws.stream_klines("option", "BTCUSDT", "1")  # type: ignore[arg-type]
    for message in ws.stream_trades("linear", "BTCUSDT"):
        wrong: OrderMessageV5 = message  # type: ignore[assignment]
    async for _order in ws.stream_orders():  # type: ignore[attr-defined]
        pass

    def on_update(message: int) -> None: ...

    ws.on("update", on_update)  # type: ignore[call-overload]
    ws.subscribe_v5(42)  # type: ignore[arg-type]
    await ws.subscribe_v5("order")  # type: ignore[func-returns-value, misc]
