"""``send_ws_api_request`` picks the params and reply types from the operation string."""

from typing import Literal, assert_type

from bybit_wsapi import (
    WS_KEY_MAP,
    BatchCreateOrderResultV5,
    EmptyRetExtInfoV5,
    OrderAmendBatchResponse,
    OrderAmendResponse,
    OrderCancelBatchResponse,
    OrderCancelResponse,
    OrderCreateBatchResponse,
    OrderCreateResponse,
    OrderParamsV5,
    WSAPISender,
)


async def every_operation(ws: WSAPISender) -> None:
    created = await ws.send_ws_api_request(
        WS_KEY_MAP.v5_private_trade,
        "order.create",
        {
            "category": "linear",
            "symbol": "BTCUSDT",
            "side": "Buy",
            "orderType": "Market",
            "qty": "1",
        },
    )
    assert_type(created, OrderCreateResponse)
    assert_type(created["data"]["orderId"], str)
    assert_type(created["op"], Literal["order.create"])
    assert_type(created["retExtInfo"], EmptyRetExtInfoV5)
    assert_type(created["meta"]["rttMs"], float)
    assert_type(created["meta"]["serverTimeMs"], int | None)

    amended = await ws.send_ws_api_request(
        WS_KEY_MAP.v5_private_trade,
        "order.amend",
        {"category": "linear", "symbol": "BTCUSDT", "orderId": "1", "qty": "2"},
    )
    assert_type(amended, OrderAmendResponse)
    assert_type(amended["op"], Literal["order.amend"])

    cancelled = await ws.send_ws_api_request(
        WS_KEY_MAP.v5_private_trade,
        "order.cancel",
        {"category": "linear", "symbol": "BTCUSDT", "orderLinkId": "a"},
    )
    assert_type(cancelled, OrderCancelResponse)
    assert_type(cancelled["data"]["orderLinkId"], str)

    batch = await ws.send_ws_api_request(
        WS_KEY_MAP.v5_private_trade,
        "order.create-batch",
        {
            "category": "spot",
            "request": [{"symbol": "BTCUSDT", "side": "Buy", "orderType": "Market", "qty": "1"}],
        },
    )
    assert_type(batch, OrderCreateBatchResponse)
    assert_type(batch["data"]["list"], list[BatchCreateOrderResultV5])
    assert_type(batch["data"]["list"][0]["createAt"], str)
    assert_type(batch["retExtInfo"]["list"][0]["code"], int)
    assert_type(batch["op"], Literal["order.create-batch"])

    amend_batch = await ws.send_ws_api_request(
        WS_KEY_MAP.v5_private_trade,
        "order.amend-batch",
        {"category": "linear", "request": [{"symbol": "BTCUSDT", "orderId": "1", "price": "2"}]},
    )
    assert_type(amend_batch, OrderAmendBatchResponse)
    assert_type(amend_batch["op"], Literal["order.amend-batch"])

    cancel_batch = await ws.send_ws_api_request(
        WS_KEY_MAP.v5_private_trade,
        "order.cancel-batch",
        {"category": "option", "request": [{"symbol": "BTC-27DEC24-70000-C", "orderId": "1"}]},
        timeout=0.5,
    )
    assert_type(cancel_batch, OrderCancelBatchResponse)
    assert_type(cancel_batch["retExtInfo"]["list"][0]["msg"], str)


async def ws_key_as_a_literal_and_prebuilt_params(ws: WSAPISender, order: OrderParamsV5) -> None:
    r = await ws.send_ws_api_request("v5PrivateTrade", "order.create", order)
    assert_type(r, OrderCreateResponse)
