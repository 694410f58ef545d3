"""The stream intake bench's source, quickly: our client connects to it unmodified, every ``u``
follows the previous one, and the replayed cycle keeps the book valid (not a speed test)."""

from __future__ import annotations

import asyncio

import pytest

from bybit_wsapi import WebsocketClient

from .stream_source import U0, Frames, open_source, stream_messages

pytestmark = pytest.mark.anyio


def test_the_cycle_returns_the_book_to_its_snapshot() -> None:
    snapshot, cycle = stream_messages(50)
    book = {side: dict(map(tuple, snapshot["data"][side])) for side in "ba"}
    start = {side: dict(levels) for side, levels in book.items()}
    assert len(cycle) >= 80 and all(m["type"] == "delta" for m in cycle)
    for message in cycle:
        for side in "ba":
            for price, size in message["data"][side]:
                if size == "0":
                    assert price in book[side], "a delete of a level the book does not hold"
                    del book[side][price]
                else:
                    book[side][price] = size
    assert book == start


async def test_our_client_takes_the_stream_in_order_through_its_book() -> None:
    frames = Frames(50)
    reports: list[dict[str, float]] = []
    closed = asyncio.Event()

    def report(figures: dict[str, float]) -> None:
        reports.append(figures)
        closed.set()

    server, base = await open_source(frames, report)
    wanted = 3 * len(frames.templates)  # three cycles: the book must stay valid across them
    # the source outruns the consumer here: a small buffer would conflate (by design)
    ws = WebsocketClient(base_url=base, stream_buffer_size=100_000)
    us: list[int] = []
    async with asyncio.timeout(10), server:
        try:
            # stream_orderbook keeps the book and hands on only what it applied
            async with ws.stream_orderbook("linear", "BTCUSDT", 50) as stream:
                async for message in stream:
                    us.append(message["data"]["u"])
                    if len(us) > wanted:
                        break
        finally:
            await ws.close()
        await closed.wait()
    assert us == list(range(U0, U0 + wanted + 1))  # the snapshot, then every delta
    assert reports[0]["frames"] >= wanted
