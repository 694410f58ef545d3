"""The trade socket's JSON heartbeat keeps its cadence: a ping every ``ping_interval``, however
long the wait for its pong may be allowed to take."""

from __future__ import annotations

import asyncio
import json

import pytest
from websockets.asyncio import server as ws_server

from bybit_wsapi import WebsocketClient

pytestmark = pytest.mark.anyio


async def test_pings_go_out_every_ping_interval_not_every_interval_plus_pong_timeout() -> None:
    pings = 0
    third_ping = asyncio.Event()

    async def bybit(ws: ws_server.ServerConnection) -> None:
        nonlocal pings
        async for text in ws:
            frame = json.loads(text)
            reply = {"retCode": 0, "retMsg": "OK", "op": frame["op"], "connId": "c1"}
            if frame["op"] == "ping":
                pings += 1
                if pings == 3:
                    third_ping.set()
                reply["data"] = [str(frame.get("reqId", ""))]
            await ws.send(json.dumps(reply))

    async with ws_server.serve(bybit, "127.0.0.1", 0, compression=None) as server:
        port = server.sockets[0].getsockname()[1]
        # a pong allowance far longer than the interval: waiting it out between pings would
        # put the second ping 30 s after the first
        ws = WebsocketClient(
            key="k",
            secret="s",
            ws_url=f"ws://127.0.0.1:{port}/v5/trade",
            ping_interval=0.05,
            pong_timeout=30.0,
        )
        try:
            await ws.connect_ws_api()
            async with asyncio.timeout(10.0):  # a bound on failure, not a wait for time to pass
                await third_ping.wait()
        finally:
            await ws.close()
    assert pings >= 3
