"""The REST mock's switches (``LocalServer.rest.options``; ``ServerConfig.rest`` at start)."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["RestOptions"]


@dataclass
class RestOptions:
    """The REST mock's switches (live: change them on ``LocalServer.rest.options``)."""

    visibility_delay_ms: int = 0
    """Orders and fills younger than this (market ms) are not seen yet."""
    history_delay_ms: int = 0
    """A closed order reaches ``/v5/order/history`` this long after it closed."""
    closed_buffer: int = 500
    """How many recently closed orders per category ``/v5/order/realtime`` keeps."""
    closed_since_ms: int = 0
    """Orders closed before this market time are gone from realtime's closed buffer (still in
    history): set it to ``server.clock.now_ms()`` for a Bybit service restart."""
    rate_limit: int | None = None
    """Requests per second per key and path, then 10006; ``None``: each path's documented
    limit (the spec's ``rate_limit``: 50)."""
    clock_skew_ms: int = 0
    """How far the REST clock (``/v5/market/time``, the timestamp check) is off the wall."""
    spot_not_found_error: bool = False
    """A spot ``/v5/order/realtime`` lookup by id that finds nothing answers 170213 "Order
    does not exist." (seen on Bybit, §4.1) instead of an empty list."""
    fail_next: list[int] = field(default_factory=list)
    """Fault: each signed query takes the first code off this list and fails with it: an HTTP
    status (400..599: no envelope) or a retCode (10000, 10016...: in the envelope)."""

    def __post_init__(self) -> None:
        for name in ("visibility_delay_ms", "history_delay_ms", "closed_buffer", "closed_since_ms"):
            if getattr(self, name) < 0:
                raise ValueError(
                    f"rest {name}: expected an integer >= 0, got {getattr(self, name)}"
                )
        if self.rate_limit is not None and self.rate_limit < 1:
            raise ValueError(f"rest rate_limit: expected an integer >= 1, got {self.rate_limit}")
        for code in self.fail_next:
            if not (400 <= code < 600 or code >= 10000):
                raise ValueError(
                    "rest fail_next: expected an HTTP status (400..599) or a retCode (10000 "
                    f"and up), got {code}"
                )
