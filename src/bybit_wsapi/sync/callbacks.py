"""Event callbacks of a sync client: run one at a time, in event order, on their own thread.

The event loop only appends to a queue (it never waits for a callback), so a slow callback
delays later callbacks, never a reply, a heartbeat or a reconnect. The queue is bounded:

- calls: while ``max_backlog`` events wait, a new call waits (on its own thread, up to its
  timeout, then ``RequestNotSentError``) before it is sent, so replies and other events are
  never dropped; calls made from a callback are never held;
- stream pushes (``update``): past ``max_backlog`` waiting events they are dropped and counted,
  and at the place of the gap the ``exception`` callbacks get one
  :class:`~bybit_wsapi.sync.CallbackOverflowError` (a ``StreamOverflowError``) with the count,
  also logged as a warning. Consume busy streams through the ``stream_*`` iterators instead.
"""

from __future__ import annotations

import inspect
import logging
import threading
from collections import deque
from collections.abc import Callable

from .errors import CallbackOverflowError
from .loop import CLOSE_TIMEOUT

__all__ = ["MAX_BACKLOG", "Callback", "CallbackThread"]

Callback = Callable[[object], object]

logger = logging.getLogger(__name__)

MAX_BACKLOG = 10_000
"""Events waiting for their callbacks before new calls wait and stream pushes are dropped."""

DROPPABLE = "update"
"""The one event dropped (counted, reported) past ``max_backlog``: stream pushes."""


class _Gap:
    """Where stream pushes were dropped in the queue, and how many."""

    __slots__ = ("count",)

    def __init__(self) -> None:
        self.count = 1


_Item = tuple[str, tuple[Callback, ...], object] | _Gap


class CallbackThread:
    """A daemon thread that calls event callbacks, started on first use."""

    def __init__(
        self,
        name: str,
        max_backlog: int = MAX_BACKLOG,
        handlers: Callable[[str], tuple[Callback, ...]] = lambda event: (),
    ) -> None:
        self.name = name
        self.max_backlog = max_backlog
        self.dropped = 0
        """Stream pushes dropped so far (each also reported once per gap)."""
        self._handlers = handlers
        self._gap: _Gap | None = None
        self._items: deque[_Item | None] = deque()
        self._lock = threading.Lock()
        self._not_empty = threading.Condition(self._lock)
        self._not_full = threading.Condition(self._lock)
        self._thread: threading.Thread | None = None
        self._stopped = False

    @property
    def backlog(self) -> int:
        """Events waiting for their callbacks."""
        return len(self._items)

    def is_current(self) -> bool:
        """Whether the caller is running on this thread (inside a callback)."""
        return self._thread is not None and threading.get_ident() == self._thread.ident

    def start(self) -> None:
        """Start the thread if it is not running yet (idempotent)."""
        with self._lock:
            if self._thread is None and not self._stopped:
                self._thread = threading.Thread(target=self._main, name=self.name, daemon=True)
                self._thread.start()

    def put(self, event: str, callbacks: tuple[Callback, ...], payload: object) -> None:
        """Queue one event for ``callbacks``; never blocks (called on the event loop).

        A stream push past ``max_backlog`` is dropped and counted into the gap at the queue's end.
        """
        with self._lock:
            items = self._items
            if event == DROPPABLE:
                if len(items) >= self.max_backlog and not self._stopped:
                    self.dropped += 1
                    if self._gap is not None:
                        self._gap.count += 1
                        return
                    self._gap = _Gap()
                    items.append(self._gap)
                    self._not_empty.notify()
                    return
                self._gap = None  # room again: a later drop opens a new gap
            items.append((event, callbacks, payload))
            self._not_empty.notify()
            full = len(items) == self.max_backlog
        if full:  # once per crossing
            logger.warning(
                "%s: %d events wait for their callbacks (a callback is slow or stuck); new calls "
                "wait and stream pushes are dropped (then reported) until there is room",
                self.name,
                self.max_backlog,
            )

    def wait_for_room(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds while ``max_backlog`` events wait; False if still full.

        Never waits inside a callback (its own calls would wait for themselves) or once stopped.
        """
        if len(self._items) < self.max_backlog or self.is_current():
            return True
        with self._lock:
            return self._not_full.wait_for(
                lambda: len(self._items) < self.max_backlog or self._stopped, timeout
            )

    def stop(self) -> None:
        """Deliver what is queued, then end the thread (bounded join; idempotent)."""
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
            self._items.append(None)
            self._not_empty.notify()
            self._not_full.notify_all()
            thread = self._thread
        if thread is not None and not self.is_current():
            thread.join(CLOSE_TIMEOUT)
            if thread.is_alive():
                logger.warning(
                    "%s: a callback is still running after %g s", self.name, CLOSE_TIMEOUT
                )

    def _main(self) -> None:
        while True:
            with self._lock:
                while not self._items:
                    self._not_empty.wait()
                item = self._items.popleft()
                self._not_full.notify()
                if item is self._gap:
                    self._gap = None  # closed: its count is final
            if item is None:
                return
            if isinstance(item, _Gap):
                self._report(item.count)
                continue
            event, callbacks, payload = item
            for callback in callbacks:
                _call(event, callback, payload)

    def _report(self, dropped: int) -> None:
        error = CallbackOverflowError(dropped, self.max_backlog)
        logger.warning("%s: %s", self.name, error)
        for callback in self._handlers("exception"):
            _call("exception", callback, error)


def _call(event: str, callback: Callback, payload: object) -> None:
    try:
        result = callback(payload)
    except Exception:
        logger.exception("%r callback %r raised; the client carries on", event, callback)
        return
    if inspect.iscoroutine(result):
        result.close()
        logger.error(
            "%r callback %r returned a coroutine, which the sync client does not run: pass a "
            "plain function (or use the async bybit_wsapi.WebsocketClient)",
            event,
            callback,
        )
