"""Event callbacks of a sync client: run one at a time, in event order, on their own thread.

The event loop only appends to a queue (it never waits for a callback), so a slow callback
delays later callbacks, never a reply, a heartbeat or a reconnect. The queue is bounded by
back-pressure instead of loss: while ``max_backlog`` events wait, a new call waits (on its own
thread, up to its timeout) before it is sent; calls made from a callback are never held.
Stream pushes are never dropped here: past ``max_backlog`` they keep queuing, with a warning
(consume busy streams through the ``stream_*`` iterators, whose buffers are bounded).
"""

from __future__ import annotations

import inspect
import logging
import threading
from collections import deque
from collections.abc import Callable

from .loop import CLOSE_TIMEOUT

__all__ = ["MAX_BACKLOG", "Callback", "CallbackThread"]

Callback = Callable[[object], object]

logger = logging.getLogger(__name__)

MAX_BACKLOG = 10_000
"""Events waiting for their callbacks before new calls wait for room."""

_Item = tuple[str, tuple[Callback, ...], object]


class CallbackThread:
    """A daemon thread that calls event callbacks, started on first use."""

    def __init__(self, name: str, max_backlog: int = MAX_BACKLOG) -> None:
        self.name = name
        self.max_backlog = max_backlog
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
        """Queue one event for ``callbacks``; never blocks (called on the event loop)."""
        with self._lock:
            self._items.append((event, callbacks, payload))
            self._not_empty.notify()
            full = len(self._items) == self.max_backlog
        if full:  # once per crossing: pushes keep queuing (never dropped), new calls wait
            logger.warning(
                "%s: %d events wait for their callbacks (a callback is slow or stuck); new calls "
                "wait for room, stream pushes keep queuing",
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
            if item is None:
                return
            event, callbacks, payload = item
            for callback in callbacks:
                _call(event, callback, payload)


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
