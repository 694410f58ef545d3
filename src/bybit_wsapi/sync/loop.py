"""The event loop a sync client runs its async client on: one daemon thread, one loop.

A call is made on the calling thread itself when the loop sleeps in its poll and lends itself
(:mod:`.baton`): the request goes out from there, and the loop settles it when the reply comes.
Otherwise it crosses into the loop with ``loop.call_soon_threadsafe`` of a plain callback that
starts it there as a task. Either way the outcome is stored and a one-shot lock, which the
calling thread blocks on, goes to the loop's selector, which releases it just before the loop
next sleeps: the caller wakes while the loop thread is blocked in ``epoll``, not holding the GIL
it needs. (``asyncio.run_coroutine_threadsafe`` and its ``concurrent.futures.Future`` cost a
coroutine, a future chain and a condition variable more per call, measured slower; anyio's
``BlockingPortal`` was no faster and waits for each task to be spawned first.) A lock orders
every submission before the final ``close``, so nothing is ever scheduled on a loop that will
not run it, and a call made on the calling thread that the loop ends without settling fails.
Each call's waiter exists before it is scheduled: a Ctrl-C landing before the call started
cancels it all the same (it never starts).
"""

from __future__ import annotations

import _thread
import asyncio
import concurrent.futures
import itertools
import logging
import threading
from collections.abc import Awaitable, Callable, Coroutine
from concurrent.futures import Future
from typing import Any, Generic, Protocol, TypeVar

from ..requests import Waiter
from .baton import BatonSelector, LendingLoop, uninterrupted

__all__ = ["CLOSE_TIMEOUT", "Here", "LoopThread"]

T = TypeVar("T")

logger = logging.getLogger(__name__)

CLOSE_TIMEOUT = 5.0
"""Seconds ``shutdown`` waits for the client's close and the thread's end; past that the daemon
thread is left to finish on its own (the async close is itself bounded)."""
_LEFTOVER_TIMEOUT = 1.0
"""Seconds the stopping loop gives calls still settling (the close already failed them)."""
_numbers = itertools.count(1)


class Here(Protocol):
    """A call made on its calling thread, with ``loop`` lent to it: True if it was made, its
    outcome to go to ``waiter``; False if nothing was done."""

    def __call__(self, *, loop: asyncio.AbstractEventLoop, waiter: Waiter) -> bool: ...


