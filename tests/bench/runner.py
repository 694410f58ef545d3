"""One benchmark scenario for one Python client, in this fresh process: JSON spec in, JSON out.

    python -m tests.bench.runner '{"client": "ws_api", "scenario": "rtt", "url": "ws://...", ...}'

Clients: ``ws_api`` (``WebsocketAPIClient.submit_new_order``), ``ws_client``
(``WebsocketClient.send_ws_api_request``), ``websockets`` and ``httpx_ws`` (the floors: auth,
then send/recv of the same frames, replies parsed and matched by ``reqId``) and ``pybit``
(``WebSocketTrading``, callbacks on its own thread). Every request is the same valid linear
``order.create``. The result is one JSON line on stdout; ``node_client.cjs`` does the same for
the Node SDK.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import importlib
import itertools
import json
import logging
import os
import resource
import secrets
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Final, Protocol

from ..orders import ORDER

if TYPE_CHECKING:
    pass

ORDER_JSON: Final = json.dumps(ORDER, separators=(",", ":"))
TIMEOUT: Final = 60.0
"""Seconds to wait for any reply before the scenario fails."""

Spec = dict[str, Any]


class Client(Protocol):
    async def open(self) -> None:
        """Connect and authenticate."""

    async def one(self) -> float | None:
        """One order.create: the ``perf_counter()`` time its matched ack arrived (None: lost)."""

    async def burst(self, n: int) -> int:
        """Send ``n`` order.create at once; returns when every reply is in, with the lost count."""

    async def close(self) -> None: ...


# ---- ours -------------------------------------------------------------------------------------


class _Ours:
    send: Callable[[], Awaitable[Any]]

    async def one(self) -> float:
        await self.send()
        return time.perf_counter()

    async def burst(self, n: int) -> int:
        await asyncio.gather(*(self.send() for _ in range(n)))
        return 0


class OursAPI(_Ours):
    """``WebsocketAPIClient.submit_new_order``, with its default event listeners."""

    def __init__(self, spec: Spec) -> None:
        from bybit_wsapi import WebsocketAPIClient

        self.client = WebsocketAPIClient(key=spec["key"], secret=spec["secret"], ws_url=spec["url"])
        params = ORDER
        self.send = lambda: self.client.submit_new_order(params)

    async def open(self) -> None:
        await self.client.connect()

    async def close(self) -> None:
        await self.client.close()


class OursRaw(_Ours):
    """``WebsocketClient.send_ws_api_request(WS_KEY_MAP.v5_private_trade, "order.create", ...)``."""

    def __init__(self, spec: Spec) -> None:
        from bybit_wsapi import WS_KEY_MAP, WebsocketClient

        self.client = WebsocketClient(key=spec["key"], secret=spec["secret"], ws_url=spec["url"])
        key = WS_KEY_MAP.v5_private_trade
        params = ORDER
        self.send = lambda: self.client.send_ws_api_request(key, "order.create", params)

    async def open(self) -> None:
        await self.client.connect_ws_api()

    async def close(self) -> None:
        await self.client.close()


# ---- the floors -------------------------------------------------------------------------------


def auth_frame(key: str, secret: str) -> str:
    expires = time.time_ns() // 1_000_000 + 10_000
    signature = hmac.new(secret.encode(), f"GET/realtime{expires}".encode(), hashlib.sha256)
    return json.dumps(
        {"reqId": "auth", "op": "auth", "args": [key, expires, signature.hexdigest()]}
    )


def check(text: str | bytes, pending: set[str] | None = None, req_id: str | None = None) -> None:
    """Parse one reply; it must be a success matching ``req_id`` or one of ``pending``."""
    reply = json.loads(text)
    got = reply.get("reqId")
    if reply.get("retCode") != 0 or (got != req_id if pending is None else got not in pending):
        raise RuntimeError(f"unexpected reply: {reply}")
    if pending is not None:
        pending.remove(got)


class _Raw:
    """The floor's work: build each frame, send it, parse and match each reply."""

    send_text: Callable[[str], Awaitable[None]]
    recv_text: Callable[[], Awaitable[str | bytes]]

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self._ids = itertools.count(1)
        self._prefix = secrets.token_hex(4)

    def frame(self) -> tuple[str, str]:
        req_id = f"{self._prefix}-{next(self._ids)}"
        return req_id, (
            f'{{"reqId":"{req_id}","header":{{"X-BAPI-TIMESTAMP":"{time.time_ns() // 1_000_000}",'
            f'"X-BAPI-RECV-WINDOW":"5000"}},"op":"order.create","args":[{ORDER_JSON}]}}'
        )

    async def authenticate(self) -> None:
        await self.send_text(auth_frame(self.spec["key"], self.spec["secret"]))
        check(await self.recv_text(), req_id="auth")

    async def one(self) -> float:
        req_id, frame = self.frame()
        await self.send_text(frame)
        check(await self.recv_text(), req_id=req_id)
        return time.perf_counter()

    async def burst(self, n: int) -> int:
        pending: set[str] = set()
        reader = asyncio.create_task(self._receive(n, pending))
        for _ in range(n):
            req_id, frame = self.frame()
            pending.add(req_id)
            await self.send_text(frame)
        await asyncio.wait_for(reader, TIMEOUT)
        return 0

    async def _receive(self, n: int, pending: set[str]) -> None:
        for _ in range(n):
            check(await self.recv_text(), pending)

    async def flood(self, window: int, seconds: float) -> int:
        """Keep ``window`` requests in flight for ``seconds``; the replies that arrived meanwhile."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        for _ in range(window):
            await self.send_text(self.frame()[1])
        replies = 0
        while loop.time() < deadline:
            text = await self.recv_text()
            replies += 1
            if replies % 1000 == 0 and json.loads(text)["retCode"] != 0:
                raise RuntimeError(f"unexpected reply: {text!r}")
            await self.send_text(self.frame()[1])
        for _ in range(window):
            await self.recv_text()
        return replies


class RawWebsockets(_Raw):
    """``websockets`` (asyncio API) with its defaults."""

    async def open(self) -> None:
        from websockets.asyncio.client import connect

        self.ws = await connect(self.spec["url"])
        self.send_text = self.ws.send
        self.recv_text = self.ws.recv
        await self.authenticate()

    async def close(self) -> None:
        await self.ws.close()


class RawHttpxWs(_Raw):
    """httpx-ws ``aconnect_ws`` on an ``httpx.AsyncClient``, keepalive pings off."""

    async def open(self) -> None:
        import contextlib

        import httpx
        from httpx_ws import aconnect_ws

        self._stack = contextlib.AsyncExitStack()
        http = await self._stack.enter_async_context(httpx.AsyncClient())
        ws = await self._stack.enter_async_context(
            aconnect_ws(self.spec["url"], http, keepalive_ping_interval_seconds=None)
        )
        self.send_text = ws.send_text
        self.recv_text = ws.receive_text
        await self.authenticate()

    async def close(self) -> None:
        await self._stack.aclose()


# ---- pybit ------------------------------------------------------------------------------------


class _Dropped(logging.Handler):
    """Calls ``on_drop()`` when pybit logs that a reply on ``thread`` found no callback."""

    def __init__(self, thread: int | None, on_drop: Callable[[], None]) -> None:
        super().__init__()
        self.thread = thread
        self.on_drop = on_drop

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread and "unregistered reqId" in record.getMessage():
            self.on_drop()


class Pybit:
    """pybit's ``WebSocketTrading``: the constructor connects and sends auth; replies arrive on
    its thread as callbacks. Its URL comes from the module constant ``TRADE_WSS``.

    pybit sends a request before it registers the callback, so a fast reply can find no
    callback: pybit logs "unregistered reqId" and drops it. A handler of that log counts such
    replies as lost instead of waiting for them forever.
    """

    def __init__(self, spec: Spec) -> None:
        from pybit import _websocket_trading
        from pybit.unified_trading import WebSocketTrading

        _websocket_trading.TRADE_WSS = spec["url"]
        self.ws = WebSocketTrading(testnet=False, api_key=spec["key"], api_secret=spec["secret"])
        self._acked = threading.Event()
        self._ack_at: float | None = None
        self._dropped = _Dropped(self.ws.wst.ident, self._acked.set)
        logging.getLogger(_websocket_trading.__name__).addHandler(self._dropped)

    async def open(self) -> None:
        """Nothing: the constructor connected."""

    def _on_ack(self, _message: object) -> None:
        self._ack_at = time.perf_counter()
        self._acked.set()

    def _on_error(self, message: object) -> None:
        raise RuntimeError(f"unexpected reply: {message}")

    async def one(self) -> float | None:
        self._acked.clear()
        self._ack_at = None
        self.ws.place_order(self._on_ack, self._on_error, **ORDER)
        if not self._acked.wait(TIMEOUT):
            raise RuntimeError(f"no reply within {TIMEOUT} s")
        return self._ack_at

    async def burst(self, n: int) -> int:
        loop = asyncio.get_running_loop()
        done = loop.create_future()
        left = n
        lost = 0

        def on_reply(_message: object = None) -> None:
            nonlocal left
            left -= 1  # the client's one thread runs every callback
            if left == 0:
                loop.call_soon_threadsafe(done.set_result, None)

        def on_lost() -> None:
            nonlocal lost
            lost += 1
            on_reply()

        self._dropped.on_drop = on_lost
        for _ in range(n):
            self.ws.place_order(on_reply, self._on_error, **ORDER)
        await asyncio.wait_for(done, TIMEOUT)
        self._dropped.on_drop = self._acked.set
        return lost

    async def close(self) -> None:
        self.ws.exit()


CLIENTS: Final[dict[str, Callable[[Spec], Client]]] = {
    "ws_api": OursAPI,
    "ws_client": OursRaw,
    "websockets": RawWebsockets,
    "httpx_ws": RawHttpxWs,
    "pybit": Pybit,
}


# ---- scenarios --------------------------------------------------------------------------------


def server_cpu(pid: int | None) -> float | None:
    """CPU seconds the server process used so far (Linux ``/proc``), or None."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Phase:
    """Wall time, this process's CPU time and the server's CPU time over a measured phase."""

    def __init__(self, server_pid: int | None) -> None:
        self.pid = server_pid
        self.wall = time.perf_counter()
        self.cpu = time.process_time()
        self.server = server_cpu(server_pid)

    def result(self, requests: int, lost: int = 0) -> dict[str, Any]:
        wall = time.perf_counter() - self.wall
        server = server_cpu(self.pid)
        busy = None if server is None or self.server is None else (server - self.server) / wall
        return {
            "requests": requests,
            "lost": lost,
            "seconds": wall,
            "cpu_s": time.process_time() - self.cpu,
            "server_cpu": busy,
        }


