"""Mistakes with the sync clients that mypy must reject (each line names its error code)."""

from bybit_wsapi import WS_KEY_MAP, OrderCreateResponse, OrderParamsV5, WSAPIAnyResponse
from bybit_wsapi.sync import WebsocketAPIClient, WebsocketClient


def misuse(params: OrderParamsV5) -> None:
    WebsocketAPIClient(key="k", secret="s", testnett=True)  # type: ignore[call-arg]
    WebsocketAPIClient(key="k", secret="s", request_timeout="5")  # type: ignore[arg-type]
    WebsocketClient(key="k", secret="s", region="us")  # type: ignore[arg-type]
    WebsocketAPIClient(secret="s")  # type: ignore[call-arg]
    client = WebsocketAPIClient(key="k", secret="s")
    client.submit_new_order(params, timeout="1")  # type: ignore[arg-type]
    client.place_order(params)  # type: ignore[attr-defined]
    client.submit_new_order({"category": "linear", "symbol": "BTCUSDT"})  # type: ignore[typeddict-item]
    client.submit_new_order(
        {
            "category": "linear",
            "symbol": "BTCUSDT",
            "side": "buy",  # type: ignore[typeddict-item]
            "orderType": "Limit",
            "qty": "1",
        }
    )
    client.cancel_order({"category": "linear", "symbol": "BTCUSDT", "orderLinkID": "x"})  # type: ignore[typeddict-unknown-key]
    client.batch_submit_orders("futures", [])  # type: ignore[arg-type]
    client.batch_cancel_order("linear", [{"orderLinkId": "x"}])  # type: ignore[typeddict-item]
    created: OrderCreateResponse = client.amend_order(params)  # type: ignore[arg-type, assignment]
    ws = client.get_ws_client()
    ws.on("message", print)  # type: ignore[call-overload]

    def on_reply(reply: WSAPIAnyResponse) -> None: ...

    ws.on("exception", on_reply)  # type: ignore[call-overload]
    ws.send_ws_api_request(WS_KEY_MAP.v5_private_trade, "order.create", {"symbol": "BTCUSDT"})  # type: ignore[call-overload]
    ws.send_ws_api_request(WS_KEY_MAP.v5_private_trade, "order.place", params)  # type: ignore[call-overload]
    ws.send_ws_api_request("v5Private", "order.create", params)  # type: ignore[call-overload]


async def awaited_like_the_async_client(client: WebsocketAPIClient, params: OrderParamsV5) -> None:
    await client.submit_new_order(params)  # type: ignore[misc]
