"""The stream intake figure of ``make bench``, side by side: ``orderbook.50`` deltas per second one
client takes in and hands to its consumer, ours against pybit's ``WebSocket`` and the Node SDK's
``WebsocketClient``, fed by one source that outpaces them all.

The source (``stream_source``, its own process) replays the local server's market frames as fast
as the client reads them. Each client runs in a fresh process (``stream_clients``,
``node_stream.cjs``), alone, the clients taking turns over ``ROUNDS`` rounds: it counts for
``SECONDS`` (after a warm-up) the messages its consumer got, and every message's ``u`` must be the
previous one plus 1, so a dropped or conflated message fails the run. The first "client" is not
one: a raw socket that only counts bytes, i.e. what the source offers. After every run the source
reports what it wrote and the CPU it spent, so its own ceiling (messages per CPU second of its
core) stands beside each figure. Median over rounds, with the range.

``python -m tests.bench.stream_intake [--quick] [--no-node] [--json PATH]`` prints this figure;
``--table run1.json run2.json ...`` makes the README table from saved runs (these, or
``make bench``'s ``results.json``).
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import statistics
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from .config import HERE, NODE_CACHE, ROOT

SECONDS: Final = 4.0
ROUNDS: Final = 3
WARMUP: Final = 0.5
CLIENTS: Final = {
    "null": "source alone (raw socket, counts bytes)",
    "ours_update": "ours: subscribe_v5 + on('update')",
    "ours_stream": "ours: stream_orderbook async for",
    "ours_book": "ours: order_book (keeps the book)",
    "pybit": "pybit 5.17.0 WebSocket.orderbook_stream",
    "node": "Node bybit-api 4.7.7 WebsocketClient",
}


class Source:
    """The push source process, and the line it writes after each connection."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.bench.stream_source"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        base, frame = self.process.stdout.readline().split()
        self.base, self.frame_bytes = base, float(frame)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def connection(self) -> dict[str, Any] | None:
        """What the source wrote to the last connection (it reports when one closes)."""
        try:
            report: dict[str, Any] = json.loads(self.lines.get(timeout=5))
        except queue.Empty:
            return None
        while not self.lines.empty():
            report = json.loads(self.lines.get_nowait())
        return report

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def _one(client: str, source: Source, seconds: float, node: str | None) -> dict[str, Any]:
    """One client in a fresh process: its counts (and the source's), or ``{"error": ...}``."""
    spec: dict[str, Any] = {"base": source.base, "seconds": seconds, "warmup": WARMUP}
    if client == "node":
        if node is not None:
            return {"error": node}
        spec["node_modules"] = str(NODE_CACHE / "node_modules")
        command = ["node", str(HERE / "node_stream.cjs"), json.dumps(spec)]
    else:
        command = [
            sys.executable,
            "-m",
            "tests.bench.stream_clients",
            json.dumps(spec | {"client": client}),
        ]
    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    fed = source.connection()
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return {"error": (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]}
    result: dict[str, Any] = json.loads(lines[-1])
    if client == "null":
        result["messages"] = result.pop("bytes") / source.frame_bytes
    result["rate"] = result["messages"] / result["seconds"]
    result["client_cpu"] = result["cpu"] / result["seconds"]
    result["client_wait"] = result["wait"] / result["seconds"]
    result["per_cpu_s"] = result["messages"] / result["cpu"] if result["cpu"] else float("nan")
    if fed is not None and fed["frames"]:
        result["source_ceiling"] = fed["frames"] / fed["cpu"]
        result["source_cpu"] = fed["cpu"] / fed["seconds"]
    if result.get("gaps"):
        result["error"] = f"{result['gaps']} gaps in u: messages lost"
    return result


