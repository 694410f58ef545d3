"""One instrument's simulated order book and its price process (pure, integer ticks and lots).

A side maps price (ticks) to size (lots). Each :meth:`Book.step` moves the best bid by a seeded
Gaussian number of ticks (takers consume the levels the move crosses), changes a few sizes near
the top, maybe prints a random trade at the best price, then refills the spread to one tick and
keeps ``levels`` levels per side. Every change bumps ``seq``, the cross sequence.
"""

from __future__ import annotations

import bisect
import random
from typing import Final

from bybit_wsapi_generated.models import OrderSideV5

__all__ = ["Book", "Fill", "Side", "View"]

Side = OrderSideV5
Fill = tuple[int, int]
"""``(price, lots)`` of one level taken."""

_CHURN_DEPTH: Final = 50
_HOLE_PROBABILITY: Final = 0.1


class _Side:
    """Levels of one side; ``keys`` sorted so that index 0 is the best price."""

    __slots__ = ("keys", "levels", "sign", "views")

    def __init__(self, sign: int) -> None:
        self.sign = sign
        """-1 for bids (best is highest), 1 for asks."""
        self.levels: dict[int, int] = {}
        self.keys: list[int] = []
        """``sign * price``, ascending."""
        self.views: list[View] = []
        """Views to tell about every changed price."""

    def best(self) -> int | None:
        return self.keys[0] * self.sign if self.keys else None

    def worst(self) -> int | None:
        return self.keys[-1] * self.sign if self.keys else None

    def set(self, price: int, lots: int) -> bool:
        """Set (``lots`` > 0) or delete a level; whether anything changed."""
        levels = self.levels
        if lots <= 0:
            if levels.pop(price, None) is None:
                return False
            keys = self.keys
            del keys[bisect.bisect_left(keys, price * self.sign)]
            for view in self.views:
                view.touched.add(price)
            return True
        old = levels.get(price)
        if old is None:
            bisect.insort(self.keys, price * self.sign)
        elif old == lots:
            return False
        levels[price] = lots
        for view in self.views:
            view.touched.add(price)
        return True

    def top(self, depth: int) -> list[tuple[int, int]]:
        sign, levels = self.sign, self.levels
        return [(key * sign, levels[key * sign]) for key in self.keys[:depth]]

    def price_at(self, index: int) -> int:
        return self.keys[index] * self.sign


class View:
    """What a client holds of the best ``depth`` levels of one side, kept in step by deltas.

    :meth:`sync` returns only what changed since the last call (the touched prices, and the
    levels that entered or left the top ``depth``), so a delta costs what changed, not the
    depth. :meth:`close` detaches it from its side.
    """

    __slots__ = ("_limit", "_side", "depth", "levels", "touched")

    def __init__(self, side: _Side, depth: int) -> None:
        self._side = side
        self.depth = depth
        self.touched: set[int] = set()
        """Prices changed since the last sync (filled in by the side)."""
        self.levels: dict[int, int] = dict(side.top(depth))
        self._limit = self._current_limit()
        side.views.append(self)

    def close(self) -> None:
        self._side.views.remove(self)

    def best_first(self) -> list[tuple[int, int]]:
        """The levels, best first."""
        reverse = self._side.sign < 0
        return sorted(self.levels.items(), reverse=reverse)

    def sync(self) -> list[tuple[int, int]]:
        """Bring the view up to date; the changes, best first (lots 0: deleted)."""
        side = self._side
        keys, sign, book = side.keys, side.sign, side.levels
        limit = self._current_limit()
        levels = self.levels
        changes: dict[int, int] = {}
        for price in self.touched:
            lots = book.get(price, 0) if limit is not None and price * sign <= limit else 0
            if levels.get(price, 0) != lots:
                changes[price] = lots
        self.touched.clear()
        old = self._limit
        if limit != old:  # levels pushed out of, or pulled into, the top ``depth``
            low = min(limit, old) if limit is not None and old is not None else None
            start = 0 if low is None else bisect.bisect_right(keys, low)
            high = (
                max(k for k in (limit, old) if k is not None)
                if (limit, old) != (None, None)
                else None
            )
            stop = len(keys) if high is None else bisect.bisect_right(keys, high)
            for key in keys[start:stop]:
                price = key * sign
                lots = book[price] if limit is not None and key <= limit else 0
                if levels.get(price, 0) != lots:
                    changes[price] = lots
        for price, lots in changes.items():
            if lots:
                levels[price] = lots
            else:
                levels.pop(price, None)
        self._limit = limit
        return sorted(changes.items(), reverse=sign < 0)

    def _current_limit(self) -> int | None:
        """The key of the deepest level shown (``None``: an empty side)."""
        keys = self._side.keys
        return keys[min(self.depth, len(keys)) - 1] if keys else None


