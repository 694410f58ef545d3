"""When and how long to wait before reconnecting (pure: no I/O)."""

from __future__ import annotations

import random
from collections.abc import Iterator

from .options import ConnectionOptions

__all__ = ["backoff"]


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
