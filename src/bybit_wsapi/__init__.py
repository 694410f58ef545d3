"""bybit-wsapi: a typed async client for Bybit's V5 WebSocket trade API (``/v5/trade``).

Everything public is importable from here: the generated types (``OrderParamsV5``,
``WSAPIResponse``, ``WSAPIOperation``, ``WS_KEY_MAP``, ...) and the hand-written runtime.
"""

from bybit_wsapi_generated import *  # noqa: F403
from bybit_wsapi_generated import __all__ as _generated_all

__all__ = [*_generated_all]
