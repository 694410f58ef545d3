"""The market on the streams: a clock that moves it, its pushes fanned out, and stream faults.

With the real clock a task advances the market every ``MarketConfig.step_ms``; with the manual
clock (``ServerConfig.manual_clock``) nothing moves until ``clock.advance(ms)`` (or
``await LocalServer.step(ms)``, which also waits until the pushes are written), so tests step
the market deterministically. ``Faults.stream_faults`` and ``Faults.stream_burst`` are applied on
every ``Faults.stream_fault_interval_ms`` of market time; one-shot ones go through
:meth:`MarketFeed.inject` and :meth:`MarketFeed.burst`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterable

from .faults import Faults
from .market import Market, Push
from .streams_hub import Hub
from .streams_io import now_ms

__all__ = ["Clock", "MarketFeed"]

LOG = logging.getLogger(__name__)


class Clock:
    """Market time in ms: the wall clock, or (``manual``) only what ``advance`` adds."""

    def __init__(self, manual: bool) -> None:
        self.manual = manual
        self._now = now_ms()
        self._listeners: list[Callable[[int], None]] = []

    def now_ms(self) -> int:
        """The current market time."""
        return self._now if self.manual else now_ms()

    def advance(self, ms: int) -> None:
        """Move a manual clock forward by ``ms`` and run the market up to the new time."""
        if not self.manual:
            raise RuntimeError("advance() needs ServerConfig(manual_clock=True)")
        if ms < 0:
            raise ValueError(f"advance({ms}): time only moves forward")
        self._now += ms
        for listener in self._listeners:
            listener(self._now)

    def on_advance(self, listener: Callable[[int], None]) -> None:
        self._listeners.append(listener)


class MarketFeed:
    """Moves the market with the clock and delivers every push through the hub."""

    def __init__(self, market: Market, hub: Hub, clock: Clock, faults: Faults) -> None:
        self.market = market
        self.hub = hub
        self.clock = clock
        self.faults = faults
        self._task: asyncio.Task[None] | None = None
        self._next_fault: int | None = None
        self._last = clock.now_ms()
        clock.on_advance(self.run_until)

    def publish(self, pushes: Iterable[Push]) -> None:
        """Queue each push for its subscribers (public by category, private by account)."""
        hub = self.hub
        for push in pushes:
            if push.account is None:
                assert push.category is not None
                hub.publish(push.category, push.topic, push.message)
            else:
                hub.publish_private(push.account, push.topic, push.category, push.message)

    def run_until(self, now: int) -> None:
        """Advance the market to ``now`` (with the periodic stream faults) and publish."""
        faults = self.faults
        if faults.stream_faults or faults.stream_burst:
            interval = faults.stream_fault_interval_ms
            if self._next_fault is None:
                self._next_fault = self._last + interval
            while self._next_fault <= now:
                due = self._next_fault
                self._next_fault += interval
                self.publish(self.market.advance(due))
                if faults.stream_burst:
                    for category, topic in self._books():
                        self.burst(category, topic, faults.stream_burst)
                for fault in faults.stream_faults:  # for the pushes after the burst
                    self.inject(fault)
        else:
            self._next_fault = None
        self._last = now
        self.publish(self.market.advance(now))

    def inject(self, fault: str, category: str | None = None, topic: str | None = None) -> int:
        """A one-shot data fault on the matching subscribed topics (see ``market.FAULTS``)."""
        return self.market.inject(fault, category, topic)  # type: ignore[arg-type]

    def burst(self, category: str, topic: str, count: int) -> int:
        """``count`` deltas of a subscribed book at once; how many pushes were queued."""
        pushes = self.market.burst(category, topic, count, self.clock.now_ms())
        self.publish(pushes)
        return len(pushes)

    def _books(self) -> list[tuple[str, str]]:
        return [
            (scope, topic)
            for scope, topic in self.hub.topics()
            if topic.startswith("orderbook.") and not scope.startswith("@")
        ]

    # ---- the real clock -------------------------------------------------------------------

    def start(self) -> None:
        """With the real clock, advance the market every step on a task."""
        if not self.clock.manual and self._task is None:
            self._task = asyncio.create_task(self._run(), name="local-server-market")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        step = self.market.config.step_ms / 1000
        while True:
            await asyncio.sleep(step)
            try:
                self.run_until(self.clock.now_ms())
            except Exception:  # a bug in the simulation must not stop the server silently
                LOG.exception("the market simulation failed; it stops moving")
                raise
