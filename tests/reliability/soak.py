"""The soak: at least 100,000 calls over 10 connections with faults on (``make soak``).

    python -m tests.reliability.soak [--requests 100000] [--connections 10] [--max-seconds 600]

Not collected by pytest and not run in CI. Loopback only: the local server runs in a child
process (so its records do not count in this process's memory) and takes fault switches over a
pipe. The run is the accounting test's workload (``workload.py``) at scale, every fault cycling
through; it stops taking new orders once ``--requests`` calls were made or ``--max-seconds``
passed. It prints the ledger's figures and this process's resident memory (the clients') at
the start, after warm-up and at the end, and exits with status 1 on any violation, hang, task
left running, or memory growth beyond ``--max-growth-mb`` after warm-up.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import multiprocessing
import os
import resource
import secrets
import sys
import time
from collections.abc import Mapping
from multiprocessing.connection import Connection
from typing import Any

from bybit_wsapi import WebsocketAPIClient
from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET

from .ledger import Ledger, ServerSnapshot, snapshot_of
from .workload import FAULTS, Plan, client_options, run

SAMPLES = 10
"""Resident memory is sampled each time another tenth of the calls has settled."""
WARM_UP_SAMPLE = 2
"""Growth is measured from the sample at 20% of the calls (allocators and caches warmed up)."""


# ---- the server process ----------------------------------------------------------------------


def _serve(conn: Connection, seed: int) -> None:
    """The child process: a local server, driven by ``(command, argument)`` messages."""
    from bybit_wsapi.server import Faults, ServerConfig, run_server_in_thread

    logging.disable(logging.CRITICAL)
    with run_server_in_thread(ServerConfig(rate_limit=False, seed=seed)) as handle:
        conn.send(handle.url)
        while True:
            command, argument = conn.recv()
            reply: Any = None
            if command == "set":
                for name, value in argument.items():
                    setattr(handle.faults, name, value)
            elif command == "reset":
                for name, value in vars(Faults()).items():
                    setattr(handle.faults, name, value)
            elif command == "drop":
                handle.drop_connections()
            elif command == "wait_connections":
                handle.wait_connections(argument)
            elif command == "snapshot":
                received = [(r.op, str(r.params.get("orderLinkId"))) for r in handle.received]
                orders = [
                    {k: o[k] for k in ("orderLinkId", "status", "price", "orderId")}
                    for o in handle.orders(DEMO_API_KEY)
                ]
                reply = (received, orders)
            elif command == "stop":
                conn.send(None)
                return
            conn.send(reply)


class ProcessControl:
    """:class:`~.workload.ServerControl` of the server in the child process."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()

    def _round_trip(self, command: str, argument: object) -> Any:
        self._conn.send((command, argument))
        return self._conn.recv()

    async def _call(self, command: str, argument: object = None) -> Any:
        async with self._lock:
            return await asyncio.to_thread(self._round_trip, command, argument)

    async def set_faults(self, switches: Mapping[str, object]) -> None:
        await self._call("set", dict(switches))

    async def reset_faults(self) -> None:
        await self._call("reset")

    async def drop_connections(self) -> None:
        await self._call("drop")

    async def wait_connections(self, count: int) -> None:
        await self._call("wait_connections", count)

    async def snapshot(self) -> ServerSnapshot:
        received, orders = await self._call("snapshot")
        return snapshot_of(((op, {"orderLinkId": link}) for op, link in received), orders)

    async def stop(self) -> None:
        await self._call("stop")


# ---- memory ------------------------------------------------------------------------------------


def rss_mb() -> float:
    """This process's resident memory now, in MiB (after a full collection).

    Without ``/proc`` (not Linux) this is the peak so far, from ``getrusage``.
    """
    gc.collect()
    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[1])
    except OSError:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / 2**20 if sys.platform == "darwin" else peak / 2**10
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def python_blocks() -> int:
    """Memory blocks Python has allocated now: grows with live objects, not fragmentation."""
    gc.collect()
    return sys.getallocatedblocks()


# ---- the run -----------------------------------------------------------------------------------


