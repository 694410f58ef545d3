"""Feeding a ``WebsocketClient``'s tracker: replies, failed requests, private pushes, batches.

``WebsocketClient.track_orders`` attaches one (:func:`attach_tracker`) and subscribes the
topics; its ``orders`` property is that tracker.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any, TypedDict

from bybit_wsapi_generated import WS_KEY_MAP

from ..errors import SubscriptionError
from ..events import EventName, Handler
from .reconcile import OrderQueries
from .tracker import OrderTracker

if TYPE_CHECKING:
    from ..client import WebsocketClient

__all__ = ["PRIVATE_TOPICS", "TrackingOptions", "attach_tracker", "follow_reply"]

logger = logging.getLogger(__name__)

PRIVATE_TOPICS = ("order", "execution")
"""The private topics (all categories) the tracker needs subscribed."""


_CLIENT_OPTIONS = frozenset({"subscribe", "close_rest"})
"""The ``TrackingOptions`` the client uses itself; the others go to ``OrderTracker``."""


class TrackingOptions(TypedDict, total=False):
    """``track_orders`` options (all optional)."""

    rest: OrderQueries | None
    """REST queries for ``reconcile``/``resync`` (a ``bybit_wsapi.rest.RestClient``); with it,
    each private-stream reconnect runs ``resync()`` (reads only), once Bybit acknowledged the
    ``order`` and ``execution`` topics again on the new connection (``subscribe_v5`` of a topic
    wanted already returns at its ack), so no push falls between the REST read and the stream."""
    close_rest: bool
    """Close ``rest`` (a ``RestClient``) when the client closes: default False for the async
    client (yours to close), True for the sync one (it runs ``rest`` on its loop thread)."""
    subscribe: bool
    """Subscribe the private ``order`` and ``execution`` topics (default True); False: the
    tracker sees the pushes of topics subscribed by anyone."""
    max_closed: int
    """Closed orders kept (default 1000); the oldest age out first."""
    closed_ttl: float
    """Seconds a closed order is kept (default 3600)."""
    change_buffer: int
    """Changes an iterator of ``changes()`` holds before it reports a gap (default 1000)."""
    auto_reconcile: bool
    """With ``rest``, reconcile each order op whose outcome became unknown in the background
    (default True with ``rest``): found and adopted, or proven absent, in the order's view; a
    ``reconcile`` of it meanwhile joins that run. Reads only: nothing is ever resent."""
    auto_deadline: float
    """Seconds an automatic reconcile looks for an order before proving it absent (30)."""


def attach_tracker(
    ws: WebsocketClient, options: TrackingOptions
) -> tuple[OrderTracker, Callable[[], None]]:
    """A tracker fed by ``ws``'s events from now on, and the function that detaches it."""
    tracker = OrderTracker(
        **{key: value for key, value in options.items() if key not in _CLIENT_OPTIONS}  # type: ignore[arg-type]
    )
    tracker.sender = ws
    tracker.report = partial(ws._events.emit, "exception")

    subscribed = options.get("subscribe", True)

    async def resync_when_subscribed() -> None:
        if subscribed:  # pushes from here on are not lost: only then read REST (no gap)
            try:
                await ws.subscribe_v5(list(PRIVATE_TOPICS), is_private=True)
            except SubscriptionError as error:
                logger.warning("resyncing orders though the private topics failed: %s", error)
        await tracker.resync()

    def on_reconnected(event: object) -> Awaitable[object] | None:
        private = isinstance(event, Mapping) and event.get("wsKey") == WS_KEY_MAP.v5_private
        return resync_when_subscribed() if private and tracker.rest is not None else None

    handlers: tuple[tuple[EventName, Handler], ...] = (
        ("response", tracker.on_reply),
        ("exception", tracker.on_error),
        ("update", tracker.on_push),
        ("reconnected", on_reconnected),
    )
    for event, handler in handlers:
        ws.on(event, handler)

    def detach() -> None:
        for event, handler in handlers:
            ws.off(event, handler)

    return tracker, detach


async def follow_reply(
    tracker: OrderTracker, call: Awaitable[Any], params: Mapping[str, Any]
) -> Any:
    """Await an order call (single or batch) and give the tracker its reply with the request's
    params: a single ack names no category or symbol, a failed batch item is named only there,
    and ``resync``/``reconcile`` need both. A failure reaches it as an ``exception``."""
    reply = await call
    tracker.on_reply(reply, params)
    return reply
