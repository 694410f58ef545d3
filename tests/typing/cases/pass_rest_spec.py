"""The REST queries typed from the spec (schema/rest_api.yaml): each assert_type must hold."""

from typing import assert_type

from bybit_wsapi_generated.rest import REST_ENDPOINTS, REST_PATHS, RestMethod, RestPath, RestQueries

from bybit_wsapi import (
    CategoryV5,
    ExecTypeV5,
    ExecutionListResultV5,
    OrderListResultV5,
    OrderStatusV5,
    PositionIdx,
    RestExecutionV5,
    RestOrderV5,
    ServerTimeResultV5,
)
from bybit_wsapi.rest import (
    ExecutionQuery,
    OrderHistoryQuery,
    OrderListResult,
    OrderQuery,
    RestClient,
)


async def queries(rest: RestClient) -> None:
    spec: RestQueries = rest  # the client's query methods are the spec's, signature for signature
    assert_type(await spec.get_server_time(), ServerTimeResultV5)
    page = await rest.get_open_orders(
        category="linear", settleCoin="USDT", openOnly=1, orderFilter="StopOrder", limit=50
    )
    assert_type(page, OrderListResultV5)
    assert_type(page, OrderListResult)  # the first name is the generated type
    assert_type(page["category"], CategoryV5)
    order = page["list"][0]
    assert_type(order, RestOrderV5)
    assert_type(order["orderStatus"], OrderStatusV5)
    assert_type(order["positionIdx"], PositionIdx)
    assert_type(order["reduceOnly"], bool)
    assert_type(order.get("basePrice"), str | None)
    history = await rest.get_order_history(
        category="spot", orderStatus="Filled", startTime=1, endTime=2, orderFilter="OcoOrder"
    )
    assert_type(history["nextPageCursor"], str)
    fills = await rest.get_executions(category="option", baseCoin="BTC", execType="Trade")
    assert_type(fills, ExecutionListResultV5)
    fill = fills["list"][0]
    assert_type(fill, RestExecutionV5)
    assert_type(fill["execType"], ExecTypeV5)
    assert_type(fill["seq"], int)
    assert_type(fill.get("execFeeV2"), str | None)


def queries_as_data() -> None:
    realtime: OrderQuery = {"category": "inverse", "orderLinkId": "x"}
    history: OrderHistoryQuery = {"category": "linear", "symbol": "BTCUSDT", "limit": 50}
    fills: ExecutionQuery = {"category": "spot", "orderId": "1"}
    assert_type(REST_PATHS["get_open_orders"], RestPath)
    assert_type(REST_ENDPOINTS["/v5/execution/list"]["page_max"], int | None)
    assert_type(REST_ENDPOINTS["/v5/market/time"]["method"], RestMethod)
    time: ServerTimeResultV5 = {"timeSecond": "1688639403", "timeNano": "1688639403423213947"}
