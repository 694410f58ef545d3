"""Wire frames of ``/v5/trade``: decoding requests, building replies (pure: no I/O).

Reply shapes follow the protocol reference §3.3, §5 and §8; the legacy and reqId-less error
shapes are §5.3.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Final

from bybit_wsapi.retcodes import RetCode
from bybit_wsapi.wire import (
    LIMIT_KEY,
    LIMIT_RESET_KEY,
    LIMIT_STATUS_KEY,
    OP_AUTH,
    OP_PONG,
    RECV_WINDOW_KEY,
    TIME_NOW_KEY,
    TIMESTAMP_KEY,
    TRACE_ID_KEY,
    legacy_error,
    req_id_less_error,
)

from .faults import ErrorShape

__all__ = [
    "LIMIT_KEYS",
    "RECV_WINDOW_KEY",
    "TIMESTAMP_KEY",
    "FrameError",
    "auth_reply",
    "decode",
    "encode",
    "frame_error",
    "milliseconds",
    "op_reply",
    "pong",
    "raw_text_frame",
    "reshape_error",
    "response_header",
]

LIMIT_KEYS: Final = (LIMIT_KEY, LIMIT_STATUS_KEY, LIMIT_RESET_KEY)

_MAX_MS_DIGITS: Final = 19

encode: Final = json.JSONEncoder(separators=(",", ":")).encode
"""Compact JSON, as Bybit sends it."""

_decode_json: Final = json.JSONDecoder().decode
_EMPTY: Final = object()


class FrameError(Exception):
    """A frame that is not a JSON object (the message says why)."""


def decode(message: str | bytes) -> dict[str, object]:
    """The JSON object in a text frame, else ``FrameError``."""
    if not isinstance(message, str):
        raise FrameError("binary frames are not supported: send JSON text frames")
    try:
        frame = _decode_json(message)
    except RecursionError:
        raise FrameError("malformed JSON: nested too deeply") from None
    except ValueError as exc:
        raise FrameError(f"malformed JSON: {exc}") from None
    if type(frame) is not dict:
        kind = "array" if isinstance(frame, list) else type(frame).__name__
        raise FrameError(f"a request must be a JSON object, got a JSON {kind}")
    return frame


def milliseconds(value: object) -> int | None:
    """A time or duration in ms sent as an integer or a string of digits, else ``None``."""
    if type(value) is int:
        return value
    if isinstance(value, str) and 0 < len(value) <= _MAX_MS_DIGITS and value.isascii():
        return int(value) if value.isdigit() else None
    return None


def _start(req_id: str | None) -> dict[str, object]:
    """A reply's first key: ``reqId``, only when the request had one."""
    return {} if req_id is None else {"reqId": req_id}


def auth_reply(req_id: str | None, code: int, msg: str, conn_id: str) -> dict[str, object]:
    """The reply to ``auth``: ``{reqId?, retCode, retMsg, op: "auth", connId}``."""
    frame = _start(req_id)
    frame.update(retCode=code, retMsg=msg, op=OP_AUTH, connId=conn_id)
    return frame


def pong(now_ms: int, conn_id: str) -> dict[str, object]:
    """The ``/v5/trade`` pong: server time in ms as the only item of ``data``."""
    return {"retCode": 0, "retMsg": "OK", "op": OP_PONG, "data": [str(now_ms)], "connId": conn_id}


def response_header(
    limit: int, remaining: int, reset_ms: int, trace_id: str, now_ms: int
) -> dict[str, str]:
    """The reply ``header``: every value a string."""
    return {
        LIMIT_KEYS[0]: str(limit),
        LIMIT_KEYS[1]: str(remaining),
        LIMIT_KEYS[2]: str(reset_ms),
        TRACE_ID_KEY: trace_id,
        TIME_NOW_KEY: str(now_ms),
    }


def op_reply(
    req_id: str | None,
    code: int,
    msg: str,
    op: str,
    conn_id: str,
    *,
    data: object = _EMPTY,
    ret_ext_info: object = _EMPTY,
    header: Mapping[str, str] | None = None,
) -> dict[str, object]:
    """The reply to an operation (§5.1): ``data`` and ``retExtInfo`` default to ``{}``;
    ``header`` is left out when ``None``."""
    frame = _start(req_id)
    frame["retCode"] = code
    frame["retMsg"] = msg
    frame["op"] = op
    frame["data"] = {} if data is _EMPTY else data
    frame["retExtInfo"] = {} if ret_ext_info is _EMPTY else ret_ext_info
    if header is not None:
        frame["header"] = header
    frame["connId"] = conn_id
    return frame


def frame_error(req_id: str | None, msg: str, op: str, conn_id: str) -> dict[str, object]:
    """A 10001 parameter error in the standard envelope, without a header."""
    return op_reply(req_id, RetCode.PARAM_ERROR, msg, op, conn_id)


def reshape_error(frame: dict[str, object], shape: ErrorShape) -> dict[str, object]:
    """An error reply in the ``no_req_id`` or ``legacy`` shape of §5.3."""
    if shape == "no_req_id":
        return req_id_less_error(frame)
    if shape == "legacy":
        return legacy_error(frame)
    return frame


def raw_text_frame(payload: bytes, *, fin: bool) -> bytes:
    """An unmasked server-to-client text frame (RFC 6455 §5.2), built by hand."""
    first = (0x80 if fin else 0x00) | 0x01
    size = len(payload)
    if size < 126:
        head = bytes((first, size))
    elif size < 1 << 16:
        head = bytes((first, 126)) + size.to_bytes(2, "big")
    else:
        head = bytes((first, 127)) + size.to_bytes(8, "big")
    return head + payload
