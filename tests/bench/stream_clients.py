"""The Python clients of the stream intake figure, one per fresh process (``stream_intake`` runs
``python -m tests.bench.stream_clients SPEC``; the Node one is ``node_stream.cjs``).

Each subscribes ``orderbook.50.BTCUSDT`` on ``/v5/public/linear``, skips ``WARMUP`` seconds of
deltas, then counts for ``seconds`` the messages its consumer got, checking that each one's
``u`` is the previous one plus 1 (a dropped, conflated or repeated message is a gap). It prints
one JSON line: ``messages``, ``seconds``, ``gaps``, ``cpu`` (this process's CPU seconds in the
window, every thread) and ``wait`` (the seconds its threads were runnable but waited for a CPU:
on a shared machine, what the other jobs took).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import threading
import time
from pathlib import Path
from typing import Any, Final

WARMUP: Final = 0.5
TOPIC: Final = "orderbook.50.BTCUSDT"


def runqueue_wait() -> float:
    """Seconds this process's threads have waited for a CPU while runnable (``schedstat``)."""
    total = 0
    for task in Path("/proc/self/task").iterdir():
        with contextlib.suppress(OSError):
            total += int((task / "schedstat").read_text().split()[1])
    return total / 1e9


class Window:
    """Counts consumed messages after the warm-up and checks their ``u``."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.messages = self.gaps = 0
        self.last_u: int | None = None
        self.warm_until: float | None = None
        self.start = self.cpu = self.wait = self.elapsed = 0.0
        self.done = False

    def see(self, u: int) -> bool:
        """One message with update id ``u``; True once the window is complete."""
        if self.last_u is not None and u != self.last_u + 1:
            self.gaps += 1
        self.last_u = u
        return self.count(1)

    def count(self, n: int) -> bool:
        """``n`` more messages consumed (checked by the caller); True once the window is full."""
        now = time.perf_counter()
        if self.warm_until is None:
            self.warm_until = now + WARMUP
        elif self.start == 0.0:
            if now >= self.warm_until:
                self.start, self.cpu, self.wait = now, time.process_time(), runqueue_wait()
        elif not self.done:
            self.messages += n
            if now - self.start >= self.seconds:
                self.done = True
                self.elapsed = now - self.start
                self.cpu = time.process_time() - self.cpu
                self.wait = runqueue_wait() - self.wait
        return self.done

    def result(self) -> dict[str, Any]:
        return {
            "messages": self.messages,
            "seconds": self.elapsed,
            "gaps": self.gaps,
            "cpu": self.cpu,
            "wait": self.wait,
        }


def null(base: str, seconds: float) -> dict[str, Any]:
    """Not a client: a raw socket that subscribes and counts bytes (the source's own rate)."""

    async def run() -> dict[str, Any]:
        host, port = base.removeprefix("ws://").split(":")
        reader, writer = await asyncio.open_connection(host, int(port), limit=1 << 22)
        writer.write(
            b"GET /v5/public/linear HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
            b"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            b"Sec-WebSocket-Version: 13\r\n\r\n"
        )
        await reader.readuntil(b"\r\n\r\n")
        text = json.dumps({"op": "subscribe", "args": [TOPIC]}).encode()
        writer.write(bytes((0x81, 0x80 | len(text))) + b"\0\0\0\0" + text)
        warm = time.perf_counter() + WARMUP
        while time.perf_counter() < warm:
            await reader.read(1 << 20)
        received, start, cpu, wait = 0, time.perf_counter(), time.process_time(), runqueue_wait()
        while (now := time.perf_counter()) - start < seconds:
            received += len(await reader.read(1 << 20))
        writer.transport.abort()
        cpu, wait = time.process_time() - cpu, runqueue_wait() - wait
        return {"bytes": received, "seconds": now - start, "cpu": cpu, "wait": wait}

    return asyncio.run(run())


def ours(base: str, seconds: float, how: str) -> dict[str, Any]:
    """``WebsocketClient``: ``update`` after ``subscribe_v5``, ``stream_orderbook``, ``order_book``."""
    from bybit_wsapi import WebsocketClient

    window = Window(seconds)

    async def run() -> None:
        ws = WebsocketClient(base_url=base)
        try:
            if how == "update":
                done = asyncio.Event()

                def on_update(message: dict[str, Any]) -> None:
                    if message.get("type") == "delta" and window.see(message["data"]["u"]):
                        done.set()

                ws.on("update", on_update)
                await ws.subscribe_v5(TOPIC, "linear")
                await done.wait()
            elif how == "stream":
                async with ws.stream_orderbook("linear", "BTCUSDT", 50) as stream:
                    await anext(aiter(stream))  # the snapshot
                    async for message in stream:
                        if window.see(message["data"]["u"]):
                            break
            else:
                async with ws.order_book("linear", "BTCUSDT", 50, strict_sequence=True) as live:
                    book = live.book
                    applied, seen = book.updates, book.update_id
                    async for _ in live:
                        # the book applied every delta in between (strict_sequence: a skipped
                        # u resyncs, and the new snapshot restarts u: both show as gaps)
                        assert book.update_id is not None and seen is not None
                        steps = book.updates - applied
                        if book.update_id - seen != steps or not book.synced:
                            window.gaps += 1
                        applied, seen = book.updates, book.update_id
                        if window.count(steps):
                            break
        finally:
            await ws.close()

    asyncio.run(run())
    return window.result()


def pybit(base: str, seconds: float) -> dict[str, Any]:
    """pybit's ``WebSocket.orderbook_stream`` (its callback gets the merged book)."""
    from pybit import _websocket_stream, unified_trading

    manager = _websocket_stream._V5WebSocketManager
    subscribe = manager.subscribe

    def registered_first(self: Any, *args: Any, **kwargs: Any) -> None:
        # pybit registers its callback after sending: on loopback the reply comes first
        # (tests/server/test_interop.py); hold the frame until it has registered.
        held: list[str] = []
        send, self.ws.send = self.ws.send, held.append
        try:
            subscribe(self, *args, **kwargs)
        finally:
            self.ws.send = send
        for frame in held:
            send(frame)

    manager.subscribe = registered_first
    unified_trading.PUBLIC_WSS = base + "/v5/public/{CHANNEL_TYPE}"
    window, done, first = Window(seconds), threading.Event(), [True]

    def on_book(message: dict[str, Any]) -> None:
        if first:
            first.clear()  # the snapshot
        elif window.see(message["data"]["u"]):
            done.set()

    client = unified_trading.WebSocket(testnet=False, channel_type="linear")
    try:
        client.orderbook_stream(50, "BTCUSDT", on_book)
        if not done.wait(seconds + WARMUP + 20):
            raise SystemExit("pybit: no full window of book messages")
    finally:
        client.exit()
    return window.result()


def main(spec: dict[str, Any]) -> None:
    client, base, seconds = spec["client"], spec["base"], spec["seconds"]
    if client == "null":
        result = null(base, seconds)
    elif client.startswith("ours_"):
        result = ours(base, seconds, client.removeprefix("ours_"))
    else:
        result = pybit(base, seconds)
    print(json.dumps(result))


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
