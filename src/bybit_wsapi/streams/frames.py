"""The stream sockets' frames, as pure functions: what the client sends, and one classifier for
what it receives on any of the four dialects (reference §2, §8.1). Never raises on bad input.

Received frames are, in the order checked:

- a push (any frame with a string ``topic``): :class:`Push`;
- a pong: ``ret_msg == "pong"`` or ``op == "pong"`` (spot's pong has ``op: "ping"``): ``PONG``;
- an ``auth`` reply, success being ``success is True`` or ``retCode == 0``: :class:`AuthAck`;
- a subscribe or unsubscribe ack: ``op`` ``subscribe``/``unsubscribe`` (spot, linear/inverse,
  private), or ``type: "COMMAND_RESP"`` with ``data.successTopics``/``failTopics`` (option):
  :class:`Ack`;
- anything else: :class:`Unrecognised`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

from bybit_wsapi_generated.tables import OP_SUBSCRIBE, OP_UNSUBSCRIBE

from ..wire import (
    ARGS,
    DATA,
    LEGACY_RET_MSG,
    LEGACY_SUCCESS,
    OP,
    OP_AUTH,
    OP_PING,
    OP_PONG,
    RET_CODE,
)

__all__ = [
    "ALREADY_SUBSCRIBED",
    "PONG",
    "Ack",
    "AuthAck",
    "Decoded",
    "Push",
    "SubscriptionOp",
    "Unrecognised",
    "args_chars",
    "auth_frame",
    "classify",
    "ping_frame",
    "subscription_frame",
    "topic_chars",
]

# -- wire facts of the stream sockets (§2) -----------------------------------------------------
STREAM_REQ_ID: Final = "req_id"
"""The request id key of the stream sockets (snake_case; the trade socket says ``reqId``)."""
TOPIC: Final = "topic"
TYPE: Final = "type"
COMMAND_RESP: Final = "COMMAND_RESP"
"""``type`` of the option socket's acks (no ``op``, no ``ret_msg``)."""
SUCCESS_TOPICS: Final = "successTopics"
FAIL_TOPICS: Final = "failTopics"
ALREADY_SUBSCRIBED: Final = "already subscribed"
"""The reason Bybit gives for a topic this connection already has: counted as success."""

SubscriptionOp = Literal["subscribe", "unsubscribe"]
_SUBSCRIPTION_OPS: Final = (OP_SUBSCRIBE, OP_UNSUBSCRIBE)
_REASON = re.compile(r"^(?:error:)?(?P<reason>.*?)(?:,\s*topic:(?P<topic>.*))?$", re.DOTALL)
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


@dataclass(frozen=True, slots=True)
class Push:
    """A pushed message of a subscribed topic."""

    topic: str
    message: dict[str, Any]


@dataclass(frozen=True, slots=True)
class _Pong:
    """A heartbeat reply (any dialect)."""


PONG: Final = _Pong()


@dataclass(frozen=True, slots=True)
class AuthAck:
    """The reply to the private socket's ``auth``."""

    success: bool
    ret_msg: str


@dataclass(frozen=True, slots=True)
class Ack:
    """The reply to a subscribe or unsubscribe request."""

    op: SubscriptionOp | None
    """``None`` on the option socket, whose ``COMMAND_RESP`` does not say which."""
    req_id: str | None
    """The echoed ``req_id``; ``None`` when absent or empty."""
    success: bool
    ret_msg: str
    succeeded: tuple[str, ...] | None
    """``successTopics`` (option socket only)."""
    failed: tuple[str, ...] | None
    """``failTopics`` (option socket only)."""

    @property
    def reason(self) -> str:
        """Why it failed, without Bybit's ``error:`` prefix and topic suffix."""
        match = _REASON.match(self.ret_msg)
        return (match.group("reason") if match else self.ret_msg) or "no reason given"

    @property
    def topic(self) -> str | None:
        """The topic ``ret_msg`` names (``error:handler not found,topic:X``), if any."""
        match = _REASON.match(self.ret_msg)
        return match.group("topic") if match else None


@dataclass(frozen=True, slots=True)
class Unrecognised:
    """A frame that is none of the above (logged, never raised)."""

    reason: str
    text: str


Decoded = Push | _Pong | AuthAck | Ack | Unrecognised


def classify(text: str) -> Decoded:
    """What one received text frame is, on any stream socket."""
    try:
        frame = json.loads(text)
    except (ValueError, RecursionError):
        return Unrecognised("not JSON", text)
    if not isinstance(frame, dict):
        return Unrecognised("not a JSON object", text)
    topic = frame.get(TOPIC)
    if isinstance(topic, str):
        return Push(topic, frame)
    op = frame.get(OP)
    ret_msg = frame.get(LEGACY_RET_MSG)
    if ret_msg == "pong" or op == OP_PONG:
        return PONG
    message = ret_msg if isinstance(ret_msg, str) else ""
    success = frame.get(LEGACY_SUCCESS) is True
    if op == OP_AUTH:
        return AuthAck(success or frame.get(RET_CODE) == 0, message)
    req_id = frame.get(STREAM_REQ_ID)
    echoed = str(req_id) if isinstance(req_id, str | int) and req_id != "" else None
    if op in _SUBSCRIPTION_OPS:
        return Ack(op, echoed, success, message, None, None)
    if frame.get(TYPE) == COMMAND_RESP:
        data = frame.get(DATA)
        lists = data if isinstance(data, Mapping) else {}
        return Ack(
            None,
            echoed,
            success,
            message,
            _topics(lists.get(SUCCESS_TOPICS)),
            _topics(lists.get(FAIL_TOPICS)),
        )
    if op == OP_PING:
        return Unrecognised("a ping from the server", text)
    return Unrecognised("no topic, op or type this client knows", text)


def _topics(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(item for item in value if isinstance(item, str))


def subscription_frame(op: SubscriptionOp, req_id: str, topics: Sequence[str]) -> str:
    """``{"req_id", "op", "args"}`` for a subscribe or unsubscribe of ``topics``."""
    return _dumps({STREAM_REQ_ID: req_id, OP: op, ARGS: list(topics)})


def ping_frame(req_id: str) -> str:
    """The JSON heartbeat every stream socket answers with its own pong."""
    return _dumps({STREAM_REQ_ID: req_id, OP: OP_PING})


def auth_frame(api_key: str, expires_ms: int, signature: str, req_id: str) -> str:
    """The private socket's ``auth``: ``args`` = [key, expires (ms), signature]."""
    return _dumps({STREAM_REQ_ID: req_id, OP: OP_AUTH, ARGS: [api_key, expires_ms, signature]})


def topic_chars(topic: str) -> int:
    """Characters ``topic`` adds to a JSON ``args`` array: its JSON string and a comma."""
    return len(_dumps(topic)) + 1


def args_chars(topics: Iterable[str]) -> int:
    """Characters of ``topics`` as a JSON ``args`` array (what Bybit's 21,000 limit counts)."""
    return max(2, 1 + sum(map(topic_chars, topics)))
