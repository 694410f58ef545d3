"""The push source of the stream intake figure: ``orderbook.50.BTCUSDT`` as fast as a client reads.

The frames are made once, by the local server's own market code (``Market.subscribe`` for the
snapshot, then ``Market.advance`` for ``CYCLE`` market steps of 20 ms: the deltas Bybit's
``orderbook.50`` cadence gives, about 6 level changes each), then the inverse of each delta in reverse
order, which brings the book back to the snapshot: that cycle repeats for as long as a client
reads, every delta with the next ``u`` (fixed width, patched into the pre-encoded frame), so the
book the clients keep stays the server's book and never crosses (``seq``, ``ts`` and ``cts`` repeat
with the cycle: no client checks them). The source is a raw asyncio
protocol in its own process (``python -m tests.bench.stream_source``, prints its base URL): after
the upgrade it answers subscribe, unsubscribe and ping with the local server's own stream
protocol (``server.streams.Streams``, the linear dialect), then writes the snapshot and the
deltas in batches of ``BATCH`` whenever the socket takes them (TCP backpressure: it offers
exactly what the client reads, never more than ``SNDBUF`` plus 256 KiB ahead of it). When a connection closes
it prints one JSON line: the frames it wrote, and the wall and CPU seconds since the stream
started (its CPU per frame is the source's own ceiling).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import signal
import socket
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any, Final

from bybit_wsapi.server.frames import encode
from bybit_wsapi.server.market import Market
from bybit_wsapi.server.streams import Streams, StreamSession

TOPIC: Final = "orderbook.50.BTCUSDT"
CATEGORY: Final = "linear"
CYCLE: Final = 2000
"""Market steps per cycle (a cycle is twice as many messages: the deltas, then their inverses)."""
BATCH: Final = 256
"""Frames per write."""
SNDBUF: Final = 4 << 20
"""The kernel send buffer of each connection (the default starts at 16 KiB)."""
U0: Final = 10**12
"""The snapshot's ``u``; every ``u`` of a run has 13 digits, so a frame's length is fixed."""
_SENTINEL: Final = 10**13 - 1
_GUID: Final = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def stream_messages(deltas: int = CYCLE, seed: int = 0) -> tuple[dict[str, Any], list[Any]]:
    """The snapshot and one cycle of deltas (``u`` not set yet: the sender numbers them)."""
    market = Market(seed=seed)
    now = 1_767_225_600_000
    first = market.subscribe(CATEGORY, TOPIC, now)
    assert first is not None
    snapshot: dict[str, Any] = dict(first.message)
    step = market.config.step_ms
    forward = [
        dict(push.message)
        for i in range(1, deltas + 1)
        for push in market.advance(now + i * step)
        if push.topic == TOPIC
    ]
    us = [m["data"]["u"] for m in forward]
    assert us == list(range(snapshot["data"]["u"] + 1, us[-1] + 1)), "market u not consecutive"
    book = {side: dict(map(tuple, snapshot["data"][side])) for side in "ba"}
    inverses = []
    for message in forward:
        data = message["data"]
        inverses.append(
            {side: [[p, book[side].get(p, "0")] for p, _ in data[side]] for side in "ba"}
        )
        for side in "ba":
            for price, size in data[side]:
                if size == "0":
                    book[side].pop(price, None)
                else:
                    book[side][price] = size
    backward = [
        {**message, "data": {**message["data"], **levels}}
        for message, levels in zip(reversed(forward), reversed(inverses), strict=True)
    ]
    return snapshot, forward + backward


def _frame(payload: bytes, opcode: int = 1) -> bytes:
    """A server frame (unmasked)."""
    size = len(payload)
    if size < 126:
        head = bytes((0x80 | opcode, size))
    elif size < 1 << 16:
        head = bytes((0x80 | opcode, 126)) + size.to_bytes(2, "big")
    else:
        head = bytes((0x80 | opcode, 127)) + size.to_bytes(8, "big")
    return head + payload


def _template(message: dict[str, Any]) -> tuple[bytes, bytes]:
    """A message as a whole frame, split where its 13-digit ``u`` goes."""
    data = {**message["data"], "u": _SENTINEL}
    text = encode({**message, "data": data}).encode()
    marker = b'"u":%d' % _SENTINEL
    at = text.index(marker) + len(marker) - 13
    framed = _frame(text)
    at += len(framed) - len(text)
    return framed[:at], framed[at + 13 :]


class Frames:
    """The pre-encoded stream: ``snapshot_frame``, then ``batches()`` forever."""

    def __init__(self, deltas: int = CYCLE) -> None:
        snapshot, cycle = stream_messages(deltas)
        self.snapshot_frame = _frame(
            encode({**snapshot, "data": {**snapshot["data"], "u": U0}}).encode()
        )
        self.templates = [_template(m) for m in cycle]
        self.mean_frame_bytes = sum(len(a) + 13 + len(b) for a, b in self.templates) / len(
            self.templates
        )

    def batches(self) -> Iterator[bytes]:
        """Every delta after the snapshot, ``BATCH`` frames per chunk, ``u`` from ``U0 + 1``."""
        templates, count = self.templates, len(self.templates)
        u, at = U0 + 1, 0
        while True:
            parts = []
            for _ in range(BATCH):
                head, tail = templates[at]
                parts += (head, b"%d" % u, tail)
                u += 1
                at = at + 1 if at + 1 < count else 0
            yield b"".join(parts)


class _Source(asyncio.Protocol):
    """One client connection: upgrade, the stream protocol, then the firehose."""

    def __init__(
        self, frames: Frames, streams: Streams, report: Callable[[dict[str, float]], None]
    ) -> None:
        self.frames = frames
        self.streams = streams
        self.report = report
        self.transport: asyncio.Transport | None = None
        self.buffer = b""
        self.session: StreamSession | None = None
        self.pushing: Iterator[bytes] | None = None
        self.paused = False
        self.frames_written = 0
        self.started: tuple[float, float] | None = None
        """``(perf_counter, process_time)`` when the stream started."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        transport.set_write_buffer_limits(high=256 * 1024)
        sock = transport.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SNDBUF)

    def connection_lost(self, exc: Exception | None) -> None:
        """Report what this connection was sent, and the CPU it cost (one connection at a time)."""
        self.pushing = None
        wall, cpu = self.started or (time.perf_counter(), time.process_time())
        self.report(
            {
                "frames": self.frames_written,
                "seconds": time.perf_counter() - wall,
                "cpu": time.process_time() - cpu,
            }
        )

    def pause_writing(self) -> None:
        self.paused = True

    def resume_writing(self) -> None:
        self.paused = False
        self._pump()

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if self.session is None and not self._upgrade():
            return
        while (frame := self._next_frame()) is not None:
            self._on_frame(*frame)

    def _upgrade(self) -> bool:
        head, found, rest = self.buffer.partition(b"\r\n\r\n")
        if not found:
            return False
        assert self.transport is not None
        lines = head.decode("latin-1").split("\r\n")
        path = lines[0].split()[1]
        headers = {
            k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:])
        }
        digest = hashlib.sha1(headers["sec-websocket-key"].encode() + _GUID).digest()
        self.transport.write(
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Accept: " + base64.b64encode(digest) + b"\r\n\r\n"
        )
        self.session = self.streams.open_session(path.rstrip("/").rsplit("/", 1)[-1])
        self.buffer = rest
        return True

    def _next_frame(self) -> tuple[int, bytes] | None:
        data = self.buffer
        if len(data) < 2:
            return None
        size, at = data[1] & 0x7F, 2
        if size == 126:
            size, at = int.from_bytes(data[2:4], "big"), 4
        elif size == 127:
            size, at = int.from_bytes(data[2:10], "big"), 10
        masked = data[1] & 0x80
        if len(data) < at + (4 if masked else 0) + size:
            return None
        payload = data[at + 4 : at + 4 + size] if masked else data[at : at + size]
        if masked:
            mask = (data[at : at + 4] * (size // 4 + 1))[:size]
            payload = (int.from_bytes(payload, "big") ^ int.from_bytes(mask, "big")).to_bytes(
                size, "big"
            )
        self.buffer = data[at + (4 if masked else 0) + size :]
        return data[0] & 0x0F, payload

    def _on_frame(self, opcode: int, payload: bytes) -> None:
        transport, session = self.transport, self.session
        assert transport is not None and session is not None
        if opcode == 0x8:  # the client is done: drop the backlog (with it, any close reply)
            self.pushing = None
            transport.abort()
        elif opcode == 0x9:
            transport.write(_frame(payload, 0xA))
        elif opcode == 0x1:
            result = self.streams.handle(session, payload.decode(), 0)
            for reply in result.replies:
                transport.write(_frame(encode(reply).encode()))
            if TOPIC in result.unsubscribed:
                self.pushing = None
            if TOPIC in result.subscribed:
                self.started = self.started or (time.perf_counter(), time.process_time())
                transport.write(self.frames.snapshot_frame)
                self.pushing = self.frames.batches()
                self._pump()

    def _pump(self) -> None:
        transport = self.transport
        while self.pushing is not None and not self.paused and transport is not None:
            if transport.is_closing():
                return
            transport.write(next(self.pushing))
            self.frames_written += BATCH


async def open_source(
    frames: Frames, report: Callable[[dict[str, float]], None]
) -> tuple[asyncio.Server, str]:
    """The source on a free port of 127.0.0.1, and its base URL (``ws://127.0.0.1:PORT``)."""
    streams = Streams(
        lambda frame, now: (10003, "API key is invalid.", None),
        lambda category, topic: category == CATEGORY and topic == TOPIC,
    )
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: _Source(frames, streams, report), "127.0.0.1", 0)
    return server, f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}"


def _print(report: dict[str, float]) -> None:
    sys.stdout.write(json.dumps(report) + "\n")
    sys.stdout.flush()


async def serve() -> None:
    """Serve until SIGTERM; print the base URL and the mean frame size first."""
    frames = Frames()
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    server, base = await open_source(frames, _print)
    sys.stdout.write(f"{base} {frames.mean_frame_bytes:.1f}\n")
    sys.stdout.flush()
    async with server:
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(serve())
