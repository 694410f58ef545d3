"""When and how long to wait before reconnecting, and which failures end the retrying (pure)."""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Iterator

from .options import ConnectionOptions

__all__ = ["ConnectionBudget", "backoff", "fatal_status"]


def backoff(
    initial: float = ConnectionOptions.reconnect_initial_delay,
    maximum: float = ConnectionOptions.reconnect_max_delay,
    factor: float = 2.0,
    rng: random.Random | None = None,
) -> Iterator[float]:
    """Delays for successive reconnect attempts: exponential, capped, with jitter.

    Each delay is drawn uniformly from the upper half of ``initial * factor**n`` (capped at
    ``maximum``), so many clients dropped at once do not reconnect in lockstep.
    """
    draw = (rng or random.Random()).uniform
    ceiling = initial
    while True:
        yield draw(ceiling / 2, ceiling)
        ceiling = min(maximum, ceiling * factor)


class ConnectionBudget:
    """At most ``limit`` new connections in any ``window`` seconds (a sliding window).

    Bybit allows 500 new connections per 5 minutes per IP; one client keeps within its own
    share. Times are passed in (the caller's clock).
    """

    def __init__(
        self,
        limit: int = ConnectionOptions.max_new_connections,
        window: float = ConnectionOptions.new_connections_window,
    ) -> None:
        self._limit = limit
        self._window = window
        self._opened: deque[float] = deque()

    def wait(self, now: float) -> float:
        """Seconds from ``now`` until one more connection fits in the budget (0: at once)."""
        opened = self._opened
        while opened and opened[0] <= now - self._window:
            opened.popleft()
        if len(opened) < self._limit:
            return 0.0
        return opened[0] + self._window - now

    def spend(self, now: float) -> None:
        """A connection attempt starts at ``now``."""
        self._opened.append(now)
        if len(self._opened) > self._limit:
            self._opened.popleft()


def fatal_status(status: int) -> bool:
    """Whether a refused upgrade's HTTP status is one that retrying will not fix."""
    return 400 <= status < 500 and status not in (408, 429)
