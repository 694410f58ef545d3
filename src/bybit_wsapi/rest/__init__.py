"""A minimal signed REST client for Bybit's order queries (reconciliation after a lost reply)."""

from .client import DEMO_URL, MAINNET_URL, TESTNET_URL, RestClient
from .errors import RestAPIError, RestHTTPError
from .signing import query_string, sign_payload
from .types import ExecutionListResult, ExecutionQuery, OrderListResult, OrderQuery

__all__ = [
    "DEMO_URL",
    "MAINNET_URL",
    "TESTNET_URL",
    "ExecutionListResult",
    "ExecutionQuery",
    "OrderListResult",
    "OrderQuery",
    "RestAPIError",
    "RestClient",
    "RestHTTPError",
    "query_string",
    "sign_payload",
]
