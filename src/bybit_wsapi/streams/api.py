"""The stream half of ``WebsocketClient``: Node's ``subscribeV5``/``unsubscribeV5`` under PEP 8
names, the generated typed ``stream_*`` methods (their one seam, ``_subscription``), and
``order_book``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bybit_wsapi_generated import StreamMethods, StreamWsKey, Subscription
from bybit_wsapi_generated.streams import PUBLIC_WS_KEYS, TOPIC_RULES, TopicFamily

from ..errors import ConfigurationError, SubscriptionError
from .frames import SubscriptionOp
from .manager import StreamManager
from .routing import route
from .subscription import LiveOrderBook, TopicSubscription

__all__ = ["StreamStatus", "StreamsAPI"]

_USER = object()
"""The holder of topics subscribed with ``subscribe_v5`` (as opposed to iterators and books)."""


@dataclass(frozen=True)
class StreamStatus:
    """A snapshot of one stream socket of a client (``ws.stream_status()``)."""

    wanted: frozenset[str]
    """Topics the client holds on it (by ``subscribe_v5``, iterators or books)."""
    confirmed: frozenset[str]
    """Topics Bybit acknowledged on its current connection."""
    pongs: int
    """Pongs received, over every connection of the socket."""
    unrecognised: int
    """Frames received that no dialect rule understood (each logged)."""


class StreamsAPI(StreamMethods):
    """Subscriptions on the client's stream sockets (one per wsKey, opened on first use)."""

    _streams: StreamManager

    async def subscribe_v5(
        self,
        topics: str | Sequence[str],
        category: str | None = None,
        is_private: bool | None = None,
    ) -> None:
        """Subscribe to a topic or a list of them; returns once Bybit acknowledged each one.

        Private topics (``order``, ``execution``, ``position``, ``wallet``, ``dcp.*``, ...) go to
        ``/v5/private``, after auth; public ones need ``category``, which picks the socket
        (``is_private=True`` forces the private socket). ``already subscribed`` is success.
        Pushed messages reach ``on("update", ...)`` handlers, with ``wsKey`` added.

        Raises:
            SubscriptionError: Bybit refused some topics (``failures`` names each and why);
                the others are subscribed.
            ConfigurationError: a public topic without a category, or an unknown category.
        """
        await self._each("subscribe", topics, category, is_private)

    async def unsubscribe_v5(
        self,
        topics: str | Sequence[str],
        category: str | None = None,
        is_private: bool | None = None,
    ) -> None:
        """Unsubscribe what ``subscribe_v5`` subscribed, by the exact topic strings.

        A topic an open subscription iterator or order book still uses stays subscribed for it.

        Raises:
            SubscriptionError: Bybit refused to unsubscribe some topics.
        """
        await self._each("unsubscribe", topics, category, is_private)

    async def _each(
        self,
        op: SubscriptionOp,
        topics: str | Sequence[str],
        category: str | None,
        is_private: bool | None,
    ) -> None:
        listed = [topics] if isinstance(topics, str) else list(topics)
        if not listed:
            raise ConfigurationError(f"{op}_v5 needs at least one topic")
        by_key: dict[StreamWsKey, list[str]] = {}
        for topic in listed:
            by_key.setdefault(route(topic, category, is_private), []).append(topic)
        action = self._streams.subscribe if op == "subscribe" else self._streams.unsubscribe
        results = await asyncio.gather(
            *(action(key, keyed, _USER) for key, keyed in by_key.items()), return_exceptions=True
        )
        failures: dict[str, str] = {}
        for result in results:
            if isinstance(result, SubscriptionError):
                failures.update(result.failures)
            elif isinstance(result, BaseException):
                raise result
        if failures:
            raise SubscriptionError(op, failures)

    def stream_status(self) -> dict[StreamWsKey, StreamStatus]:
        """Each stream socket this client has made (by wsKey), with its topics and counters."""
        return {
            ws_key: StreamStatus(
                frozenset(conn.table.wanted),
                frozenset(conn.table.confirmed),
                conn.pongs,
                conn.unrecognised,
            )
            for ws_key, conn in self._streams.connections.items()
        }

    def _subscription(
        self, ws_key: StreamWsKey, topic: str, family: TopicFamily
    ) -> Subscription[Any]:
        streams = self._streams
        return TopicSubscription(
            streams,
            ws_key,
            topic,
            family,
            capacity=streams.options.stream_buffer_size,
            on_gap=streams.overflowed,
        )

    def order_book(
        self, category: str, symbol: str, depth: int, *, strict_sequence: bool = False
    ) -> LiveOrderBook:
        """A live local book of ``symbol`` at ``depth`` (``async with ws.order_book(...) as b``).

        ``strict_sequence=True`` also resyncs when an update id is not the previous one plus 1
        (Bybit does not document that it always is).

        Raises:
            ConfigurationError: an unknown category, or a depth Bybit does not serve there.
        """
        ws_key = PUBLIC_WS_KEYS.get(category)
        if ws_key is None:
            raise ConfigurationError(
                f"unknown category {category!r}; books exist for {', '.join(PUBLIC_WS_KEYS)}"
            )
        depths = [
            value
            for variant in TOPIC_RULES["orderbook"]["variants"]
            if category in variant["categories"]
            for value in variant["values"].get("depth", ())
        ]
        if depth not in depths:
            raise ConfigurationError(
                f"depth {depth!r} is not served on {category}; use one of "
                f"{', '.join(map(str, depths))}"
            )
        return LiveOrderBook(
            self._streams,
            ws_key,
            f"orderbook.{depth}.{symbol}",
            strict_sequence=strict_sequence,
            snapshot_timeout=self._streams.options.request_timeout,
        )
