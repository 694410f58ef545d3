"""``RestClient``: Bybit's V5 order queries over signed GETs (httpx).

It only reads (``/v5/order/realtime``, ``/v5/order/history``, ``/v5/execution/list``): it is
what reconciliation needs after a trade request's reply was lost, and never places an order.
"""

from __future__ import annotations

import json
import logging
import time
from types import TracebackType
from typing import Any, Final, Self, Unpack, cast

import httpx

from ..errors import ConfigurationError
from ..signing import make_signer
from .errors import RestAPIError, RestHTTPError
from .signing import query_string, sign_payload
from .types import ExecutionListResult, ExecutionQuery, OrderListResult, OrderQuery

__all__ = ["DEMO_URL", "MAINNET_URL", "TESTNET_URL", "RestClient"]

logger = logging.getLogger(__name__)

MAINNET_URL: Final = "https://api.bybit.com"
TESTNET_URL: Final = "https://api-testnet.bybit.com"
DEMO_URL: Final = "https://api-demo.bybit.com"
DEFAULT_RECV_WINDOW_MS: Final = 5000
DEFAULT_TIMEOUT: Final = 10.0


class RestClient:
    """Signed V5 REST order queries (Node: ``RestClientV5``'s ``getActiveOrders``...).

    ``secret`` is the API secret or a PEM RSA private key; or give ``sign=`` (a hook), as for
    ``WebsocketClient``. ``base_url`` defaults to mainnet (``testnet=True``: testnet).
    """

    def __init__(
        self,
        *,
        key: str,
        secret: str | None = None,
        sign: Any = None,
        base_url: str | None = None,
        testnet: bool = False,
        recv_window_ms: int = DEFAULT_RECV_WINDOW_MS,
        timeout: float = DEFAULT_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if not key:
            raise ConfigurationError("key (the API key) is required")
        if not 0 < recv_window_ms <= 60_000:
            raise ConfigurationError("recv_window_ms must be in (0, 60000]")
        self.key = key
        self.recv_window_ms = recv_window_ms
        self.base_url = (base_url or (TESTNET_URL if testnet else MAINNET_URL)).rstrip("/")
        self.time_offset_ms = 0
        self._signer = make_signer(secret, sign=sign, sign_timeout=timeout)
        self._http = httpx.AsyncClient(timeout=timeout, transport=transport)

    def __repr__(self) -> str:
        return f"<RestClient key={self.key[:4]}… {self.base_url}>"

    async def get_open_orders(self, **params: Unpack[OrderQuery]) -> OrderListResult:
        """``GET /v5/order/realtime``: open orders, and by id the recently closed ones too."""
        return cast(OrderListResult, await self.get("/v5/order/realtime", dict(params)))

    async def get_order_history(self, **params: Unpack[OrderQuery]) -> OrderListResult:
        """``GET /v5/order/history``: closed orders (delayed; Bybit's retention rules apply)."""
        return cast(OrderListResult, await self.get("/v5/order/history", dict(params)))

    async def get_executions(self, **params: Unpack[ExecutionQuery]) -> ExecutionListResult:
        """``GET /v5/execution/list``: fills, newest first."""
        return cast(ExecutionListResult, await self.get("/v5/execution/list", dict(params)))

    async def get(self, path: str, params: dict[str, object]) -> dict[str, Any]:
        """One signed GET; its ``result``.

        Raises:
            RestAPIError: ``retCode != 0``.
            RestHTTPError: a non-200 status, a body that is no envelope, or no response.
        """
        query = query_string(params)
        timestamp = time.time_ns() // 1_000_000 + self.time_offset_ms
        signature = await self._signer.sign(
            sign_payload(timestamp, self.key, self.recv_window_ms, query)
        )
        headers = {
            "X-BAPI-API-KEY": self.key,
            "X-BAPI-TIMESTAMP": str(timestamp),
            "X-BAPI-RECV-WINDOW": str(self.recv_window_ms),
            "X-BAPI-SIGN": signature,
        }
        url = f"{self.base_url}{path}" + (f"?{query}" if query else "")
        try:
            response = await self._http.get(url, headers=headers)
        except httpx.HTTPError as error:
            raise RestHTTPError(path, None, f"{type(error).__name__}: {error}") from None
        if response.status_code != 200:
            raise RestHTTPError(path, response.status_code, response.text)
        try:
            body = json.loads(response.text)
            ret_code = body["retCode"]
        except (ValueError, KeyError, TypeError):
            raise RestHTTPError(path, 200, f"not a Bybit envelope: {response.text}") from None
        if ret_code != 0:
            limits = _limits(response.headers, body.get("time"))
            raise RestAPIError(path, int(ret_code), str(body.get("retMsg", "")), body, limits)
        result = body.get("result")
        return result if isinstance(result, dict) else {}

    async def close(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


_LIMIT_HEADERS: Final = (
    ("X-Bapi-Limit", "rateLimit"),
    ("X-Bapi-Limit-Status", "rateLimitRemaining"),
    ("X-Bapi-Limit-Reset-Timestamp", "rateLimitResetMs"),
)


def _limits(headers: httpx.Headers, server_ms: object) -> dict[str, int]:
    """The rate-limit headers, named as the WS reply's ``meta`` names them."""
    limits = {
        name: int(value)
        for header, name in _LIMIT_HEADERS
        if (value := headers.get(header, "")).isdigit()
    }
    if isinstance(server_ms, int):
        limits["serverTimeMs"] = server_ms
    return limits
