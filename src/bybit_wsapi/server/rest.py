"""The local server's V5 REST (pure): signed GETs over the accounts' orders and fills.

Served on the trade socket's port (``LocalServer`` answers plain HTTP GETs), over the same
accounts, so an order placed on ``/v5/trade`` (even one whose reply a fault dropped) is found
by ``orderLinkId``, and its fills in ``/v5/execution/list``. The queries and their rules are in
:mod:`.rest_queries`; here (shared/bybit-rest-orders.md §2-§3, §10): ``/v5/market/time``
(public); the signature (HMAC hex, or RSA base64 for an account given a public key) checked
over the raw query, the timestamp against the wall clock (``server - recv <= ts < server +
1000``, else 10002); unknown key 10003, bad signature 10004; 50 requests/s per key and path,
else 10006, the ``X-Bapi-Limit*`` headers on every private reply.

Mock choices: ``visibility_delay_ms`` hides orders and fills that young; ``history_delay_ms``
keeps a closed order out of history that long; ``clock_skew_ms`` moves the REST clock (and
``/v5/market/time``) off the wall clock, to exercise 10002 and a client's time sync.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from typing import Final
from urllib.parse import parse_qsl, urlsplit

from bybit_wsapi_generated.rest import REST_ENDPOINTS
from bybit_wsapi_generated.rest import REST_PATHS as ROUTES

from bybit_wsapi.auth import Verifier
from bybit_wsapi.retcodes import RetCode
from bybit_wsapi.wire import (
    API_KEY_KEY,
    LIMIT_KEY,
    LIMIT_RESET_KEY,
    LIMIT_STATUS_KEY,
    RECV_WINDOW_KEY,
    SIGN_KEY,
    TIMESTAMP_KEY,
)

from .account import Account
from .rest_options import RestOptions
from .rest_queries import RefusedError, query

__all__ = ["REST_PATHS", "RestOptions", "RestServer"]

TIME: Final = ROUTES["get_server_time"]
REST_PATHS: Final = frozenset(REST_ENDPOINTS)
Reply = tuple[int, list[tuple[str, str]], str]
_RATE_LIMITS: Final[Mapping[str, int]] = {
    path: rule["rate_limit"] or 0 for path, rule in REST_ENDPOINTS.items()
}
"""Path -> its documented requests per second per UID."""
_FAULT_MESSAGES: Final[Mapping[int, str]] = {
    10000: "Server Timeout",
    RetCode.INTERNAL_ERROR: "Internal system error.",
}


class RestServer:
    """Answers one GET: ``handle(target, headers)`` gives ``(status, headers, body)``."""

    def __init__(
        self,
        accounts: Mapping[str, Account],
        verifiers: Mapping[str, Verifier],
        market_ms: Callable[[], int],
        options: RestOptions | None = None,
        wall_ms: Callable[[], int] = lambda: time.time_ns() // 1_000_000,
    ) -> None:
        self.options = options if options is not None else RestOptions()
        self._accounts = accounts
        self._verifiers = verifiers
        self._market_ms = market_ms
        self._wall_ms = wall_ms
        self._hits: dict[tuple[str, str], list[int]] = {}

    def handle(self, target: str, headers: Mapping[str, str]) -> Reply:
        parts = urlsplit(target)
        path, raw = parts.path, parts.query
        extra: list[tuple[str, str]] = []
        try:
            if path == TIME:
                now = self._now()
                second = str(now // 1000)
                return self._reply(0, "OK", {"timeSecond": second, "timeNano": f"{now}000000"})
            key = self._authenticate(raw, headers)
            extra = self._rate(key, path)
            if self.options.fail_next:
                return self._fail(self.options.fail_next.pop(0), extra)
            params = dict(parse_qsl(raw, keep_blank_values=True))
            result = query(self._accounts[key], path, params, self._market_ms(), self.options)
        except RefusedError as refused:
            return self._reply(refused.code, refused.msg, {}, refused.headers or extra)
        return self._reply(0, "OK", result, extra)

    def _fail(self, code: int, extra: list[tuple[str, str]]) -> Reply:
        """The ``fail_next`` fault: an HTTP error without envelope, or a retCode."""
        if 400 <= code < 600:
            return code, [("Content-Type", "text/plain"), *extra], f"injected HTTP {code}"
        return self._reply(code, _FAULT_MESSAGES.get(code, "injected fault"), {}, extra)

    def _now(self) -> int:
        """The REST clock: the wall clock moved by ``clock_skew_ms``."""
        return self._wall_ms() + self.options.clock_skew_ms

    def _reply(
        self, code: int, msg: str, result: object, extra: list[tuple[str, str]] | None = None
    ) -> Reply:
        body = {"retCode": code, "retMsg": msg, "result": result, "retExtInfo": {}}
        body["time"] = self._now()
        headers = [("Content-Type", "application/json"), *(extra or [])]
        return 200, headers, json.dumps(body, separators=(",", ":"))

    def _authenticate(self, raw: str, headers: Mapping[str, str]) -> str:
        lower = {name.lower(): value for name, value in headers.items()}
        key, stamp = lower.get(API_KEY_KEY.lower(), ""), lower.get(TIMESTAMP_KEY.lower(), "")
        sign, recv = lower.get(SIGN_KEY.lower(), ""), lower.get(RECV_WINDOW_KEY.lower(), "5000")
        verify = self._verifiers.get(key)
        if not key or verify is None:
            raise RefusedError(RetCode.TOO_MANY_SESSIONS, "API key is invalid.")
        if not (stamp.isdigit() and recv.isdigit() and sign):
            raise RefusedError(
                RetCode.PARAM_ERROR,
                f"{TIMESTAMP_KEY}, {RECV_WINDOW_KEY} (digits) and {SIGN_KEY} are required",
            )
        now, ts, window = self._now(), int(stamp), int(recv)
        if not now - window <= ts < now + 1000:
            raise RefusedError(
                RetCode.REQUEST_EXPIRED,
                "invalid request, please check your server timestamp or recv_window param. "
                f"req_timestamp[{ts}],server_timestamp[{now}],recv_window[{window}]",
            )
        signed = f"{stamp}{key}{recv}{raw}"
        if not (sign.isascii() and verify(signed, sign)):
            raise RefusedError(
                RetCode.INVALID_SIGNATURE,
                "Error sign, please check your signature generation algorithm: "
                f"origin_string[***{raw}]",
            )
        return key

    def _rate(self, key: str, path: str) -> list[tuple[str, str]]:
        now, limit = self._now(), self.options.rate_limit
        if limit is None:
            limit = _RATE_LIMITS[path]
        hits = [t for t in self._hits.get((key, path), []) if t > now - 1000]
        refused = len(hits) >= limit
        if not refused:
            hits.append(now)
        self._hits[(key, path)] = hits
        reset = hits[0] + 1000 if refused and hits else now
        extra = [
            (LIMIT_KEY, str(limit)),
            (LIMIT_STATUS_KEY, str(max(limit - len(hits), 0))),
            (LIMIT_RESET_KEY, str(reset)),
        ]
        if refused:
            raise RefusedError(RetCode.TOO_MANY_VISITS, "Too many visits!", extra)
        return extra
