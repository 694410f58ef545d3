"""Settling an order whose create's outcome is unknown, over REST (shared ref §9.2).

Look the order up by ``orderLinkId`` in ``/v5/order/realtime`` (open orders and the recent
closed ones), then ``/v5/order/history``; found: adopt its state and its fills
(``/v5/execution/list``). Not found: ask again every ``interval`` until ``deadline`` (an early
empty answer proves nothing: the order is asynchronous and REST may lag); still absent at the
deadline: ``OrderAbsentError``, which says it is safe to resend with the same ``orderLinkId``.
Nothing is ever resent here; ``resend_if_proven_absent`` does that, and only after proof.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, Final, Protocol, Unpack, cast

from bybit_wsapi_generated import WS_KEY_MAP, OrderParamsV5

from ..errors import ConfigurationError, WSAPIError
from ..rest.errors import RestAPIError, RestHTTPError
from ..rest.pages import follow_pages
from ..rest.types import (
    ExecutionListResult,
    ExecutionQuery,
    OrderHistoryQuery,
    OrderListResult,
    OrderQuery,
)
from ..retcodes import RetCode
from .errors import OrderAbsentError
from .state import OrderView

if TYPE_CHECKING:
    from ..client import WebsocketClient
    from .tracker import OrderTracker

__all__ = [
    "DEFAULT_INTERVAL",
    "OrderQueries",
    "reconcile",
    "resend_if_proven_absent",
]

logger = logging.getLogger(__name__)

DEFAULT_INTERVAL: Final = 2.0
"""Seconds between lookups (nautilus: about 5 s, 5 times; Bybit: order/history "may delay")."""
_FILL_PAGES: Final = 10
"""Pages of an order's fills read at most (100 each)."""
_NOT_IN_VIEW: Final = frozenset({RetCode.ORDER_NOT_EXISTS, RetCode.SPOT_ORDER_NOT_EXISTS})


class OrderQueries(Protocol):
    """What reconciliation reads (``RestClient`` is one)."""

    async def get_open_orders(self, **params: Unpack[OrderQuery]) -> OrderListResult: ...
    async def get_order_history(self, **params: Unpack[OrderHistoryQuery]) -> OrderListResult: ...
    async def get_executions(self, **params: Unpack[ExecutionQuery]) -> ExecutionListResult: ...


async def reconcile(
    tracker: OrderTracker,
    rest: OrderQueries,
    order_link_id: str,
    *,
    deadline: float,
    interval: float = DEFAULT_INTERVAL,
    category: str | None = None,
    symbol: str | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    clock: Callable[[], float] | None = None,
    end: Callable[[], float] | None = None,
) -> OrderView:
    """Find the order over REST within ``deadline`` seconds; its adopted state.

    Returns early when the private stream reports the order meanwhile. ``end``, if given,
    says when the deadline falls instead (a joined automatic run moves it).

    Raises:
        OrderAbsentError: not found by any lookup up to the deadline (the last one answered):
            safe to resend with the same ``orderLinkId``.
        RestAPIError, RestHTTPError: the last lookup failed, so absence is not proven.
        ConfigurationError: no ``orderLinkId``, or no category/symbol known for it.
    """
    if not order_link_id:
        raise ConfigurationError("reconcile needs the orderLinkId the request carried")
    now = clock or asyncio.get_running_loop().time
    known = tracker.get(order_link_id)
    category = category or (known.category if known else "")
    symbol = symbol or (known.symbol if known else "")
    if not category or not symbol:
        raise ConfigurationError(
            f"reconcile({order_link_id!r}) needs category= and symbol= (the tracker has none)"
        )
    query: dict[str, Any] = {"category": category, "symbol": symbol, "orderLinkId": order_link_id}
    start = now()
    end_at, queries = end or (lambda: start + deadline), 0
    while True:
        seen = tracker.get(order_link_id)
        if seen is not None and (seen.status is not None or seen.fills):
            return seen  # the stream (or an earlier lookup) settled it
        queries += 1
        try:
            found = await _lookup(rest, query)
        except (RestAPIError, RestHTTPError) as error:
            if now() >= end_at():
                raise
            logger.warning("reconcile %r: lookup failed (%s); retrying", order_link_id, error)
            found = None
        else:
            if found is None and now() >= end_at():
                tracker.mark_absent(order_link_id)
                raise OrderAbsentError(order_link_id, queries, now() - start)
        if found is not None:
            view = tracker.adopt(found)
            await _adopt_fills(tracker, rest, query)
            return tracker.get(order_link_id) or view
        await sleep(max(0.0, min(interval, end_at() - now())))


async def _lookup(rest: OrderQueries, query: dict[str, Any]) -> Mapping[str, Any] | None:
    for read in (rest.get_open_orders, rest.get_order_history):
        try:
            page = await read(**query)
        except RestAPIError as error:
            if error.ret_code in _NOT_IN_VIEW:  # spot answers "does not exist", not []
                continue
            raise
        key = "orderId" if "orderId" in query else "orderLinkId"
        for order in page["list"]:
            if order.get(key) == query[key]:
                return {**order, "category": page["category"]}  # REST rows carry none
    return None


async def _adopt_fills(tracker: OrderTracker, rest: OrderQueries, query: dict[str, Any]) -> None:
    key = "orderId" if "orderId" in query else "orderLinkId"
    wanted = {"category": query["category"], "limit": 100, key: query[key]}
    async for page in follow_pages(rest.get_executions, wanted, max_pages=_FILL_PAGES):
        for execution in page["list"]:
            tracker.adopt_fill({**execution, "category": page["category"]})


async def resend_if_proven_absent(
    ws: WebsocketClient,
    tracker: OrderTracker,
    rest: OrderQueries,
    params: Mapping[str, Any],
    *,
    deadline: float,
    interval: float = DEFAULT_INTERVAL,
) -> OrderView:
    """Reconcile ``params``' order; only if REST proved it absent, resend the create once,
    with the same ``orderLinkId``. A 110072 on that resend means the first one landed after
    all: it is reconciled and adopted. The order's state either way.

    Raises:
        ConfigurationError: ``params`` carry no ``orderLinkId`` (a resend could double it).
        WSAPIError, RequestError: the resend failed otherwise (its ``outcome`` says how).
    """
    link = params.get("orderLinkId")
    if not isinstance(link, str) or not link:
        raise ConfigurationError("resend_if_proven_absent needs params with an orderLinkId")
    category, symbol = str(params.get("category", "")), str(params.get("symbol", ""))
    try:
        return await reconcile(
            tracker,
            rest,
            link,
            deadline=deadline,
            interval=interval,
            category=category,
            symbol=symbol,
        )
    except OrderAbsentError:
        logger.info("order %r proven absent: resending it with the same orderLinkId", link)
    try:
        await ws.send_ws_api_request(
            WS_KEY_MAP.v5_private_trade, "order.create", cast(OrderParamsV5, dict(params))
        )
    except WSAPIError as error:
        if error.ret_code not in (
            RetCode.DUPLICATE_ORDER_LINK_ID,
            RetCode.SPOT_DUPLICATE_ORDER_LINK_ID,
        ):
            raise
    view = tracker.get(link)
    if view is not None and view.acked:
        return view
    return await reconcile(
        tracker, rest, link, deadline=deadline, interval=interval, category=category, symbol=symbol
    )
