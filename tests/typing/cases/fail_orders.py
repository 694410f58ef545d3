"""Mistakes with the order tracker and the REST client that mypy must reject."""

from bybit_wsapi.orders import OrderTracker
from bybit_wsapi.rest import RestClient


async def misuse(tracker: OrderTracker, rest: RestClient) -> None:
    await tracker.wait("link", "Done", timeout=5)  # type: ignore[arg-type]
    await tracker.wait("link", "Filled")  # type: ignore[call-arg]
    await tracker.reconcile("link")  # type: ignore[call-arg]
    await rest.get_open_orders(symbol="BTCUSDT")  # type: ignore[call-arg]
    await rest.get_open_orders(category="futures")  # type: ignore[arg-type]
    await rest.get_order_history(category="linear", orderLinkID="x")  # type: ignore[call-arg]
