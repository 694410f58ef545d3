"""``python -m tests.streams.soak [--seconds N]``: client memory over a fast stream (not in CI).

A local server (its own thread, real clock) bursts ``orderbook.50`` deltas on top of its normal
cadence (``Faults.stream_burst``); one client keeps a live book, feeds a fast consumer of trades
and a slow consumer of the raw book stream (it sleeps per message, so its buffer conflates). The
client's traced memory and the process RSS are sampled; a flat line means bounded buffers. It
reports; it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import threading
import time
import tracemalloc
from typing import Any

from bybit_wsapi import WebsocketClient
from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET, Faults, LocalServer, ServerConfig


def _serve(ready: threading.Event, box: dict[str, Any], stop: threading.Event) -> None:
    async def main() -> None:
        faults = Faults(stream_burst=100, stream_fault_interval_ms=50)
        async with LocalServer(ServerConfig(rate_limit=False, faults=faults)) as server:
            box["url"] = server.base_url
            ready.set()
            while not stop.is_set():
                await asyncio.sleep(0.05)

    asyncio.run(main())


async def soak(seconds: float, sample_every: float) -> list[tuple[float, int, int, int]]:
    ready, stop = threading.Event(), threading.Event()
    box: dict[str, Any] = {}
    thread = threading.Thread(target=_serve, args=(ready, box, stop), daemon=True)
    thread.start()
    ready.wait(10)
    ws = WebsocketClient(key=DEMO_API_KEY, secret=DEMO_API_SECRET, base_url=box["url"])
    counts = {"trades": 0, "slow": 0}

    async def fast() -> None:
        async for _ in ws.stream_trades("linear", "BTCUSDT"):
            counts["trades"] += 1

    async def slow() -> None:
        async for _ in ws.stream_orderbook("linear", "BTCUSDT", 50):
            counts["slow"] += 1
            await asyncio.sleep(0.01)

    samples: list[tuple[float, int, int, int]] = []
    tracemalloc.start()
    try:
        async with ws.order_book("linear", "BTCUSDT", 50) as book:
            tasks = [asyncio.ensure_future(fast()), asyncio.ensure_future(slow())]
            start = time.perf_counter()
            while time.perf_counter() - start < seconds:
                await asyncio.sleep(sample_every)
                elapsed = time.perf_counter() - start
                current, _ = tracemalloc.get_traced_memory()
                rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                samples.append((elapsed, current, rss, book.book.updates))
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        tracemalloc.stop()
        await ws.close()
        stop.set()
        thread.join(10)
    print(f"consumed: {counts['trades']} trade messages, {counts['slow']} by the slow consumer")
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--sample-every", type=float, default=5.0)
    args = parser.parse_args()
    samples = asyncio.run(soak(args.seconds, args.sample_every))
    print("   t (s)  traced (KiB)  max RSS (MiB)  book updates")
    for elapsed, traced, rss, updates in samples:
        print(f"{elapsed:8.1f}  {traced / 1024:12.0f}  {rss / 1024:13.1f}  {updates:12}")


if __name__ == "__main__":
    main()