async def rtt(spec: Spec) -> dict[str, Any]:
    client = CLIENTS[spec["client"]](spec)
    await client.open()
    for _ in range(spec["warmup"]):
        await client.one()
    samples = []
    phase = Phase(spec.get("server_pid"))
    for _ in range(spec["n"]):
        start = time.perf_counter()
        acked = await client.one()
        if acked is not None:
            samples.append((acked - start) * 1e6)
    result = phase.result(spec["n"], spec["n"] - len(samples))
    await client.close()
    return {**result, "rtt_us": samples}


async def throughput(spec: Spec) -> dict[str, Any]:
    clients = [CLIENTS[spec["client"]](spec) for _ in range(spec["conns"])]
    for client in clients:  # httpx-ws sessions nest: opened and closed in one task, LIFO
        await client.open()
    await asyncio.gather(*(c.burst(spec["inflight"]) for c in clients))  # warm-up
    phase = Phase(spec.get("server_pid"))
    lost = 0
    for _ in range(spec["rounds"]):
        lost += sum(await asyncio.gather(*(c.burst(spec["inflight"]) for c in clients)))
    result = phase.result(spec["rounds"] * spec["inflight"] * spec["conns"], lost)
    for client in reversed(clients):
        await client.close()
    return result


MODULES: Final = {
    "ws_api": "bybit_wsapi",
    "ws_client": "bybit_wsapi",
    "websockets": "websockets.asyncio.client",
    "httpx_ws": "httpx_ws",
    "pybit": "pybit.unified_trading",
}
"""What each client imports: loaded before a cold start is timed (import is figure 6)."""


