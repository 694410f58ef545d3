"""Valid calls to every generated method; each result has its operation's exact type."""

from typing import Literal, assert_type

from bybit_wsapi import (
    BatchAmendOrderParamsV5,
    BatchAmendOrderResultV5,
    BatchCancelOrderParamsV5,
    BatchCancelOrderResultV5,
    BatchCreateOrderResultV5,
    BatchItemStatusV5,
    BatchOrderParamsV5,
    CategoryV5,
    EmptyRetExtInfoV5,
    OrderAmendBatchResponse,
    OrderAmendResponse,
    OrderCancelBatchResponse,
    OrderCancelResponse,
    OrderCreateBatchResponse,
    OrderCreateResponse,
    OrderResultV5,
    WSAPIMethods,
    WSAPIResponseHeaderV5,
    WSAPIResponseMeta,
)


async def create_minimal(client: WSAPIMethods) -> None:
    r = await client.submit_new_order(
        {
            "category": "linear",
            "symbol": "BTCUSDT",
            "side": "Buy",
            "orderType": "Market",
            "qty": "0.001",
        }
    )
    assert_type(r, OrderCreateResponse)
    assert_type(r["data"], OrderResultV5)
    assert_type(r["data"]["orderId"], str)
    assert_type(r["data"]["orderLinkId"], str)
    assert_type(r["op"], Literal["order.create"])
    assert_type(r["retCode"], int)
    assert_type(r["retMsg"], str)
    assert_type(r["retExtInfo"], EmptyRetExtInfoV5)
    assert_type(r["wsKey"], str)
    assert_type(r["connId"], str)
    assert_type(r.get("reqId"), str | None)
    assert_type(r.get("header"), WSAPIResponseHeaderV5 | None)
    assert_type(r["meta"], WSAPIResponseMeta)
    assert_type(r["meta"]["rttMs"], float)
    assert_type(r["meta"]["serverTimeMs"], int | None)
    assert_type(r["meta"]["rateLimit"], int | None)
    assert_type(r["meta"]["rateLimitRemaining"], int | None)
    assert_type(r["meta"]["rateLimitResetMs"], int | None)
    assert_type(r["meta"]["traceId"], str | None)


async def create_all_fields(client: WSAPIMethods) -> None:
    """Every key of OrderParamsV5 (test_typing.py checks that none is missing)."""
    r = await client.submit_new_order(
        {
            "category": "linear",
            "symbol": "BTCUSDT",
            "isLeverage": 0,
            "side": "Sell",
            "orderType": "Limit",
            "qty": "0.001",
            "marketUnit": "baseCoin",
            "slippageToleranceType": "Percent",
            "slippageTolerance": "0.5",
            "price": "65000",
            "triggerDirection": 1,
            "orderFilter": "Order",
            "triggerPrice": "64000",
            "triggerBy": "MarkPrice",
            "orderIv": "0.1",
            "timeInForce": "PostOnly",
            "positionIdx": 2,
            "orderLinkId": "my-order_1",
            "takeProfit": "70000",
            "stopLoss": "60000",
            "tpTriggerBy": "LastPrice",
            "slTriggerBy": "IndexPrice",
            "reduceOnly": False,
            "closeOnTrigger": False,
            "smpType": "CancelMaker",
            "mmp": False,
            "tpslMode": "Partial",
            "tpLimitPrice": "69900",
            "slLimitPrice": "60100",
            "tpOrderType": "Limit",
            "slOrderType": "Market",
            "bboSideType": "Queue",
            "bboLevel": "1",
            "rpiTakerAccess": True,
        },
        timeout=5.0,
    )
    assert_type(r, OrderCreateResponse)
    assert_type(r["data"]["orderId"], str)


async def amend_and_cancel(client: WSAPIMethods) -> None:
    amended = await client.amend_order(
        {"category": "spot", "symbol": "ETHUSDT", "orderLinkId": "my-order_1", "price": "3000"}
    )
    assert_type(amended, OrderAmendResponse)
    assert_type(amended["op"], Literal["order.amend"])
    assert_type(amended["data"]["orderId"], str)
    assert_type(amended["retExtInfo"], EmptyRetExtInfoV5)

    cancelled = await client.cancel_order(
        {"category": "option", "symbol": "BTC-27DEC24-70000-C", "orderId": "1"}, timeout=None
    )
    assert_type(cancelled, OrderCancelResponse)
    assert_type(cancelled["op"], Literal["order.cancel"])
    assert_type(cancelled["data"]["orderLinkId"], str)


async def batches(client: WSAPIMethods, category: CategoryV5) -> None:
    orders: list[BatchOrderParamsV5] = [
        {"symbol": "BTCUSDT", "side": "Buy", "orderType": "Limit", "qty": "0.001", "price": "1"},
        {"symbol": "BTCUSDT", "side": "Sell", "orderType": "Market", "qty": "0.001"},
    ]
    created = await client.batch_submit_orders(category, orders)
    assert_type(created, OrderCreateBatchResponse)
    assert_type(created["op"], Literal["order.create-batch"])
    assert_type(created["data"]["list"], list[BatchCreateOrderResultV5])
    assert_type(created["data"]["list"][0]["createAt"], str)
    assert_type(created["data"]["list"][0]["category"], CategoryV5)
    assert_type(created["retExtInfo"]["list"], list[BatchItemStatusV5])
    assert_type(created["retExtInfo"]["list"][0]["code"], int)
    assert_type(created["retExtInfo"]["list"][0]["msg"], str)

    amendments: list[BatchAmendOrderParamsV5] = [{"symbol": "BTCUSDT", "orderId": "1", "qty": "2"}]
    amended = await client.batch_amend_order("linear", amendments, timeout=1.5)
    assert_type(amended, OrderAmendBatchResponse)
    assert_type(amended["op"], Literal["order.amend-batch"])
    assert_type(amended["data"]["list"][0], BatchAmendOrderResultV5)
    assert_type(amended["retExtInfo"]["list"][0]["code"], int)

    cancels: list[BatchCancelOrderParamsV5] = [{"symbol": "BTCUSDT", "orderLinkId": "a"}]
    cancelled = await client.batch_cancel_order("spot", cancels)
    assert_type(cancelled, OrderCancelBatchResponse)
    assert_type(cancelled["op"], Literal["order.cancel-batch"])
    assert_type(cancelled["data"]["list"][0], BatchCancelOrderResultV5)
    assert_type(cancelled["data"]["list"][0]["orderId"], str)
    assert_type(cancelled["retExtInfo"]["list"][0]["code"], int)

    inline = await client.batch_submit_orders(
        "inverse", [{"symbol": "BTCUSD", "side": "Buy", "orderType": "Market", "qty": "1"}]
    )
    assert_type(inline, OrderCreateBatchResponse)
