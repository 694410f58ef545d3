"""The stream intake figure of ``make bench``, side by side: push messages per second one client
takes in and hands to its consumer, ours against pybit's ``WebSocket`` and the Node SDK's
``WebsocketClient``, on the same local server in the same run.

The server runs in its own process (``bybit-wsapi serve --stream-burst N``): once per
``INTERVAL_MS`` it pushes ``BURST`` ``orderbook.50.BTCUSDT`` deltas on every subscribed book,
more than one client can take. Each client runs in a fresh process, alone, the clients taking
turns over ``ROUNDS`` rounds; it subscribes without keys and counts the messages its consumer got
during ``SECONDS`` after the snapshot (ours: ``async for`` over ``stream_orderbook``, which keeps
the book; pybit: its ``orderbook_stream`` callback, which merges the book too; Node: the
``update`` event, no book). Median messages per second over rounds, with the range.

``python -m tests.bench.stream_intake [--quick]`` prints this figure alone.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from typing import Any, Final

from .config import NODE_CACHE, ROOT

BURST: Final = 5000
INTERVAL_MS: Final = 100
SECONDS: Final = 4.0
ROUNDS: Final = 3
PEERS: Final = {"ours": "bybit-wsapi WebsocketClient", "pybit": "pybit 5.17 WebSocket"}
PEERS_NODE: Final = {"node": "bybit-api 4.7.7 WebsocketClient (Node)"}

NODE_SCRIPT: Final = r"""
const spec = JSON.parse(process.argv[1]);
const { WebsocketClient } = require(require('path').join(spec.node_modules, 'bybit-api'));
const silent = { trace() {}, info() {}, error() {} };
const ws = new WebsocketClient({ wsUrl: `${spec.base}/v5/public/linear` }, silent);
let count = 0, start = null;
ws.on('update', (event) => {
  if (event.type === 'snapshot') { start = process.hrtime.bigint(); return; }
  if (start === null) return;
  count += 1;
  const s = Number(process.hrtime.bigint() - start) / 1e9;
  if (s >= spec.seconds) {
    process.stdout.write(JSON.stringify({ messages: count, seconds: s }) + '\n');
    process.exit(0);
  }
});
ws.subscribeV5(['orderbook.50.BTCUSDT'], 'linear');
setTimeout(() => process.exit(2), spec.seconds * 1000 + 20000);
"""


async def _ours(base: str, seconds: float) -> dict[str, float]:
    from bybit_wsapi import WebsocketClient

    ws = WebsocketClient(base_url=base, stream_buffer_size=100_000)
    count = 0
    try:
        async with ws.stream_orderbook("linear", "BTCUSDT", 50) as sub:
            stream = aiter(sub)
            await anext(stream)  # the snapshot
            start = time.perf_counter()
            while (elapsed := time.perf_counter() - start) < seconds:
                await anext(stream)
                count += 1
    finally:
        await ws.close()
    return {"messages": count, "seconds": elapsed}


def _pybit(base: str, seconds: float) -> dict[str, float]:
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
    done = threading.Event()
    box: dict[str, float] = {"count": 0}

    def on_book(message: dict[str, Any]) -> None:
        if "start" not in box:
            box["start"] = time.perf_counter()
            return
        box["count"] += 1
        box["elapsed"] = time.perf_counter() - box["start"]
        if box["elapsed"] >= seconds:
            done.set()

    client = unified_trading.WebSocket(testnet=False, channel_type="linear")
    try:
        client.orderbook_stream(50, "BTCUSDT", on_book)
        if not done.wait(seconds + 20):
            raise SystemExit("pybit: no full window of book messages")
    finally:
        client.exit()
    return {"messages": box["count"], "seconds": box["elapsed"]}


def _one(client: str, base: str, seconds: float, node: str | None) -> dict[str, Any]:
    """One client in a fresh process: its counts, or ``{"error": ...}``."""
    if client == "node":
        if node is not None:
            return {"error": node}
        spec = {"node_modules": str(NODE_CACHE / "node_modules"), "base": base, "seconds": seconds}
        command = ["node", "-e", NODE_SCRIPT, json.dumps(spec)]
    else:
        spec = {"client": client, "base": base, "seconds": seconds}
        command = [sys.executable, "-m", "tests.bench.stream_intake", "--run", json.dumps(spec)]
    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return {"error": (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]}
    result: dict[str, Any] = json.loads(lines[-1])
    result["rate"] = result["messages"] / result["seconds"]
    return result


def measure(quick: bool = False, node: str | None = None) -> dict[str, Any]:
    """Every client, ``ROUNDS`` rounds taking turns, against one server process."""
    clients = [*PEERS, *PEERS_NODE]
    seconds, rounds = (1.5, 2) if quick else (SECONDS, ROUNDS)
    flags = ("--stream-burst", str(BURST), "--stream-fault-interval-ms", str(INTERVAL_MS))
    serve = [sys.executable, "-m", "bybit_wsapi", "serve", "--no-rate-limit", "--port", "0"]
    runs: dict[str, list[dict[str, Any]]] = {client: [] for client in clients}
    with tempfile.TemporaryFile("w") as log:
        server = subprocess.Popen(
            [*serve, "--log-level", "WARNING", *flags],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        try:
            assert server.stdout is not None
            base = server.stdout.readline().strip().removesuffix("/v5/trade")
            for _ in range(rounds):
                for client in clients:
                    runs[client].append(_one(client, base, seconds, node))
        finally:
            server.terminate()
            server.wait(timeout=30)
    out: dict[str, Any] = {"burst": BURST, "interval_ms": INTERVAL_MS, "seconds": seconds}
    for client, results in runs.items():
        rates = [r["rate"] for r in results if "rate" in r]
        errors = [r["error"] for r in results if "error" in r]
        out[client] = (
            {"rates": rates, "median": statistics.median(rates), "min": min(rates)}
            | {"max": max(rates)}
            if rates and not errors
            else {"error": (errors or ["no result"])[0]}
        )
    return out


def report(result: dict[str, Any]) -> list[str]:
    offered = result["burst"] * 1000 / result["interval_ms"]
    lines = [
        f"Stream intake, side by side: orderbook.50 deltas, server offers {offered:,.0f} msg/s "
        f"({result['burst']} every {result['interval_ms']} ms, own process), "
        f"{result['seconds']:g} s windows, fresh process per run",
    ]
    ours = result.get("ours", {}).get("median")
    for client, label in (PEERS | PEERS_NODE).items():
        r = result[client]
        if "error" in r:
            lines.append(f"  {label:<40} {r['error']}")
            continue
        ratio = f"  ours x{ours / r['median']:.2f}" if ours and client != "ours" else ""
        lines.append(
            f"  {label:<40} {r['median']:>9,.0f} msg/s median of {len(r['rates'])} "
            f"(range {r['min']:,.0f}-{r['max']:,.0f}){ratio}"
        )
    return lines


def _run(spec: dict[str, Any]) -> None:
    if spec["client"] == "ours":
        result = asyncio.run(_ours(spec["base"], spec["seconds"]))
    else:
        result = _pybit(spec["base"], spec["seconds"])
    print(json.dumps(result))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--no-node", action="store_true")
    parser.add_argument("--run", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run:
        _run(json.loads(args.run))
        return
    from .__main__ import node_sdk

    node = "skipped: --no-node" if args.no_node else node_sdk()
    print(f"(load: {os.getloadavg()[0]:.2f})", file=sys.stderr)
    for line in report(measure(args.quick, node)):
        print(line)


if __name__ == "__main__":
    main()
