"""The errors only the sync client raises: a call interrupted by Ctrl-C, callbacks too slow."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import Outcome, StreamOverflowError

__all__ = ["CallbackOverflowError", "RequestInterrupted"]


class CallbackOverflowError(StreamOverflowError):
    """``on("update")`` callbacks fell ``capacity`` events behind: ``dropped`` pushes were lost.

    Passed to the ``exception`` callbacks once per gap, where the gap is in event order (topic
    ``"update"``). Private state (orders, executions, positions, wallet) may be stale.
    """

    def __init__(self, dropped: int, capacity: int) -> None:
        super().__init__("update", dropped, capacity)
        self.args = (
            f"{dropped} stream push(es) dropped here: the event callbacks fell {capacity} events "
            "behind (a callback is slow or stuck). Hand slow work to another thread, or read busy "
            "topics through the stream_* iterators; reconcile what was missed (REST)",
        )


class RequestInterrupted(KeyboardInterrupt):
    """Ctrl-C (SIGINT) arrived while a call waited for its reply; the call was cancelled.

    It is a ``KeyboardInterrupt``, so it still stops the program and ``except Exception`` does
    not swallow it. A request not yet sent never will be; one already sent may have reached
    Bybit, so ``outcome`` is ``"unknown"``: look the order up by its ``orderLinkId`` (in
    ``params``) before sending it again. The client stays usable.
    """

    outcome: Outcome = "unknown"

    def __init__(self, op: str, params: Mapping[str, Any]) -> None:
        self.op = op
        self.params = params
        link = params.get("orderLinkId")
        which = f" (orderLinkId {link!r})" if isinstance(link, str) else ""
        super().__init__(
            f"interrupted while waiting for the reply to {op}{which}: the call was cancelled, "
            "but the request may already have reached Bybit (outcome unknown): look the order "
            "up before sending it again"
        )
