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

from . import stream_intake, streams_rate, sync_rtt
from .config import (
    CLIENTS,
    HERE,
    IMPORTS,
    NODE_CACHE,
    NODE_SDK,
    ONE_OFF,
    QUICK,
    RESULTS,
    ROOT,
    VARIANTS,
    WSS_CLIENTS,
    Result,
    Settings,
)
from .report import report
from .runner import server_cpu

SERVE: Final = (sys.executable, "-m", "bybit_wsapi", "serve", "--no-rate-limit", "--port", "0")


TLS_SERVE: Final = (sys.executable, "-m", "tests.bench.tls_server")


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
    figures["book"] = streams_rate.measure(args.quick)
    figures["stream_intake"] = stream_intake.measure(args.quick, bench.node)
    lines += streams_rate.report(figures["book"])
    lines += stream_intake.report(figures["stream_intake"])
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
