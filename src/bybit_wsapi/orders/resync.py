"""Re-reading the tracked open orders over REST after pushes may have been lost (shared ref
§9.2 step 8): one page walk of ``/v5/order/realtime`` per category (per symbol where Bybit
requires one: linear), then a lookup by id only for the tracked orders no longer listed, and
``/v5/execution/list`` only for an order whose ``cumExecQty`` is ahead of the fills known."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from bybit_wsapi_generated.rest import REST_ENDPOINTS, REST_PATHS

from ..rest.pages import follow_pages
from .reconcile import OrderQueries, _adopt_fills, _lookup
from .state import OrderView, dec

if TYPE_CHECKING:
    from .tracker import OrderTracker

__all__ = ["resync"]

logger = logging.getLogger(__name__)

_REALTIME: Final = REST_ENDPOINTS[REST_PATHS["get_open_orders"]]
_PAGE: Final = _REALTIME["page_max"] or 50
_NEEDS_SYMBOL: Final = frozenset(_REALTIME["require_any_for_categories"])
"""Categories whose open-order listing needs a ``symbol`` (or a coin): walked per symbol."""


async def resync(tracker: OrderTracker, rest: OrderQueries) -> list[OrderView]:
    """Re-read every open tracked order over REST and adopt what changed (and its fills):
    after a private-stream reconnect or a ``StreamOverflowError``, when pushes may be lost.

    Orders whose create's outcome is unknown are left to ``reconcile`` (it needs a deadline).
    The refreshed views.
    """
    listed: dict[str, Mapping[str, Any]] = {}
    for listing in _listings(_open(tracker)):
        async for page in follow_pages(rest.get_open_orders, listing):
            for order in page["list"]:
                row = {**order, "category": page["category"]}  # REST rows carry none
                for key in ("orderId", "orderLinkId"):
                    if isinstance(value := order.get(key), str) and value:
                        listed[f"{key}:{value}"] = row
    refreshed = []
    for view in _open(tracker):  # after the walk: acks that came meanwhile are in
        found = listed.get(f"orderId:{view.order_id}") if view.order_id else None
        found = found or listed.get(f"orderLinkId:{view.order_link_id}")
        query: dict[str, Any] = {"category": view.category, "symbol": view.symbol}
        if view.order_id:
            query["orderId"] = view.order_id
        else:
            query["orderLinkId"] = view.order_link_id
        if found is None:
            found = await _lookup(rest, query)  # closed meanwhile (or acked after its page)
        if found is None:
            logger.warning("resync: %s not found over REST", query)
            continue
        tracker.adopt(found)
        if dec(found.get("cumExecQty")) > sum((f.qty for f in view.fills), Decimal(0)):
            await _adopt_fills(tracker, rest, query)  # fills the stream did not bring
        refreshed.append(tracker.get(view.order_link_id, order_id=view.order_id) or view)
    return refreshed


def _open(tracker: OrderTracker) -> list[OrderView]:
    return [v for v in tracker.orders() if v.phase == "open" and v.category and v.symbol]


def _listings(views: Iterable[OrderView]) -> list[dict[str, Any]]:
    """One open-order query per category, or per symbol where the category needs one."""
    queries: dict[tuple[str, str], dict[str, Any]] = {}
    for view in views:
        symbol = view.symbol if view.category in _NEEDS_SYMBOL else ""
        query: dict[str, Any] = {"category": view.category, "limit": _PAGE}
        if symbol:
            query["symbol"] = symbol
        queries.setdefault((view.category, symbol), query)
    return list(queries.values())