async def soak(args: argparse.Namespace, conn: Connection) -> int:
    control = ProcessControl(conn)
    url = await asyncio.to_thread(conn.recv)
    plan = Plan(
        orders=args.requests,
        max_requests=args.requests,
        workers_per_client=args.workers,
        call_timeout=args.call_timeout,
        grace=5.0,
        phase_calls=args.phase_calls,
        faults=FAULTS,
        seed=args.seed,
        deadline=asyncio.get_running_loop().time() + args.max_seconds,
        connect_timeout=2.0,
        ping_interval=0.5,
        pong_timeout=args.call_timeout + 0.5,
    )
    ledger = Ledger(f"soak{secrets.token_hex(3)}-", plan.orders)
    clients = [
        WebsocketAPIClient(
            key=DEMO_API_KEY, secret=DEMO_API_SECRET, ws_url=url, **client_options(plan)
        )
        for _ in range(args.connections)
    ]
    await asyncio.gather(*(client.connect() for client in clients))
    await control.reset_faults()  # the control thread exists before the first measurement
    start, start_blocks = rss_mb(), python_blocks()
    samples: list[float] = []
    blocks: list[int] = []

    async def sample() -> None:
        for step in range(1, SAMPLES):
            await ledger.wait_settled(args.requests * step // SAMPLES)
            samples.append(rss_mb())
            blocks.append(python_blocks())

    started = time.perf_counter()
    watcher = asyncio.create_task(sample())
    try:
        await run(clients, control, ledger, plan)
    finally:
        elapsed = time.perf_counter() - started
        watcher.cancel()
        await asyncio.gather(watcher, return_exceptions=True)
        end, end_blocks = rss_mb(), python_blocks()
        in_flight = sum(client.get_ws_client().in_flight for client in clients)
        for client in clients:
            await client.close()
    await control.wait_connections(0)
    left = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    report = ledger.audit(await control.snapshot())
    await control.stop()

    warm = samples[WARM_UP_SAMPLE - 1] if len(samples) >= WARM_UP_SAMPLE else start
    warm_blocks = blocks[WARM_UP_SAMPLE - 1] if len(blocks) >= WARM_UP_SAMPLE else start_blocks
    growth = end - warm
    print(f"soak: {args.connections} connections, loopback, seed {args.seed}")
    print(f"elapsed:       {elapsed:.1f} s ({report.calls / elapsed:,.0f} calls/s)")
    print("\n".join(report.lines()))
    print(f"in flight:     {in_flight} at the end; tasks left after close: {len(left)}")
    print(
        f"client RSS:    start {start:.1f} MiB, at {WARM_UP_SAMPLE * 100 // SAMPLES}% {warm:.1f} MiB, "
        f"end {end:.1f} MiB (growth after warm-up {growth:+.1f} MiB)"
    )
    print("RSS per 10%:   " + " ".join(f"{m:.1f}" for m in [start, *samples, end]) + " MiB")
    print(
        f"Python blocks: start {start_blocks:,}, at {WARM_UP_SAMPLE * 100 // SAMPLES}% "
        f"{warm_blocks:,}, end {end_blocks:,} ({end_blocks - warm_blocks:+,} after warm-up)"
    )
    failed = [
        *(["violations"] if report.violations else []),
        *(["hangs"] if report.hangs else []),
        *(["duplicates"] if report.duplicates else []),
        *(["calls in flight"] if in_flight else []),
        *(["tasks left"] if left else []),
        *(["too few calls"] if report.calls < args.requests else []),
        *(["memory growth"] if growth > args.max_growth_mb else []),
    ]
    print("result:        " + ("FAILED: " + ", ".join(failed) if failed else "ok"))
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.reliability.soak", description=__doc__)
    parser.add_argument("--requests", type=int, default=100_000, help="calls to make (at least)")
    parser.add_argument("--connections", type=int, default=10, help="clients, one connection each")
    parser.add_argument("--workers", type=int, default=20, help="concurrent callers per client")
    parser.add_argument("--call-timeout", type=float, default=1.0, help="each call's timeout (s)")
    parser.add_argument("--phase-calls", type=int, default=400, help="settled calls per fault")
    parser.add_argument("--max-seconds", type=float, default=600.0, help="stop starting orders")
    parser.add_argument("--max-growth-mb", type=float, default=16.0, help="memory growth allowed")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    logging.disable(logging.CRITICAL)  # tens of thousands of expected failures would be logged
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    server = context.Process(target=_serve, args=(theirs, args.seed), daemon=True)
    server.start()
    try:
        return asyncio.run(soak(args, ours))
    finally:
        server.join(10)
        if server.is_alive():
            server.terminate()


if __name__ == "__main__":
    sys.exit(main())
