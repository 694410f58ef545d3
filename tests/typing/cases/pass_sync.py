"""The sync clients: every generated method and overload, blocking, with the async reply types."""

from typing import Literal, assert_type

from bybit_wsapi import (
    WS_KEY_MAP,
    BatchItemFailure,
    BybitWSError,
    OrderAmendBatchResponse,
    OrderAmendResponse,
    OrderCancelBatchResponse,
    OrderCancelResponse,
    OrderCreateBatchResponse,
    OrderCreateResponse,
    OrderResultV5,
    RequestError,
    WSAPIAnyResponse,
    WSAPIError,
    WSAPIResponseMeta,
    failed_items,
)
from bybit_wsapi.sync import (
    RequestInterrupted,
    WebsocketAPIClient,
    WebsocketClient,
    WSAPISyncSender,
)

LINEAR: Literal["linear"] = "linear"


def every_method() -> None:
    with WebsocketAPIClient(key="k", secret="s", testnet=True, request_timeout=5.0) as client:
        created = client.submit_new_order(
            {
                "category": "linear",
                "symbol": "BTCUSDT",
                "side": "Buy",
                "orderType": "Limit",
                "qty": "1",
                "price": "50000",
                "orderLinkId": "a",
            },
            timeout=2.0,
        )
        assert_type(created, OrderCreateResponse)
        assert_type(created["data"], OrderResultV5)
        assert_type(created["data"]["orderId"], str)
        assert_type(created["op"], Literal["order.create"])
        assert_type(created["meta"], WSAPIResponseMeta)
        assert_type(created["meta"]["rttMs"], float)
        amended = client.amend_order(
            {"category": "linear", "symbol": "BTCUSDT", "orderLinkId": "a", "price": "50100"}
        )
        assert_type(amended, OrderAmendResponse)
        cancelled = client.cancel_order(
            {"category": "linear", "symbol": "BTCUSDT", "orderLinkId": "a"}
        )
        assert_type(cancelled, OrderCancelResponse)
        batch = client.batch_submit_orders(
            "spot", [{"symbol": "BTCUSDT", "side": "Sell", "orderType": "Market", "qty": "1"}]
        )
        assert_type(batch, OrderCreateBatchResponse)
        assert_type(failed_items(batch), list[BatchItemFailure])
        moved = client.batch_amend_order(
            LINEAR, [{"symbol": "BTCUSDT", "orderLinkId": "a", "qty": "2"}]
        )
        assert_type(moved, OrderAmendBatchResponse)
        gone = client.batch_cancel_order("linear", [{"symbol": "BTCUSDT", "orderLinkId": "a"}])
        assert_type(gone, OrderCancelBatchResponse)
        assert_type(client.get_ws_client(), WebsocketClient)
        client.set_time_offset_ms(-15)
        client.connect()
    client.close()


def every_operation(ws: WSAPISyncSender) -> None:
    key = WS_KEY_MAP.v5_private_trade
    created = ws.send_ws_api_request(
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
    assert_type(created, OrderCreateResponse)
    amended = ws.send_ws_api_request(
        key, "order.amend", {"category": "linear", "symbol": "BTCUSDT", "orderId": "1", "qty": "2"}
    )
    assert_type(amended, OrderAmendResponse)
    cancelled = ws.send_ws_api_request(
        key, "order.cancel", {"category": "linear", "symbol": "BTCUSDT", "orderId": "1"}
    )
    assert_type(cancelled, OrderCancelResponse)
    batch = ws.send_ws_api_request(
        key,
        "order.create-batch",
        {
            "category": "linear",
            "request": [{"symbol": "BTCUSDT", "side": "Buy", "orderType": "Market", "qty": "1"}],
        },
    )
    assert_type(batch, OrderCreateBatchResponse)
    moved = ws.send_ws_api_request(
        key,
        "order.amend-batch",
        {"category": "linear", "request": [{"symbol": "BTCUSDT", "orderId": "1", "qty": "2"}]},
    )
    assert_type(moved, OrderAmendBatchResponse)
    gone = ws.send_ws_api_request(
        key,
        "order.cancel-batch",
        {"category": "linear", "request": [{"symbol": "BTCUSDT", "orderId": "1"}]},
    )
    assert_type(gone, OrderCancelBatchResponse)


def raw_client_and_errors() -> None:
    ws = WebsocketClient(key="k", secret="s", ws_url="ws://127.0.0.1:1/v5/trade")
    ws.on("response", print)
    ws.off("response", print)

    def on_reply(reply: WSAPIAnyResponse) -> None:
        assert_type(reply["retCode"], int)

    def on_error(error: BybitWSError) -> None: ...

    ws.on("response", on_reply)
    ws.on("exception", on_error)
    ws.connect_ws_api()
    assert_type(ws.is_connected, bool)
    assert_type(ws.in_flight, int)
    assert_type(ws.get_time_offset_ms(), int)
    try:
        reply = ws.send_ws_api_request(
            WS_KEY_MAP.v5_private_trade,
            "order.cancel",
            {"category": "spot", "symbol": "BTCUSDT", "orderLinkId": "x"},
            timeout=1.5,
        )
        assert_type(reply["data"]["orderLinkId"], str)
    except WSAPIError as error:
        assert_type(error.ret_code, int | None)
    except RequestError as error:
        assert_type(error.outcome, Literal["rejected", "not_sent", "unknown"])
    except RequestInterrupted as interrupted:
        assert_type(interrupted.outcome, Literal["rejected", "not_sent", "unknown"])
        assert_type(interrupted.op, str)
    finally:
        ws.close()
