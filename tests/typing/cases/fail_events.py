"""Handlers that do not take their event's payload, and non-batch replies to failed_items."""

from bybit_wsapi import (
    BatchOrderParamsV5,
    BybitWSError,
    ConnectionEvent,
    OpenEvent,
    OrderCreateResponse,
    WebsocketAPIClient,
    WebsocketClient,
    WSAPIAnyResponse,
    failed_items,
)


def handlers(ws: WebsocketClient, event: str) -> None:
    def on_error(error: BybitWSError) -> None: ...
    def on_response(reply: WSAPIAnyResponse) -> None: ...
    def on_connection(payload: ConnectionEvent) -> None: ...
    def on_create(reply: OrderCreateResponse) -> None: ...  # replies of every op arrive
    def on_open(payload: OpenEvent) -> None: ...  # close has no url

    ws.on("response", on_error)  # type: ignore[call-overload]
    ws.on("exception", on_response)  # type: ignore[call-overload]
    ws.on("open", on_error)  # type: ignore[call-overload]
    ws.on("exception", on_connection)  # type: ignore[call-overload]
    ws.on("response", on_create)  # type: ignore[call-overload]
    ws.on("close", on_open)  # type: ignore[call-overload]
    ws.on(event, print)  # type: ignore[call-overload]


async def batches(
    client: WebsocketAPIClient, item: BatchOrderParamsV5, reply: OrderCreateResponse
) -> None:
    failed_items(reply)  # type: ignore[arg-type]
    await client.batch_submit_orders("linear", item)  # type: ignore[arg-type]
    await client.batch_submit_orders("linear", [reply])  # type: ignore[list-item]
