"""MessageBuffer: bounded; conflation keeps the latest state; lossless reports each gap."""

from __future__ import annotations

import asyncio

import pytest

from bybit_wsapi.errors import StreamOverflowError
from bybit_wsapi.streams import MessageBuffer, TickerState

pytestmark = pytest.mark.anyio


async def drain(buffer: MessageBuffer[int]) -> list[object]:
    out: list[object] = []
    while True:
        try:
            out.append(await buffer.get())
        except StreamOverflowError as error:
            out.append(("gap", error.dropped))
        except StopAsyncIteration:
            return out


async def test_lossless_overflow_is_raised_at_the_gap_then_iteration_goes_on() -> None:
    buffer: MessageBuffer[int] = MessageBuffer("order", 3)
    gaps: list[StreamOverflowError] = []
    buffer.on_gap = gaps.append
    for n in range(6):
        buffer.put(n)
    assert len(buffer) == 4  # 3 messages and one gap marker: bounded
    assert [await buffer.get(), await buffer.get()] == [0, 1]
    buffer.put(6)
    buffer.put(7)  # full again (2, gap, 6): a second gap
    assert len(gaps) == 2 and buffer.dropped == 4
    got = [await buffer.get()]
    for _ in range(3):
        try:
            got.append(await buffer.get())
        except StreamOverflowError as error:
            got.append(("gap", error.dropped))
    assert got == [2, ("gap", 3), 6, ("gap", 1)]
    buffer.put(8)
    buffer.end()
    assert await drain(buffer) == []  # end() stops at once


async def test_gap_error_message_and_order() -> None:
    buffer: MessageBuffer[int] = MessageBuffer("execution", 2)
    for n in range(5):
        buffer.put(n)
    assert await buffer.get() == 0
    assert await buffer.get() == 1
    with pytest.raises(StreamOverflowError, match=r"execution: 3 message\(s\) dropped") as caught:
        await buffer.get()
    assert caught.value.dropped == 3 and caught.value.capacity == 2
    buffer.put(9)
    assert await buffer.get() == 9


async def test_conflate_replaces_the_queue_with_the_latest_state() -> None:
    state = {"n": 0}
    buffer: MessageBuffer[int] = MessageBuffer(
        "orderbook.50.X", 3, conflate=lambda: state["n"] * 100
    )
    for n in range(1, 8):
        state["n"] = n
        buffer.put(n)
    # full at 1, 2, 3: 4 replaces them by the state (400); 5, 6; full: 7 replaces all by 700
    assert (len(buffer), buffer.conflated, buffer.dropped) == (1, 2, 0)
    assert await buffer.get() == 700  # the consumer sees the latest state


async def test_get_waits_and_end_with_error() -> None:
    buffer: MessageBuffer[int] = MessageBuffer("t", 2)
    waiting = asyncio.ensure_future(buffer.get())
    await asyncio.sleep(0)
    assert not waiting.done()
    buffer.put(1)
    assert await waiting == 1
    waiting = asyncio.ensure_future(buffer.get())
    await asyncio.sleep(0)
    buffer.end(RuntimeError("refused"))
    with pytest.raises(RuntimeError, match="refused"):
        await waiting
    buffer.put(2)  # after the end: ignored
    with pytest.raises(RuntimeError):
        await buffer.get()


def test_ticker_deltas_merge_into_the_snapshot() -> None:
    state = TickerState()
    first = state.apply(
        {
            "topic": "tickers.BTCUSDT",
            "type": "snapshot",
            "data": {"symbol": "BTCUSDT", "lastPrice": "1", "bid1Price": "0.9"},
            "cs": 1,
            "ts": 1,
        }
    )
    assert (
        first["data"] == {"symbol": "BTCUSDT", "lastPrice": "1", "bid1Price": "0.9"}
        and state.complete
    )
    merged = state.apply(
        {
            "topic": "tickers.BTCUSDT",
            "type": "delta",
            "data": {"symbol": "BTCUSDT", "lastPrice": "2"},
            "cs": 2,
            "ts": 2,
        }
    )
    assert merged == {
        "topic": "tickers.BTCUSDT",
        "type": "snapshot",
        "data": {"symbol": "BTCUSDT", "lastPrice": "2", "bid1Price": "0.9"},
        "cs": 2,
        "ts": 2,
    }
    assert first["data"]["lastPrice"] == "1"  # earlier results are not changed afterwards
    state.reset()
    partial = state.apply({"type": "delta", "data": {"symbol": "BTCUSDT", "markPrice": "3"}})
    assert partial["data"] == {"symbol": "BTCUSDT", "markPrice": "3"} and not state.complete
    spot = TickerState()
    spot.apply({"type": "snapshot", "data": {"symbol": "X", "lastPrice": "1", "volume24h": "5"}})
    assert spot.apply({"type": "snapshot", "data": {"symbol": "X", "lastPrice": "2"}})["data"] == {
        "symbol": "X",
        "lastPrice": "2",
    }
