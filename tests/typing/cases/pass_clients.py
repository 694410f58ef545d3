"""The concrete runtime classes inherit every generated method and overload, fully typed."""

from collections.abc import Awaitable
from typing import Literal, assert_type

from bybit_wsapi import (
    WS_KEY_MAP,
    BatchItemFailure,
    OrderCancelBatchResponse,
    OrderCreateBatchResponse,
    OrderCreateResponse,
    RequestError,
    WebsocketAPIClient,
    WebsocketClient,
    WSAPIError,
    failed_items,
)


async def api_client() -> None:
    async with WebsocketAPIClient(key="k", secret="s", testnet=True, request_timeout=5.0) as client:
        r = await client.submit_new_order(
            {
                "category": "linear",
                "symbol": "BTCUSDT",
                "side": "Buy",
                "orderType": "Limit",
                "qty": "1",
                "price": "50000",
            },
            timeout=2.0,
        )
        assert_type(r, OrderCreateResponse)
        assert_type(r["data"]["orderId"], str)
        assert_type(r["meta"]["rttMs"], float)
        batch = await client.batch_submit_orders(
            "spot", [{"symbol": "BTCUSDT", "side": "Sell", "orderType": "Market", "qty": "1"}]
        )
        assert_type(batch, OrderCreateBatchResponse)
        assert_type(failed_items(batch), list[BatchItemFailure])
        gone = await client.batch_cancel_order(
            "linear", [{"symbol": "BTCUSDT", "orderLinkId": "x"}]
        )
        assert_type(gone, OrderCancelBatchResponse)
        ws = client.get_ws_client()
        assert_type(ws, WebsocketClient)


async def raw_client() -> None:
    ws = WebsocketClient(key="k", secret="s", ws_url="ws://127.0.0.1:1/v5/trade")
    ws.on("response", print)
    await ws.connect_ws_api()
    key = WS_KEY_MAP.v5_private_trade  # stays a Literal in a variable
    pending = ws.send_ws_api_request(
        key,
        "order.create",
        {
            "category": "linear",
            "symbol": "BTCUSDT",
            "side": "Buy",
            "orderType": "Market",
            "qty": "1",
        },
    )
    assert_type(pending, Awaitable[OrderCreateResponse])
    try:
        created = await pending
        assert_type(created["op"], Literal["order.create"])
    except WSAPIError as error:
        assert_type(error.ret_code, int | None)
    except RequestError as error:
        assert_type(error.outcome, Literal["rejected", "not_sent", "unknown"])
    await ws.close()
