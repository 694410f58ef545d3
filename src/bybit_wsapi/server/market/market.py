"""The simulated market: instruments whose books move, and the public pushes they cause (pure).

Time is passed in (``now_ms``); nothing runs by itself. The socket side calls
:meth:`Market.advance` on a timer (or a test on a manual clock) and fans out the returned pushes;
:meth:`Market.subscribe` when a stream gets its first subscriber of a topic (it returns the
snapshot a new subscriber gets first), :meth:`Market.unsubscribe` when the last one leaves.
Only subscribed topics are computed. Accounts attach themselves (:meth:`Market.attach`) to
match their resting orders at every step; their takers call :meth:`Market.take`.

Every RNG is seeded from ``seed`` and the instrument, so one seed and one sequence of calls
give the same messages.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from bybit_wsapi_generated.models import (
    AllLiquidationMessageV5,
    KlineIntervalV5,
    PublicTradeMessageV5,
)

from .book import Fill, Side
from .feeds import FAULTS, BookFeed, Fault, KlineFeed, Message, TickerFeed
from .instruments import Instrument, MarketConfig
from .listing import INTERVALS, Listing
from .push import Ids, Push

__all__ = ["Market", "Participant"]


class Participant(Protocol):
    """An account that matches its resting orders when the market moves."""

    def on_step(self, now_ms: int) -> list[Push]:
        """Fill what the market now crosses; the private (and public) pushes that causes."""
        ...


@dataclass(frozen=True, slots=True)
class _Route:
    kind: str
    key: tuple[str, str]
    """(category, symbol) of the instrument."""
    cadence: int
    depth: int = 0
    interval: KlineIntervalV5 = "1"


@dataclass(slots=True)
class _Watched:
    route: _Route
    listing: Listing
    feed: BookFeed | TickerFeed | KlineFeed | None
    count: int = 0
    due: int = 0
    faults: set[Fault] = field(default_factory=set)
    """One-shot faults of topics without a feed object (publicTrade, allLiquidation)."""


class Market:
    """A seeded simulated market (not thread-safe). See the module docstring for the calls."""

    def __init__(self, config: MarketConfig | None = None, seed: int = 0) -> None:
        self.config = config = config if config is not None else MarketConfig()
        self.seed = seed
        self._instruments: dict[tuple[str, str], Instrument] = {
            (i.category, i.symbol): i for i in config.instruments
        }
        self._listings: dict[tuple[str, str], Listing] = {}
        """The instruments in use: each is built (and starts moving) when first used."""
        self._routes = dict(self._build_routes())
        self._watched: dict[tuple[str, str], _Watched] = {}
        self._participants: list[Participant] = []
        self._outbox: list[Push] = []
        self._next_step: int | None = None
        self._ids = Ids(f"{seed}:market")
        self._u = random.Random(f"{seed}:u")

    # ---- instruments and topics -----------------------------------------------------------

    def listing(self, category: str, symbol: str) -> Listing | None:
        """The live state of an instrument, or ``None`` if the market does not list it."""
        key = (category, symbol)
        listing = self._listings.get(key)
        if listing is None:
            instrument = self._instruments.get(key)
            if instrument is None:
                return None
            listing = self._listings[key] = Listing(instrument, self.config, self.seed)
        return listing

    def topics(self, category: str) -> list[str]:
        """Every public topic of ``category``'s stream, sorted."""
        return sorted(topic for cat, topic in self._routes if cat == category)

    def valid_topic(self, category: str, topic: str) -> bool:
        """Whether ``/v5/public/{category}`` serves ``topic`` (else: ``handler not found``)."""
        return (category, topic) in self._routes

    # ---- subscriptions --------------------------------------------------------------------

    def subscribe(self, category: str, topic: str, now_ms: int) -> Push | None:
        """Count one more subscriber of a topic; the snapshot a new subscriber gets first.

        ``None`` for topics that start with their next push (publicTrade, kline,
        allLiquidation). ``KeyError`` for a topic :meth:`valid_topic` refuses.
        """
        key = (category, topic)
        watched = self._watched.get(key)
        if watched is None:
            self._start(now_ms)
            route = self._routes[key]
            listing = self.listing(*route.key)
            assert listing is not None
            feed = self._feed(route, listing, topic, now_ms)
            watched = self._watched[key] = _Watched(route, listing, feed)
            watched.due = now_ms + route.cadence
        watched.count += 1
        return self.snapshot(category, topic, now_ms)

    def unsubscribe(self, category: str, topic: str) -> None:
        """One subscriber fewer; the topic stops being computed with its last one."""
        key = (category, topic)
        watched = self._watched.get(key)
        if watched is not None:
            watched.count -= 1
            if watched.count <= 0:
                del self._watched[key]
                if isinstance(watched.feed, BookFeed):
                    watched.feed.close()

    def snapshot(self, category: str, topic: str, now_ms: int) -> Push | None:
        """A subscribed topic's current snapshot (orderbook, tickers), else ``None``."""
        watched = self._watched.get((category, topic))
        if watched is not None and isinstance(watched.feed, (BookFeed, TickerFeed)):
            return Push(topic, watched.listing.category, watched.feed.snapshot(now_ms))
        return None

    def attach(self, participant: Participant) -> None:
        """Match ``participant``'s resting orders at every step."""
        self._participants.append(participant)

    # ---- time -----------------------------------------------------------------------------

    def advance(self, now_ms: int) -> list[Push]:
        """Run every step due up to ``now_ms``; every push they cause, in order.

        Steps are ``config.step_ms`` apart, starting at the first time the market saw. A jump
        of more than ``config.max_steps_per_advance`` steps skips the time beyond them.
        """
        self._start(now_ms)
        assert self._next_step is not None
        step_ms = self.config.step_ms
        if (now_ms - self._next_step) // step_ms >= self.config.max_steps_per_advance:
            skipped = now_ms - (self.config.max_steps_per_advance - 1) * step_ms
            self._next_step = skipped
        pushes = self.drain()
        while self._next_step <= now_ms:
            self._step(self._next_step, pushes)
            self._next_step += step_ms
        return pushes

    def drain(self) -> list[Push]:
        """Public pushes caused between steps (the trades of orders that just filled)."""
        out, self._outbox = self._outbox, []
        return out

    # ---- trading (called by accounts) -----------------------------------------------------

    def take(
        self, listing: Listing, side: Side, lots: int, limit: int | None, now_ms: int
    ) -> list[Fill]:
        """A taker order on ``side`` takes up to ``lots`` within ``limit``; trades recorded."""
        self._between_steps(listing, now_ms)
        fills = listing.book.take(side, lots, limit, now_ms)
        for price, taken in fills:
            listing.record(side, price, taken, now_ms)
        self._flush_trades(listing, now_ms, self._outbox)
        return fills

    def take_value(self, listing: Listing, side: Side, budget: int, now_ms: int) -> list[Fill]:
        """A taker spending ``budget`` ticks x lots (spot market buys in the quote coin)."""
        self._between_steps(listing, now_ms)
        fills = listing.book.take_value(side, budget, now_ms)
        for price, taken in fills:
            listing.record(side, price, taken, now_ms)
        self._flush_trades(listing, now_ms, self._outbox)
        return fills

    def cross(self, listing: Listing, maker: Side, price: int, lots: int, now_ms: int) -> int:
        """Lots of a resting order at ``price`` the market now crosses (filled at ``price``).

        Two kinds of liquidity cross it: the opposite side moved through ``price`` (asks at or
        below a resting Buy, bids at or above a resting Sell), then takers arriving at its own
        level (the book's lots at ``price`` on its side). Those levels are consumed, and the
        trade prints at ``price``, taker on the other side. Called from
        :meth:`Participant.on_step`.
        """
        taker: Side = "Sell" if maker == "Buy" else "Buy"
        book = listing.book
        filled = sum(q for _, q in book.take(maker, lots, price, now_ms))
        if filled < lots:
            filled += sum(q for _, q in book.take(taker, lots - filled, price, now_ms))
        if filled:
            listing.record(taker, price, filled, now_ms)
        return filled

    def print_trade(
        self, listing: Listing, taker: Side, price: int, lots: int, now_ms: int
    ) -> None:
        """A trade outside the book (a forced fill): recorded and pushed like any other."""
        self._between_steps(listing, now_ms)
        listing.record(taker, price, lots, now_ms)
        self._flush_trades(listing, now_ms, self._outbox)

    # ---- faults ---------------------------------------------------------------------------

    def inject(self, fault: Fault, category: str | None = None, topic: str | None = None) -> int:
        """Queue a one-shot fault on the subscribed topics matching ``category`` and ``topic``
        (``None``: any); returns how many topics got it. See ``feeds.FAULTS``."""
        if fault not in FAULTS:
            raise ValueError(f"unknown stream fault {fault!r}: one of {', '.join(FAULTS)}")
        hit = 0
        for (cat, name), watched in self._watched.items():
            if (category is None or cat == category) and (topic is None or name == topic):
                feed = watched.feed
                if fault != "duplicate" and not isinstance(feed, BookFeed):
                    continue
                if feed is None:
                    watched.faults.add(fault)
                else:
                    feed.inject(fault)
                hit += 1
        return hit

    def burst(self, category: str, topic: str, count: int, now_ms: int) -> list[Push]:
        """``count`` book changes at once, each pushed as its own delta of a subscribed book."""
        watched = self._watched.get((category, topic))
        feed = None if watched is None else watched.feed
        if watched is None or not isinstance(feed, BookFeed):
            raise ValueError(f"burst needs a subscribed orderbook topic, got {category} {topic}")
        feed_category = watched.listing.category
        pushes = []
        for _ in range(count):
            feed.book.perturb(now_ms)
            pushes += [Push(topic, feed_category, m) for m in feed.tick(now_ms)]
        return pushes

    # ---- internals ------------------------------------------------------------------------

    def _start(self, now_ms: int) -> None:
        if self._next_step is None:
            self._next_step = now_ms
            for listing in self._listings.values():
                listing.roll(now_ms)

    def _between_steps(self, listing: Listing, now_ms: int) -> None:
        self._start(now_ms)
        self._close_candles(listing, now_ms, self._outbox)

    def _step(self, now_ms: int, pushes: list[Push]) -> None:
        config = self.config
        for listing in self._listings.values():
            self._close_candles(listing, now_ms, pushes)
            for side, price, lots in listing.book.step(
                config.volatility_ticks, config.churn, config.trade_probability, now_ms
            ):
                listing.record(side, price, lots, now_ms)
        for participant in self._participants:
            pushes += participant.on_step(now_ms)
        for listing in self._listings.values():
            self._flush_trades(listing, now_ms, pushes)
        for (_, topic), watched in self._watched.items():
            if now_ms >= watched.due:
                watched.due = now_ms + watched.route.cadence
                category = watched.listing.category
                pushes += [Push(topic, category, m) for m in self._tick(watched, now_ms)]

    def _tick(self, watched: _Watched, now_ms: int) -> list[Message]:
        feed, route, listing = watched.feed, watched.route, watched.listing
        if isinstance(feed, KlineFeed):
            return feed.tick(listing.candles[route.interval], now_ms)
        if feed is not None:
            return feed.tick(now_ms)
        if route.kind != "allLiquidation":  # publicTrade: pushed as trades happen
            return []
        if listing.liquidations.random() >= self.config.liquidation_probability:
            return []
        topic = f"allLiquidation.{listing.symbol}"
        message: AllLiquidationMessageV5 = {
            "topic": topic,
            "type": "snapshot",
            "ts": now_ms,
            "data": [listing.liquidation(now_ms)],
        }
        count = 2 if "duplicate" in watched.faults else 1
        watched.faults.clear()
        return [message] * count

    def _close_candles(self, listing: Listing, now_ms: int, pushes: list[Push]) -> None:
        for interval, candle in listing.roll(now_ms):
            topic = f"kline.{interval}.{listing.symbol}"
            watched = self._watched.get((listing.category, topic))
            if watched is not None and isinstance(watched.feed, KlineFeed):
                pushes += [
                    Push(topic, listing.category, m) for m in watched.feed.closed(candle, now_ms)
                ]

    def _flush_trades(self, listing: Listing, now_ms: int, pushes: list[Push]) -> None:
        trades = listing.trades
        if not trades:
            return
        listing.trades = []
        topic = listing.trade_topic()
        watched = self._watched.get((listing.category, topic))
        if watched is None:
            return
        size = self.config.max_trades_per_message
        for start in range(0, len(trades), size):
            message: PublicTradeMessageV5 = {
                "topic": topic,
                "type": "snapshot",
                "ts": now_ms,
                "data": trades[start : start + size],
            }
            if listing.category == "option":
                message = {"id": self._ids.uuid(), **message}
            count = 2 if "duplicate" in watched.faults else 1
            watched.faults.clear()
            pushes += [Push(topic, listing.category, message)] * count

    def _feed(
        self, route: _Route, listing: Listing, topic: str, now_ms: int
    ) -> BookFeed | TickerFeed | KlineFeed | None:
        category = listing.category
        if route.kind == "orderbook":
            return BookFeed(
                topic,
                listing.symbol,
                listing.book,
                route.depth,
                (listing.price, listing.size),
                snapshot_only=route.depth == 1 and category != "option",
                repeat_ms=self.config.level1_repeat_ms,
                first_u=self._u.randrange(10**6, 10**8),
                now_ms=now_ms,
            )
        if route.kind == "tickers":
            return TickerFeed(
                topic,
                listing.ticker,
                deltas=category in ("linear", "inverse"),
                extra=self._ticker_extra(listing),
                now_ms=now_ms,
            )
        if route.kind == "kline":
            scales = (listing.price, listing.size, listing.value)
            inverse = category == "inverse"
            return KlineFeed(topic, route.interval, scales, self.config.kline_ms, inverse=inverse)
        return None

    def _ticker_extra(self, listing: Listing) -> Callable[[], dict[str, object]]:
        ids = self._ids

        def extra() -> dict[str, object]:
            cs: dict[str, object] = {"cs": listing.book.seq}
            if listing.category == "option":
                cs["id"] = ids.uuid()
            return cs

        return extra

    def _build_routes(self) -> Iterable[tuple[tuple[str, str], _Route]]:
        config = self.config
        for key, instrument in self._instruments.items():
            category, symbol = key
            trades = f"publicTrade.{instrument.base_coin if category == 'option' else symbol}"
            for depth, cadence in config.depths.get(category, {}).items():
                route = _Route("orderbook", key, cadence, depth=depth)
                yield (category, f"orderbook.{depth}.{symbol}"), route
            ticker_ms = config.ticker_ms.get(category, 100)
            yield (category, f"tickers.{symbol}"), _Route("tickers", key, ticker_ms)
            yield (category, trades), _Route("publicTrade", key, config.step_ms)
            if category == "option":
                continue
            for interval in INTERVALS:
                route = _Route("kline", key, config.kline_ms, interval=interval)
                yield (category, f"kline.{interval}.{symbol}"), route
            if category in ("linear", "inverse"):
                route = _Route("allLiquidation", key, config.liquidation_ms)
                yield (category, f"allLiquidation.{symbol}"), route
