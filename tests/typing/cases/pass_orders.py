"""The order tracker and the REST client, typed (each ``assert_type`` must hold)."""

from decimal import Decimal
from typing import assert_type

from bybit_wsapi import OrderStatusV5, RestOrderV5, WebsocketClient
from bybit_wsapi.orders import OrderTracker, OrderView
from bybit_wsapi.rest import OrderListResult, RestClient


async def follow(ws: WebsocketClient, rest: RestClient) -> None:
    tracker = await ws.track_orders(rest=rest)
    assert_type(tracker, OrderTracker)
    view = await tracker.wait("link", "Filled", timeout=5)
    assert_type(view, OrderView)
    assert_type(view.status, OrderStatusV5 | None)
    assert_type(view.filled_qty, Decimal)
    assert_type(view.avg_price, Decimal | None)
    assert_type(await tracker.reconcile("link", deadline=30), OrderView)
    async with tracker.changes() as changes:
        async for change in changes:
            assert_type(change, OrderView)
    page = await rest.get_open_orders(category="linear", symbol="BTCUSDT", orderLinkId="x")
    assert_type(page, OrderListResult)
    assert_type(page["list"], list[RestOrderV5])
