"""The local server's V5 REST order queries (pure): signed GETs over the accounts' orders.

Served on the trade socket's port (``LocalServer`` answers plain HTTP GETs), over the same
accounts, so an order placed on ``/v5/trade`` (even one whose reply a fault dropped) is found
by ``orderLinkId``. Bybit's rules (shared/bybit-rest-orders.md §4-§5, §10):

- ``/v5/order/realtime``: open orders; with ``openOnly=1`` the most recent ``closed_buffer``
  (500) closed orders per category; an id lookup sees both (``openOnly`` ignored). Linear needs
  ``symbol``, ``baseCoin`` or ``settleCoin``. Newest first, ``limit`` 1..50 (20).
- ``/v5/order/history``: closed orders in ``[startTime, endTime]`` (7 days at most, the last 7
  by default); ``Cancelled``/``Rejected``/``Deactivated`` only for 24 h, others 7 days, older
  only if they filled.
- Mock choices: ``visibility_delay_ms`` hides orders that young from both; ``history_delay_ms``
  keeps a closed order out of history that long; time is the market clock; the signature is
  checked over the raw query, the timestamp against the wall clock
  (``server - recv <= ts < server + 1000``); 50 requests/s per key and path, else 10006.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Final
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from bybit_wsapi.auth import Verifier
from bybit_wsapi.retcodes import RetCode

from .account import Account
from .orders import OPEN, STATUS

__all__ = ["REST_PATHS", "RestOptions", "RestServer"]

REST_PATHS: Final = frozenset(
    {"/v5/market/time", "/v5/order/realtime", "/v5/order/history", "/v5/execution/list"}
)
_DAY_MS: Final = 86_400_000
_SHORT_LIVED: Final = frozenset({"Cancelled", "Rejected", "Deactivated"})
_CATEGORIES: Final = ("linear", "inverse", "spot", "option")
_PLACEHOLDERS: Final[Mapping[str, object]] = {
    "avgPrice": "",
    "cumExecQty": "0",
    "cumExecValue": "0",
    "cumExecFee": "0",
    "cancelType": "UNKNOWN",
    "rejectReason": "EC_NoError",
    "smpType": "None",
    "cumFeeDetail": {},
}

Reply = tuple[int, list[tuple[str, str]], str]


@dataclass
class RestOptions:
    """The REST mock's switches (live: change them on ``LocalServer.rest.options``)."""

    visibility_delay_ms: int = 0
    history_delay_ms: int = 0
    closed_buffer: int = 500
    rate_limit: int = 50


