# Generated from ws_api.yaml, ws_streams.yaml, rest_api.yaml (sha256 95f76c9f1769faa46527bbfced197b6a559c0ec9c81bf65148990df76bd58e50) by codegen. DO NOT EDIT: change the spec or codegen/templates, then run `make generate`.
"""Bybit's V5 REST endpoints as plain data: path, HTTP method, query and result types, limits.

The REST client (``bybit_wsapi.rest``) and the local server both read this table, so no path,
page size or rate limit is written twice. The query and result ``TypedDict`` models are in
``models``; ``tables.OBJECT_RULES`` holds their fields for runtime checks. ``RestQueries`` is
the typed call surface: one method per endpoint, which the REST client implements.
"""

from collections.abc import Mapping
from typing import Final, Literal, Protocol, TypeAlias, TypedDict, Unpack

from .models import (
    ExecutionListParamsV5,
    ExecutionListResultV5,
    OpenOrdersParamsV5,
    OrderHistoryParamsV5,
    OrderListResultV5,
    ServerTimeResultV5,
)

__all__ = [
    "REST_ENDPOINTS",
    "REST_PATHS",
    "RestEndpointRule",
    "RestMethod",
    "RestPath",
    "RestQueries",
]

RestPath: TypeAlias = Literal[
    "/v5/order/realtime", "/v5/order/history", "/v5/execution/list", "/v5/market/time"
]
"""Every REST endpoint's path."""

RestMethod: TypeAlias = Literal[
    "get_open_orders", "get_order_history", "get_executions", "get_server_time"
]
"""Each endpoint's snake_case name; the REST client's query methods are named so."""


class RestEndpointRule(TypedDict):
    """One REST endpoint."""

    http_method: Literal["GET", "POST"]
    method: RestMethod
    """Its snake_case name (``get_open_orders``: the REST client's method)."""
    access: Literal["public", "private"]
    """``private``: signed with the API key; ``public``: no key."""
    params: str
    """The model (and ``OBJECT_RULES`` entry) of the query (GET) or body (POST)."""
    result: str
    """The model of the envelope's ``result``."""
    page_max: int | None
    """The largest ``limit`` (page size) it takes; ``None``: not paginated."""
    page_default: int | None
    """The page size without ``limit``."""
    rate_limit: int | None
    """Requests per second per UID (Bybit answers 10006 beyond); ``None``: the IP limit only."""
    time_window_days: int | None
    """The longest ``startTime``..``endTime`` span, and the window when neither is given."""
    require_any_for_categories: Mapping[str, tuple[tuple[str, ...], ...]]
    """Per category: groups of query keys of which at least one must be present."""


REST_ENDPOINTS: Final[Mapping[RestPath, RestEndpointRule]] = {
    # get_open_orders: Open orders, and by id (or with openOnly=1) the most recent 500 closed ones.
    "/v5/order/realtime": {
        "http_method": "GET",
        "method": "get_open_orders",
        "access": "private",
        "params": "OpenOrdersParamsV5",
        "result": "OrderListResultV5",
        "page_max": 50,
        "page_default": 20,
        "rate_limit": 50,
        "time_window_days": None,
        "require_any_for_categories": {"linear": (("symbol", "baseCoin", "settleCoin"),)},
    },
    # get_order_history: Closed orders (delayed; Bybit's retention rules apply).
    "/v5/order/history": {
        "http_method": "GET",
        "method": "get_order_history",
        "access": "private",
        "params": "OrderHistoryParamsV5",
        "result": "OrderListResultV5",
        "page_max": 50,
        "page_default": 20,
        "rate_limit": 50,
        "time_window_days": 7,
        "require_any_for_categories": {},
    },
    # get_executions: Executions (fills), newest first.
    "/v5/execution/list": {
        "http_method": "GET",
        "method": "get_executions",
        "access": "private",
        "params": "ExecutionListParamsV5",
        "result": "ExecutionListResultV5",
        "page_max": 100,
        "page_default": 50,
        "rate_limit": 50,
        "time_window_days": 7,
        "require_any_for_categories": {},
    },
    # get_server_time: Bybit's clock (public, no signature): to measure the offset of the local one.
    "/v5/market/time": {
        "http_method": "GET",
        "method": "get_server_time",
        "access": "public",
        "params": "ServerTimeParamsV5",
        "result": "ServerTimeResultV5",
        "page_max": None,
        "page_default": None,
        "rate_limit": None,
        "time_window_days": None,
        "require_any_for_categories": {},
    },
}
"""Every REST endpoint, by path."""

REST_PATHS: Final[Mapping[RestMethod, RestPath]] = {
    "get_open_orders": "/v5/order/realtime",
    "get_order_history": "/v5/order/history",
    "get_executions": "/v5/execution/list",
    "get_server_time": "/v5/market/time",
}
"""The path of each endpoint, by name."""


class RestQueries(Protocol):
    """One typed method per REST endpoint, named by the table's ``method``: what
    ``bybit_wsapi.rest.RestClient`` implements (and what a stand-in for it must)."""

    async def get_open_orders(self, **params: Unpack[OpenOrdersParamsV5]) -> OrderListResultV5:
        """``GET /v5/order/realtime``: Open orders, and by id (or with openOnly=1) the most recent
        500 closed ones.
        """
        ...

    async def get_order_history(self, **params: Unpack[OrderHistoryParamsV5]) -> OrderListResultV5:
        """``GET /v5/order/history``: Closed orders (delayed; Bybit's retention rules apply)."""
        ...

    async def get_executions(
        self, **params: Unpack[ExecutionListParamsV5]
    ) -> ExecutionListResultV5:
        """``GET /v5/execution/list``: Executions (fills), newest first."""
        ...

    async def get_server_time(self) -> ServerTimeResultV5:
        """``GET /v5/market/time``: Bybit's clock (public, no signature): to measure the offset of
        the local one.
        """
        ...
