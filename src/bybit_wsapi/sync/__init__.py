"""Blocking clients for threaded code (pybit-style bots): the async clients, without asyncio.

``WebsocketAPIClient`` and ``WebsocketClient`` take the same options, have the same typed
methods (generated from the spec: ``WSAPISyncMethods``, ``WSAPISyncSender``, exported here),
return the same replies and raise the same errors as their ``bybit_wsapi`` namesakes; each call
blocks until it settles. ``with`` connects and closes. Streams too: ``WebsocketClient`` has ``subscribe_v5`` /
``unsubscribe_v5``, the generated ``stream_*`` methods as blocking iterators
(``SyncStreamMethods``, ``SyncSubscription``), ``order_book`` and ``on("update", fn)``.

Threads: each client runs its async client on its own event loop, on one daemon thread
(``bybit-wsapi-loop-N``). One loop per client keeps clients independent: closing one, or a
burst on one, never touches another, and nothing global is left to manage. A call crosses into
the loop with ``loop.call_soon_threadsafe`` (started there as a task) and its thread blocks on a
one-shot lock the task's end releases, so any number of threads may call one client at once; requests go out on its one connection.

Event callbacks (``on``) run on a second thread per client (``bybit-wsapi-callbacks-N``,
started by the first ``on``), one at a time in event order, never on the event loop: a slow
callback cannot delay a reply, a heartbeat or a reconnect. Their queue is bounded: past
``MAX_BACKLOG`` waiting events new calls wait for room, and stream pushes are dropped, counted
and reported to the ``exception`` callbacks as one :class:`CallbackOverflowError` per gap.

Orders: ``ws.track_orders(rest=RestClient(...))`` turns order tracking on; ``ws.orders`` is a
:class:`BlockingOrderTracker` (blocking ``wait``, ``reconcile``, a blocking iterator of
``changes``), run on the client's loop thread like everything else.

REST: :class:`RestClient` is ``bybit_wsapi.rest.RestClient`` blocking (same options, results,
errors; page walks as blocking iterators), on a loop thread of its own.

Exit: a client not closed is closed when the interpreter exits (or when it is garbage
collected), so the process never hangs on it. Ctrl-C during a call cancels it and raises
:class:`RequestInterrupted` (a ``KeyboardInterrupt``); ``close()`` fails every pending call
with ``RequestNotSentError`` or ``RequestOutcomeUnknownError``.
"""

from bybit_wsapi_generated.sync_operations import WSAPISyncMethods, WSAPISyncSender
from bybit_wsapi_generated.sync_subscriptions import SyncStreamMethods, SyncSubscription

from .client import WebsocketAPIClient, WebsocketClient
from .errors import CallbackOverflowError, RequestInterrupted
from .orders import BlockingOrderChanges, BlockingOrderTracker
from .rest import RestClient

__all__ = [
    "BlockingOrderChanges",
    "BlockingOrderTracker",
    "CallbackOverflowError",
    "RequestInterrupted",
    "RestClient",
    "SyncStreamMethods",
    "SyncSubscription",
    "WSAPISyncMethods",
    "WSAPISyncSender",
    "WebsocketAPIClient",
    "WebsocketClient",
]
