"""``python -m tests.bench [--quick]``: the client benchmark behind ``make bench``.

Starts the local server once, in its own process (``bybit-wsapi serve --no-rate-limit``), plus a
second one that holds every reply back (``--delay-ms``) for the memory figure, and a third over
``wss://`` (``tls_server.py``: a certificate from a CA made at run time) for the TLS round trips.
Each measured client runs in its own fresh subprocess, one at a time (``runner.py``;
``node_client.cjs`` for the Node SDK, installed into ~/.cache/bybit-wsapi-bench). Ours runs as
shipped (the fast session), on the plain httpx-ws session, and on uvloop. Round trips go in rounds,
the clients taking turns; each round's p50 is divided by raw ``websockets``' in the same round, and
the median ratio over rounds is reported with its range. Prints a table per figure and one ratio
line per figure, and writes the same as JSON to tests/bench/results.json. It reports; it asserts
nothing.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any, Final

from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET

from . import sync_rtt
from .runner import server_cpu

HERE: Final = Path(__file__).resolve().parent
ROOT: Final = HERE.parents[1]
RESULTS: Final = HERE / "results.json"
NODE_SDK: Final = ("bybit-api", "4.7.7")
NODE_CACHE: Final = Path.home() / ".cache" / "bybit-wsapi-bench"

CLIENTS: Final = {
    "ws_api": "ours: WebsocketAPIClient",
    "ws_api_plain": "ours, plain httpx-ws session",
    "ws_api_uvloop": "ours on uvloop",
    "ws_client": "ours: WebsocketClient",
    "websockets": "floor: raw websockets",
    "httpx_ws": "floor: raw httpx-ws",
    "pybit": "pybit WebSocketTrading",
    "node": "Node bybit-api WebsocketAPIClient",
}
OURS: Final = "ws_api"
FLOORS: Final = ("websockets", "httpx_ws")
VARIANTS: Final = {
    "ws_api_plain": ("ws_api", {"BYBIT_WSAPI_TRANSPORT": "plain"}, "asyncio"),
    "ws_api_uvloop": ("ws_api", {}, "uvloop"),
}
"""Client name -> (the runner's client, extra environment, event loop)."""
ONE_OFF: Final = tuple(c for c in CLIENTS if c not in VARIANTS)
"""The clients of the cold start and memory figures (not the variants)."""
IMPORTS: Final = {
    "bare interpreter": "pass",
    "bybit_wsapi": "import bybit_wsapi",
    "httpx_ws": "import httpx_ws",
    "websockets": "import websockets.asyncio.client",
    "pybit": "import pybit.unified_trading",
}

Result = dict[str, Any]


@dataclasses.dataclass(frozen=True)
class Settings:
    n: int = 3000
    rtt_rounds: int = 5
    warmup: int = 300
    inflight: int = 1000
    rounds: int = 3
    conns: int = 4
    cold_runs: int = 5
    memory_inflight: int = 10_000
    delay_ms: int = 2000
    capacity_procs: int = 3
    capacity_window: int = 200
    capacity_seconds: float = 3.0
    import_runs: int = 7


QUICK: Final = Settings(
    n=500,
    rtt_rounds=2,
    warmup=100,
    rounds=1,
    cold_runs=2,
    memory_inflight=2000,
    capacity_seconds=1.0,
)


SERVE: Final = (sys.executable, "-m", "bybit_wsapi", "serve", "--no-rate-limit", "--port", "0")


TLS_SERVE: Final = (sys.executable, "-m", "tests.bench.tls_server")
WSS_CLIENTS: Final = [c for c in CLIENTS if c != "ws_client"]
"""The clients of the wss:// round trip."""


class Server:
    """A local server in its own process; its one stdout line is the URL."""

    def __init__(self, log: Path, *flags: str, command: Sequence[str] = SERVE) -> None:
        if command == SERVE:
            flags = ("--log-level", "WARNING", *flags)
        with log.open("w") as stderr:
            self.process = subprocess.Popen(
                [*command, *flags],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
            )
        assert self.process.stdout is not None
        self.url = self.process.stdout.readline().strip()
        if not self.url.startswith(("ws://", "wss://")):
            self.stop()
            sys.exit(f"the local server did not start: see {log}")
        self.pid = self.process.pid

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


class Bench:
    def __init__(self, settings: Settings, node: str | None) -> None:
        self.s = settings
        self.node = node
        """Why the Node SDK is skipped, or None when it runs."""

    def run(
        self, client: str, scenario: str, env: dict[str, str] | None = None, **spec: Any
    ) -> Result:
        """One scenario in a fresh process: its JSON result, or ``{"error": ...}``."""
        if client == "node" and self.node is not None:
            return {"error": self.node}
        label = CLIENTS[client]
        client, extra_env, loop = VARIANTS.get(client, (client, {}, "asyncio"))
        spec |= {"client": client, "scenario": scenario, "key": DEMO_API_KEY, "loop": loop}
        spec |= {"secret": DEMO_API_SECRET, "clk_tck": os.sysconf("SC_CLK_TCK")}
        if client == "node":
            spec["node_modules"] = str(NODE_CACHE / "node_modules")
            command = ["node", str(HERE / "node_client.cjs"), json.dumps(spec)]
        else:
            command = [sys.executable, "-m", "tests.bench.runner", json.dumps(spec)]
        started = time.perf_counter()
        done = subprocess.run(
            command,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
            env=os.environ | extra_env | (env or {}),
        )
        lines = done.stdout.strip().splitlines()
        took = time.perf_counter() - started
        print(f"  {scenario:<10} {label:<34} {took:5.1f} s", file=sys.stderr)
        if done.returncode != 0 or not lines:
            error = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
            print(f"    failed: {error}", file=sys.stderr)
            return {"error": error}
        result: Result = json.loads(lines[-1])
        return result

    def rtt(
        self, url: str, pid: int, clients: Sequence[str], env: dict[str, str] | None = None
    ) -> dict[str, Result]:
        """Rounds of fresh processes, the clients taking turns, so drift hits all alike.

        Each client's ``round_ratios`` are its p50 over raw websockets' p50 in the same round.
        """
        runs: dict[str, list[Result]] = {client: [] for client in clients}
        n = self.s.n // self.s.rtt_rounds
        for _ in range(self.s.rtt_rounds):
            for client in clients:
                runs[client].append(
                    self.run(client, "rtt", env, url=url, server_pid=pid, n=n, warmup=self.s.warmup)
                )
        out = {}
        for client, results in runs.items():
            good = [r for r in results if "rtt_us" in r]
            if len(good) < len(results):
                out[client] = next(r for r in results if "rtt_us" not in r)
                continue
            samples = [sample for r in good for sample in r["rtt_us"]]
            cuts = statistics.quantiles(samples, n=100, method="inclusive")
            out[client] = {
                key: sum(r[key] for r in good) for key in ("requests", "lost", "seconds", "cpu_s")
            } | {"p50": cuts[49], "p90": cuts[89], "p99": cuts[98], "max": max(samples)}
            out[client]["round_p50"] = [statistics.median(r["rtt_us"]) for r in good]
        floor = out.get("websockets", {}).get("round_p50")
        for result in out.values():
            if floor and "round_p50" in result:
                result["round_ratios"] = [
                    p / f for p, f in zip(result["round_p50"], floor, strict=True)
                ]
        return out

    def throughput(self, url: str, pid: int) -> dict[str, dict[int, Result]]:
        out: dict[str, dict[int, Result]] = {}
        for client in CLIENTS:
            out[client] = {}
            for conns in (1, self.s.conns):
                r = self.run(
                    client,
                    "throughput",
                    url=url,
                    server_pid=pid,
                    conns=conns,
                    inflight=self.s.inflight,
                    rounds=self.s.rounds,
                )
                if "requests" in r:
                    r["rps"] = r["requests"] / r["seconds"]
                out[client][conns] = r
        return out

    def cold(self, url: str) -> dict[str, dict[str, Result]]:
        """Median over fresh processes: ``lazy`` (the first call connects), ``connect`` first."""
        out: dict[str, dict[str, Result]] = {}
        for client in ONE_OFF:
            out[client] = {}
            modes = (
                ("lazy", "connect") if client in ("ws_api", "ws_client", "node") else ("connect",)
            )
            for mode in modes:
                runs = [
                    self.run(client, "cold", url=url, connect=mode == "connect")
                    for _ in range(self.s.cold_runs)
                ]
                good = [r for r in runs if r.get("total_ms") is not None]
                if not good:
                    out[client][mode] = runs[-1] if "error" in runs[-1] else {"error": "no ack"}
                    continue
                out[client][mode] = {
                    key: statistics.median(r[key] for r in good) for key in ("total_ms", "first_ms")
                } | {"runs": len(good), "lost": len(runs) - len(good)}
        return out

    def memory(self, url: str) -> dict[str, Result]:
        return {
            client: self.run(client, "memory", url=url, inflight=self.s.memory_inflight)
            for client in ONE_OFF
        }

    def capacity(self, url: str, pid: int) -> Result:
        """Several raw websockets clients in parallel processes, started together."""
        start_at = time.time() + 3.0
        spec = {"url": url, "window": self.s.capacity_window, "start_at": start_at}
        spec |= {"seconds": self.s.capacity_seconds, "client": "websockets", "scenario": "capacity"}
        spec |= {"key": DEMO_API_KEY, "secret": DEMO_API_SECRET}
        command = [sys.executable, "-m", "tests.bench.runner", json.dumps(spec)]
        processes = [
            subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
            for _ in range(self.s.capacity_procs)
        ]
        time.sleep(max(0.0, start_at - time.time()))
        before = server_cpu(pid)
        time.sleep(self.s.capacity_seconds)
        after = server_cpu(pid)
        replies = [json.loads(p.communicate(timeout=120)[0].splitlines()[-1]) for p in processes]
        busy = None if before is None or after is None else (after - before)
        total = sum(r["requests"] for r in replies)
        return {
            "processes": self.s.capacity_procs,
            "window": self.s.capacity_window,
            "seconds": self.s.capacity_seconds,
            "requests": total,
            "rps": total / self.s.capacity_seconds,
            "server_cpu": None if busy is None else busy / self.s.capacity_seconds,
        }

    def startup(self, scratch: Path) -> dict[str, float]:
        """Median wall time (ms) of fresh interpreters importing a module, and of codegen."""

        def median_ms(command: Sequence[str], runs: int) -> float:
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
                times.append((time.perf_counter() - started) * 1e3)
            return statistics.median(times)

        out = {
            name: median_ms([sys.executable, "-c", code], self.s.import_runs)
            for name, code in IMPORTS.items()
        }
        codegen = [sys.executable, "-m", "codegen", "--out", str(scratch / "generated")]
        out["codegen"] = median_ms(codegen, 3)
        return out


# ---- report -----------------------------------------------------------------------------------


def fmt(value: float | None, digits: int = 0) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def cpu_us(r: Result) -> float | None:
    """Client CPU time per request (µs)."""
    return r["cpu_s"] / r["requests"] * 1e6 if "cpu_s" in r else None


def table(title: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A title and columns: the first left-aligned, the others right-aligned."""
    widths = [max(len(row[i]) for row in (headers, *rows)) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        cells = [row[0].ljust(widths[0])]
        cells += [c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)]
        return "  ".join(cells).rstrip()

    return ["", title, line(headers), *(line(row) for row in rows)]


def ratios(metric: dict[str, float | None]) -> dict[str, float | None]:
    """A metric's ratios of ours to the floors and of the peers to ours."""
    ours = metric.get(OURS)
    return {
        "ours/raw websockets": ratio(ours, metric.get("websockets")),
        "ours/raw httpx-ws": ratio(ours, metric.get("httpx_ws")),
        "pybit/ours": ratio(metric.get("pybit"), ours),
        "node/ours": ratio(metric.get("node"), ours),
        "ours plain session/ours": ratio(metric.get("ws_api_plain"), ours),
        "ours uvloop/ours": ratio(metric.get("ws_api_uvloop"), ours),
    }


def judge(value: float | None, limit: float, at_most: bool) -> str:
    if value is None:
        return "unknown"
    met = value <= limit if at_most else value >= limit
    return f"{value:.2f}x ({'met' if met else 'NOT met'})"


def spread(values: Sequence[float] | None) -> str:
    """``median (min-max)`` of per-round ratios."""
    if not values:
        return "-"
    return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


def round_ratio(r: Result) -> float | None:
    values = r.get("round_ratios")
    return statistics.median(values) if values else None


def targets(
    rtt: dict[str, Result], rtt_wss: dict[str, Result], cpu: dict[str, float | None]
) -> dict[str, str]:
    """Where we stand against the goals: per-round p50 ratios, pipelined CPU per request."""
    out = {}
    for name, figure in (("ws", rtt), ("wss", rtt_wss)):
        ours = round_ratio(figure[OURS])
        out[f"{name} rtt p50 <= 1.05x raw websockets"] = judge(ours, 1.05, True)
        for peer in ("pybit", "node"):
            theirs = round_ratio(figure.get(peer, {}))
            out[f"{name} rtt p50 below {peer}"] = (
                "unknown"
                if ours is None or theirs is None
                else f"{'yes' if ours < theirs else 'NO'} ({ours:.2f}x vs {theirs:.2f}x)"
            )
    out["CPU per pipelined request <= Node SDK"] = judge(ratio(cpu[OURS], cpu["node"]), 1.0, True)
    return out


def report(s: Settings, f: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    """The tables and the ratio lines, and the ratios and targets as data."""
    rtt, rtt_wss, tp, cold, mem, cap, start = (
        f[k] for k in ("rtt", "rtt_wss", "throughput", "cold", "memory", "capacity", "startup")
    )
    many = s.conns
    lines = []
    for number, scheme, figure in (("1", "ws://", rtt), ("1b", "wss://", rtt_wss)):
        lines += table(
            f"{number}. Round trip over {scheme}, order.create send -> matched ack, sequential: "
            f"N={s.n} in {s.rtt_rounds} fresh processes taking turns, each after {s.warmup} "
            "warm-up (µs); per round, p50 / raw websockets' p50: median (min-max)",
            ["client", "p50", "p90", "p99", "max", "lost", "CPU µs/req", "p50 / websockets"],
            [
                [
                    CLIENTS[c],
                    *(fmt(r.get(k)) for k in ("p50", "p90", "p99", "max", "lost")),
                    fmt(cpu_us(r)),
                    spread(r.get("round_ratios")),
                ]
                for c, r in figure.items()
            ],
        )
    lines += table(
        f"2. Throughput: bursts of {s.inflight} order.create in flight per connection, "
        f"{s.rounds} rounds after 1 warm-up (req/s); {many} conns = {many} clients in one process",
        ["client", "1 conn", "server CPU", f"{many} conns", "server CPU", "lost"],
        [
            [CLIENTS[c]]
            + [
                text
                for n in (1, many)
                for text in (fmt(r[n].get("rps")), f"{fmt(100 * (r[n].get('server_cpu') or 0))}%")
            ]
            + [fmt(sum(r[n].get("lost", 0) for n in (1, many)))]
            for c, r in tp.items()
        ],
    )
    lines += table(
        f"3. Cold start: constructor -> first acked order, median of {s.cold_runs} fresh "
        "processes (ms)",
        ["client", "lazy (1st call connects)", "connect first", "of which 1st order"],
        [
            [
                CLIENTS[c],
                fmt(r.get("lazy", {}).get("total_ms"), 1),
                fmt(r.get("connect", {}).get("total_ms"), 1),
                fmt(r.get("connect", {}).get("first_ms"), 1),
            ]
            for c, r in cold.items()
        ],
    )
    lines += table(
        f"4. Client cost: CPU time per request; peak RSS growth with {s.memory_inflight:,} in "
        f"flight (the second server holds each reply {s.delay_ms} ms)",
        ["client", "CPU µs/req sequential", "pipelined", "RSS growth MiB", "bytes/req"],
        [
            [
                CLIENTS[c],
                fmt(cpu_us(rtt[c])),
                fmt(cpu_us(tp[c][1])),
                fmt(m["rss_delta_kib"] / 1024, 1) if "rss_delta_kib" in m else "-",
                fmt(m["rss_delta_kib"] * 1024 / m["requests"]) if "rss_delta_kib" in m else "-",
            ]
            for c, m in ((c, mem.get(c, {})) for c in CLIENTS)
        ],
    )
    lines += [
        "",
        f"5. Server capacity: {cap['processes']} raw websockets clients in parallel processes, "
        f"{cap['window']} in flight each, {cap['seconds']:g} s: {fmt(cap['rps'])} req/s "
        f"(server CPU {fmt(100 * (cap['server_cpu'] or 0))}% of one core)",
    ]
    bare = start["bare interpreter"]
    lines += table(
        f"6. Codegen and import: median wall time of fresh processes ({s.import_runs} runs; "
        "codegen 3) (ms)",
        ["command", "wall", "minus bare interpreter"],
        [[f'python -c "{IMPORTS[k]}"', fmt(start[k]), fmt(start[k] - bare)] for k in IMPORTS]
        + [["python -m codegen --out <tmp> (full spec)", fmt(start["codegen"]), ""]],
    )

    def metric(source: dict[str, Result], key: str) -> dict[str, float | None]:
        return {c: r.get(key) for c, r in source.items()}

    imports = {c: start[c] - bare for c in ("httpx_ws", "websockets", "pybit")}
    data = {
        "1. rtt p50, median of per-round ratios (lower is better)": ratios(
            {c: round_ratio(r) for c, r in rtt.items()}
        ),
        "1. rtt p99": ratios(metric(rtt, "p99")),
        "1b. wss rtt p50, median of per-round ratios": ratios(
            {c: round_ratio(r) for c, r in rtt_wss.items()}
        ),
        "2. throughput 1 conn (higher is better)": ratios(
            {c: r[1].get("rps") for c, r in tp.items()}
        ),
        f"2. throughput {many} conns": ratios({c: r[many].get("rps") for c, r in tp.items()}),
        "3. cold start, lazy (ours, node) or connect (others)": ratios(
            {c: (r.get("lazy") or r["connect"]).get("total_ms") for c, r in cold.items()}
        ),
        "4. CPU per request, pipelined": ratios({c: cpu_us(r[1]) for c, r in tp.items()}),
        "4. RSS growth with all in flight": ratios(metric(mem, "rss_delta_kib")),
        "5. server capacity / 1-conn throughput of": {
            CLIENTS[c]: ratio(cap["rps"], r[1].get("rps")) for c, r in tp.items()
        },
        "6. import, minus bare interpreter": ratios(imports | {OURS: start["bybit_wsapi"] - bare}),
    }
    lines += ["", f"Ratios (ours = {CLIENTS[OURS]}):"]
    lines += [
        f"{name}: " + ", ".join(f"{k} {fmt(v, 2)}x" for k, v in values.items())
        for name, values in data.items()
    ]
    goals = targets(rtt, rtt_wss, {c: cpu_us(r[1]) for c, r in tp.items()})
    lines += ["Targets: " + "; ".join(f"{k}: {v}" for k, v in goals.items())]
    return lines, {"ratios": data, "targets": goals}


# ---- main -------------------------------------------------------------------------------------


def node_sdk() -> str | None:
    """Install the pinned Node SDK into the cache if needed; None when ready, else why not."""
    if not (shutil.which("node") and shutil.which("npm")):
        return "skipped: node and npm are not both on PATH"
    name, version = NODE_SDK
    manifest = NODE_CACHE / "node_modules" / name / "package.json"
    if manifest.exists() and json.loads(manifest.read_text())["version"] == version:
        return None
    NODE_CACHE.mkdir(parents=True, exist_ok=True)
    command = ["npm", "install", "--prefix", str(NODE_CACHE), "--no-audit", "--no-fund"]
    done = subprocess.run(
        [*command, f"{name}@{version}"], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        return f"skipped: npm install {name}@{version} failed: {done.stderr.strip()[-300:]}"
    return None


def machine() -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo")
    models = [
        line.split(":", 1)[1].strip()
        for line in (cpuinfo.read_text().splitlines() if cpuinfo.exists() else [])
        if line.startswith("model name")
    ]
    packages = {}
    for name in ("bybit-wsapi", "websockets", "httpx", "httpx-ws", "pybit", "websocket-client"):
        try:
            packages[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            packages[name] = None
    node = shutil.which("node")
    return {
        "nproc": os.cpu_count(),
        "cpu": models[0] if models else platform.processor(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "node": node
        and subprocess.run(
            [node, "--version"], capture_output=True, text=True, check=False
        ).stdout.strip(),
        "packages": packages | {NODE_SDK[0] + " (npm)": NODE_SDK[1]},
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="smaller counts, for a quick look")
    parser.add_argument("--no-node", action="store_true", help="leave out the Node SDK")
    args = parser.parse_args(argv)
    settings = QUICK if args.quick else Settings()
    bench = Bench(settings, "skipped: --no-node" if args.no_node else node_sdk())
    if bench.node:
        print(f"Node SDK {bench.node}", file=sys.stderr)
    info = machine()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bybit-wsapi-bench-") as scratch:
        server = Server(Path(scratch) / "server.log")
        delayed = Server(Path(scratch) / "delayed.log", "--delay-ms", str(settings.delay_ms))
        ca = str(Path(scratch) / "ca.pem")
        tls = Server(Path(scratch) / "tls.log", ca, command=TLS_SERVE)
        trust = {"SSL_CERT_FILE": ca, "WEBSOCKET_CLIENT_CA_BUNDLE": ca, "NODE_EXTRA_CA_CERTS": ca}
        print(
            f"server {server.url} (pid {server.pid}), delayed {delayed.url}, tls {tls.url}",
            file=sys.stderr,
        )
        try:
            figures = {
                "rtt": bench.rtt(server.url, server.pid, list(CLIENTS)),
                "rtt_wss": bench.rtt(tls.url, tls.pid, WSS_CLIENTS, env=trust),
                "throughput": bench.throughput(server.url, server.pid),
                "cold": bench.cold(server.url),
                "memory": bench.memory(delayed.url),
                "capacity": bench.capacity(server.url, server.pid),
                "startup": bench.startup(Path(scratch)),
                "sync_rtt": sync_rtt.measure(bench, server.url, server.pid),
            }
        finally:
            server.stop()
            delayed.stop()
            tls.stop()
    lines, summary = report(settings, figures)
    sync_lines, summary["sync_rtt"] = sync_rtt.report(
        figures["sync_rtt"], settings.rtt_rounds, settings.n
    )
    lines += sync_lines
    header = (
        f"bybit-wsapi benchmark: {info['nproc']} x {info['cpu']}, Python {info['python']}, "
        f"node {info['node'] or '-'}; one local server process (--no-rate-limit), "
        f"{time.perf_counter() - started:.0f} s"
    )
    print("\n".join([header, *lines]))
    errors = {
        f"{figure} {client}": r["error"]
        for figure in ("rtt", "rtt_wss", "memory")
        for client, r in figures[figure].items()
        if "error" in r
    }
    for note, error in errors.items():
        print(f"note: {note}: {error}")
    results = {"machine": info, "settings": dataclasses.asdict(settings), "figures": figures}
    RESULTS.write_text(json.dumps(results | summary, indent=2) + "\n")
    print(f"(results in {RESULTS.relative_to(ROOT)})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