def _spread(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def measure(quick: bool = False, node: str | None = None) -> dict[str, Any]:
    """Every client, ``ROUNDS`` rounds taking turns, against one source process."""
    seconds, rounds = (1.5, 2) if quick else (SECONDS, ROUNDS)
    runs: dict[str, list[dict[str, Any]]] = {client: [] for client in CLIENTS}
    source = Source()
    try:
        for _ in range(rounds):
            for client in CLIENTS:
                runs[client].append(_one(client, source, seconds, node))
    finally:
        source.stop()
    out: dict[str, Any] = {"seconds": seconds, "frame_bytes": source.frame_bytes, "runs": runs}
    for client, results in runs.items():
        errors = [r["error"] for r in results if "error" in r]
        if errors or not results:
            out[client] = {"error": (errors or ["no result"])[0]}
            continue
        out[client] = {
            key: _spread([r[key] for r in results if key in r])
            for key in (
                "rate",
                "per_cpu_s",
                "client_cpu",
                "client_wait",
                "source_ceiling",
                "source_cpu",
            )
            if any(key in r for r in results)
        } | {"rates": [r["rate"] for r in results]}
    return out


def report(result: dict[str, Any]) -> list[str]:
    lines = [
        f"Stream intake: orderbook.50 deltas (~{result['frame_bytes']:.0f} B) handed to the "
        f"consumer, every u checked, {result['seconds']:g} s windows, fresh process per run; "
        "the source in its own process writes as fast as the client reads",
        f"  {'':<40} {'msg/s, median (range)':>25} {'msg per client CPU-s':>27}  client CPU"
        "  CPU wait  source CPU, msg per source CPU-s",
    ]

    def spread(figure: dict[str, float]) -> str:
        return f"{figure['median']:,.0f} ({figure['min']:,.0f}-{figure['max']:,.0f})"

    for client, label in CLIENTS.items():
        r = result[client]
        if "error" in r:
            lines.append(f"  {label:<40} {r['error']}")
            continue
        source = (
            f"{r['source_cpu']['median']:.0%}, {r['source_ceiling']['median']:,.0f}"
            if "source_cpu" in r
            else "-"
        )
        lines.append(
            f"  {label:<40} {spread(r['rate']):>25} {spread(r['per_cpu_s']):>27}"
            f"  {r['client_cpu']['median']:>10.0%}  {r['client_wait']['median']:>9.0%}  {source}"
        )
    rates = {c: r["rate"]["median"] for c, r in result.items() if c in CLIENTS and "rate" in r}
    fastest = max((c for c in rates if c != "null"), key=rates.__getitem__, default=None)
    if "null" in rates and fastest is not None:
        lines.append(
            f"  the source alone offers {rates['null'] / rates[fastest]:.1f}x the fastest "
            f"client's intake ({CLIENTS[fastest]}): the clients, not the source, set the figures"
            if rates["null"] > 2 * rates[fastest]
            else "  WARNING: the source alone is not 2x the fastest client: it may be the limit"
        )
    return lines


TABLE_COLUMNS: Final = {
    "rate": ("msg/s to the consumer", "{:,.0f}"),
    "per_cpu_s": ("msg per client CPU-second", "{:,.0f}"),
    "us_per_msg": ("client CPU per msg (µs)", "{:.1f}"),
    "client_cpu": ("client CPU", "{:.0%}"),
    "client_wait": ("client waiting for a CPU", "{:.0%}"),
    "source_cpu": ("source CPU", "{:.0%}"),
}


def table(paths: Sequence[Path]) -> list[str]:
    """The README table from saved runs (``--json``): every run pooled, median (range)."""
    saved = [json.loads(path.read_text()) for path in paths]
    saved = [s["figures"]["stream_intake"] if "figures" in s else s for s in saved]  # make bench
    lines = [
        "| orderbook.50 deltas | " + " | ".join(c for c, _ in TABLE_COLUMNS.values()) + " |",
        "|---|" + "---|" * len(TABLE_COLUMNS),
    ]
    failed = {}
    for client, label in CLIENTS.items():
        runs = [r for s in saved for r in s["runs"][client]]
        if errors := [r for r in runs if "error" in r]:
            failed[client] = len(errors)
        runs = [r | {"us_per_msg": 1e6 / r["per_cpu_s"]} for r in runs if "error" not in r]
        cells = []
        for key, (_, form) in TABLE_COLUMNS.items():
            values = [r[key] for r in runs if key in r]
            ends = (statistics.median(values), min(values), max(values)) if values else ()
            cells.append("{} ({}-{})".format(*map(form.format, ends)) if values else "-")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    runs = sum(len(s["runs"][c]) for s in saved for c in CLIENTS)
    lines.append(f"\n{runs} runs; failed runs: {failed or 'none'}")
    return lines


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--no-node", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--table", type=Path, nargs="+", help="the README table of saved runs")
    args = parser.parse_args(argv)
    if args.table:
        print("\n".join(table(args.table)))
        return
    from .__main__ import node_sdk

    node = "skipped: --no-node" if args.no_node else node_sdk()
    print(f"(load: {os.getloadavg()[0]:.2f})", file=sys.stderr)
    result = measure(args.quick, node)
    for line in report(result):
        print(line)
    if args.json is not None:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
