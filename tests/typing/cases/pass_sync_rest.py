from typing import assert_type

from bybit_wsapi_generated import OrderStatusV5

from bybit_wsapi.rest import ExecutionListResult, OrderListResult, RestPagesLeftError
from bybit_wsapi.sync import RestClient, WebsocketClient


def reconcile(rest: RestClient) -> None:
    with RestClient(key="k", secret="s", testnet=True, recv_window_ms=10_000) as fresh:
        assert_type(fresh, RestClient)
    assert_type(rest.sync_time(), int)
    assert_type(rest.get_server_time()["timeNano"], str)
    rest.set_time_offset_ms(-15)
    assert_type(rest.get_time_offset_ms(), int)
    opened = rest.get_open_orders(category="linear", symbol="BTCUSDT", orderLinkId="x")
    assert_type(opened, OrderListResult)
    assert_type(opened["list"][0]["orderLinkId"], str)
    assert_type(rest.get_order_history(category="spot", limit=50), OrderListResult)
    assert_type(rest.get_executions(category="linear")["list"][0]["execQty"], str)
    for page in rest.open_order_pages(category="linear", symbol="BTCUSDT", max_pages=3):
        assert_type(page, OrderListResult)
    for done in rest.order_history_pages(category="spot", limit=50):
        assert_type(done["nextPageCursor"], str)
    try:
        for fills in rest.execution_pages(category="linear", orderLinkId="x"):
            assert_type(fills, ExecutionListResult)
    except RestPagesLeftError as left:
        assert_type(left.cursor, str)
    walk = rest.order_history_pages(category="linear")
    assert_type(next(walk)["list"][0]["orderLinkId"], str)
    walk.close()  # ended early
    rest.close()


def track(ws: WebsocketClient, rest: RestClient) -> None:
    orders = ws.track_orders(rest=rest.queries)
    assert_type(orders.reconcile("x", deadline=1.0).status, OrderStatusV5 | None)
