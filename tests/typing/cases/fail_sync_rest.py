from bybit_wsapi.sync import RestClient, WebsocketClient


async def misuse(rest: RestClient) -> None:
    rest.get_open_orders(symbol="BTCUSDT")  # type: ignore[call-arg]
    rest.get_executions(category="linear", limit="3")  # type: ignore[arg-type]
    rest.open_order_pages(symbol="BTCUSDT")  # type: ignore[call-arg]
    rest.execution_pages(category="linear", max_pages="3")  # type: ignore[arg-type]
    rest.order_history_pages(category="linear", openonly=1)  # type: ignore[call-arg]
    await rest.get_open_orders(category="linear")  # type: ignore[misc]
    async for _ in rest.open_order_pages(category="linear"):  # type: ignore[attr-defined]
        pass
    rest.set_time_offset_ms("10")  # type: ignore[arg-type]
    RestClient(key="k", secret="s", key_type="dsa")  # type: ignore[arg-type]
    RestClient(secret="s")  # type: ignore[call-arg]


def untracked(ws: WebsocketClient, rest: RestClient) -> None:
    ws.track_orders(rest=rest)  # type: ignore[arg-type]
