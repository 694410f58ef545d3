from typing import assert_type

from bybit_wsapi.rest import ExecutionListResult, OrderListResult, RestClient, RestPagesLeftError


async def walk(rest: RestClient) -> None:
    async for page in rest.open_order_pages(category="linear", symbol="BTCUSDT", max_pages=3):
        assert_type(page, OrderListResult)
    async for done in rest.order_history_pages(category="spot", limit=50):
        assert_type(done["nextPageCursor"], str)
    try:
        async for fills in rest.execution_pages(category="linear", orderLinkId="x"):
            assert_type(fills, ExecutionListResult)
            assert_type(fills["list"][0]["execQty"], str)
    except RestPagesLeftError as left:
        assert_type(left.cursor, str)
    assert_type(await rest.sync_time(), int)
    assert_type((await rest.get_server_time())["timeNano"], str)
    rest.set_time_offset_ms(-15)
    assert_type(rest.get_time_offset_ms(), int)
