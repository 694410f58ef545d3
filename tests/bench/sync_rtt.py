"""Figure 7 of ``make bench``: the sync client's sequential round trip against pybit's.

pybit's ``WebSocketTrading`` is what threaded bots use today: sync calls, the reply on a callback
thread. ``bybit_wsapi.sync.WebsocketAPIClient`` blocks for the reply instead. In each round a
fresh process per client, taking turns (drift hits all alike): ours sync (this module as a child,
``python -m tests.bench.sync_rtt SPEC``), pybit and ours async (``runner.py``'s ``rtt``). pybit's
time is when its callback runs; ours sync is when the call returns to the calling thread.

``python -m tests.bench.sync_rtt [--quick]`` measures this figure alone, against its own server.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET

from ..orders import ORDER
from .runner import Phase

if TYPE_CHECKING:
    from .__main__ import Bench

ROOT: Final = Path(__file__).resolve().parents[2]
LABELS: Final = {
    "sync": "ours sync: bybit_wsapi.sync.WebsocketAPIClient",
    "pybit": "pybit WebSocketTrading (callback)",
    "ws_api": "ours async: WebsocketAPIClient",
}


def child(spec: dict[str, Any]) -> dict[str, Any]:
    """One client process: ``warmup`` calls, then ``n`` timed ones, one at a time."""
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


def measure(bench: Bench, url: str, pid: int) -> dict[str, Any]:
    """Rounds of the three clients taking turns; per client: percentiles and per-round p50s."""
    s = bench.s
    n = s.n // s.rtt_rounds
    spec = {"url": url, "server_pid": pid, "n": n, "warmup": s.warmup}
    runs: dict[str, list[dict[str, Any]]] = {client: [] for client in LABELS}
    for _ in range(s.rtt_rounds):
        for client in LABELS:
            runs[client].append(
                _sync(bench, spec) if client == "sync" else bench.run(client, "rtt", **spec)
            )
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


def _sync(bench: Bench, spec: dict[str, Any]) -> dict[str, Any]:
    spec = spec | {"key": DEMO_API_KEY, "secret": DEMO_API_SECRET}
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
        f"  {'sync rtt':<10} {LABELS['sync']:<34} {time.perf_counter() - started:5.1f} s",
        file=sys.stderr,
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return {"error": (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]}
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def report(figure: dict[str, Any], rounds: int, n: int) -> tuple[list[str], dict[str, Any]]:
    """The figure's table and its ratio line (sync/pybit: below 1 is faster than pybit)."""
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
    sync, pybit, aio = (figure[c].get("round_p50") for c in LABELS)
    summary: dict[str, Any] = {}
    if sync and pybit and aio:
        per_round = [a / b for a, b in zip(sync, pybit, strict=True)]
        overhead = [a - b for a, b in zip(sync, aio, strict=True)]
        summary = {
            "sync/pybit p50": figure["sync"]["p50"] / figure["pybit"]["p50"],
            "sync/pybit p50 per round": per_round,
            "sync - async p50 per round (µs)": overhead,
        }
        lines.append(
            f"Ratio sync/pybit p50 {summary['sync/pybit p50']:.2f}x (per round "
            f"{min(per_round):.2f}-{max(per_round):.2f}x; target <= 1.00: "
            f"{'met' if summary['sync/pybit p50'] <= 1 else 'NOT met'}); the thread crossing "
            f"costs {statistics.median(overhead):.0f} µs over ours async (per round "
            f"{min(overhead):.0f}-{max(overhead):.0f})"
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
