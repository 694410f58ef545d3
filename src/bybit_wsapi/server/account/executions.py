"""An account's execution log: every fill, as the ``execution`` push carried it (pure).

``GET /v5/execution/list`` serves it (:mod:`bybit_wsapi.server.rest_queries`). Bybit keeps
fills 2 years (shared/bybit-rest-orders.md §6); the mock also keeps at most
``AccountConfig.executions_kept`` per account, the oldest going first.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from bybit_wsapi_generated.models import ExecutionV5

from ..market.listing import Listing

__all__ = ["RETENTION_MS", "ExecutionLog", "Logged"]

RETENTION_MS: Final = 2 * 365 * 86_400_000
"""How long a fill stays queryable: Bybit's "2 years"."""


@dataclass(frozen=True, slots=True)
class Logged:
    """One execution with what its filters need: ``number`` orders fills of one instant."""

    item: ExecutionV5
    time_ms: int
    number: int
    base_coin: str
    settle_coin: str


class ExecutionLog:
    """The most recent ``capacity`` executions, oldest first."""

    __slots__ = ("_count", "_rows")

    def __init__(self, capacity: int) -> None:
        self._rows: deque[Logged] = deque(maxlen=capacity)
        self._count = 0

    def record(self, item: ExecutionV5, listing: Listing) -> None:
        """Log a fill of ``listing``; fills older than ``RETENTION_MS`` are forgotten."""
        instrument = listing.instrument
        settle = instrument.base_coin if instrument.category == "inverse" else ""
        if instrument.category in ("linear", "option"):
            settle = instrument.quote_coin
        time_ms = int(item["execTime"])
        self._count += 1
        self._rows.append(Logged(item, time_ms, self._count, instrument.base_coin, settle))
        while self._rows[0].time_ms < time_ms - RETENTION_MS:
            self._rows.popleft()

    def newest_first(self, now_ms: int) -> Iterator[Logged]:
        """The fills still retained at ``now_ms``, newest first."""
        for logged in reversed(self._rows):
            if logged.time_ms < now_ms - RETENTION_MS:
                return
            yield logged

    def __len__(self) -> int:
        return len(self._rows)
