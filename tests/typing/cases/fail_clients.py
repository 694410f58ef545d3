"""Mistakes with the concrete classes that mypy must reject."""

from bybit_wsapi import OrderParamsV5, WebsocketAPIClient, WebsocketClient


async def misuse(params: OrderParamsV5) -> None:
    WebsocketAPIClient(key="k", secret="s", testnett=True)  # type: ignore[call-arg]
    WebsocketAPIClient(key="k", secret="s", request_timeout="5")  # type: ignore[arg-type]
    WebsocketAPIClient(key="k", secret="s", region="us")  # type: ignore[arg-type]
    ws = WebsocketClient(key="k", secret="s")
    ws.on("message", print)  # type: ignore[call-overload]
    client = WebsocketAPIClient(key="k", secret="s")
    await client.submit_new_order(params, timeout="1")  # type: ignore[arg-type]
    await client.place_order(params)  # type: ignore[attr-defined]
