"""How many order.create requests per second the local server sustains (not collected by pytest).

    /tmp/dev/bin/python -m tests.server.bench_server [--clients 4] [--seconds 5] [--window 64]

Starts ``bybit-wsapi serve --no-rate-limit`` in its own process, then runs raw websockets
clients in this process: each authenticates and keeps ``window`` order.create requests in
flight (pre-encoded frames, replies counted, every 1000th parsed and checked). Prints the
replies per second and the server process's CPU use (near 100% of one core: server-bound).
``run_clients(url, ...)`` can be reused by a client benchmark.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import signal
import sys
import time

from websockets.asyncio.client import connect

from bybit_wsapi.auth import sign_auth
from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET

_PARAMS = (
    '{"category":"linear","symbol":"BTCUSDT","side":"Buy","orderType":"Limit",'
    '"qty":"0.001","price":"10000"}'
)


def _frame(client: int, number: int) -> str:
    timestamp = time.time_ns() // 1_000_000
    return (
        f'{{"reqId":"{client}-{number}","header":{{"X-BAPI-TIMESTAMP":"{timestamp}"}},'
        f'"op":"order.create","args":[{_PARAMS}]}}'
    )


async def _client(url: str, index: int, deadline: float, window: int) -> int:
    async with connect(url, compression=None, ping_interval=None, max_queue=None) as ws:
        expires = time.time_ns() // 1_000_000 + 60_000
        auth = {"op": "auth", "args": [DEMO_API_KEY, expires, sign_auth(DEMO_API_SECRET, expires)]}
        await ws.send(json.dumps(auth))
        assert json.loads(await ws.recv())["retCode"] == 0
        sent = replies = 0
        for _ in range(window):
            sent += 1
            await ws.send(_frame(index, sent))
        loop = asyncio.get_running_loop()
        while loop.time() < deadline:
            reply = await ws.recv()
            replies += 1
            if replies % 1000 == 0:
                assert json.loads(reply)["retCode"] == 0, reply
            sent += 1
            await ws.send(_frame(index, sent))
        return replies


async def run_clients(url: str, clients: int = 4, seconds: float = 5.0, window: int = 64) -> float:
    """Replies per second that ``clients`` pipelining connections get from ``url``."""
    deadline = asyncio.get_running_loop().time() + seconds
    start = time.perf_counter()
    counts = await asyncio.gather(*(_client(url, i, deadline, window) for i in range(clients)))
    return sum(counts) / (time.perf_counter() - start)


def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _main(args: argparse.Namespace) -> None:
    server = await asyncio.create_subprocess_exec(
        *(
            sys.executable,
            "-m",
            "bybit_wsapi",
            "serve",
            "--no-rate-limit",
            "--log-level",
            "WARNING",
        ),
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert server.stdout is not None
        url = (await server.stdout.readline()).decode().strip()
        cpu_before, wall_before = _cpu_seconds(server.pid), time.perf_counter()
        rate = await run_clients(url, args.clients, args.seconds, args.window)
        cpu = (_cpu_seconds(server.pid) - cpu_before) / (time.perf_counter() - wall_before)
        own = resource.getrusage(resource.RUSAGE_SELF)
        sys.stdout.write(
            f"{rate:,.0f} order.create/s with {args.clients} clients x {args.window} in flight; "
            f"server CPU {cpu:.0%} of a core; client process CPU {own.ru_utime + own.ru_stime:.1f} s\n"
        )
    finally:
        server.send_signal(signal.SIGTERM)
        await server.wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--window", type=int, default=64)
    asyncio.run(_main(parser.parse_args()))
