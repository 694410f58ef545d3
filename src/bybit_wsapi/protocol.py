"""The client side of the ``/v5/trade`` protocol, as pure functions: no I/O, no clock reads.

Frames out (auth, order operations, ping) are built as JSON text; frames in are decoded and
classified into :class:`Reply`, :class:`AuthReply`, :class:`Pong`, :class:`OrphanError` (an error
without ``reqId``, reference §5.3) or :class:`Unrecognised`, never raising on bad input.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bybit_wsapi_generated import WS_API_OPERATIONS, WSAPIResponseMeta

from .auth import Secret, sign_auth
from .wire import (
    ARGS,
    HEADER,
    LEGACY_RET_CODE,
    LEGACY_RET_MSG,
    LEGACY_SUCCESS,
    LIMIT_KEY,
    LIMIT_RESET_KEY,
    LIMIT_STATUS_KEY,
    OP,
    OP_AUTH,
    OP_PING,
    OP_PONG,
    RECV_WINDOW_KEY,
    REFERER_KEY,
    REQ_ID,
    RET_CODE,
    RET_MSG,
    TIME_NOW_KEY,
    TIMESTAMP_KEY,
    TRACE_ID_KEYS,
)

__all__ = [
    "PING_FRAME",
    "AuthReply",
    "Decoded",
    "OrphanError",
    "Pong",
    "Reply",
    "ReqIdGenerator",
    "Unrecognised",
    "auth_frame",
    "decode",
    "encode_params",
    "request_frame",
    "response_meta",
    "signed_auth_frame",
]

_ORDER_OPS = frozenset(WS_API_OPERATIONS)
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
PING_FRAME = _dumps({OP: OP_PING})


class ReqIdGenerator:
    """Request ids unique across clients and reconnects: ``<8 random hex>-<counter>``.

    Bybit requires a ``reqId`` to be unique (its scope is unconfirmed: per connection at least)
    and at most 36 characters; a per-client random prefix keeps two processes apart.
    """

    __slots__ = ("_count", "_prefix")

    def __init__(self, prefix: str | None = None) -> None:
        self._prefix = prefix if prefix is not None else secrets.token_hex(4)
        self._count = 0

    def __call__(self) -> str:
        self._count += 1
        return f"{self._prefix}-{self._count}"


def auth_frame(api_key: str, secret: Secret, expires_ms: int, req_id: str) -> str:
    """The ``auth`` frame: ``args`` = [key, expires (ms, int), HMAC signature]."""
    return signed_auth_frame(api_key, expires_ms, sign_auth(secret, expires_ms), req_id)


def signed_auth_frame(api_key: str, expires_ms: int, signature: str, req_id: str) -> str:
    """The ``auth`` frame around a signature already made (HMAC or RSA)."""
    return _dumps({REQ_ID: req_id, OP: OP_AUTH, ARGS: [api_key, expires_ms, signature]})


def encode_params(params: Mapping[str, Any]) -> str:
    """The JSON text of one parameter object.

    Raises:
        TypeError: a value is not JSON-serialisable (numbers must be str, e.g. ``"0.5"``).
        ValueError: the object contains itself.
    """
    return _dumps(params)


_REQ_ID = f'{{"{REQ_ID}":'
_TIMESTAMP = f'"{HEADER}":{{"{TIMESTAMP_KEY}":'
_RECV_WINDOW = f'"{RECV_WINDOW_KEY}":'
_REFERER = f'"{REFERER_KEY}":'
_OP = f'"{OP}":'
_ARGS = f'"{ARGS}":'


def request_frame(
    req_id: str,
    op: str,
    params_json: str,
    *,
    timestamp_ms: int,
    recv_window_ms: int,
    referer: str | None = None,
) -> str:
    """An operation's request frame (reference §4), around already-encoded params.

    ``req_id`` must be JSON-safe (``ReqIdGenerator`` ids are); header values are strings.
    """
    referer_part = "" if referer is None else f",{_REFERER}{_dumps(referer)}"
    return (
        f'{_REQ_ID}"{req_id}",{_TIMESTAMP}"{timestamp_ms}",'
        f'{_RECV_WINDOW}"{recv_window_ms}"{referer_part}}},'
        f"{_OP}{_dumps(op)},{_ARGS}[{params_json}]}}"
    )


@dataclass(frozen=True, slots=True)
class Reply:
    """The reply to one request, matched by ``reqId``."""

    req_id: str
    op: str
    ret_code: int | None
    """``None`` when the frame had no ``retCode`` (the legacy shape): an error."""
    ret_msg: str
    frame: dict[str, Any]


@dataclass(frozen=True, slots=True)
class AuthReply:
    ok: bool
    ret_code: int | None
    ret_msg: str
    frame: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Pong:
    frame: dict[str, Any]


@dataclass(frozen=True, slots=True)
class OrphanError:
    """An error for an order operation that carries no ``reqId`` (reference §5.3)."""

    op: str
    ret_code: int | None
    ret_msg: str
    frame: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Unrecognised:
    """Anything else: garbage, a non-object, or a frame nobody asked for."""

    reason: str
    text: str


Decoded = Reply | AuthReply | Pong | OrphanError | Unrecognised


def _ret_code(frame: Mapping[str, Any]) -> int | None:
    code = frame.get(RET_CODE, frame.get(LEGACY_RET_CODE))
    if isinstance(code, bool) or not isinstance(code, int):
        return None
    return code


def _ret_msg(frame: Mapping[str, Any]) -> str:
    msg = frame.get(RET_MSG, frame.get(LEGACY_RET_MSG, ""))
    return msg if isinstance(msg, str) else repr(msg)


def _failure_code(frame: Mapping[str, Any]) -> int | None:
    """``retCode``, but None when a legacy ``success: false`` contradicts a zero code."""
    code = _ret_code(frame)
    return None if code == 0 and frame.get(LEGACY_SUCCESS) is False else code


def _failed(frame: Mapping[str, Any], code: int | None) -> bool:
    return code != 0 or frame.get(LEGACY_SUCCESS) is False


def decode(text: str) -> Decoded:
    """Classify one received text frame. Never raises."""
    try:
        frame = json.loads(text)
    except ValueError:
        return Unrecognised("not JSON", text)
    except RecursionError:
        return Unrecognised("JSON nested too deeply", text)
    if not isinstance(frame, dict):
        return Unrecognised(f"a JSON {type(frame).__name__}, not an object", text)
    op = frame.get(OP)
    if op == OP_PONG or frame.get(LEGACY_RET_MSG) == OP_PONG:
        return Pong(frame)
    req_id = frame.get(REQ_ID)
    if isinstance(req_id, str) and isinstance(op, str) and op != OP_AUTH:
        return Reply(req_id, op, _failure_code(frame), _ret_msg(frame), frame)
    if op == OP_AUTH:
        code = _ret_code(frame)
        return AuthReply(not _failed(frame, code), code, _ret_msg(frame), frame)
    if isinstance(op, str) and op in _ORDER_OPS:
        code = _failure_code(frame)
        if code != 0:
            return OrphanError(op, code, _ret_msg(frame), frame)
    return Unrecognised("no reqId matches it", text)


def _int_header(header: Mapping[str, Any], key: str) -> int | None:
    value = header.get(key)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return None
    return None


def response_meta(frame: Mapping[str, Any], rtt_ms: float) -> WSAPIResponseMeta:
    """The ``meta`` the client adds to each reply: round trip and header values as numbers."""
    header = frame.get(HEADER)
    if not isinstance(header, dict):
        header = {}
    trace = next((header[k] for k in TRACE_ID_KEYS if k in header), None)
    return {
        "rttMs": rtt_ms,
        "serverTimeMs": _int_header(header, TIME_NOW_KEY),
        "rateLimit": _int_header(header, LIMIT_KEY),
        "rateLimitRemaining": _int_header(header, LIMIT_STATUS_KEY),
        "rateLimitResetMs": _int_header(header, LIMIT_RESET_KEY),
        "traceId": trace if isinstance(trace, str) else None,
    }
