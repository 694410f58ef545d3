"""Order tracking on the clients, async and sync, typed (each ``assert_type`` must hold)."""

from decimal import Decimal
from typing import assert_type

from bybit_wsapi import WebsocketAPIClient, WebsocketClient, sync
from bybit_wsapi.orders import OrderTracker, OrderView, Unsettled
from bybit_wsapi.rest import RestClient
from bybit_wsapi.sync import BlockingOrderChanges, BlockingOrderTracker


async def follow(ws: WebsocketClient, api: WebsocketAPIClient, rest: RestClient) -> None:
    assert_type(await ws.track_orders(rest=rest, max_closed=10, closed_ttl=60.0), OrderTracker)
    assert_type(await api.track_orders(subscribe=False, change_buffer=10), OrderTracker)
    assert_type(ws.orders, OrderTracker)
    assert_type(api.orders, OrderTracker)
    view = ws.orders.get("link")
    assert_type(view, OrderView | None)
    if view is not None:
        assert_type(view.unsettled, Unsettled | None)
        assert_type(view.price, Decimal | None)
        assert_type(view.qty, Decimal | None)
    assert_type(await ws.orders.reconcile(order_id="1", deadline=5), OrderView)
    assert_type(
        await ws.orders.resend_if_proven_absent({"orderLinkId": "l"}, deadline=5), OrderView
    )


def follow_blocking(
    ws: sync.WebsocketClient, api: sync.WebsocketAPIClient, rest: RestClient
) -> None:
    orders = ws.track_orders(rest=rest, close_rest=True)
    assert_type(orders, BlockingOrderTracker)
    assert_type(api.track_orders(), BlockingOrderTracker)
    assert_type(api.orders, BlockingOrderTracker)
    view = orders.wait("link", "Filled", timeout=5)
    assert_type(view, OrderView)
    assert_type(view.filled_qty, Decimal)
    assert_type(orders.wait(order_id="1", until="New", timeout=5), OrderView)
    assert_type(orders.get("link"), OrderView | None)
    assert_type(orders.orders(), list[OrderView])
    assert_type(orders.unknown(), list[OrderView])
    assert_type(orders.reconcile("link", deadline=30, interval=1.0), OrderView)
    assert_type(orders.resync(), list[OrderView])
    assert_type(orders.resend_if_proven_absent({"orderLinkId": "l"}, deadline=5), OrderView)
    with orders.changes(capacity=10) as changes:
        assert_type(changes, BlockingOrderChanges)
        for change in changes:
            assert_type(change, OrderView)
