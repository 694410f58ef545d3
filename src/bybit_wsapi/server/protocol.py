"""The ``/v5/trade`` protocol without sockets: auth, ping and order ops in, reply frames out.

One :class:`Engine` per server holds the sessions, auth, the envelope and header checks, the
rate limiter and what was received, and dispatches each order op to :mod:`.trading` (parameter
checks, the accounts' orders); one :class:`Session` per connection holds its auth state and
reqIds. Transport faults live in ``app``. Every operation, its parameters, batch caps and rate
limits come from the spec's tables.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Final, NamedTuple

from bybit_wsapi_generated.tables import OBJECT_RULES, OPERATION_RULES

from bybit_wsapi.auth import account_verifier, auth_payload
from bybit_wsapi.retcodes import RetCode
from bybit_wsapi.wire import OP_AUTH, OP_PING

from .config import ServerConfig
from .faults import Faults
from .frames import (
    RECV_WINDOW_KEY,
    TIMESTAMP_KEY,
    FrameError,
    auth_reply,
    decode,
    frame_error,
    milliseconds,
    op_reply,
    pong,
    response_header,
)
from .market import Market
from .ratelimit import RateLimiter, resolve_limit
from .trading import MSG_RATE_LIMITED, Operation, Pending, Trading, error_reply
from .validation import ParamsValidator, describe

__all__ = ["Engine", "Pending", "Received", "Session"]

FUTURE_TOLERANCE_MS: Final = 1000
"""A request timestamp may be at most this far ahead of the server clock (§4)."""
REQ_ID_MAX: Final = 36
HEADER_TYPE: Final = "WSAPIRequestHeaderV5"
_TIMING_KEYS: Final = frozenset((TIMESTAMP_KEY, RECV_WINDOW_KEY))

_MSG_UNAUTHENTICATED: Final = "Permission denied: this connection is not authenticated (send auth)"
_MSG_RESTARTING: Final = "ws trade service is restarting, do not send new request"


class Received(NamedTuple):
    """One order-op request the server accepted for processing."""

    api_key: str
    op: str
    req_id: str | None
    params: dict[str, object]
    """``args[0]`` as sent."""


class Session:
    """The protocol state of one connection."""

    __slots__ = ("_req_ids", "api_key", "conn_id")

    def __init__(self, conn_id: str) -> None:
        self.conn_id = conn_id
        self.api_key: str | None = None
        self._req_ids: dict[str, None] = {}

    def remember(self, req_id: str, memory: int) -> bool:
        """Record ``req_id``; ``False`` if this connection already sent it."""
        req_ids = self._req_ids
        if req_id in req_ids:
            return False
        req_ids[req_id] = None
        if len(req_ids) > memory:
            del req_ids[next(iter(req_ids))]
        return True


class Engine:
    """The protocol of one server: shared by all its connections (not thread-safe)."""

    def __init__(self, config: ServerConfig, faults: Faults) -> None:
        self.config = config
        self.faults = faults
        self.received: list[Received] = []
        self.on_received: Callable[[], None] | None = None
        """Called after each new entry of ``received``."""
        self.validator = ParamsValidator(OBJECT_RULES)
        self.trading = Trading(
            config,
            faults,
            self.validator,
            OPERATION_RULES,
            market=Market(config.market, config.seed if config.seed is not None else 0),
            account_config=config.account,
        )
        """The order ops and every account's orders."""
        self.operations = self.trading.operations
        self._accounts = {key: account_verifier(value) for key, value in config.accounts.items()}
        self._sessions_per_key: dict[str, int] = dict.fromkeys(config.accounts, 0)
        self._limiter = RateLimiter()
        self._ids = random.Random()
        self._connections = 0

    # ---- sessions and state ---------------------------------------------------------------

    def open_session(self) -> Session:
        """A new connection's session, with a Bybit-looking ``connId``."""
        self._connections += 1
        prefix = f"{self._ids.getrandbits(80):020x}"
        return Session(f"{prefix}-{_base36(self._connections)}")

    def close_session(self, session: Session) -> None:
        """Forget a closed connection (frees its slot under ``max_connections_per_key``)."""
        if session.api_key is not None:
            self._sessions_per_key[session.api_key] -= 1
            session.api_key = None

    def orders(self, api_key: str) -> list[dict[str, object]]:
        """Copies of ``api_key``'s orders, oldest first."""
        return self.trading.orders(api_key)

    # ---- frames ---------------------------------------------------------------------------

    def handle(
        self, session: Session, message: str | bytes, now_ms: int
    ) -> dict[str, object] | Pending | None:
        """The reply to one frame, a :class:`Pending` order op, or ``None`` (no reply)."""
        try:
            frame = decode(message)
        except FrameError as exc:
            return frame_error(None, str(exc), "", session.conn_id)
        op = frame.get("op")
        if type(op) is str:
            operation = self.operations.get(op)
            if operation is not None:
                return self._order(session, operation, frame, now_ms)
            if op == OP_PING:
                return None if self.faults.no_pong else pong(now_ms, session.conn_id)
            if op == OP_AUTH:
                return self._auth(session, frame, now_ms)
        req_id = frame.get("reqId")
        echo = req_id if type(req_id) is str else None
        if type(op) is not str:
            problem = "missing" if op is None else f"expected a string, got {describe(op)}"
            return frame_error(echo, f"op: {problem}", "", session.conn_id)
        return op_reply(echo, RetCode.OP_NOT_FOUND, "op type is not found", op, session.conn_id)

    def _auth(self, session: Session, frame: dict[str, object], now_ms: int) -> dict[str, object]:
        req_id = frame.get("reqId")
        echo = req_id if type(req_id) is str else None
        conn_id = session.conn_id
        if session.api_key is not None:
            return auth_reply(
                echo, RetCode.REPEAT_AUTH, "Repeat auth: already authenticated", conn_id
            )
        code, msg, api_key = self.check_auth(frame, now_ms)
        if api_key is None:
            return auth_reply(echo, code, msg, conn_id)
        limit = self.config.max_connections_per_key
        if limit is not None and self._sessions_per_key[api_key] >= limit:
            msg = "Too many sessions under the same UID."
            return auth_reply(echo, RetCode.TOO_MANY_SESSIONS, msg, conn_id)
        session.api_key = api_key
        self._sessions_per_key[api_key] += 1
        return auth_reply(echo, RetCode.OK, "OK", conn_id)

    def check_auth(self, frame: dict[str, object], now_ms: int) -> tuple[int, str, str | None]:
        """``(retCode, retMsg, API key or None)`` of an ``auth`` frame's ``args`` (trade and
        private streams share it): the key, ``expires`` in the future, the signature."""
        if self.faults.reject_auth:
            return RetCode.INVALID_SIGNATURE, "Invalid sign.", None
        args = frame.get("args")
        if not (isinstance(args, list) and len(args) == 3):
            got = describe(args) if "args" in frame else "nothing"
            return (
                RetCode.PARAM_ERROR,
                f"args: expected [apiKey, expires, signature], got {got}",
                None,
            )
        api_key, expires, signature = args
        expires_ms = milliseconds(expires)
        if not isinstance(api_key, str):
            msg = f"args[0] (apiKey): expected a string, got {describe(api_key)}"
            return RetCode.PARAM_ERROR, msg, None
        if expires_ms is None:
            msg = (
                f"args[1] (expires): expected integer ms or a digit string, got {describe(expires)}"
            )
            return RetCode.PARAM_ERROR, msg, None
        if not isinstance(signature, str):
            msg = f"args[2] (signature): expected a string, got {describe(signature)}"
            return RetCode.PARAM_ERROR, msg, None
        verify = self._accounts.get(api_key)
        if verify is None:
            return RetCode.TOO_MANY_SESSIONS, "API key is invalid.", None
        if expires_ms <= now_ms:
            msg = (
                f"Params Error: request expired: expires[{expires_ms}] is not after "
                f"server_timestamp[{now_ms}] (expires is in milliseconds)"
            )
            return RetCode.REQUEST_EXPIRED, msg, None
        if not (signature.isascii() and verify(auth_payload(expires_ms), signature)):
            return RetCode.INVALID_SIGNATURE, "Invalid sign.", None
        return RetCode.OK, "OK", api_key

    def _order(
        self, session: Session, op: Operation, frame: dict[str, object], now_ms: int
    ) -> dict[str, object] | Pending:
        conn_id = session.conn_id
        name = op.name
        req_id = frame.get("reqId")
        echo = req_id if type(req_id) is str else None
        api_key = session.api_key
        if api_key is None:
            code = self.config.unauthenticated_code
            echoed = echo if self.config.unauthenticated_req_id else None
            return self._error(echoed, code, _MSG_UNAUTHENTICATED, name, conn_id)
        if req_id is not None and echo is None:
            msg = f"reqId: expected a string, got {describe(req_id)}"
            return self._error(None, RetCode.PARAM_ERROR, msg, name, conn_id)
        if echo is not None and len(echo) > REQ_ID_MAX:
            msg = f"reqId: longer than {REQ_ID_MAX} characters ({len(echo)})"
            return self._error(echo, RetCode.PARAM_ERROR, msg, name, conn_id)
        if self.faults.restarting:
            return self._error(echo, RetCode.SERVICE_RESTARTING, _MSG_RESTARTING, name, conn_id)
        if echo is not None and not session.remember(echo, self.config.req_id_memory):
            msg = f"reqId is duplicate: {echo}"
            return self._error(echo, RetCode.DUPLICATE_REQ_ID, msg, name, conn_id)
        header_problem = self._check_header(frame.get("header", _MISSING), now_ms)
        if header_problem is not None:
            return self._error(echo, *header_problem, name, conn_id)
        args = frame.get("args")
        if not (type(args) is list and len(args) == 1 and type(args[0]) is dict):
            got = describe(args) if "args" in frame else "nothing"
            msg = f"args: expected a list holding exactly one parameter object, got {got}"
            return self._error(echo, RetCode.PARAM_ERROR, msg, name, conn_id)
        params: dict[str, object] = args[0]
        if self.config.record_received:
            self.received.append(Received(api_key, name, echo, params))
            if self.on_received is not None:
                self.on_received()
        trading = self.trading
        category, refused = trading.category(op, params)
        if refused is not None:
            return self._error(echo, *refused, name, conn_id)
        units = trading.units(op, params, category)
        header, granted = self._charge(api_key, op, category, units, now_ms)
        if granted == 0:
            msg = MSG_RATE_LIMITED
            return self._error(echo, RetCode.TOO_MANY_VISITS, msg, name, conn_id, header=header)
        return trading.admit(
            op,
            params,
            category,
            api_key=api_key,
            conn_id=conn_id,
            req_id=echo,
            header=header,
            granted=granted,
        )

    # ---- helpers --------------------------------------------------------------------------

    def _error(
        self,
        req_id: str | None,
        code: int,
        msg: str,
        op: str,
        conn_id: str,
        *,
        header: dict[str, str] | None = None,
    ) -> dict[str, object]:
        shape = self.faults.error_shape
        return error_reply(req_id, code, msg, op, conn_id, shape=shape, header=header)

    def _check_header(self, header: object, now_ms: int) -> tuple[int, str] | None:
        if header is _MISSING:
            return RetCode.PARAM_ERROR, "header: missing (the key is 'header', singular)"
        if type(header) is not dict:
            return RetCode.PARAM_ERROR, f"header: expected an object, got {describe(header)}"
        timestamp = milliseconds(header.get(TIMESTAMP_KEY))
        if timestamp is None:
            got = header.get(TIMESTAMP_KEY)
            what = "missing" if got is None else f"got {describe(got)}"
            msg = f"header.{TIMESTAMP_KEY}: expected ms as a digit string or an integer, {what}"
            return RetCode.PARAM_ERROR, msg
        window = self.config.recv_window_ms
        if RECV_WINDOW_KEY in header:
            sent = header[RECV_WINDOW_KEY]
            parsed = milliseconds(sent)
            if not parsed:
                msg = f"header.{RECV_WINDOW_KEY}: expected positive ms, got {describe(sent)}"
                return RetCode.PARAM_ERROR, msg
            window = parsed
        for key, value in header.items():
            if key not in _TIMING_KEYS:
                problem = self.validator.check_field(HEADER_TYPE, key, value)
                if problem is not None:
                    return RetCode.PARAM_ERROR, f"header.{key}: {problem}"
        if not now_ms - window <= timestamp < now_ms + FUTURE_TOLERANCE_MS:
            msg = (
                "invalid request, please check your server timestamp or recv_window param. "
                f"req_timestamp[{timestamp}],server_timestamp[{now_ms}],recv_window[{window}]"
            )
            return RetCode.REQUEST_EXPIRED, msg
        return None

    def _charge(
        self, api_key: str, op: Operation, category: str | None, units: int, now_ms: int
    ) -> tuple[dict[str, str] | None, int]:
        """The reply header and how many units were granted (all of them without a limit)."""
        limit = resolve_limit(op.rate_limit, category or "")
        if limit is None:
            return None, units
        trace_id = f"{self._ids.getrandbits(128):032x}"
        if not self.config.rate_limit:
            return response_header(limit, limit, now_ms, trace_id, now_ms), units
        grant = self._limiter.acquire((api_key, op.name, category), limit, units, now_ms)
        header = response_header(limit, grant.remaining, grant.reset_ms, trace_id, now_ms)
        return header, grant.granted


_MISSING: Final = object()


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if not number:
            return out