class LoopThread:
    """An asyncio event loop running on its own daemon thread until :meth:`shutdown`."""

    def __init__(self) -> None:
        self.name = f"bybit-wsapi-loop-{next(_numbers)}"
        self._lock = threading.Lock()
        self._closed = False
        self._selector = BatonSelector()
        self._lends = False
        """Calls may be made on the calling thread (not in debug mode: see :mod:`.baton`)."""
        self._unsettled: set[_Reply] = set()
        """Calls made on their calling threads, not settled yet (touched under the baton)."""
        started: Future[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = Future()
        self._thread = threading.Thread(
            target=self._main, args=(started,), name=self.name, daemon=True
        )
        self._thread.start()
        self._loop, self._stop = started.result()

    @property
    def closed(self) -> bool:
        return self._closed

    def on_loop_thread(self) -> bool:
        return threading.get_ident() == self._thread.ident

    def call(
        self,
        start: Callable[[], Awaitable[T]],
        closed: Callable[[], BaseException],
        here: Here | None = None,
    ) -> T:
        """Await ``start()`` on the loop and return its result (or raise its error).

        If the loop lends itself, ``here(loop=loop, waiter=waiter)`` is tried first on this
        thread, with the loop's objects to itself and Ctrl-C deferred: True if it made the call,
        whose outcome goes to ``waiter`` (then ``start`` is not used); False if it did nothing.

        Raises ``closed()`` once :meth:`shutdown` has begun. On Ctrl-C the call is cancelled
        (if it had not started, it never starts) and ``KeyboardInterrupt`` propagates.
        """
        if self.on_loop_thread():
            raise RuntimeError(
                "a blocking bybit_wsapi.sync call was made on the client's own event-loop thread, "
                "where it would wait forever: call it from another thread"
            )
        if here is not None and self._lends:
            reply = _Reply(self._selector.settled, self._unsettled)
            try:
                if uninterrupted(lambda: self._call_here(here, reply, closed)):
                    return reply.result()  # type: ignore[no-any-return]
            except KeyboardInterrupt:
                with self._lock:
                    if not self._closed:
                        self._loop.call_soon_threadsafe(reply.cancel)
                raise
        waiter: _Waiter[T] = _Waiter(start, self._selector.settled)
        try:
            with self._lock:
                if self._closed:
                    raise closed()
                self._loop.call_soon_threadsafe(waiter.start)
            return waiter.result()
        except KeyboardInterrupt:
            waiter.cancelled = True
            with self._lock:
                if not self._closed:
                    self._loop.call_soon_threadsafe(waiter.cancel_task)
            raise

    def submit(
        self, coroutine: Coroutine[Any, Any, T], closed: Callable[[], BaseException]
    ) -> concurrent.futures.Future[T]:
        """Schedule ``coroutine`` on the loop from any thread without waiting; cancelling the
        future cancels it. Raises ``closed()`` (and closes ``coroutine``) once :meth:`shutdown`
        has begun: like :meth:`call`, it is submitted before the close is, or not at all."""
        with self._lock:
            if self._closed:
                coroutine.close()
                raise closed()
            return asyncio.run_coroutine_threadsafe(coroutine, self._loop)

    def _call_here(
        self,
        here: Here,
        reply: _Reply,
        closed: Callable[[], BaseException],
    ) -> bool:
        with self._lock:
            if self._closed:
                raise closed()
            return self._selector.lend(lambda: self._make_here(here, reply), self._wake)

    def _make_here(self, here: Here, reply: _Reply) -> bool:
        unsettled = self._unsettled
        unsettled.add(reply)
        made = False
        try:
            made = here(loop=self._loop, waiter=reply)
        finally:
            if not made:
                unsettled.discard(reply)
        return made

    def _wake(self) -> None:
        self._loop.call_soon_threadsafe(_nothing)

    def shutdown(self, last: Coroutine[Any, Any, object]) -> None:
        """Run ``last`` (the client's close), stop the loop and join the thread (idempotent).

        Called on the loop thread itself (a garbage collection there), it schedules the same
        and returns without waiting.
        """
        with self._lock:
            if self._closed:
                last.close()
                future = None
            else:
                self._closed = True
                future = asyncio.run_coroutine_threadsafe(self._last(last), self._loop)
        if self.on_loop_thread():
            return
        try:
            if future is not None:
                future.result(CLOSE_TIMEOUT)
        except TimeoutError:
            pass  # reported below
        finally:
            self._thread.join(CLOSE_TIMEOUT)
            if self._thread.is_alive():
                logger.warning("%s did not stop within %g s; left to end", self.name, CLOSE_TIMEOUT)

    async def _last(self, last: Coroutine[Any, Any, object]) -> None:
        try:
            await last
        finally:
            self._stop.set()

    def _main(self, started: Future[tuple[asyncio.AbstractEventLoop, asyncio.Event]]) -> None:
        selector = self._selector
        try:
            with asyncio.Runner(loop_factory=lambda: LendingLoop(selector)) as runner:
                runner.run(self._serve(started))
        finally:
            for reply in list(self._unsettled):  # the close settles them all: this never should
                reply.set_exception(concurrent.futures.CancelledError())
            selector.release()  # calls settled in the loop's last turn

    async def _serve(
        self, started: Future[tuple[asyncio.AbstractEventLoop, asyncio.Event]]
    ) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        self._lends = not loop.get_debug()
        started.set_result((loop, stop))
        await stop.wait()
        current = asyncio.current_task()
        leftovers = [task for task in asyncio.all_tasks() if task is not current]
        if leftovers:  # calls the close failed, finishing: let them hand over their errors
            await asyncio.wait(leftovers, timeout=_LEFTOVER_TIMEOUT)


class _Waiter(Generic[T]):
    """One call: started on the loop as a task that stores its outcome, waited for on a lock."""

    __slots__ = ("_done", "_error", "_settled", "_start", "_value", "cancelled", "task")
    _value: T

    def __init__(self, start: Callable[[], Awaitable[T]], settled: list[_thread.LockType]) -> None:
        self.cancelled = False
        self.task: asyncio.Task[None] | None = None
        self._start = start
        self._settled = settled
        self._error: BaseException | None = None
        self._done = _thread.allocate_lock()
        self._done.acquire()

    def start(self) -> None:
        """On the loop: start the call as a task (unless cancelled already)."""
        if self.cancelled:
            self._error = concurrent.futures.CancelledError()
            self._done.release()
            return
        try:
            self.task = asyncio.get_running_loop().create_task(self._run())
        except BaseException as error:  # handed to the waiting thread
            self._error = error
            self._done.release()

    async def _run(self) -> None:
        try:
            self._value = await self._start()
        except asyncio.CancelledError:
            self._error = concurrent.futures.CancelledError()
        except Exception as error:  # handed to the waiting thread
            self._error = error
        except BaseException:  # GeneratorExit: the loop is going away, this call unsettled
            self._error = concurrent.futures.CancelledError()
            self._done.release()
            raise
        self._settled.append(self._done)  # released just before the loop next polls

    def result(self) -> T:
        """Block until settled (Ctrl-C interrupts); the call's result, or raise its error."""
        self._done.acquire()
        if self._error is not None:
            raise self._error
        return self._value

    def cancel_task(self) -> None:
        if self.task is not None:
            self.task.cancel()


class _Reply:
    """The :class:`~bybit_wsapi.requests.Waiter` of a call made on its calling thread."""

    __slots__ = ("_done", "_error", "_finished", "_settled", "_unsettled", "_value")

    def __init__(self, settled: list[_thread.LockType], unsettled: set[_Reply]) -> None:
        self._settled = settled
        self._unsettled = unsettled
        self._finished = False
        self._value: Any = None
        self._error: BaseException | None = None
        self._done = _thread.allocate_lock()
        self._done.acquire()

    def done(self) -> bool:
        return self._finished

    def set_result(self, result: Any, /) -> None:
        if not self._finished:
            self._value = result
            self._finish()

    def set_exception(self, exception: BaseException, /) -> None:
        if not self._finished:
            self._error = exception
            self._finish()

    def exception(self) -> BaseException | None:
        return self._error

    def cancel(self) -> None:
        """On the loop: its caller is gone (Ctrl-C); a request not written yet never will be."""
        self.set_exception(concurrent.futures.CancelledError())

    def _finish(self) -> None:
        self._finished = True
        self._unsettled.discard(self)
        self._settled.append(self._done)  # released just before the loop next polls

    def result(self) -> Any:
        """Block until settled (Ctrl-C interrupts); the reply, or raise the error."""
        if not self._finished:
            self._done.acquire()
        if self._error is not None:
            raise self._error
        return self._value


def _nothing() -> None:
    """What wakes the loop: a callback that does nothing."""
