"""The REST queries' parameters and results under their first names: the generated types.

``schema/rest_api.yaml`` defines them (``bybit_wsapi_generated``); nothing is typed here.
"""

from typing import TypeAlias

from bybit_wsapi_generated import (
    ExecutionListParamsV5,
    ExecutionListResultV5,
    OpenOrdersParamsV5,
    OrderHistoryParamsV5,
    OrderListResultV5,
)

__all__ = [
    "ExecutionListResult",
    "ExecutionQuery",
    "OrderHistoryQuery",
    "OrderListResult",
    "OrderQuery",
]

OrderQuery: TypeAlias = OpenOrdersParamsV5
"""``GET /v5/order/realtime`` parameters."""
OrderHistoryQuery: TypeAlias = OrderHistoryParamsV5
"""``GET /v5/order/history`` parameters."""
ExecutionQuery: TypeAlias = ExecutionListParamsV5
"""``GET /v5/execution/list`` parameters."""
OrderListResult: TypeAlias = OrderListResultV5
"""``result`` of both order queries."""
ExecutionListResult: TypeAlias = ExecutionListResultV5
"""``result`` of ``/v5/execution/list``."""
