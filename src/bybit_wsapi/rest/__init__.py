"""A minimal signed REST client for Bybit's order queries (reconciliation after a lost reply)."""

from .client import DEMO_URL, MAINNET_URL, TESTNET_URL, RestClient
from .errors import RestAPIError, RestHTTPError, RestPagesLeftError
from .pages import DEFAULT_MAX_PAGES, follow_pages
from .signing import query_string, sign_payload
from .types import (
    ExecutionListResult,
    ExecutionQuery,
    OrderHistoryQuery,
    OrderListResult,
    OrderQuery,
)

__all__ = [
    "DEFAULT_MAX_PAGES",
    "DEMO_URL",
    "MAINNET_URL",
    "TESTNET_URL",
    "ExecutionListResult",
    "ExecutionQuery",
    "OrderHistoryQuery",
    "OrderListResult",
    "OrderQuery",
    "RestAPIError",
    "RestClient",
    "RestHTTPError",
    "RestPagesLeftError",
    "follow_pages",
    "query_string",
    "sign_payload",
]
