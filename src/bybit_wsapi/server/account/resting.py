"""An account's resting limit orders, best price first per (category, symbol, side) (pure)."""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Mapping
from decimal import Decimal

from .state import OPEN, LiveOrder

__all__ = ["Resting"]


class Resting:
    """Heaps of resting orders; entries of orders closed or re-priced since are skipped."""

    __slots__ = ("_counter", "_heaps")

    def __init__(self) -> None:
        self._heaps: dict[tuple[str, str, str], list[tuple[Decimal, int, str]]] = {}
        self._counter = 0

    def add(self, live: LiveOrder) -> None:
        """Rest an open limit order (again after an amend: the old entry goes stale)."""
        assert live.price is not None
        self._counter += 1
        sort = -live.price if live.side == "Buy" else live.price
        heap = self._heaps.setdefault((live.category, live.symbol, live.side), [])
        heapq.heappush(heap, (sort, self._counter, live.order_id))

    def crossed(self, orders: Mapping[str, LiveOrder]) -> Iterator[tuple[LiveOrder, int]]:
        """Each resting order the book now crosses, with its price in ticks, best first.

        The caller fills it before asking for the next; an order still open after that means
        the crossing liquidity is used up, so its side stops there.
        """
        for (_, _, side), heap in self._heaps.items():
            while heap:
                key, _, order_id = heap[0]
                live = orders[order_id]
                price = -key if side == "Buy" else key
                if live.status not in OPEN or live.price != price or live.listing is None:
                    heapq.heappop(heap)  # closed or re-priced since
                    continue
                listing = live.listing
                ticks = listing.price.count(price)
                best = listing.book.best("Buy" if side == "Sell" else "Sell")
                assert ticks is not None
                if best is None or (best < ticks if side == "Sell" else best > ticks):
                    break
                yield live, ticks
                if live.status in OPEN:
                    break