class Book:
    """The simulated book of one instrument (not thread-safe)."""

    __slots__ = ("asks", "bids", "changed_ms", "level_lots", "levels", "rng", "seq")

    def __init__(self, price: int, levels: int, level_lots: int, rng: random.Random) -> None:
        self.rng = rng
        self.levels = levels
        self.level_lots = level_lots
        self.bids = _Side(-1)
        self.asks = _Side(1)
        self.seq = rng.randrange(10**9, 10**10)
        """Cross sequence: bumped by every change."""
        self.changed_ms = 0
        """Time of the last change (the ``cts`` of book pushes)."""
        bid = max(1, price)
        self.bids.set(bid, self._size())
        self.asks.set(bid + 1, self._size())
        self._fill_depth()

    # ---- reading --------------------------------------------------------------------------

    def best(self, side: Side) -> int | None:
        """The best price a taker on ``side`` meets: the best ask for Buy, the best bid for Sell."""
        return (self.asks if side == "Buy" else self.bids).best()

    def top(self, depth: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """The best ``depth`` bids (descending) and asks (ascending)."""
        return self.bids.top(depth), self.asks.top(depth)

    def available(self, side: Side, lots: int, limit: int | None) -> int:
        """Lots a taker on ``side`` could take, up to ``lots``, at prices within ``limit``."""
        book = self.asks if side == "Buy" else self.bids
        total = 0
        for key in book.keys:
            price = key * book.sign
            if limit is not None and (price > limit if side == "Buy" else price < limit):
                break
            total += book.levels[price]
            if total >= lots:
                return lots
        return total

    # ---- changing -------------------------------------------------------------------------

    def take(self, side: Side, lots: int, limit: int | None, now_ms: int) -> list[Fill]:
        """A taker on ``side`` takes up to ``lots``, best price first, never beyond ``limit``."""
        book = self.asks if side == "Buy" else self.bids
        fills: list[Fill] = []
        while lots > 0 and book.keys:
            price = book.price_at(0)
            if limit is not None and (price > limit if side == "Buy" else price < limit):
                break
            size = book.levels[price]
            taken = min(size, lots)
            book.set(price, size - taken)
            fills.append((price, taken))
            lots -= taken
        if fills:
            self._changed(now_ms)
        return fills

    def take_value(self, side: Side, budget: int, now_ms: int) -> list[Fill]:
        """A taker on ``side`` spending at most ``budget`` ticks x lots, best price first.

        Used for spot market buys sized in the quote coin.
        """
        book = self.asks if side == "Buy" else self.bids
        fills: list[Fill] = []
        while budget > 0 and book.keys:
            price = book.price_at(0)
            size = book.levels[price]
            taken = min(size, budget // price)
            if taken <= 0:
                break
            book.set(price, size - taken)
            fills.append((price, taken))
            budget -= taken * price
        if fills:
            self._changed(now_ms)
        return fills

    def step(
        self, volatility: float, churn: int, trade_probability: float, now_ms: int
    ) -> list[tuple[Side, int, int]]:
        """Move the market once; returns the trades it printed as ``(taker side, price, lots)``."""
        rng = self.rng
        seq = self.seq
        changed = False
        trades: list[tuple[Side, int, int]] = []
        bid = self.bids.best()
        ask = self.asks.best()
        if bid is not None and ask is not None:
            move = round(rng.gauss(0.0, volatility)) if volatility else 0
            move = max(move, 1 - bid)
            if move > 0:  # buyers lift the asks below the new best ask
                new_ask = bid + move + 1
                trades += [("Buy", p, q) for p, q in self.take("Buy", 1 << 62, new_ask - 1, now_ms)]
                for price in range(bid + 1, bid + move + 1):
                    changed |= self.bids.set(price, self._size())
            elif move < 0:  # sellers hit the bids above the new best bid
                new_bid = bid + move
                trades += [
                    ("Sell", p, q) for p, q in self.take("Sell", 1 << 62, new_bid + 1, now_ms)
                ]
                for price in range(new_bid + 1, ask):
                    changed |= self.asks.set(price, self._size())
        for _ in range(churn):
            book = self.bids if rng.random() < 0.5 else self.asks
            if not book.keys:
                continue
            index = min(int(rng.expovariate(0.2)), _CHURN_DEPTH, len(book.keys) - 1)
            price = book.price_at(index)
            delete = index > 0 and rng.random() < _HOLE_PROBABILITY
            changed |= book.set(price, 0 if delete else self._size())
        if rng.random() < trade_probability:
            side: Side = "Buy" if rng.random() < 0.5 else "Sell"
            best = self.best(side)
            if best is not None:
                book = self.asks if side == "Buy" else self.bids
                lots = rng.randint(1, max(1, book.levels[best] // 2))
                trades += [(side, p, q) for p, q in self.take(side, lots, best, now_ms)]
        changed |= self._fill_depth()
        if changed and self.seq == seq:  # (a take bumped it already)
            self._changed(now_ms)
        return trades

    def perturb(self, now_ms: int) -> None:
        """One small change at the top of the book (for bursts of deltas)."""
        book = self.bids if self.rng.random() < 0.5 else self.asks
        if book.keys:
            index = min(int(self.rng.expovariate(0.5)), len(book.keys) - 1)
            book.set(book.price_at(index), self._size())
            self._changed(now_ms)

    def _size(self) -> int:
        return self.rng.randint(1, self.level_lots)

    def _fill_depth(self) -> bool:
        """One tick of spread, ``levels`` levels per side, no price below one tick."""
        bids, asks = self.bids, self.asks
        rng = self.rng
        changed = False
        bid, ask = bids.best(), asks.best()
        if bid is None:
            changed |= bids.set(max(1, (ask or 2) - 1), self._size())
        if ask is None:
            changed |= asks.set((bids.best() or 1) + 1, self._size())
        bid, ask = bids.best(), asks.best()
        assert bid is not None and ask is not None
        while ask - bid > 1:
            if rng.random() < 0.5:
                bid += 1
                changed |= bids.set(bid, self._size())
            else:
                ask -= 1
                changed |= asks.set(ask, self._size())
        for book in (bids, asks):
            while len(book.keys) > self.levels:
                changed |= book.set(book.price_at(-1), 0)
            while len(book.keys) < self.levels:
                worst = book.price_at(-1) + book.sign  # one tick further from the top
                if rng.random() < _HOLE_PROBABILITY:
                    worst += book.sign
                if worst < 1:
                    break
                changed |= book.set(worst, self._size())
        return changed

    def _changed(self, now_ms: int) -> None:
        self.seq += 1
        self.changed_ms = now_ms
