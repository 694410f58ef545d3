"""How fast the local server pushes stream messages, and whether it holds many subscribers.

    .venv/bin/python -m tests.server.bench_streams [--seconds 3] [--json PATH]

Part of ``make bench`` (not collected by pytest). The server runs in a child process (this
module with ``--serve``): a ``LocalServer`` plus a producer that publishes, round after round,
one orderbook-delta-shaped message (about 200 bytes, a fresh dict each time, encoded by the hub)
to every subscribed topic, keeping each connection's send queue topped up but under 256 KiB.
This process reads each connection as raw bytes and counts WebSocket frames without decoding
them, so the consumer is not what limits the figure.

1. One consumer of one topic: messages per second and the server process's CPU (one core).
2. 100 connections subscribing 10 topics each: that all stay up and every one receives every
   topic, the deliveries per second, and the server's resident memory.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

TOPIC = "orderbook.50.BTCUSDT"
TOPICS = (
    "orderbook.1.BTCUSDT",
    "orderbook.50.BTCUSDT",
    "orderbook.200.BTCUSDT",
    "orderbook.1000.BTCUSDT",
    "publicTrade.BTCUSDT",
    "tickers.BTCUSDT",
    "kline.1.BTCUSDT",
    "kline.5.BTCUSDT",
    "orderbook.50.ETHUSDT",
    "publicTrade.ETHUSDT",
)
BACKLOG = 256 * 1024
"""The producer pauses while a connection has this many bytes queued."""


# ---- the server process ----------------------------------------------------------------------


async def _produce(server: Any, connections: int) -> None:
    hub, open_ = server.hub, server._streams.connections
    while len(open_) < connections or not all(c.session.topics for c in open_.values()):
        await asyncio.sleep(0.01)  # every consumer subscribed: start
    u = seq = 0
    while True:
        if any(c.outbox.queued > BACKLOG for c in open_.values()):
            await asyncio.sleep(0.001)
            continue
        keys = list(hub._subscribers)
        for _ in range(64):
            for scope, topic in keys:
                u += 1
                seq += 3
                now = time.time_ns() // 1_000_000
                hub.publish(
                    scope,
                    topic,
                    {
                        "topic": topic,
                        "type": "delta",
                        "ts": now,
                        "data": {
                            "s": "BTCUSDT",
                            "b": [["100000.10", "0.512"], ["99999.90", "0"]],
                            "a": [["100000.20", "1.204"]],
                            "u": u,
                            "seq": seq,
                        },
                        "cts": now,
                    },
                )
        await asyncio.sleep(0)


async def _serve(connections: int) -> None:
    from bybit_wsapi.server import LocalServer, ServerConfig

    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    async with LocalServer(ServerConfig()) as server:
        producer = asyncio.create_task(_produce(server, connections))
        sys.stdout.write(server.base_url + "\n")
        sys.stdout.flush()
        await stop.wait()
        producer.cancel()


# ---- the consumers: raw sockets that count frames without decoding them -----------------------


def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _masked_text(payload: bytes) -> bytes:
    """A client text frame with an all-zero mask (the payload stays as is)."""
    size = len(payload)
    head = (
        bytes((0x81, 0x80 | size)) if size < 126 else bytes((0x81, 0xFE)) + size.to_bytes(2, "big")
    )
    return head + b"\0\0\0\0" + payload


class _Consumer:
    """One stream connection read as raw bytes: counts server frames, notes topics seen."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.frames = 0
        self.topics: set[bytes] = set()
        self._buffer = b""

    @classmethod
    async def open(cls, url: str, topics: tuple[str, ...]) -> _Consumer:
        host_port, _, path = url.removeprefix("ws://").partition("/")
        host, _, port = host_port.rpartition(":")
        reader, writer = await asyncio.open_connection(host, int(port), limit=1 << 22)
        writer.write(
            (
                f"GET /{path} HTTP/1.1\r\nHost: {host_port}\r\nUpgrade: websocket\r\n"
                "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                "Sec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        head = await reader.readuntil(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 101"), head
        consumer = cls(reader, writer)
        writer.write(_masked_text(json.dumps({"op": "subscribe", "args": list(topics)}).encode()))
        return consumer

    async def count(self, deadline: float, watch_topics: bool) -> int:
        """Frames received until ``deadline`` (loop time)."""
        loop = asyncio.get_running_loop()
        start = self.frames
        while loop.time() < deadline:
            chunk = await self.reader.read(1 << 20)
            if not chunk:
                break
            self._parse(self._buffer + chunk, watch_topics)
        return self.frames - start

    def _parse(self, data: bytes, watch_topics: bool) -> None:
        at, end = 0, len(data)
        while end - at >= 2:
            size = data[at + 1] & 0x7F
            head = 2
            if size == 126:
                if end - at < 4:
                    break
                size, head = int.from_bytes(data[at + 2 : at + 4], "big"), 4
            elif size == 127:
                if end - at < 10:
                    break
                size, head = int.from_bytes(data[at + 2 : at + 10], "big"), 10
            if end - at < head + size:
                break
            if watch_topics:
                payload = data[at + head : at + head + size]
                first = payload.find(b'"topic":"')
                if first >= 0:
                    self.topics.add(payload[first + 9 : payload.index(b'"', first + 9)])
            self.frames += 1
            at += head + size
        self._buffer = data[at:]

    def close(self) -> None:
        self.writer.transport.abort()


async def _server(connections: int) -> tuple[asyncio.subprocess.Process, str]:
    server = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "tests.server.bench_streams", "--serve", str(connections)),
        stdout=asyncio.subprocess.PIPE,
    )
    assert server.stdout is not None
    return server, (await server.stdout.readline()).decode().strip()


async def _stop(server: asyncio.subprocess.Process) -> None:
    server.send_signal(signal.SIGTERM)
    await server.wait()


async def one_consumer(seconds: float) -> dict[str, float]:
    """Messages per second to one consumer of one topic, and the server's CPU share."""
    server, base = await _server(1)
    try:
        consumer = await _Consumer.open(base + "/v5/public/linear", (TOPIC,))
        loop = asyncio.get_running_loop()
        await consumer.count(loop.time() + 0.5, False)  # warm up
        cpu, wall = _cpu_seconds(server.pid), time.perf_counter()
        count = await consumer.count(loop.time() + seconds, False)
        elapsed = time.perf_counter() - wall
        used = _cpu_seconds(server.pid) - cpu
        consumer.close()
    finally:
        await _stop(server)
    return {
        "messages_per_s": count / elapsed,
        "server_cpu": used / elapsed,
        "messages_per_server_cpu_s": count / used if used else float("nan"),
    }


async def many_connections(seconds: float, connections: int = 100) -> dict[str, float]:
    """``connections`` x 10 topics: every connection up and receiving every topic."""
    server, base = await _server(connections)
    try:
        url = base + "/v5/public/linear"
        consumers = [await _Consumer.open(url, TOPICS) for _ in range(connections)]
        wall = time.perf_counter()
        deadline = asyncio.get_running_loop().time() + seconds
        counts = await asyncio.gather(*(c.count(deadline, True) for c in consumers))
        elapsed = time.perf_counter() - wall
        complete = sum(len(c.topics) == len(TOPICS) for c in consumers)
        open_ = sum(not c.reader.at_eof() for c in consumers)
        rss = _rss_mib(server.pid)
        for consumer in consumers:
            consumer.close()
    finally:
        await _stop(server)
    return {
        "connections": connections,
        "topics_each": len(TOPICS),
        "open_at_end": open_,
        "receiving_every_topic": complete,
        "deliveries_per_s": sum(counts) / elapsed,
        "server_rss_mib": rss,
    }


async def measure(seconds: float) -> dict[str, Any]:
    """Both figures, each from a fresh server process."""
    return {
        "one_consumer": await one_consumer(seconds),
        "hundred_connections": await many_connections(seconds),
    }


def report(figures: dict[str, Any]) -> str:
    one, many = figures["one_consumer"], figures["hundred_connections"]
    verdict = "PASS" if one["messages_per_s"] >= 20_000 else "BELOW TARGET"
    held = many["open_at_end"] == many["receiving_every_topic"] == many["connections"]
    return (
        f"stream pushes to one consumer: {one['messages_per_s']:,.0f} messages/s, server CPU "
        f"{one['server_cpu']:.0%} of a core, {one['messages_per_server_cpu_s']:,.0f} messages "
        f"per server CPU second (target >= 20,000/s on one core: {verdict})\n"
        f"{many['connections']} stream connections x {many['topics_each']} topics: "
        f"{many['open_at_end']} open, {many['receiving_every_topic']} receiving every topic "
        f"({'PASS' if held else 'FAIL'}), {many['deliveries_per_s']:,.0f} deliveries/s, "
        f"server RSS {many['server_rss_mib']:.0f} MiB\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", type=int, metavar="CONNECTIONS", help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    if args.serve is not None:
        asyncio.run(_serve(args.serve))
        return
    figures = asyncio.run(measure(args.seconds))
    sys.stdout.write(report(figures))
    if args.json is not None:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
