"""Lending a sync client's event loop to a calling thread while the loop sleeps in its poll.

The loop thread holds a *baton* (a lock) at all times except while its selector polls. A thread
that takes the baton without waiting has every object of the loop to itself until it gives it
back: the loop thread runs no line of asyncio before it holds the baton again. Whatever the
borrower leaves for the loop must reach it, so while the baton is lent a callback made ready
(``call_soon``), a timer due before the poll would end (``call_at``) or a change to what the
selector watches (a writer added for a full socket) marks the loop to be woken, which the
borrower does once the baton is back (``call_soon_threadsafe``); nothing else needs the loop
awake. A loop in debug mode checks that it is called from its own thread: it lends nothing.

On the main thread a Ctrl-C can land between any two bytecodes; one landing in a borrower's
critical section would leave the loop's objects half changed (a request taken from the queue
and not written, half a frame on the socket). :func:`uninterrupted` defers SIGINT's Python
handler to the end of the section instead (no other thread ever gets a ``KeyboardInterrupt``).
"""

from __future__ import annotations

import _thread
import asyncio
import importlib
import math
import selectors
import signal
import threading
import time
from collections.abc import Callable
from contextvars import Context
from types import FrameType
from typing import Any, TypeVar, TypeVarTuple

_sig: Any
try:  # signal's functions wrap _signal's in enum conversions: 6 µs a swap and back, not 0.4
    _sig = importlib.import_module("_signal")
except ImportError:  # pragma: no cover - another interpreter
    _sig = signal

__all__ = ["BatonSelector", "LendingLoop", "uninterrupted"]

T = TypeVar("T")
Ts = TypeVarTuple("Ts")

_MAIN_THREAD = threading.main_thread().ident
"""The thread SIGINT's Python handler runs on."""


class BatonSelector(selectors.DefaultSelector):
    """The loop's selector: holds the baton except while polling, and releases settled calls.

    Touched only by the loop thread, or by the thread the baton is lent to.
    """

    def __init__(self) -> None:
        super().__init__()
        self.settled: list[_thread.LockType] = []
        """Locks of calls settled since the last poll, released just before the next one (by
        the loop thread, the baton lent already: a borrower may append meanwhile, and each list
        operation is atomic)."""
        self.baton = _thread.allocate_lock()
        self.baton.acquire()  # the loop thread's until its first poll
        self.lent = False
        """The baton is lent: the borrower's changes may need the loop woken."""
        self.must_wake = False
        self.wakes_at = 0.0
        """When the current poll ends on its own (``time.monotonic``, the loop's clock)."""

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        self.wakes_at = math.inf if timeout is None else time.monotonic() + timeout
        self.baton.release()
        self.release()  # after the baton: a caller woken here finds the loop free to lend
        try:
            events: list[tuple[selectors.SelectorKey, int]] = super().select(timeout)
        finally:
            self.baton.acquire()
        return events

    def release(self) -> None:
        settled = self.settled
        while settled:
            settled.pop().release()

    def lend(self, section: Callable[[], bool], wake: Callable[[], object]) -> bool:
        """Run ``section`` with the loop to this thread if the loop sleeps in its poll, then
        ``wake`` it if what the section did needs it; False if the loop is busy (nothing ran)."""
        if not self.baton.acquire(False):
            return False
        self.must_wake = False
        self.lent = True
        try:
            return section()
        finally:
            self.lent = False
            must_wake = self.must_wake  # read before another borrower can reset it
            self.baton.release()
            if must_wake:
                wake()

    def register(self, fileobj: Any, events: int, data: Any = None) -> selectors.SelectorKey:
        self._changed()
        return super().register(fileobj, events, data)

    def unregister(self, fileobj: Any) -> selectors.SelectorKey:
        self._changed()
        return super().unregister(fileobj)

    def modify(self, fileobj: Any, events: int, data: Any = None) -> selectors.SelectorKey:
        self._changed()
        return super().modify(fileobj, events, data)

    def _changed(self) -> None:
        if self.lent:
            self.must_wake = True


class LendingLoop(asyncio.SelectorEventLoop):
    """A selector event loop whose :class:`BatonSelector` may be lent to another thread."""

    def __init__(self, selector: BatonSelector) -> None:
        super().__init__(selector)
        self._baton = selector

    def call_soon(
        self,
        callback: Callable[[*Ts], object],
        *args: *Ts,
        context: Context | None = None,
    ) -> asyncio.Handle:
        if self._baton.lent:
            self._baton.must_wake = True
        return super().call_soon(callback, *args, context=context)

    def call_at(
        self,
        when: float,
        callback: Callable[[*Ts], object],
        *args: *Ts,
        context: Context | None = None,
    ) -> asyncio.TimerHandle:
        baton = self._baton
        if baton.lent and when < baton.wakes_at:
            baton.must_wake = True
        return super().call_at(when, callback, *args, context=context)


class _Deferred:
    """SIGINT's handler during a section: notes the signal for after it."""

    __slots__ = ("frame", "pending")

    def __init__(self) -> None:
        self.pending = False
        self.frame: FrameType | None = None

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        self.pending = True
        self.frame = frame


def uninterrupted(section: Callable[[], T]) -> T:
    """``section()``, with a Ctrl-C landing in it handled just after it instead.

    On the main thread SIGINT's Python handler is swapped for one that notes the signal, and
    put back after the section, then called if a signal came (its ``KeyboardInterrupt`` then
    propagates from here, the section complete). Other threads get no ``KeyboardInterrupt``.
    """
    if _thread.get_ident() != _MAIN_THREAD:
        return section()
    previous = _sig.getsignal(_sig.SIGINT)
    if not callable(previous):  # ignored, the default action, or not set from Python
        return section()
    deferred = _Deferred()
    _sig.signal(_sig.SIGINT, deferred)  # a signal pending already is handled here, before
    try:
        return section()
    finally:
        _sig.signal(_sig.SIGINT, previous)  # one pending now goes to ``deferred``
        if deferred.pending:
            previous(_sig.SIGINT, deferred.frame)
