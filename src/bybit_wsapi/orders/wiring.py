"""Feeding a tracker from a ``WebsocketClient``: replies, failed requests, private pushes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .tracker import OrderTracker

if TYPE_CHECKING:
    from ..client import WebsocketClient

__all__ = ["PRIVATE_TOPICS", "follow_orders", "track_orders"]

PRIVATE_TOPICS = ("order", "execution")
"""The private topics (all categories) the tracker needs subscribed."""


def follow_orders(ws: WebsocketClient, **options: Any) -> OrderTracker:
    """A tracker fed by ``ws``'s ``response``, ``exception`` and ``update`` events.

    It sees the pushes of topics subscribed by anyone; ``track_orders`` also subscribes them.
    ``options`` go to ``OrderTracker`` (``max_closed``, ``closed_ttl``, ``change_buffer``).
    """
    tracker = OrderTracker(**options)
    ws.on("response", tracker.on_reply)
    ws.on("exception", tracker.on_error)
    ws.on("update", tracker.on_push)
    return tracker


async def track_orders(ws: WebsocketClient, **options: Any) -> OrderTracker:
    """``follow_orders(ws)``, with the private ``order`` and ``execution`` topics subscribed.

    Raises:
        SubscriptionError: Bybit refused a topic.
    """
    tracker = follow_orders(ws, **options)
    await ws.subscribe_v5(list(PRIVATE_TOPICS), is_private=True)
    return tracker
