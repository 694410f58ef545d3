"""Per-topic push state of the public streams: orderbook, tickers and kline (pure).

A feed remembers what it last pushed, so a new subscriber's snapshot and the next delta agree
(``u`` of the snapshot, then ``u + 1``). One-shot stream faults are queued on a feed with
:meth:`BookFeed.inject` and consumed by its next push.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Final, Literal

from bybit_wsapi_generated.models import (
    KlineIntervalV5,
    KlineMessageV5,
    KlineV5,
    OrderbookMessageV5,
    PushTypeV5,
)

from .book import Book, View
from .instruments import Scale, dec

__all__ = ["FAULTS", "BookFeed", "Candle", "Fault", "KlineFeed", "TickerFeed", "interval_bounds"]

Fault = Literal["gap", "snapshot", "reset", "missing_delete", "duplicate"]
FAULTS: Final[tuple[Fault, ...]] = ("gap", "snapshot", "reset", "missing_delete", "duplicate")
"""``gap``: the next delta skips one ``u``. ``snapshot``: the next push is a snapshot.
``reset``: the next push is a snapshot with ``u == 1`` (a service restart). ``missing_delete``:
the next delta also deletes a price the book does not have. ``duplicate``: the next push is
sent twice. ``duplicate`` applies to every public topic, the others to orderbook topics."""

Message = Mapping[str, object]


class BookFeed:
    """``orderbook.{depth}.{symbol}``: a snapshot, then deltas with strictly increasing ``u``.

    Depth 1 of linear, inverse and spot is snapshot-only: each change is a new snapshot with the
    next ``u``; an unchanged book is pushed again with the same ``u`` every ``repeat_ms``.
    """

    __slots__ = (
        "_asks",
        "_bids",
        "_faults",
        "_pushed_ms",
        "_seq",
        "book",
        "price",
        "repeat_ms",
        "size",
        "snapshot_only",
        "symbol",
        "topic",
        "u",
    )

    def __init__(
        self,
        topic: str,
        symbol: str,
        book: Book,
        depth: int,
        scales: tuple[Scale, Scale],
        *,
        snapshot_only: bool,
        repeat_ms: int,
        first_u: int,
        now_ms: int,
    ) -> None:
        self.topic = topic
        self.symbol = symbol
        self.book = book
        self.price, self.size = scales
        self.snapshot_only = snapshot_only
        self.repeat_ms = repeat_ms
        self.u = first_u
        self._bids = View(book.bids, depth)
        self._asks = View(book.asks, depth)
        self._seq = book.seq
        self._pushed_ms = now_ms
        self._faults: set[Fault] = set()

    def close(self) -> None:
        """Stop following the book (the last subscriber left)."""
        self._bids.close()
        self._asks.close()

    def inject(self, fault: Fault) -> None:
        """Queue a one-shot fault for the next push."""
        self._faults.add(fault)

    def snapshot(self, now_ms: int) -> Message:
        """The last pushed state as a snapshot (what a new subscriber gets first)."""
        b, a = self._levels(self._bids.best_first()), self._levels(self._asks.best_first())
        return self._message("snapshot", b, a, now_ms)

    def tick(self, now_ms: int) -> list[Message]:
        """The push due now: a delta (or snapshot) if the book changed, else nothing."""
        faults = self._faults
        book = self.book
        bids = asks = None
        if book.seq != self._seq:
            self._seq = book.seq
            bids, asks = self._bids.sync(), self._asks.sync()
        if not (bids or asks or faults):
            if self.snapshot_only and now_ms - self._pushed_ms >= self.repeat_ms:
                self._pushed_ms = now_ms
                return [self.snapshot(now_ms)]
            return []
        if self.snapshot_only or "snapshot" in faults or "reset" in faults:
            self.u = 1 if "reset" in faults else self.u + 1
            message = self.snapshot(now_ms)
        else:
            self.u += 2 if "gap" in faults else 1
            b, a = self._levels(bids or []), self._levels(asks or [])
            if "missing_delete" in faults:  # below every bid shown, before and after
                low = min([*self._bids.levels, *(p for p, _ in bids or ())], default=2)
                b.append([self.price.format(max(1, low - 1)), "0"])
            message = self._message("delta", b, a, now_ms)
        self._pushed_ms = now_ms
        count = 2 if "duplicate" in faults else 1
        faults.clear()
        return [message] * count

    def _levels(self, levels: list[tuple[int, int]]) -> list[list[str]]:
        fmt_price, fmt_size = self.price.format, self.size.format
        return [[fmt_price(p), fmt_size(q) if q else "0"] for p, q in levels]

    def _message(
        self, kind: PushTypeV5, b: list[list[str]], a: list[list[str]], now_ms: int
    ) -> OrderbookMessageV5:
        cts = min(self.book.changed_ms, now_ms)
        return {
            "topic": self.topic,
            "type": kind,
            "ts": now_ms,
            "data": {"s": self.symbol, "b": b, "a": a, "u": self.u, "seq": self._seq},
            "cts": cts,
        }


class TickerFeed:
    """``tickers.{symbol}``: linear/inverse send a snapshot then deltas of the changed fields
    only; spot and option send snapshots. ``fields(now_ms)`` computes the full ticker."""

    __slots__ = ("_faults", "_last", "deltas", "extra", "fields", "topic")

    def __init__(
        self,
        topic: str,
        fields: Callable[[int], Mapping[str, object]],
        *,
        deltas: bool,
        extra: Callable[[], Message],
        now_ms: int,
    ) -> None:
        self.topic = topic
        self.fields = fields
        self.deltas = deltas
        self.extra = extra
        """Top-level keys besides ``topic``, ``type``, ``data``, ``ts`` (``cs``; option ``id``)."""
        self._last = fields(now_ms)
        self._faults: set[Fault] = set()

    def inject(self, fault: Fault) -> None:
        """Queue a one-shot fault (``duplicate``) for the next push."""
        self._faults.add(fault)

    def snapshot(self, now_ms: int) -> Message:
        """The full last pushed ticker."""
        return self._message("snapshot", dict(self._last), now_ms)

    def tick(self, now_ms: int) -> list[Message]:
        current = self.fields(now_ms)
        last = self._last
        if current == last and not self._faults:
            return []
        if self.deltas:
            data = {k: v for k, v in current.items() if last.get(k) != v}
            data = {"symbol": current["symbol"], **data}
            kind = "delta"
        else:
            data, kind = dict(current), "snapshot"
        self._last = current
        count = 2 if "duplicate" in self._faults else 1
        self._faults.clear()
        return [self._message(kind, data, now_ms)] * count

    def _message(self, kind: str, data: Mapping[str, object], now_ms: int) -> Message:
        return {"topic": self.topic, "type": kind, "data": data, **self.extra(), "ts": now_ms}


_MINUTE: Final = 60_000
_DAY: Final = 86_400_000
_WEEK: Final = 7 * _DAY
_MONDAY_OFFSET: Final = 4 * _DAY
"""1970-01-01 was a Thursday: weeks start 4 days later in the epoch's first week."""


