"""Attributing errors that carry no ``reqId`` (reference §5.3) only when it is certain.

Such an error names its operation but not its request. With one request of that operation
outstanding it is that one's; with several it is one of them, and calling the others
"rejected" could make a caller re-send an order the exchange accepted. So an error is held with
its **suspects** (the requests of its operation still waiting for a reply when it arrived, and
those that timed out on this connection without one) until as many suspects are left as errors
held: each suspect that gets its own reply is cleared. Pure bookkeeping, no I/O.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from .protocol import OrphanError

__all__ = ["Match", "OrphanMatcher"]


class Match(NamedTuple):
    """``error`` belongs to request ``req_id`` (None: to no request this connection knows)."""

    req_id: str | None
    error: OrphanError


@dataclass
class _Held:
    errors: deque[OrphanError] = field(default_factory=deque)
    suspects: dict[str, None] = field(default_factory=dict)
    """Request ids in the order they were sent (an insertion-ordered set)."""


class OrphanMatcher:
    """The suspects of reqId-less errors on one connection."""

    def __init__(self, timed_out_limit: int = 10_000) -> None:
        self._timed_out: dict[str, str] = {}
        """Sent requests that timed out without a reply: request id -> operation."""
        self._held: dict[str, _Held] = {}
        self._limit = timed_out_limit

    def reset(self) -> None:
        """A new connection: errors on it can only concern requests sent on it."""
        self._timed_out.clear()
        self._held.clear()

    def timed_out(self, req_id: str, op: str) -> None:
        """A sent request gave up waiting: a later reqId-less error may still be its."""
        self._timed_out[req_id] = op
        if len(self._timed_out) > self._limit:
            del self._timed_out[next(iter(self._timed_out))]

    def replied(self, req_id: str, op: str) -> list[Match]:
        """Request ``req_id`` got its own reply, so it is no suspect: what is certain now."""
        self._timed_out.pop(req_id, None)
        held = self._held.get(op)
        if held is None or req_id not in held.suspects:
            return []
        del held.suspects[req_id]
        return self._resolve(op)

    def error(self, error: OrphanError, waiting: Iterable[str]) -> list[Match]:
        """A reqId-less error for ``error.op``; ``waiting``: that op's requests awaiting replies."""
        held = self._held.setdefault(error.op, _Held())
        held.errors.append(error)
        for req_id, op in self._timed_out.items():
            if op == error.op:
                held.suspects.setdefault(req_id)
        for req_id in waiting:
            held.suspects.setdefault(req_id)
        return self._resolve(error.op)

    def _resolve(self, op: str) -> list[Match]:
        held = self._held[op]
        if len(held.suspects) > len(held.errors):
            return []
        del self._held[op]
        culprits: list[str | None] = list(held.suspects)
        culprits += [None] * (len(held.errors) - len(culprits))
        for req_id in held.suspects:
            self._timed_out.pop(req_id, None)
        return [Match(req_id, error) for req_id, error in zip(culprits, held.errors, strict=True)]
