"""Figure 7 of ``make bench``: the sync client's sequential round trip against pybit's.

pybit's ``WebSocketTrading`` is what threaded bots use today: sync calls, the reply on a callback
thread. ``bybit_wsapi.sync.WebsocketAPIClient`` blocks for the reply instead. In each round a
fresh process per client, taking turns (drift hits all alike): ours sync and pybit (this module
as a child, ``python -m tests.bench.sync_rtt SPEC``) and ours async (``runner.py``'s ``rtt``).
Ours sync is timed when the call returns to the calling thread. pybit is timed twice per call in
one process: when its callback runs on its reader thread (what a callback bot sees; no thread
crossing counted) and when the calling thread, waiting on a ``threading.Event`` the callback
sets, has the reply (what a sync bot that needs the reply before its next step pays).

``python -m tests.bench.sync_rtt [--quick]`` measures this figure alone, against its own server.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET

from ..orders import ORDER
from .runner import Phase, Pybit

if TYPE_CHECKING:
    from .__main__ import Bench

ROOT: Final = Path(__file__).resolve().parents[2]
LABELS: Final = {
    "sync": "ours sync: bybit_wsapi.sync.WebsocketAPIClient",
    "pybit": "pybit WebSocketTrading, in its callback",
    "pybit_caller": "pybit, reply handed to the caller",
    "ws_api": "ours async: WebsocketAPIClient",
}
CHILDREN: Final = ("sync", "pybit")
"""The clients this module runs as children (pybit's child gives both pybit rows)."""


def child(spec: dict[str, Any]) -> dict[str, Any]:
    """One client process: ``warmup`` calls, then ``n`` timed ones, one at a time."""
    if spec["client"] == "pybit":
        return asyncio.run(_pybit(spec))
    from bybit_wsapi.sync import WebsocketAPIClient

    with WebsocketAPIClient(key=spec["key"], secret=spec["secret"], ws_url=spec["url"]) as client:
        for _ in range(spec["warmup"]):
            client.submit_new_order(ORDER)
        samples = []
        phase = Phase(spec.get("server_pid"))
        for _ in range(spec["n"]):
            start = time.perf_counter()
            client.submit_new_order(ORDER)
            samples.append((time.perf_counter() - start) * 1e6)
        result = phase.result(spec["n"])
    return {**result, "rtt_us": samples}


async def _pybit(spec: dict[str, Any]) -> dict[str, Any]:
    """pybit, both stamps of each call: in the callback, and back on the calling thread."""
    client = Pybit(spec)  # its ``one()`` sends, then waits on the Event its callback sets
    for _ in range(spec["warmup"]):
        await client.one()
    in_callback, in_caller = [], []
    phase = Phase(spec.get("server_pid"))
    for _ in range(spec["n"]):
        start = time.perf_counter()
        acked = await client.one()  # never suspends: a blocking call, like a sync bot's
        back = time.perf_counter()
        if acked is not None:  # not dropped by pybit ("unregistered reqId")
            in_callback.append((acked - start) * 1e6)
            in_caller.append((back - start) * 1e6)
    result = phase.result(spec["n"], spec["n"] - len(in_callback))
    await client.close()
    return {**result, "rtt_us": in_callback, "caller_rtt_us": in_caller}


def measure(bench: Bench, url: str, pid: int) -> dict[str, Any]:
    """Rounds of the three clients taking turns; per client: percentiles and per-round p50s."""
    s = bench.s
    n = s.n // s.rtt_rounds
    spec: dict[str, Any] = {"url": url, "server_pid": pid, "n": n, "warmup": s.warmup}
    runs: dict[str, list[dict[str, Any]]] = {client: [] for client in LABELS}
    for _ in range(s.rtt_rounds):
        for client in ("sync", "pybit", "ws_api"):
            if client in CHILDREN:
                result = _child(bench, spec | {"client": client})
            else:
                result = bench.run(client, "rtt", **spec)
            runs[client].append(result)
            if client == "pybit":
                caller = {"rtt_us": result["caller_rtt_us"]} if "rtt_us" in result else result
                runs["pybit_caller"].append({**result, **caller})
    out: dict[str, Any] = {}
    for client, results in runs.items():
        good = [r for r in results if "rtt_us" in r]
        if len(good) < len(results):
            out[client] = next(r for r in results if "rtt_us" not in r)
            continue
        samples = [x for r in good for x in r["rtt_us"]]
        cuts = statistics.quantiles(samples, n=100, method="inclusive")
        out[client] = {
            "p50": cuts[49],
            "p90": cuts[89],
            "p99": cuts[98],
            "cpu_us": sum(r["cpu_s"] for r in good) / sum(r["requests"] for r in good) * 1e6,
            "lost": sum(r["lost"] for r in good),
            "round_p50": [statistics.median(r["rtt_us"]) for r in good],
        }
    return out


def _child(bench: Bench, spec: dict[str, Any]) -> dict[str, Any]:
    spec = spec | {"key": DEMO_API_KEY, "secret": DEMO_API_SECRET}
    label = LABELS[spec["client"]]
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "tests.bench.sync_rtt", json.dumps(spec)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    print(
        f"  {'sync rtt':<10} {label:<34} {time.perf_counter() - started:5.1f} s",
        file=sys.stderr,
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return {"error": (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]}
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def report(figure: dict[str, Any], rounds: int, n: int) -> tuple[list[str], dict[str, Any]]:
    """The figure's table and its ratio lines (ours sync / pybit: below 1 is faster than pybit)."""
    lines = [
        "",
        f"7. Sync round trip, order.create sequential: N={n} in {rounds} rounds of fresh "
        "processes taking turns (µs)",
    ]
    width = max(len(label) for label in LABELS.values())
    lines.append(f"{'client':<{width}}  {'p50':>5}  {'p90':>5}  {'p99':>5}  {'CPU µs/req':>10}")
    for client, label in LABELS.items():
        r = figure[client]
        if "p50" not in r:
            lines.append(f"{label:<{width}}  failed: {r.get('error')}")
            continue
        cells = (f"{r[k]:5.0f}" for k in ("p50", "p90", "p99"))
        lines.append(f"{label:<{width}}  {'  '.join(cells)}  {r['cpu_us']:10.0f}")
    rounds_p50 = {client: figure[client].get("round_p50") for client in LABELS}
    summary: dict[str, Any] = {}
    if not all(rounds_p50.values()):
        return lines, summary
    sync = rounds_p50["sync"]
    for peer, how in (("pybit", "in its callback"), ("pybit_caller", "handed to the caller")):
        per_round = [a / b for a, b in zip(sync, rounds_p50[peer], strict=True)]
        ratio = figure["sync"]["p50"] / figure[peer]["p50"]
        summary[f"sync/{peer} p50"] = ratio
        summary[f"sync/{peer} p50 per round"] = per_round
        lines.append(
            f"Ratio ours sync / pybit {how}, p50 {ratio:.2f}x (per round "
            f"{min(per_round):.2f}-{max(per_round):.2f}x; target <= 1.00: "
            f"{'met' if ratio <= 1 else 'NOT met'})"
        )
    overhead = [a - b for a, b in zip(sync, rounds_p50["ws_api"], strict=True)]
    summary["sync - async p50 per round (µs)"] = overhead
    lines.append(
        f"A sync call costs {statistics.median(overhead):.0f} µs more than an async one "
        f"(per round {min(overhead):.0f}-{max(overhead):.0f})"
    )
    return lines, summary


def alone(quick: bool) -> None:
    """This figure only, with ``make bench``'s settings and server."""
    import tempfile

    from .__main__ import QUICK, Bench, Server, Settings

    settings = QUICK if quick else Settings()
    with tempfile.TemporaryDirectory(prefix="bybit-wsapi-bench-") as scratch:
        server = Server(Path(scratch) / "server.log")
        try:
            figure = measure(Bench(settings, "skipped"), server.url, server.pid)
        finally:
            server.stop()
    lines, summary = report(figure, settings.rtt_rounds, settings.n)
    print("\n".join([*lines, json.dumps(summary)]))


if __name__ == "__main__":
    if sys.argv[1:2] and sys.argv[1].startswith("{"):
        print(json.dumps(child(json.loads(sys.argv[1]))))
    else:
        alone("--quick" in sys.argv)