def interval_bounds(interval: str, now_ms: int) -> tuple[int, int]:
    """``(start, end)`` ms of the candle of ``interval`` that contains ``now_ms`` (UTC).

    ``end`` is the last millisecond, as Bybit sends it (``start + length - 1``).
    """
    if interval == "D":
        start = now_ms - now_ms % _DAY
        return start, start + _DAY - 1
    if interval == "W":
        start = now_ms - (now_ms - _MONDAY_OFFSET) % _WEEK
        return start, start + _WEEK - 1
    if interval == "M":
        days = now_ms // _DAY
        year, month = _civil(days)
        start = _days_from_civil(year, month) * _DAY
        next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
        return start, _days_from_civil(next_year, next_month) * _DAY - 1
    length = int(interval) * _MINUTE
    start = now_ms - now_ms % length
    return start, start + length - 1


_EPOCH: Final = datetime.date(1970, 1, 1)


def _civil(days: int) -> tuple[int, int]:
    """Year and month of a day count since 1970-01-01."""
    date = _EPOCH + datetime.timedelta(days=days)
    return date.year, date.month


def _days_from_civil(year: int, month: int) -> int:
    return (datetime.date(year, month, 1) - _EPOCH).days


class Candle:
    """One open candle of one interval."""

    __slots__ = (
        "close",
        "coin_turnover",
        "end",
        "high",
        "low",
        "open",
        "start",
        "timestamp",
        "turnover",
        "volume",
    )

    def __init__(self, start: int, end: int, price: int, now_ms: int) -> None:
        self.start, self.end = start, end
        self.open = self.high = self.low = self.close = price
        self.volume = 0
        """Lots."""
        self.turnover = 0
        """Ticks x lots."""
        self.coin_turnover = Decimal(0)
        """Inverse: the turnover in the base coin (contracts / price)."""
        self.timestamp = now_ms

    def trade(self, price: int, lots: int, coin_value: Decimal, now_ms: int) -> None:
        self.close = price
        self.high = max(self.high, price)
        self.low = min(self.low, price)
        self.volume += lots
        self.turnover += price * lots
        self.coin_turnover += coin_value
        self.timestamp = now_ms


class KlineFeed:
    """``kline.{interval}.{symbol}``: the open candle every ``push_ms`` when it changed, and
    each closing candle once with ``confirm: true``."""

    __slots__ = ("_faults", "_pushed", "interval", "inverse", "push_ms", "scales", "topic")

    def __init__(
        self,
        topic: str,
        interval: KlineIntervalV5,
        scales: tuple[Scale, Scale, Scale],
        push_ms: int,
        *,
        inverse: bool = False,
    ) -> None:
        self.topic = topic
        self.inverse = inverse
        """Turnover in the base coin (inverse contracts are counted in USD)."""
        self.interval = interval
        self.scales = scales
        """Price, size, and turnover (tick x lot) scales."""
        self.push_ms = push_ms
        self._pushed: tuple[int, int, int] | None = None
        self._faults: set[Fault] = set()

    def inject(self, fault: Fault) -> None:
        """Queue a one-shot fault (``duplicate``) for the next push."""
        self._faults.add(fault)

    def closed(self, candle: Candle, now_ms: int) -> list[Message]:
        """The confirming push of a candle that just ended."""
        self._pushed = None
        return [self._message(candle, True, now_ms)]

    def tick(self, candle: Candle, now_ms: int) -> list[Message]:
        state = (candle.start, candle.volume, candle.close)
        if state == self._pushed and not self._faults:
            return []
        self._pushed = state
        count = 2 if "duplicate" in self._faults else 1
        self._faults.clear()
        return [self._message(candle, False, now_ms)] * count

    def _message(self, candle: Candle, confirm: bool, now_ms: int) -> KlineMessageV5:
        price, size, value = self.scales
        item: KlineV5 = {
            "start": candle.start,
            "end": candle.end,
            "interval": self.interval,
            "open": price.format(candle.open),
            "close": price.format(candle.close),
            "high": price.format(candle.high),
            "low": price.format(candle.low),
            "volume": size.format(candle.volume),
            "turnover": dec(candle.coin_turnover)
            if self.inverse
            else value.format(candle.turnover),
            "confirm": confirm,
            "timestamp": candle.timestamp,
        }
        return {"topic": self.topic, "data": [item], "ts": now_ms, "type": "snapshot"}
