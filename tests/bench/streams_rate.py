"""The stream figure of ``make bench``: how fast one client takes in pushed messages and hands
them to a consumer, and what a book update costs.

1. Intake: a local server (its own thread and event loop) pushes ``orderbook.50`` deltas as fast
   as it can (``LocalServer.burst``); one ``WebsocketClient`` receives them, keeps the book and
   hands every message to an ``async for`` consumer. Messages per second, consumer side, median
   of rounds (the server shares the machine: a floor, not a ceiling).
2. Book: ``OrderBook.apply`` per delta (4 level changes on a 50-level book), and per level.

``python -m tests.bench.streams_rate [--quick]`` prints this figure alone.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import threading
import time
from typing import Any

from bybit_wsapi import WebsocketClient
from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET, LocalServer, ServerConfig
from bybit_wsapi.streams import OrderBook

TOPIC = "orderbook.50.BTCUSDT"


def book_cost(deltas: int = 200_000, seed: int = 1) -> dict[str, float]:
    """Microseconds per delta (and per level change) of ``OrderBook.apply``."""
    rng = random.Random(seed)
    book = OrderBook("BTCUSDT", 50)
    bids = [[f"{100000 - i / 10:.1f}", "1.000"] for i in range(50)]
    asks = [[f"{100000.1 + i / 10:.1f}", "1.000"] for i in range(50)]
    book.apply({"type": "snapshot", "data": {"b": bids, "a": asks, "u": 1, "seq": 1}})
    messages: list[dict[str, Any]] = []
    for u in range(2, deltas + 2):
        b = [
            [f"{100000 - rng.randrange(60) / 10:.1f}", rng.choice(("0", "0.5", "2.125"))]
            for _ in range(2)
        ]
        a = [
            [f"{100000.1 + rng.randrange(60) / 10:.1f}", rng.choice(("0", "0.5", "2.125"))]
            for _ in range(2)
        ]
        messages.append({"type": "delta", "data": {"b": b, "a": a, "u": u, "seq": u}})
    start = time.perf_counter()
    for message in messages:
        book.apply(message)
    elapsed = time.perf_counter() - start
    return {"us_per_delta": elapsed / deltas * 1e6, "us_per_level": elapsed / deltas / 4 * 1e6}


def _serve(ready: threading.Event, box: dict[str, Any], stop: threading.Event) -> None:
    async def main() -> None:
        async with LocalServer(ServerConfig(rate_limit=False, manual_clock=True)) as server:
            box["server"], box["loop"] = server, asyncio.get_running_loop()
            ready.set()
            while not stop.is_set():
                await asyncio.sleep(0.05)

    asyncio.run(main())


async def intake(count: int, rounds: int) -> dict[str, Any]:
    """Messages per second one client hands to its consumer, per round."""
    ready, stop = threading.Event(), threading.Event()
    box: dict[str, Any] = {}
    thread = threading.Thread(target=_serve, args=(ready, box, stop), daemon=True)
    thread.start()
    ready.wait(10)
    server: LocalServer = box["server"]
    ws = WebsocketClient(
        key=DEMO_API_KEY,
        secret=DEMO_API_SECRET,
        base_url=server.base_url,
        stream_buffer_size=count + 10,
    )
    rates = []
    try:
        async with ws.stream_orderbook("linear", "BTCUSDT", 50) as sub:
            await anext(aiter(sub))  # the snapshot
            for _ in range(rounds):
                start = time.perf_counter()
                queued = asyncio.run_coroutine_threadsafe(_burst(server, count), box["loop"])
                pushed = await asyncio.wrap_future(queued)
                for _ in range(pushed):
                    await anext(aiter(sub))
                rates.append(pushed / (time.perf_counter() - start))
    finally:
        await ws.close()
        stop.set()
        thread.join(10)
    return {
        "messages_per_s": statistics.median(rates),
        "min": min(rates),
        "max": max(rates),
        "count": count,
        "rounds": rounds,
    }


async def _burst(server: LocalServer, count: int) -> int:
    return server.burst("linear", TOPIC, count)  # a change may cancel out: fewer pushes


def measure(quick: bool = False) -> dict[str, Any]:
    return {
        "intake": asyncio.run(intake(2_000 if quick else 20_000, 3 if quick else 5)),
        "book": book_cost(20_000 if quick else 200_000),
    }


def report(result: dict[str, Any]) -> list[str]:
    i, b = result["intake"], result["book"]
    return [
        "Streams: orderbook.50 deltas into one WebsocketClient, to an async-for consumer",
        f"  intake  {i['messages_per_s']:,.0f} msg/s median of {i['rounds']} rounds of "
        f"{i['count']:,} (range {i['min']:,.0f}-{i['max']:,.0f}; server in-process, other thread)",
        f"  book    {b['us_per_delta']:.2f} us per delta (4 level changes), "
        f"{b['us_per_level']:.2f} us per level change",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    for line in report(measure(parser.parse_args().quick)):
        print(line)


if __name__ == "__main__":
    main()
