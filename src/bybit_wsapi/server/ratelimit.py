"""Per-account rate limits over a rolling window (pure: the caller passes the time)."""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

__all__ = ["Grant", "RateLimiter", "resolve_limit"]


def resolve_limit(table: Mapping[str, int], category: str) -> int | None:
    """The limit of ``category`` in a per-category table (``default`` covers the rest)."""
    limit = table.get(category)
    return table.get("default") if limit is None else limit


@dataclass(frozen=True, slots=True)
class Grant:
    """The outcome of one request for ``units`` of quota."""

    granted: int
    """How many of the requested units fit (the leading items of a batch)."""
    limit: int
    remaining: int
    """Quota left in the window after this request (``X-Bapi-Limit-Status``)."""
    reset_ms: int
    """``X-Bapi-Limit-Reset-Timestamp``: when quota frees up if over the limit, else now."""


class _Window:
    __slots__ = ("entries", "used")

    def __init__(self) -> None:
        self.entries: deque[tuple[int, int]] = deque()
        self.used = 0


class RateLimiter:
    """Rolling-window quotas, one window per key (account, op, category)."""

    def __init__(self, window_ms: int = 1000) -> None:
        self._window_ms = window_ms
        self._windows: dict[Hashable, _Window] = {}

    def acquire(self, key: Hashable, limit: int, units: int, now_ms: int) -> Grant:
        """Take up to ``units`` units of ``key``'s quota at time ``now_ms``."""
        window = self._windows.get(key)
        if window is None:
            window = self._windows[key] = _Window()
        entries = window.entries
        horizon = now_ms - self._window_ms
        while entries and entries[0][0] <= horizon:
            window.used -= entries.popleft()[1]
        granted = max(0, min(units, limit - window.used))
        if granted:
            entries.append((now_ms, granted))
            window.used += granted
        # Over the limit: quota frees up when the oldest entry leaves the window.
        reset_ms = entries[0][0] + self._window_ms if granted < units and entries else now_ms
        return Grant(granted, limit, max(0, limit - window.used), reset_ms)
