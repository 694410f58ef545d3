"""Mistakes with order tracking on the clients, async and sync, that mypy must reject."""

from bybit_wsapi import WebsocketClient, sync
from bybit_wsapi.orders import OrderView


async def misuse(ws: WebsocketClient, view: OrderView) -> None:
    await ws.track_orders(max_closed="10")  # type: ignore[arg-type]
    await ws.track_orders(rest_client=None)  # type: ignore[call-arg]
    ws.track_orders = None  # type: ignore[method-assign,assignment]
    ws.orders = ws.orders  # type: ignore[misc]
    await ws.orders.wait("link", until="Filed", timeout=5)  # type: ignore[arg-type]
    await ws.orders.reconcile("link")  # type: ignore[call-arg]
    view.status = "Filled"  # type: ignore[misc]


def misuse_blocking(ws: sync.WebsocketClient, api: sync.WebsocketAPIClient) -> None:
    ws.track_orders(subscribe="yes")  # type: ignore[arg-type]
    ws.orders.wait("link", "Filed", timeout=5)  # type: ignore[arg-type]
    ws.orders.wait("link")  # type: ignore[call-arg]
    ws.orders.reconcile("link")  # type: ignore[call-arg]
    api.orders.wait("link", timeout="5")  # type: ignore[arg-type]
    for change in ws.orders.changes():
        change.status.lower()  # type: ignore[union-attr]
