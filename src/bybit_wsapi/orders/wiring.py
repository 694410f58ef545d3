"""Feeding a tracker from a ``WebsocketClient``: replies, failed requests, private pushes."""

from __future__ import annotations

from collections.abc import Awaitable, Mapping
from typing import TYPE_CHECKING, Any

from bybit_wsapi_generated import WS_KEY_MAP

from .tracker import OrderTracker

if TYPE_CHECKING:
    from ..client import WebsocketClient

__all__ = ["PRIVATE_TOPICS", "follow_orders", "track_orders"]

PRIVATE_TOPICS = ("order", "execution")
"""The private topics (all categories) the tracker needs subscribed."""


def follow_orders(ws: WebsocketClient, **options: Any) -> OrderTracker:
    """A tracker fed by ``ws``'s ``response``, ``exception`` and ``update`` events.

    It sees the pushes of topics subscribed by anyone; ``track_orders`` also subscribes them.
    ``options`` go to ``OrderTracker`` (``max_closed``, ``closed_ttl``, ``change_buffer``,
    ``rest``). With ``rest``, each private-stream reconnect runs ``tracker.resync()`` (reads
    only), since pushes may have been lost in the gap; a failure is logged.
    """
    tracker = OrderTracker(**options)
    ws.on("response", tracker.on_reply)
    ws.on("exception", tracker.on_error)
    ws.on("update", tracker.on_push)

    def on_reconnected(event: object) -> Awaitable[object] | None:
        private = isinstance(event, Mapping) and event.get("wsKey") == WS_KEY_MAP.v5_private
        return tracker.resync() if private and tracker.rest is not None else None

    ws.on("reconnected", on_reconnected)
    return tracker


async def track_orders(ws: WebsocketClient, **options: Any) -> OrderTracker:
    """``follow_orders(ws)``, with the private ``order`` and ``execution`` topics subscribed.

    Raises:
        SubscriptionError: Bybit refused a topic.
    """
    tracker = follow_orders(ws, **options)
    await ws.subscribe_v5(list(PRIVATE_TOPICS), is_private=True)
    return tracker
