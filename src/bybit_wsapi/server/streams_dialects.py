"""The four ack and pong dialects of the stream sockets, exactly as the reference gives them
(streams §2.3, §2.4, §2.5, §2.6; pure). Frame keys are the client's (``streams.frames``, ``wire``).

- spot: ``{success, ret_msg: "subscribe", conn_id, req_id?, op}``; pong ``ret_msg: "pong"``
  with ``op: "ping"``; ``req_id`` only when sent;
- linear and inverse: the same with ``ret_msg: ""`` and ``req_id`` always (``""`` if absent);
- option: ``{success, conn_id, data: {failTopics, successTopics}, type: "COMMAND_RESP"}``; pong
  ``{args: [ms], op: "pong"}``;
- private: ``{req_id?, success, ret_msg, op, conn_id}``; pong ``{req_id?, op: "pong", args:
  [ms], conn_id}``; auth replies in the same legacy shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from bybit_wsapi.streams.frames import (
    COMMAND_RESP,
    FAIL_TOPICS,
    STREAM_REQ_ID,
    SUCCESS_TOPICS,
    TYPE,
)
from bybit_wsapi.wire import (
    ARGS,
    DATA,
    LEGACY_CONN_ID,
    LEGACY_RET_MSG,
    LEGACY_SUCCESS,
    OP,
    OP_AUTH,
    OP_PING,
    OP_PONG,
)

__all__ = ["Dialect", "ReqId", "ack", "auth_reply", "dialect_of", "failure", "invalid_op", "pong"]

Dialect = Literal["spot", "linear", "option", "private"]

ReqId = str | int | None
"""A request's ``req_id`` as sent (echoed as is), ``None`` when absent."""


def dialect_of(stream: str) -> Dialect:
    """The dialect of ``"private"`` or a public category's socket."""
    if stream == "inverse":
        return "linear"
    assert stream in ("spot", "linear", "option", "private")
    return stream  # type: ignore[return-value]


def ack(
    dialect: Dialect,
    op: str,
    req_id: ReqId,
    conn_id: str,
    *,
    ok: Sequence[str] = (),
    failed: Sequence[str] = (),
    error: str | None = None,
) -> dict[str, object]:
    """A subscribe or unsubscribe ack; ``error`` (the ``ret_msg``) makes it a failure.

    ``ok``/``failed`` are the topics, listed only by the option dialect.
    """
    if dialect == "option":
        frame: dict[str, object] = {LEGACY_SUCCESS: error is None and not failed}
        if error is not None:
            frame[LEGACY_RET_MSG] = error
        frame[LEGACY_CONN_ID] = conn_id
        frame[DATA] = {FAIL_TOPICS: list(failed), SUCCESS_TOPICS: list(ok)}
        frame[TYPE] = COMMAND_RESP
        return frame
    if dialect == "private":
        frame = {} if req_id is None else {STREAM_REQ_ID: req_id}
        frame[LEGACY_SUCCESS] = error is None
        frame[LEGACY_RET_MSG] = "" if error is None else error
        frame[OP] = op
        frame[LEGACY_CONN_ID] = conn_id
        return frame
    frame = {LEGACY_SUCCESS: error is None}
    if error is not None:
        frame[LEGACY_RET_MSG] = error
    elif dialect == "spot":
        frame[LEGACY_RET_MSG] = op
    else:
        frame[LEGACY_RET_MSG] = ""
    frame[LEGACY_CONN_ID] = conn_id
    if dialect == "linear":
        frame[STREAM_REQ_ID] = "" if req_id is None else req_id
    elif req_id is not None:
        frame[STREAM_REQ_ID] = req_id
    frame[OP] = op
    return frame


def failure(
    dialect: Dialect, op: str, req_id: ReqId, conn_id: str, error: str
) -> dict[str, object]:
    """A failure of any other request (auth, a bad frame, an unknown op) in the legacy shape."""
    if dialect == "option":
        dialect = "spot"  # the option dialect has no shape of its own beyond subscribe acks
    return ack(dialect, op, req_id, conn_id, error=error)


def pong(dialect: Dialect, req_id: ReqId, conn_id: str, now_ms: int) -> dict[str, object]:
    """The reply to ``{"op": "ping"}``."""
    if dialect == "option":
        frame: dict[str, object] = {} if req_id is None else {STREAM_REQ_ID: req_id}
        frame[ARGS] = [str(now_ms)]
        frame[OP] = OP_PONG
        return frame
    if dialect == "private":
        frame = {} if req_id is None else {STREAM_REQ_ID: req_id}
        frame[OP] = OP_PONG
        frame[ARGS] = [str(now_ms)]
        frame[LEGACY_CONN_ID] = conn_id
        return frame
    frame = {LEGACY_SUCCESS: True, LEGACY_RET_MSG: OP_PONG, LEGACY_CONN_ID: conn_id}
    if dialect == "linear":
        frame[STREAM_REQ_ID] = "" if req_id is None else req_id
    elif req_id is not None:
        frame[STREAM_REQ_ID] = req_id
    frame[OP] = OP_PING  # spot and linear/inverse echo the op; ret_msg says pong
    return frame


def auth_reply(req_id: ReqId, conn_id: str, error: str | None) -> dict[str, object]:
    """The private stream's auth reply: ``{req_id?, success, ret_msg: "", op: "auth", conn_id}``."""
    return ack("private", OP_AUTH, req_id, conn_id, error=error)


def invalid_op(conn_id: str, op: object, args: object) -> dict[str, object]:
    """The reply to an unknown ``op`` (the shape ccxt documents), on every stream socket."""
    return {
        LEGACY_SUCCESS: False,
        LEGACY_RET_MSG: "error:invalid op",
        LEGACY_CONN_ID: conn_id,
        "request": {OP: op, ARGS: args},
    }
