"""The book figure of ``make bench``: what one ``orderbook.50`` delta costs the local book.

The deltas are the intake figure's (``stream_source.stream_messages``: the local server's market
steps, then their inverses), already decoded, applied in order after the snapshot:

- ``OrderBook.apply``, the book ``order_book`` and ``stream_orderbook`` keep: Decimal prices
  and sizes parsed from Bybit's strings, each side sorted (``bisect``), every delta checked
  (update id, crossed book, malformed levels);
- a minimal reference: one dict per side keyed by the price string, no parsing, no order, no
  checks (a floor: what the dict operations alone cost), and the same dict book parsing each
  price and size to Decimal as ours does (what the exact numbers alone cost).

Microseconds of CPU time (not wall: the machine is shared) per delta and per level change,
median of ``REPEATS`` passes.

``python -m tests.bench.streams_rate [--quick]`` prints this figure alone.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final

from bybit_wsapi.streams import OrderBook

from .stream_source import stream_messages

REPEATS: Final = 5


def _numbered(cycles: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    snapshot, cycle = stream_messages()
    u = snapshot["data"]["u"]
    deltas = []
    for _ in range(cycles):
        for message in cycle:
            u += 1
            deltas.append({**message, "data": {**message["data"], "u": u}})
    return snapshot, deltas


def _ours(snapshot: dict[str, Any], deltas: list[dict[str, Any]]) -> float:
    book = OrderBook("BTCUSDT", 50)
    assert book.apply(snapshot) is None
    start = time.process_time()
    for message in deltas:
        if book.apply(message) is not None:
            raise AssertionError(f"the bench stream broke the book: {book!r}")
    return time.process_time() - start


def _reference(
    snapshot: dict[str, Any], deltas: list[dict[str, Any]], parse: Callable[[str], Any] = str
) -> float:
    data = snapshot["data"]
    bids = {parse(price): parse(size) for price, size in data["b"]}
    asks = {parse(price): parse(size) for price, size in data["a"]}
    start = time.process_time()
    for message in deltas:
        data = message["data"]
        for side, levels in ((bids, data["b"]), (asks, data["a"])):
            for price, size in levels:
                if size == "0":
                    side.pop(parse(price), None)
                else:
                    side[parse(price)] = parse(size)
    return time.process_time() - start


def book_cost(cycles: int = 25) -> dict[str, float]:
    """Microseconds per delta and per level change, ours and the dict reference."""
    snapshot, deltas = _numbered(cycles)
    levels = sum(len(m["data"]["b"]) + len(m["data"]["a"]) for m in deltas)
    ours = statistics.median(_ours(snapshot, deltas) for _ in range(REPEATS))
    reference = statistics.median(_reference(snapshot, deltas) for _ in range(REPEATS))
    decimal = statistics.median(_reference(snapshot, deltas, Decimal) for _ in range(REPEATS))
    return {
        "deltas": len(deltas),
        "levels_per_delta": levels / len(deltas),
        "us_per_delta": ours / len(deltas) * 1e6,
        "us_per_level": ours / levels * 1e6,
        "reference_us_per_delta": reference / len(deltas) * 1e6,
        "reference_us_per_level": reference / levels * 1e6,
        "decimal_us_per_delta": decimal / len(deltas) * 1e6,
        "decimal_us_per_level": decimal / levels * 1e6,
    }


def measure(quick: bool = False) -> dict[str, Any]:
    return {"book": book_cost(3 if quick else 25)}


def report(result: dict[str, Any]) -> list[str]:
    b = result["book"]
    return [
        f"Book update cost: {b['deltas']:,} orderbook.50 deltas of the intake stream "
        f"({b['levels_per_delta']:.1f} level changes each), decoded, CPU time, median of {REPEATS} passes",
        f"  OrderBook.apply (Decimal, sorted, checked)  {b['us_per_delta']:.2f} us per delta, "
        f"{b['us_per_level']:.2f} us per level change",
        f"  reference dict book (str keys, no checks)   {b['reference_us_per_delta']:.2f} us per "
        f"delta, {b['reference_us_per_level']:.2f} us per level change",
        f"  the same dict book, Decimal keys and sizes  {b['decimal_us_per_delta']:.2f} us per "
        f"delta, {b['decimal_us_per_level']:.2f} us per level change",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    for line in report(measure(parser.parse_args().quick)):
        print(line)


if __name__ == "__main__":
    main()