class _RefusedError(Exception):
    def __init__(self, code: int, msg: str, headers: list[tuple[str, str]] | None = None) -> None:
        super().__init__(code, msg)
        self.code, self.msg, self.headers = code, msg, headers


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
            if path == "/v5/market/time":
                now = self._wall_ms()
                second = str(now // 1000)
                return self._reply(0, "OK", {"timeSecond": second, "timeNano": f"{now}000000"})
            key = self._authenticate(raw, headers)
            extra = self._rate(key, path)
            params = dict(parse_qsl(raw, keep_blank_values=True))
            result = self._query(self._accounts[key], path, params)
        except _RefusedError as refused:
            return self._reply(refused.code, refused.msg, {}, refused.headers or extra)
        return self._reply(0, "OK", result, extra)

    def _reply(
        self, code: int, msg: str, result: object, extra: list[tuple[str, str]] | None = None
    ) -> Reply:
        body = {"retCode": code, "retMsg": msg, "result": result, "retExtInfo": {}}
        body["time"] = self._wall_ms()
        headers = [("Content-Type", "application/json"), *(extra or [])]
        return 200, headers, json.dumps(body, separators=(",", ":"))

    def _authenticate(self, raw: str, headers: Mapping[str, str]) -> str:
        lower = {name.lower(): value for name, value in headers.items()}
        key, stamp = lower.get("x-bapi-api-key", ""), lower.get("x-bapi-timestamp", "")
        sign, recv = lower.get("x-bapi-sign", ""), lower.get("x-bapi-recv-window", "5000")
        verify = self._verifiers.get(key)
        if not key or verify is None:
            raise _RefusedError(RetCode.TOO_MANY_SESSIONS, "API key is invalid.")
        if not (stamp.isdigit() and recv.isdigit() and sign):
            raise _RefusedError(
                RetCode.PARAM_ERROR,
                "X-BAPI-TIMESTAMP, X-BAPI-RECV-WINDOW (digits) and X-BAPI-SIGN are required",
            )
        now, ts, window = self._wall_ms(), int(stamp), int(recv)
        if not now - window <= ts < now + 1000:
            raise _RefusedError(
                RetCode.REQUEST_EXPIRED,
                "invalid request, please check your server timestamp or recv_window param. "
                f"req_timestamp[{ts}],server_timestamp[{now}],recv_window[{window}]",
            )
        signed = f"{stamp}{key}{recv}{raw}"
        if not (sign.isascii() and verify(signed, sign)):
            raise _RefusedError(
                RetCode.INVALID_SIGNATURE,
                "Error sign, please check your signature generation algorithm: "
                f"origin_string[***{raw}]",
            )
        return key

    def _rate(self, key: str, path: str) -> list[tuple[str, str]]:
        now, limit = self._wall_ms(), self.options.rate_limit
        hits = [t for t in self._hits.get((key, path), []) if t > now - 1000]
        refused = len(hits) >= limit
        if not refused:
            hits.append(now)
        self._hits[(key, path)] = hits
        reset = hits[0] + 1000 if refused and hits else now
        extra = [
            ("X-Bapi-Limit", str(limit)),
            ("X-Bapi-Limit-Status", str(max(limit - len(hits), 0))),
            ("X-Bapi-Limit-Reset-Timestamp", str(reset)),
        ]
        if refused:
            raise _RefusedError(RetCode.TOO_MANY_VISITS, "Too many visits!", extra)
        return extra

    # ---- the queries ----------------------------------------------------------------------

    def _query(self, account: Account, path: str, params: dict[str, str]) -> dict[str, Any]:
        category = params.get("category", "")
        if category not in _CATEGORIES:
            raise _RefusedError(RetCode.PARAM_ERROR, f"category: one of {', '.join(_CATEGORIES)}")
        high = 100 if path == "/v5/execution/list" else 50
        limit_text = params.get("limit", "50" if high == 100 else "20")
        if not (limit_text.isdigit() and 1 <= int(limit_text) <= high):
            raise _RefusedError(RetCode.PARAM_ERROR, f"limit: an integer in [1, {high}]")
        if path == "/v5/execution/list":
            rows: list[dict[str, object]] = []  # the mock keeps no execution log (yet)
        else:
            now = self._market_ms()
            orders = [
                _wire(order)
                for order in reversed(account.orders())  # ties in time: newest first
                if order.get("category") == category
                and _ms(order, "createdTime") <= now - self.options.visibility_delay_ms
            ]
            orders.sort(key=lambda o: _ms(o, "createdTime"), reverse=True)
            if path == "/v5/order/realtime":
                rows = self._realtime(category, orders, params)
            else:
                rows = self._history(orders, params, now)
        return _page(category, rows, params, int(limit_text))

    def _realtime(
        self, category: str, orders: list[dict[str, object]], params: dict[str, str]
    ) -> list[dict[str, object]]:
        by_id = bool(params.get("orderId") or params.get("orderLinkId"))
        if category == "linear" and not any(
            params.get(k) for k in ("symbol", "baseCoin", "settleCoin")
        ):
            raise _RefusedError(RetCode.PARAM_ERROR, "symbol, baseCoin or settleCoin is required")
        live = [o for o in orders if o.get("orderStatus") in OPEN]
        closed = sorted(
            (o for o in orders if o.get("orderStatus") not in OPEN),
            key=lambda o: _ms(o, "updatedTime"),
            reverse=True,
        )[: self.options.closed_buffer]
        if by_id:
            view = live + closed
        elif params.get("openOnly") == "1":
            view = closed
        else:
            view = live
        view.sort(key=lambda o: _ms(o, "createdTime"), reverse=True)
        return _matching(view, params)

    def _history(
        self, orders: list[dict[str, object]], params: dict[str, str], now: int
    ) -> list[dict[str, object]]:
        start, end = params.get("startTime", ""), params.get("endTime", "")
        if (start and not start.isdigit()) or (end and not end.isdigit()):
            raise _RefusedError(RetCode.PARAM_ERROR, "startTime and endTime: integers (ms)")
        week = 7 * _DAY_MS
        low = int(start) if start else (int(end) - week if end else now - week)
        high = int(end) if end else (low + week if start else now)
        if high - low > week:
            raise _RefusedError(RetCode.PARAM_ERROR, "endTime - startTime must be at most 7 days")

        def kept(order: Mapping[str, object]) -> bool:
            status, closed_ms = order.get("orderStatus"), _ms(order, "updatedTime")
            if status in OPEN or closed_ms > now - self.options.history_delay_ms:
                return False
            age = now - closed_ms
            filled = _filled(order)
            if status in _SHORT_LIVED and not filled:
                return age <= _DAY_MS
            return age <= week or filled

        return _matching(
            [o for o in orders if kept(o) and low <= _ms(o, "createdTime") <= high], params
        )


def _matching(
    orders: list[dict[str, object]], params: Mapping[str, str]
) -> list[dict[str, object]]:
    """Bybit's key priority: orderId > orderLinkId > symbol (others are ignored with an id)."""
    for key in ("orderId", "orderLinkId"):
        if params.get(key):
            return [o for o in orders if o.get(key) == params[key]]
    for key in ("symbol", "orderStatus"):
        if params.get(key):
            orders = [o for o in orders if o.get(key) == params[key]]
    return orders


def _page(
    category: str, rows: list[dict[str, object]], params: Mapping[str, str], limit: int
) -> dict[str, Any]:
    cursor = params.get("cursor", "")
    while "%" in cursor:  # sent back raw or encoded once more: both mean the same page
        cursor = unquote(cursor)
    offset = int(cursor.split("=", 1)[1]) if cursor.startswith("offset=") else 0
    page = rows[offset : offset + limit]
    more = offset + limit < len(rows)
    following = quote(f"offset={offset + limit}", safe="") if more else ""
    return {"category": category, "list": page, "nextPageCursor": following}


def _wire(record: Mapping[str, object]) -> dict[str, object]:
    """The account's order record as Bybit's order object (status under ``orderStatus``)."""
    order = {**_PLACEHOLDERS, **record, "orderStatus": record.get(STATUS)}
    order.pop(STATUS, None)
    return order


def _filled(order: Mapping[str, object]) -> bool:
    try:
        return Decimal(str(order.get("cumExecQty") or "0")) > 0
    except InvalidOperation:
        return False


def _ms(order: Mapping[str, object], key: str) -> int:
    value = order.get(key)
    return int(value) if isinstance(value, str) and value.isdigit() else 0
