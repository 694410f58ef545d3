"""The REST queries' parameters and results, typed (the order objects are the generated ones)."""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict

from bybit_wsapi_generated import CategoryV5, ExecutionV5, OrderStatusV5, OrderV5

__all__ = ["ExecutionListResult", "ExecutionQuery", "OrderListResult", "OrderQuery"]


class OrderQuery(TypedDict):
    """``GET /v5/order/realtime`` and ``/v5/order/history`` parameters."""

    category: CategoryV5
    symbol: NotRequired[str]
    baseCoin: NotRequired[str]
    settleCoin: NotRequired[str]
    orderId: NotRequired[str]
    orderLinkId: NotRequired[str]
    openOnly: NotRequired[Literal[0, 1]]
    """realtime only: 0 open orders, 1 the recent closed ones (ignored with an id)."""
    orderFilter: NotRequired[str]
    orderStatus: NotRequired[OrderStatusV5]
    """history only."""
    startTime: NotRequired[int]
    endTime: NotRequired[int]
    limit: NotRequired[int]
    cursor: NotRequired[str]


class ExecutionQuery(TypedDict):
    """``GET /v5/execution/list`` parameters (an id makes Bybit ignore the others)."""

    category: CategoryV5
    symbol: NotRequired[str]
    orderId: NotRequired[str]
    orderLinkId: NotRequired[str]
    startTime: NotRequired[int]
    endTime: NotRequired[int]
    execType: NotRequired[str]
    limit: NotRequired[int]
    cursor: NotRequired[str]


class OrderListResult(TypedDict):
    """``result`` of the order queries: newest first; ``nextPageCursor`` ``""`` on the last."""

    category: CategoryV5
    list: list[OrderV5]
    nextPageCursor: str


class ExecutionListResult(TypedDict):
    """``result`` of ``/v5/execution/list``: newest first."""

    category: CategoryV5
    list: list[ExecutionV5]
    nextPageCursor: str
