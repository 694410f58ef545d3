"""``on()`` gives each handler its event's payload type; batch methods take any sequence."""

from typing import assert_type

from bybit_wsapi import (
    BatchItemFailure,
    BatchOrderParamsV5,
    ConnectionEvent,
    OpenEvent,
    OrderAmendBatchResponse,
    OrderCancelBatchResponse,
    OrderCreateResponse,
    ReconnectEvent,
    WebsocketAPIClient,
    WebsocketClient,
    WSAPIAnyResponse,
    WSAPIError,
    WsKey,
    failed_items,
)


def handlers(ws: WebsocketClient) -> None:
    def on_open(payload: OpenEvent) -> None:
        assert_type(payload["url"], str)

    def on_connection(payload: ConnectionEvent) -> None:
        assert_type(payload["wsKey"], WsKey)  # any connection: trade or stream

    def on_reconnect(payload: ReconnectEvent) -> None:
        assert_type(payload["attempt"], int)

    def on_response(reply: WSAPIAnyResponse) -> None:
        if reply["op"] == "order.create":  # the op tells the replies apart
            assert_type(reply, OrderCreateResponse)
            assert_type(reply["data"]["orderId"], str)

    async def on_exception(error: Exception) -> None:  # a wider parameter type is fine
        if isinstance(error, WSAPIError):
            assert_type(error.ret_code, int | None)

    ws.on("open", on_open)
    ws.on("open", on_connection)  # an OpenEvent is a ConnectionEvent
    for name in ("authenticated", "reconnected", "close"):
        ws.on(name, on_connection)
    ws.on("reconnect", on_reconnect)
    ws.on("response", on_response)
    ws.on("exception", on_exception)
    ws.on("response", print)  # a handler of object takes every payload
    ws.off("exception", on_exception)


async def batches(client: WebsocketAPIClient, item: BatchOrderParamsV5) -> None:
    items = (item, item)  # a tuple, not a list
    created = await client.batch_submit_orders("linear", items)
    assert_type(failed_items(created), list[BatchItemFailure])
    amended = await client.batch_amend_order("linear", ({"symbol": "X", "orderId": "1"},))
    assert_type(amended, OrderAmendBatchResponse)
    assert_type(failed_items(amended), list[BatchItemFailure])
    gone = await client.batch_cancel_order("linear", [{"symbol": "X", "orderId": "1"}])
    assert_type(gone, OrderCancelBatchResponse)
    assert_type(failed_items(gone)[0].index, int)
