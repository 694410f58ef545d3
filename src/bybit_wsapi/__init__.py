"""bybit-wsapi: a typed async client for Bybit's V5 WebSocket trade API (``/v5/trade``).

Everything public is importable from here: the generated types (``OrderParamsV5``,
``WSAPIResponse``, ``WSAPIOperation``, ``WS_KEY_MAP``, ...), the clients and the errors.
The local test server lives in ``bybit_wsapi.server`` (imported only when used).
"""

from bybit_wsapi_generated import *  # noqa: F403
from bybit_wsapi_generated import __all__ as _generated_all

from .batch import BatchItemFailure, failed_items
from .client import WebsocketAPIClient, WebsocketClient
from .endpoints import MAINNET_URL, TESTNET_URL
from .errors import (
    AuthenticationError,
    BybitWSError,
    ConfigurationError,
    RequestError,
    RequestNotSentError,
    RequestOutcomeUnknownError,
    RequestTimeoutError,
    WSAPIError,
    WSConnectionError,
)
from .options import ClientOptions
from .retcodes import RetCode

__all__ = [
    *_generated_all,
    "MAINNET_URL",
    "TESTNET_URL",
    "AuthenticationError",
    "BatchItemFailure",
    "BybitWSError",
    "ClientOptions",
    "ConfigurationError",
    "RequestError",
    "RequestNotSentError",
    "RequestOutcomeUnknownError",
    "RequestTimeoutError",
    "RetCode",
    "WSAPIError",
    "WSConnectionError",
    "WebsocketAPIClient",
    "WebsocketClient",
    "failed_items",
]
