"""``RestClient``: Bybit's V5 order queries over signed GETs (httpx).

It only reads (``/v5/order/realtime``, ``/v5/order/history``, ``/v5/execution/list``, each also
walked page by page, and the public ``/v5/market/time`` to sync the clock): it is what
reconciliation needs after a trade request's reply was lost, and never places an order.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator
from types import TracebackType
from typing import Any, Final, Self, Unpack, cast

import httpx
from bybit_wsapi_generated import ServerTimeResultV5
from bybit_wsapi_generated.rest import REST_PATHS

from ..errors import ConfigurationError, corrected_offset_ms
from ..retcodes import RetCode
from ..signing import KeyType, SignHook, make_signer
from ..wire import (
    API_KEY_KEY,
    LIMIT_KEY,
    LIMIT_RESET_KEY,
    LIMIT_STATUS_KEY,
    RECV_WINDOW_KEY,
    SIGN_KEY,
    TIMESTAMP_KEY,
)
from .errors import RestAPIError, RestHTTPError
from .pages import DEFAULT_MAX_PAGES, follow_pages
from .signing import query_string, sign_payload
from .types import (
    ExecutionListResult,
    ExecutionQuery,
    OrderHistoryQuery,
    OrderListResult,
    OrderQuery,
)

__all__ = ["DEMO_URL", "MAINNET_URL", "TESTNET_URL", "RestClient"]

logger = logging.getLogger(__name__)

MAINNET_URL: Final = "https://api.bybit.com"
TESTNET_URL: Final = "https://api-testnet.bybit.com"
DEMO_URL: Final = "https://api-demo.bybit.com"
DEFAULT_RECV_WINDOW_MS: Final = 5000
DEFAULT_TIMEOUT: Final = 10.0
TIME_PATH: Final = REST_PATHS["get_server_time"]


class RestClient:
    """Signed V5 REST order queries (Node: ``RestClientV5``'s ``getActiveOrders``...).

    ``secret`` is the API secret or a PEM RSA private key (``key_type``, ``secret_passphrase``
    as for ``WebsocketClient``); or give ``sign=`` (a hook). ``base_url`` defaults to mainnet
    (``testnet=True``: testnet). A clock off by a second or more gets 10002: ``await
    sync_time()`` (or ``set_time_offset_ms``) corrects the timestamps it signs.
    """

    def __init__(
        self,
        *,
        key: str,
        secret: str | None = None,
        key_type: KeyType | None = None,
        secret_passphrase: str | bytes | None = None,
        sign: SignHook | None = None,
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
        self._time_offset_ms = 0
        self._signer = make_signer(
            secret,
            key_type=key_type,
            secret_passphrase=secret_passphrase,
            sign=sign,
            sign_timeout=timeout,
        )
        self._http = httpx.AsyncClient(timeout=timeout, transport=transport)

    def __repr__(self) -> str:
        return f"<RestClient key={self.key[:4]}… {self.base_url}>"

    async def get_open_orders(self, **params: Unpack[OrderQuery]) -> OrderListResult:
        """``GET /v5/order/realtime``: open orders, and by id the recently closed ones too."""
        return cast(OrderListResult, await self.get(REST_PATHS["get_open_orders"], dict(params)))

    async def get_order_history(self, **params: Unpack[OrderHistoryQuery]) -> OrderListResult:
        """``GET /v5/order/history``: closed orders (delayed; Bybit's retention rules apply)."""
        return cast(OrderListResult, await self.get(REST_PATHS["get_order_history"], dict(params)))

    async def get_executions(self, **params: Unpack[ExecutionQuery]) -> ExecutionListResult:
        """``GET /v5/execution/list``: fills, newest first."""
        return cast(ExecutionListResult, await self.get(REST_PATHS["get_executions"], dict(params)))

    def open_order_pages(
        self, *, max_pages: int = DEFAULT_MAX_PAGES, **params: Unpack[OrderQuery]
    ) -> AsyncIterator[OrderListResult]:
        """Every page of ``get_open_orders(**params)``, following ``nextPageCursor``.

        Raises ``RestPagesLeftError`` when pages remain after ``max_pages``.
        """
        return follow_pages(self.get_open_orders, params, max_pages=max_pages)

    def order_history_pages(
        self, *, max_pages: int = DEFAULT_MAX_PAGES, **params: Unpack[OrderHistoryQuery]
    ) -> AsyncIterator[OrderListResult]:
        """Every page of ``get_order_history(**params)`` (as ``open_order_pages``)."""
        return follow_pages(self.get_order_history, params, max_pages=max_pages)

    def execution_pages(
        self, *, max_pages: int = DEFAULT_MAX_PAGES, **params: Unpack[ExecutionQuery]
    ) -> AsyncIterator[ExecutionListResult]:
        """Every page of ``get_executions(**params)`` (as ``open_order_pages``)."""
        return follow_pages(self.get_executions, params, max_pages=max_pages)

    async def get_server_time(self) -> ServerTimeResultV5:
        """``GET /v5/market/time`` (public, unsigned): Bybit's clock, ``timeSecond``/``timeNano``."""
        return cast(ServerTimeResultV5, await self._request(TIME_PATH, "", {}))

    def set_time_offset_ms(self, offset_ms: int) -> None:
        """Add ``offset_ms`` (server minus local clock) to every timestamp signed from now on."""
        self._time_offset_ms = int(offset_ms)

    def get_time_offset_ms(self) -> int:
        return self._time_offset_ms

    async def sync_time(self) -> int:
        """Measure the offset to Bybit's clock (``GET /v5/market/time``, public) and use it.

        The offset is the server's time minus the local time at the middle of the round trip
        (as the Node SDK's time sync); returned in ms.

        Raises:
            RestAPIError, RestHTTPError: the time query failed (the offset is unchanged).
        """
        sent_ns = time.time_ns()
        result = await self.get_server_time()
        received_ns = time.time_ns()
        nano = str(result.get("timeNano", ""))  # typed, but checked: the offset signs all
        if not nano.isdigit():
            raise RestHTTPError(TIME_PATH, 200, f"no timeNano in the result: {result}")
        offset = int(nano) // 1_000_000 - (sent_ns + received_ns) // 2_000_000
        logger.info("time offset to %s: %d ms", self.base_url, offset)
        self._time_offset_ms = offset
        return offset

    async def get(self, path: str, params: dict[str, object]) -> dict[str, Any]:
        """One signed GET; its ``result``.

        Raises:
            RestAPIError: ``retCode != 0``.
            RestHTTPError: a non-200 status, a body that is no envelope, or no response.
        """
        query = query_string(params)
        timestamp = time.time_ns() // 1_000_000 + self._time_offset_ms
        signature = await self._signer.sign(
            sign_payload(timestamp, self.key, self.recv_window_ms, query)
        )
        headers = {
            API_KEY_KEY: self.key,
            TIMESTAMP_KEY: str(timestamp),
            RECV_WINDOW_KEY: str(self.recv_window_ms),
            SIGN_KEY: signature,
        }
        return await self._request(path, query, headers, timestamp)

    async def _request(
        self, path: str, query: str, headers: dict[str, str], signed_ms: int | None = None
    ) -> dict[str, Any]:
        """GET ``path?query``; the ``result`` of a ``retCode`` 0 answer."""
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
            server_ms = body.get("time")
            limits = _limits(response.headers, server_ms)
            advice = None
            if ret_code == RetCode.REQUEST_EXPIRED and signed_ms is not None:
                advice = self._clock_advice(server_ms, signed_ms)
            msg = str(body.get("retMsg", ""))
            raise RestAPIError(path, int(ret_code), msg, body, limits, clock_advice=advice)
        result = body.get("result")
        return result if isinstance(result, dict) else {}

    def _clock_advice(self, server_ms: object, signed_ms: int) -> str:
        """What to call on this client after a 10002."""
        advice = (
            "On this RestClient: client.sync_time() (awaited, on the async client) measures the "
            f"offset from GET {TIME_PATH} and uses it"
        )
        if isinstance(server_ms, int):
            ahead = server_ms - signed_ms
            fix = corrected_offset_ms(self._time_offset_ms, server_ms, signed_ms)
            return (
                f"{advice}; or client.set_time_offset_ms({fix}): the "
                f"server's clock was {ahead} ms ahead of the signed timestamp (offset now "
                f"{self._time_offset_ms} ms)."
            )
        return f"{advice}."

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
    (LIMIT_KEY, "rateLimit"),
    (LIMIT_STATUS_KEY, "rateLimitRemaining"),
    (LIMIT_RESET_KEY, "rateLimitResetMs"),
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
