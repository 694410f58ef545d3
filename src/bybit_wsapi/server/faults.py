"""Fault injection: the switches, and the junk frames some of them send (pure)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final, Literal, get_args

__all__ = ["GARBAGE_FRAMES", "ErrorShape", "Faults", "SplitMode", "truncated"]

SplitMode = Literal["fragment", "half"]
"""``fragment``: send the first fragment of a fragmented message (FIN=0), then drop the
connection. ``half``: write the first half of the reply frame's bytes, then drop it."""

ErrorShape = Literal["standard", "no_req_id", "legacy"]
"""How order-op errors look: the standard envelope; ``{retCode, retMsg, op, connId}`` without
``reqId``; or the legacy ``{success: false, ret_msg, op, conn_id}``."""

GARBAGE_FRAMES: Final = ("\x00garbage\xff", "not json at all", "{{{{", "]", '{"op":')
"""The text frames ``garbage_frames`` cycles through."""


def _number(value: object, low: float, high: float) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value) and low <= value <= high


def _count(low: int, optional: bool = False) -> Callable[[object], str | None]:
    def check(value: object) -> str | None:
        if (value is None and optional) or (type(value) is int and value >= low):
            return None
        return f"expected an integer >= {low}" + (" or None" if optional else "")

    return check


def _stream_faults(value: object) -> str | None:
    from .market import FAULTS  # noqa: PLC0415 - loads the market only when faults are set

    if isinstance(value, tuple) and set(value) <= set(FAULTS):
        return None
    return f"expected a tuple of {', '.join(FAULTS)}"


def _choice(values: tuple[str, ...], optional: bool) -> Callable[[object], str | None]:
    def check(value: object) -> str | None:
        if (value is None and optional) or value in values:
            return None
        return f"expected one of {', '.join(values)}" + (" or None" if optional else "")

    return check


_RULES: Final[Mapping[str, Callable[[object], str | None]]] = {
    "delay_ms": lambda v: None if _number(v, 0, math.inf) else "expected a finite number >= 0",
    "drop_probability": lambda v: None if _number(v, 0, 1) else "expected a number in [0, 1]",
    "drop_after_frames": _count(1, optional=True),
    "garbage_frames": _count(0),
    "truncated_frames": _count(0),
    "oversize_replies": _count(0, optional=True),
    "split_reply": _choice(get_args(SplitMode), optional=True),
    "stream_drop_after_pushes": _count(1, optional=True),
    "stream_burst": _count(0),
    "stream_fault_interval_ms": _count(1),
    "stream_faults": lambda v: None if v == () else _stream_faults(v),
    "error_shape": _choice(get_args(ErrorShape), optional=False),
}
"""Value checks of the fields that have a range (the rest are flags or any retCode)."""


@dataclass
class Faults:
    """Fault switches of one server. Flip fields at runtime: each applies from the next frame.

    Connection faults act on every received frame; reply faults (``delay_ms`` aside, which
    delays every reply) act on replies to order operations only, so auth and ping keep working.
    A value out of range (a negative delay, a probability outside [0, 1]) raises ``ValueError``,
    at construction and on assignment.
    """

    delay_ms: float = 0.0
    """Delay every reply by this many ms (later frames are still read and answered)."""
    drop_after_frames: int | None = None
    """Drop each connection (no close frame) once it has received this many frames."""
    drop_probability: float = 0.0
    """Drop the connection on receipt of a frame with this probability (seeded RNG)."""
    drop_before_apply: bool = False
    """Drop the connection instead of applying a valid order op: it is never applied."""
    drop_after_apply: bool = False
    """Apply a valid order op, then drop the connection before acking it (outcome unknown)."""
    split_reply: SplitMode | None = None
    """Send each order-op reply cut mid-frame, then drop the connection."""
    garbage_frames: int = 0
    """Send this many non-JSON text frames before each order-op reply."""
    truncated_frames: int = 0
    """Send this many truncated copies of each order-op reply (invalid JSON) before it."""
    error_shape: ErrorShape = "standard"
    """Shape of order-op error replies (retCode != 0)."""
    reject_orders: int | None = None
    """Answer every valid order op with this retCode (e.g. 10016, 10429, 170131)."""
    reject_auth: bool = False
    """Answer every auth with 10004."""
    restarting: bool = False
    """Answer every order op with 10019 (service restarting), reqId echoed."""
    no_pong: bool = False
    """Ignore pings."""
    duplicate_replies: bool = False
    """Send each order-op reply twice (same reqId)."""
    unknown_req_id_replies: bool = False
    """Before each order-op reply, send a copy of it carrying a reqId nobody sent."""
    oversize_replies: int | None = None
    """Pad each order-op reply with trailing JSON whitespace to more than this many bytes."""

    stream_drop_after_pushes: int | None = None
    """Drop each stream connection (no close frame) once it was sent this many frames."""
    stream_faults: tuple[str, ...] = ()
    """Data faults of the market (``market.FAULTS``: ``gap``, a delta skips a ``u``;
    ``snapshot``, a snapshot mid-stream; ``reset``, a snapshot with ``u == 1``;
    ``missing_delete``, a delete of a price the book lacks; ``duplicate``, a push sent twice),
    applied to every subscribed topic they fit once per ``stream_fault_interval_ms``."""
    stream_burst: int = 0
    """Once per ``stream_fault_interval_ms``, this many deltas at once on every subscribed
    orderbook topic (to test a consumer's backpressure)."""
    stream_fault_interval_ms: int = 1000
    """Market time between two rounds of ``stream_faults`` and ``stream_burst``."""
    push_before_ack: bool = False
    """Send an applied order op's pushes first, and its ack only once they are written to the
    account's private stream connections (a client sees the push before the ack)."""
    cancel_races_fill: bool = False
    """A cancel of an open order loses a race with its fill: the order is pushed ``Filled``
    twice, the second with ``cancelType: CancelByUser`` (reference §4.1)."""

    def __setattr__(self, name: str, value: object) -> None:
        check = _RULES.get(name)
        problem = None if check is None else check(value)
        if problem is not None:
            raise ValueError(f"{name}: {problem}, got {value!r}")
        super().__setattr__(name, value)


def truncated(text: str) -> str:
    """The first half of a reply: valid UTF-8, invalid JSON."""
    return text[: max(1, len(text) // 2)]
