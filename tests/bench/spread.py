"""``python -m tests.bench.spread RESULTS.json...``: the README's benchmark table, over runs.

Each file is one ``make bench`` run (``tests/bench/results.json``, copied aside between runs).
Prints a Markdown table: per client, the median over runs of each figure, with its range.
"""

from __future__ import annotations

import json
import statistics
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .config import CLIENTS
from .report import cpu_us, round_ratio

COLUMNS = ("ws_api", "ws_api_uvloop", "ws_api_plain", "websockets", "httpx_ws", "pybit", "node")
Figure = Callable[[dict[str, Any], str], float | None]


def _rtt(key: str, scheme: str) -> Figure:
    def get(figures: dict[str, Any], client: str) -> float | None:
        result = figures[scheme].get(client, {})
        return round_ratio(result) if key == "ratio" else result.get(key)

    return get


def _cpu(figures: dict[str, Any], client: str) -> float | None:
    result = figures["throughput"].get(client, {}).get("1")
    return None if result is None else cpu_us(result)


def _rps(conns: str) -> Figure:
    def get(figures: dict[str, Any], client: str) -> float | None:
        result: float | None = figures["throughput"].get(client, {}).get(conns, {}).get("rps")
        return result

    return get


ROWS: dict[str, tuple[Figure, int]] = {
    "round trip p50 / raw websockets, ws:// (per-round median)": (_rtt("ratio", "rtt"), 2),
    "round trip p50 / raw websockets, wss://": (_rtt("ratio", "rtt_wss"), 2),
    "round trip p50, ws:// (µs)": (_rtt("p50", "rtt"), 0),
    "round trip p50, wss:// (µs)": (_rtt("p50", "rtt_wss"), 0),
    "client CPU per request, pipelined (µs)": (_cpu, 0),
    "throughput, 1000 in flight, 1 conn (req/s)": (_rps("1"), 0),
}


def cell(values: Sequence[float], digits: int) -> str:
    if not values:
        return "-"
    mid = f"{statistics.median(values):,.{digits}f}"
    if len(values) == 1:
        return mid
    return f"{mid} ({min(values):,.{digits}f}–{max(values):,.{digits}f})"


def main(paths: Sequence[str]) -> int:
    runs = [json.loads(Path(p).read_text())["figures"] for p in paths]
    print(f"| {len(runs)} runs: median (range) | " + " | ".join(CLIENTS[c] for c in COLUMNS) + " |")
    print("|---" * (len(COLUMNS) + 1) + "|")
    for name, (figure, digits) in ROWS.items():
        cells = []
        for client in COLUMNS:
            values = [v for run in runs if (v := figure(run, client)) is not None]
            cells.append(cell(values, digits))
        print(f"| {name} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
