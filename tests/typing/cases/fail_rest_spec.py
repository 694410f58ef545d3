"""REST queries the spec's types reject (each line must fail with exactly its code)."""

from bybit_wsapi_generated.rest import REST_ENDPOINTS, REST_PATHS

from bybit_wsapi.rest import OrderQuery, RestClient


async def misuse(rest: RestClient) -> None:
    await rest.get_open_orders(category="futures")  # type: ignore[arg-type]
    await rest.get_open_orders(category="linear", orderStatus="Filled")  # type: ignore[call-arg]
    await rest.get_order_history(category="linear", openOnly=1)  # type: ignore[call-arg]
    await rest.get_open_orders(category="linear", openOnly=2)  # type: ignore[arg-type]
    await rest.get_open_orders(category="spot", orderFilter="Stop")  # type: ignore[arg-type]
    await rest.get_open_orders(category="spot", limit="20")  # type: ignore[arg-type]
    await rest.get_executions(category="linear", execType="Fill")  # type: ignore[arg-type]
    await rest.get_executions(category="linear", orderStatus="Filled")  # type: ignore[call-arg]
    page = await rest.get_executions(category="linear")
    page["list"][0]["category"]  # type: ignore[typeddict-item]
    orders = await rest.get_open_orders(category="spot")
    orders["list"][0]["closedPnl"]  # type: ignore[typeddict-item]


def misuse_as_data() -> None:
    bad: OrderQuery = {"category": "linear", "orderLinkID": "x"}  # type: ignore[typeddict-unknown-key]
    REST_PATHS["get_open_order"]  # type: ignore[index]
    REST_ENDPOINTS["/v5/order/list"]  # type: ignore[index]