async def cold(spec: Spec) -> dict[str, Any]:
    importlib.import_module(MODULES[spec["client"]])
    start = time.perf_counter()
    client = CLIENTS[spec["client"]](spec)
    if spec["connect"]:
        await client.open()
    connected = time.perf_counter()
    acked = await client.one()
    await client.close()
    if acked is None:
        return {"total_ms": None, "first_ms": None}
    return {"total_ms": (acked - start) * 1e3, "first_ms": (acked - connected) * 1e3}


async def memory(spec: Spec) -> dict[str, Any]:
    client = CLIENTS[spec["client"]](spec)
    await client.open()
    await client.one()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    phase = Phase(None)
    lost = await client.burst(spec["inflight"])
    result = phase.result(spec["inflight"], lost)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    await client.close()
    return {**result, "rss_delta_kib": after - before}


async def capacity(spec: Spec) -> dict[str, Any]:
    client = RawWebsockets(spec)
    await client.open()
    await asyncio.sleep(max(0.0, spec["start_at"] - time.time()))
    replies = await client.flood(spec["window"], spec["seconds"])
    await client.close()
    return {"requests": replies, "seconds": spec["seconds"]}


SCENARIOS: Final = {
    "rtt": rtt,
    "throughput": throughput,
    "cold": cold,
    "memory": memory,
    "capacity": capacity,
}


def main() -> None:
    spec: Spec = json.loads(sys.argv[1])
    scenario = SCENARIOS[spec["scenario"]](spec)
    if spec.get("loop") == "uvloop":
        import uvloop

        result = uvloop.run(scenario)
    else:
        result = asyncio.run(scenario)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
