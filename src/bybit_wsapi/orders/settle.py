"""Settling an amend or cancel whose outcome is unknown (``OrderView.unsettled``), over REST.

The order is looked up (``/v5/order/realtime``, then ``/v5/order/history``, as for a create)
and adopted with its fills; the adopted state settles it: a cancel took effect once the order is
closed, an amend once the order shows every field it set. An order that closed without the
amend shows, or is still open without the change at ``deadline`` (an early answer proves
nothing: REST lags and the order may yet change), settles it as not taken effect:
``OrderChangeNotAppliedError``. The private stream settles it meanwhile too. Nothing is sent.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

from ..errors import ConfigurationError
from ..rest.errors import RestAPIError, RestHTTPError
from .errors import OrderChangeNotAppliedError, OrderNotFoundError
from .reconcile import DEFAULT_INTERVAL, OrderQueries, _adopt_fills, _lookup, reconcile
from .state import OrderView

if TYPE_CHECKING:
    from .tracker import OrderTracker

__all__ = ["settle_change", "settle_order"]

logger = logging.getLogger(__name__)


async def settle_change(
    tracker: OrderTracker,
    rest: OrderQueries,
    order_link_id: str,
    order_id: str,
    *,
    deadline: float,
    interval: float = DEFAULT_INTERVAL,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    clock: Callable[[], float] | None = None,
    end: Callable[[], float] | None = None,
) -> OrderView:
    """Settle the order's unsettled amend or cancel within ``deadline`` seconds.

    Returns the order's state once the change shows (or nothing was unsettled).

    Raises:
        OrderChangeNotAppliedError: proven not to have taken effect (``order`` says how).
        OrderNotFoundError: REST never showed the order: still unknown.
        RestAPIError, RestHTTPError: the last lookup failed, so nothing is proven.
    """
    now = clock or asyncio.get_running_loop().time
    start = now()
    end_at, queries = end or (lambda: start + deadline), 0
    while True:
        view = tracker.get(order_link_id, order_id=order_id)
        if view is None:
            raise ConfigurationError(f"order {order_link_id or order_id!r} is not tracked")
        pending = view.unsettled
        if pending is None:
            return view  # the stream or a lookup showed it
        if view.phase == "closed":
            break  # closed without the amend showing: it can no longer take effect
        queries += 1
        query = _query(view, pending.params)
        try:
            order = await _lookup(rest, query)
        except (RestAPIError, RestHTTPError) as error:
            if now() >= end_at():
                raise
            logger.warning("settling %s of %s: lookup failed (%s)", pending.op, query, error)
            order = None
        if order is not None:
            tracker.adopt(order)
            await _adopt_fills(tracker, rest, query)
            order_id = order_id or str(order.get("orderId") or "")
            adopted = tracker.get(order_link_id, order_id=order_id)
            if adopted is None or adopted.unsettled is None or adopted.phase == "closed":
                continue  # settled either way: say so at once
        if now() >= end_at():
            if order is None:
                raise OrderNotFoundError(
                    pending.op, order_link_id or order_id, queries, now() - start
                )
            break  # shown without the change up to the deadline
        await sleep(max(0.0, min(interval, end_at() - now())))
    view = tracker.get(order_link_id, order_id=order_id) or view
    tracker.settle_unsettled(view.order_link_id, view.order_id, pending)
    raise OrderChangeNotAppliedError(pending.op, view, queries, now() - start)


def _query(view: OrderView, params: Mapping[str, Any]) -> dict[str, Any]:
    category = view.category or str(params.get("category") or "")
    symbol = view.symbol or str(params.get("symbol") or "")
    if not category or not symbol:
        raise ConfigurationError(
            f"order {view.order_link_id or view.order_id!r}: no category/symbol is known to "
            "look it up (its request carried none)"
        )
    query: dict[str, Any] = {"category": category, "symbol": symbol}
    if view.order_id:
        query["orderId"] = view.order_id
    else:
        query["orderLinkId"] = view.order_link_id
    return query


async def settle_order(
    tracker: OrderTracker,
    order_link_id: str,
    order_id: str,
    *,
    deadline: float,
    interval: float,
    category: str | None = None,
    symbol: str | None = None,
    end: Callable[[], float] | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    clock: Callable[[], float] | None = None,
) -> OrderView:
    """What ``OrderTracker.reconcile`` does: settle an unknown create (``reconcile``), then an
    unsettled amend or cancel (``settle_change``); ``end``/``sleep``/``clock`` for a run."""
    view = tracker.get(order_link_id, order_id=order_id)
    if not order_link_id and view is not None:
        order_link_id = view.order_link_id
    if view is None or view.phase == "unknown" or view.unsettled is None:
        if not order_link_id:
            raise ConfigurationError(
                f"reconcile(order_id={order_id!r}): the tracker does not know this order "
                "by its orderLinkId; pass the orderLinkId the create carried"
            )
        view = await reconcile(
            tracker,
            tracker.rest_queries(),
            order_link_id,
            deadline=deadline,
            interval=interval,
            category=category,
            symbol=symbol,
            end=end,
            sleep=sleep,
            clock=clock,
        )
    if view.unsettled is None:
        return view
    return await settle_change(
        tracker,
        tracker.rest_queries(),
        view.order_link_id,
        view.order_id,
        deadline=deadline,
        interval=interval,
        end=end,
        sleep=sleep,
        clock=clock,
    )
