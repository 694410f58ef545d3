from bybit_wsapi.rest import RestClient


async def misuse(rest: RestClient) -> None:
    rest.open_order_pages(symbol="BTCUSDT")  # type: ignore[call-arg]
    rest.execution_pages(category="linear", max_pages="3")  # type: ignore[arg-type]
    rest.order_history_pages(category="linear", openonly=1)  # type: ignore[call-arg]
    await rest.open_order_pages(category="linear")  # type: ignore[misc]
    rest.set_time_offset_ms("10")  # type: ignore[arg-type]
    RestClient(key="k", secret="s", key_type="dsa")  # type: ignore[arg-type]
    RestClient(key="k", sign="not a function")  # type: ignore[arg-type]
