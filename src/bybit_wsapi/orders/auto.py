"""Reconciling on the tracker's own initiative: an order op whose outcome became unknown.

With REST queries and ``auto_reconcile`` on, the tracker settles each such order in a task of
its own (one per order, a few at a time), as ``reconcile`` would: adopted, proven absent, or an
amend/cancel settled. A ``reconcile`` of that order meanwhile joins the run in flight (its
``deadline`` then counts from the join) instead of starting a second. A failed run (REST down)
is logged and reported on the ``exception`` event; the order stays unknown. Nothing is sent.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Final, Protocol

from .errors import OrderAbsentError, OrderChangeNotAppliedError
from .state import OrderView

__all__ = ["AUTO_CONCURRENCY", "AUTO_DEADLINE", "AutoReconciler"]

logger = logging.getLogger(__name__)

AUTO_DEADLINE: Final = 30.0
"""Seconds an automatic reconcile looks for an order (``auto_deadline``)."""
AUTO_CONCURRENCY: Final = 4
"""Automatic reconciles running at once; the others queue."""


class Settle(Protocol):
    """``OrderTracker._settle``: one reconcile of an order."""

    def __call__(
        self,
        order_link_id: str,
        order_id: str,
        *,
        deadline: float,
        interval: float,
        end: Callable[[], float] | None,
        sleep: Callable[[float], Awaitable[None]],
        clock: Callable[[], float] | None,
    ) -> Awaitable[OrderView]: ...


class _Run:
    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.end: float | None = None
        self.poke = asyncio.Event()
        self.task: asyncio.Task[OrderView] | None = None


class AutoReconciler:
    """The tracker's background reconciles, by order key."""

    def __init__(
        self,
        settle: Settle,
        *,
        deadline: float,
        interval: float,
        clock: Callable[[], float],
        sleep: Callable[[float], Awaitable[None]],
        report: Callable[[BaseException], None],
    ) -> None:
        self._settle, self._deadline, self._interval = settle, deadline, interval
        self._clock, self._sleep = clock, sleep
        self._slots = asyncio.Semaphore(AUTO_CONCURRENCY)
        self._runs: dict[str, _Run] = {}
        self._closed = False
        self._report = report

    def __len__(self) -> int:
        return len(self._runs)

    def start(self, key: str, order_link_id: str, order_id: str) -> None:
        """Reconcile the order in the background, unless a run of it is in flight already."""
        if self._closed or key in self._runs:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            logger.warning("order %s: no running loop to reconcile it on; reconcile it", key)
            return
        run = _Run(self._deadline)
        run.task = loop.create_task(
            self._run(run, order_link_id, order_id), name=f"bybit-wsapi-reconcile-{key}"
        )
        run.task.add_done_callback(lambda task: self._done(key, run, task))
        self._runs[key] = run

    def join(self, key: str, deadline: float) -> asyncio.Task[OrderView] | None:
        """The run in flight for ``key``, now ending ``deadline`` seconds from here; or None."""
        run = self._runs.get(key)
        if run is None or run.task is None:
            return None
        run.deadline = deadline
        if run.end is not None:
            run.end = self._clock() + deadline
            run.poke.set()  # wake its sleep: the deadline may be sooner now
        return run.task

    async def aclose(self) -> None:
        """Cancel every run and wait for it to end: no task is left."""
        self._closed = True
        tasks = [run.task for run in self._runs.values() if run.task is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _run(self, run: _Run, order_link_id: str, order_id: str) -> OrderView:
        async with self._slots:

            def end() -> float:
                if run.end is None:
                    run.end = self._clock() + run.deadline
                return run.end

            async def nap(seconds: float) -> None:
                run.poke.clear()
                sleeper = asyncio.ensure_future(self._sleep(seconds))
                poked = asyncio.ensure_future(run.poke.wait())
                try:
                    await asyncio.wait({sleeper, poked}, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    sleeper.cancel()
                    poked.cancel()
                    await asyncio.gather(sleeper, poked, return_exceptions=True)

            return await self._settle(
                order_link_id,
                order_id,
                deadline=run.deadline,
                interval=self._interval,
                end=end,
                sleep=nap,
                clock=self._clock,
            )

    def _done(self, key: str, run: _Run, task: asyncio.Task[OrderView]) -> None:
        if self._runs.get(key) is run:
            del self._runs[key]
        if task.cancelled():
            return
        error = task.exception()
        if error is None:
            logger.info("order %s reconciled: %s", key, task.result().status)
        elif isinstance(error, (OrderAbsentError, OrderChangeNotAppliedError)):
            logger.info("order %s reconciled: %s", key, error)  # its view says so
        else:
            logger.warning("reconciling order %s failed, it is still unknown: %r", key, error)
            self._report(error)
