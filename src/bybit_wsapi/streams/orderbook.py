"""A local order book kept from Bybit's ``orderbook.{depth}.{symbol}`` snapshots and deltas.

Pure: no I/O, no clock. Prices and sizes stay exact (:class:`~decimal.Decimal`, parsed from
Bybit's strings, never float). Each side is a sorted list of keys (``bisect``) plus a dict, so a
level change costs one dict operation and one binary search. The rules are the reference's
(§3.1, §8.6): a snapshot replaces the book; in a delta size ``"0"`` deletes (a delete of an
unknown price is ignored), an unknown price inserts, a known one updates; ``u == 1`` means the
service restarted: the delta is taken as a snapshot. :meth:`OrderBook.apply` returns why the book
needs a resync (a fresh snapshot) when something does not add up: a delta before any snapshot, an
update id that goes backwards (or, with ``strict_sequence``, skips), a crossed book, a malformed
level. Until the next snapshot the book stays out of sync, holds no level (so it never reads
crossed or half-applied) and deltas are not applied.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = ["Level", "OrderBook"]

Level = tuple[Decimal, Decimal]
"""One price level: ``(price, size)``."""

_ZERO = Decimal(0)


class _Side:
    """One side: keys sorted best first (a bid's key is minus its price), and price -> size."""

    __slots__ = ("keys", "levels", "sign")

    def __init__(self, sign: int) -> None:
        self.sign = sign
        self.keys: list[Decimal] = []
        self.levels: dict[Decimal, Level] = {}

    def clear(self) -> None:
        self.keys.clear()
        self.levels.clear()

    def set(self, price: Decimal, size: Decimal) -> None:
        key = price if self.sign > 0 else -price
        levels = self.levels
        if size == _ZERO:
            if levels.pop(key, None) is not None:
                keys = self.keys
                del keys[bisect_left(keys, key)]
            return
        if key not in levels:
            keys = self.keys
            if not keys or key > keys[-1]:
                keys.append(key)
            else:
                keys.insert(bisect_left(keys, key), key)
        levels[key] = (price, size)

    def trim(self, depth: int) -> None:
        keys = self.keys
        if len(keys) > depth:
            for key in keys[depth:]:
                del self.levels[key]
            del keys[depth:]

    def best(self) -> Level | None:
        return self.levels[self.keys[0]] if self.keys else None

    def top(self, n: int | None) -> list[Level]:
        levels = self.levels
        keys = self.keys if n is None else self.keys[:n]
        return [levels[key] for key in keys]


class OrderBook:
    """The book of one symbol at one depth.

    Example::

        book = OrderBook("BTCUSDT", depth=50)
        reason = book.apply(message)      # each orderbook message, in order
        if reason is not None:
            ...                           # resubscribe for a fresh snapshot
        book.bids[:5], book.best_ask, book.update_id
    """

    def __init__(self, symbol: str, depth: int | None = None, *, strict_sequence: bool = False):
        self.symbol = symbol
        self.depth = depth
        """Levels kept per side (deeper levels are dropped); ``None``: no limit."""
        self.strict_sequence = strict_sequence
        """Also resync when a delta's ``u`` is not the previous ``u + 1`` (Bybit does not
        document that it always is: off by default)."""
        self._bids = _Side(-1)
        self._asks = _Side(1)
        self.update_id: int | None = None
        """``u`` of the last message applied."""
        self.seq: int | None = None
        """``seq`` (cross sequence) of the last message applied."""
        self.ts: int | None = None
        """``ts`` (ms) of the last message applied: when Bybit generated it."""
        self.cts: int | None = None
        """``cts`` (ms) of the last message applied: the matching engine's time."""
        self.synced = False
        """Whether the book holds a snapshot and every delta since (else it awaits one)."""
        self.updates = 0
        """Messages applied so far."""

    def __repr__(self) -> str:
        state = "synced" if self.synced else "awaiting snapshot"
        return (
            f"<OrderBook {self.symbol} depth={self.depth} u={self.update_id} "
            f"bid={self.best_bid} ask={self.best_ask} {state}>"
        )

    @property
    def bids(self) -> list[Level]:
        """Bids, best (highest) first, as ``(price, size)``."""
        return self._bids.top(None)

    @property
    def asks(self) -> list[Level]:
        """Asks, best (lowest) first, as ``(price, size)``."""
        return self._asks.top(None)

    def top(self, n: int) -> tuple[list[Level], list[Level]]:
        """The best ``n`` levels of each side: ``(bids, asks)``."""
        return self._bids.top(n), self._asks.top(n)

    @property
    def best_bid(self) -> Level | None:
        return self._bids.best()

    @property
    def best_ask(self) -> Level | None:
        return self._asks.best()

    def reset(self) -> None:
        """Forget every level: the book awaits a snapshot (e.g. after a reconnect)."""
        self._bids.clear()
        self._asks.clear()
        self.synced = False

    def apply(self, message: Mapping[str, Any]) -> str | None:
        """Apply one ``orderbook`` message; why the book needs a resync, or ``None`` if fine.

        After a non-``None`` result the book is out of sync (:attr:`synced` is False) and only a
        snapshot (or a ``u == 1`` delta) brings it back.
        """
        data = message.get("data")
        if not isinstance(data, Mapping):
            return self._lost("a message without a data object")
        update_id = data.get("u")
        if isinstance(update_id, bool) or not isinstance(update_id, int):
            return self._lost(f"an update id that is not an integer: {update_id!r}")
        kind = message.get("type")
        if kind == "snapshot" or update_id == 1:
            self._bids.clear()
            self._asks.clear()
        elif kind != "delta":
            return self._lost(f"a message of unknown type {kind!r}")
        elif not self.synced:
            if self.update_id is None:
                return self._lost("a delta before any snapshot")
            return "out of sync: awaiting a snapshot"
        elif self.update_id is not None and (
            update_id != self.update_id + 1 if self.strict_sequence else update_id <= self.update_id
        ):
            return self._lost(f"update id {update_id} after {self.update_id}")
        problem = self._levels(self._bids, data.get("b")) or self._levels(self._asks, data.get("a"))
        if problem is not None:
            return self._lost(problem)
        if self.depth is not None:
            self._bids.trim(self.depth)
            self._asks.trim(self.depth)
        bid, ask = self._bids.best(), self._asks.best()
        if bid is not None and ask is not None and bid[0] >= ask[0]:
            return self._lost(f"a crossed book: best bid {bid[0]} >= best ask {ask[0]}")
        self.synced = True
        self.update_id = update_id
        seq, ts, cts = data.get("seq"), message.get("ts"), message.get("cts")
        self.seq = seq if isinstance(seq, int) else self.seq
        self.ts = ts if isinstance(ts, int) else self.ts
        self.cts = cts if isinstance(cts, int) else self.cts
        self.updates += 1
        return None

    def snapshot_message(self, topic: str) -> dict[str, Any]:
        """The whole book as one ``snapshot`` message (what a conflated stream hands on)."""
        return {
            "topic": topic,
            "type": "snapshot",
            "ts": self.ts,
            "data": {
                "s": self.symbol,
                "b": [[str(p), str(s)] for p, s in self.bids],
                "a": [[str(p), str(s)] for p, s in self.asks],
                "u": self.update_id,
                "seq": self.seq,
            },
            "cts": self.cts,
        }

    def _levels(self, side: _Side, levels: object) -> str | None:
        if levels is None:
            return None
        if not isinstance(levels, Sequence) or isinstance(levels, str):
            return f"levels that are not a list: {levels!r}"
        for level in levels:
            try:
                price_text, size_text = level
                if not isinstance(price_text, str) or not isinstance(size_text, str):
                    raise TypeError
                price, size = Decimal(price_text), Decimal(size_text)
            except (TypeError, ValueError, InvalidOperation):
                return f"a malformed level {level!r} (expected [price, size] strings)"
            if not (price.is_finite() and size.is_finite()) or price <= 0 or size < 0:
                return f"a level out of range {level!r}"
            side.set(price, size)
        return None

    def _lost(self, reason: str) -> str:
        # No level is shown until the next snapshot: what is left may be crossed or half-applied.
        self._bids.clear()
        self._asks.clear()
        self.synced = False
        return f"{self.symbol} book needs a resync: {reason}"
