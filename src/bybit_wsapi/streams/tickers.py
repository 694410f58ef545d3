"""Ticker state: linear and inverse ``tickers`` deltas merged into the last snapshot (§3.3).

Pure. A delta carries only the fields that changed ("if a response param is not found in the
message, then its value has not changed"); spot and option send snapshots only, which simply
replace the state.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["TickerState"]


class TickerState:
    """The merged ticker of one topic."""

    def __init__(self) -> None:
        self.data: dict[str, Any] | None = None
        """The merged ``data`` object; ``None`` before the first snapshot."""
        self.complete = False
        """Whether the state started from a snapshot (a delta alone holds only some fields)."""

    def reset(self) -> None:
        """Forget the state (e.g. after a reconnect): the next snapshot starts it again."""
        self.data = None
        self.complete = False

    def apply(self, message: Mapping[str, Any]) -> dict[str, Any]:
        """Merge one message; the merged message, labelled ``snapshot``.

        A delta before any snapshot starts a partial state (:attr:`complete` stays False until
        a snapshot arrives).
        """
        data = message.get("data")
        fields = data if isinstance(data, Mapping) else {}
        if message.get("type") == "delta" and self.data is not None:
            self.data.update(fields)
        else:
            self.data = dict(fields)
            self.complete = message.get("type") != "delta"
        return {**message, "type": "snapshot", "data": dict(self.data)}
