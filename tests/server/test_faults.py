"""Every fault switch, driven through the live ``server.faults`` object (raw clients)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed, ConnectionClosedError

from bybit_wsapi.server import DEMO_API_KEY, Faults, LocalServer, ServerConfig

from .helpers import (
    TIMEOUT,
    RawClient,
    auth_frame,
    authed,
    call,
    limit_order,
    open_ws,
    order_frame,
    recv_json,
)

pytestmark = pytest.mark.anyio


async def assert_dropped(ws: ClientConnection) -> None:
    """The server ended the connection without a close frame."""
    with pytest.raises(ConnectionClosedError):
        await asyncio.wait_for(ws.recv(), TIMEOUT)
    assert ws.close_code == 1006


async def assert_silent(ws: ClientConnection, seconds: float = 0.2) -> None:
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(ws.recv(), seconds)


async def send_create(ws: ClientConnection, link_id: str = "F", req_id: str = "f1") -> None:
    await ws.send(json.dumps(order_frame("order.create", limit_order(link_id), req_id=req_id)))


def test_config_faults_are_copied() -> None:
    faults = Faults(no_pong=True)
    server = LocalServer(ServerConfig(faults=faults))
    assert server.faults == faults
    assert server.faults is not faults


async def test_delay_ms_delays_every_reply_without_blocking_reads(server: LocalServer) -> None:
    server.faults.delay_ms = 300
    loop = asyncio.get_running_loop()
    async with await open_ws(server.url) as ws:
        start = loop.time()
        await ws.send(json.dumps(auth_frame()))
        await ws.send(json.dumps({"op": "ping"}))
        assert (await recv_json(ws))["op"] == "auth"
        first = loop.time() - start
        assert (await recv_json(ws))["op"] == "pong"
        second = loop.time() - start
        assert first >= 0.3
        assert second < 0.6  # both were delayed concurrently, not one after the other
        server.faults.delay_ms = 0
        start = loop.time()
        await call(ws, {"op": "ping"})
        assert loop.time() - start < 0.3


async def test_delayed_reply_pending_at_close_is_dropped_cleanly(server: LocalServer) -> None:
    server.faults.delay_ms = 10_000
    async with await open_ws(server.url) as ws:
        await ws.send(json.dumps({"op": "ping"}))
        await asyncio.sleep(0)
    await server.stop()  # cancels the pending send: no warning, no error


async def test_drop_after_frames(server: LocalServer) -> None:
    server.faults.drop_after_frames = 2
    for _ in range(2):  # every new connection too
        async with await open_ws(server.url) as ws:
            assert (await call(ws, auth_frame()))["retCode"] == 0
            assert (await call(ws, {"op": "ping"}))["op"] == "pong"
            await assert_dropped(ws)


async def test_drop_after_frames_set_at_runtime(server: LocalServer) -> None:
    async with await authed(server.url) as ws:
        for _ in range(3):
            await call(ws, {"op": "ping"})
        server.faults.drop_after_frames = 2  # already past it: the next frame is the last
        assert (await call(ws, {"op": "ping"}))["op"] == "pong"
        await assert_dropped(ws)


async def frames_until_drop(seed: int) -> int:
    config = ServerConfig(seed=seed, faults=Faults(drop_probability=0.3))
    async with LocalServer(config) as server, await open_ws(server.url) as ws:
        for count in range(1, 1000):
            await ws.send(json.dumps({"op": "ping"}))
            try:
                await recv_json(ws)
            except ConnectionClosed:
                return count
    raise AssertionError("never dropped")


async def test_drop_probability_is_seeded() -> None:
    first = await frames_until_drop(seed=11)
    assert first == await frames_until_drop(seed=11)
    others = {await frames_until_drop(seed=s) for s in range(5)}
    assert len(others) > 1


async def test_drop_probability_one_drops_at_once(server: LocalServer) -> None:
    server.faults.drop_probability = 1.0
    async with await open_ws(server.url) as ws:
        await ws.send(json.dumps({"op": "ping"}))
        await assert_dropped(ws)


async def test_drop_before_apply(server: LocalServer) -> None:
    async with await authed(server.url) as ws:
        server.faults.drop_before_apply = True
        assert (await call(ws, {"op": "ping"}))["op"] == "pong"  # not an order op
        await send_create(ws)
        await assert_dropped(ws)
    assert server.orders(DEMO_API_KEY) == []
    assert [r.req_id for r in server.received] == ["f1"]  # received, never applied


async def test_drop_after_apply(server: LocalServer) -> None:
    async with await authed(server.url) as ws:
        server.faults.drop_after_apply = True
        await send_create(ws, "applied")
        await assert_dropped(ws)
    (order,) = server.orders(DEMO_API_KEY)
    assert (order["orderLinkId"], order["status"]) == ("applied", "New")
    server.faults.drop_after_apply = False
    async with await authed(server.url) as ws:  # a retry finds the order already there
        await send_create(ws, "applied")
        assert (await recv_json(ws))["retCode"] == 110072


@pytest.mark.parametrize("mode", ["fragment", "half"])
async def test_split_reply(server: LocalServer, mode: Any) -> None:
    raw = await RawClient.connect(server.url)
    try:
        assert (await raw.call(auth_frame()))["retCode"] == 0
        server.faults.split_reply = mode
        assert (await raw.call({"op": "ping"}))["op"] == "pong"  # only order-op replies split
        raw.send_text(json.dumps(order_frame("order.create", limit_order("S"), req_id="s1")))
        rest = await raw.read_rest()
    finally:
        await raw.close()
    head, size = (4, int.from_bytes(rest[2:4], "big")) if rest[1] == 126 else (2, rest[1])
    assert rest[head:].startswith(b'{"reqId":"s1"')
    if mode == "fragment":
        assert rest[0] == 0x01  # text opcode, FIN clear: a message's first fragment
        assert len(rest) == head + size  # the fragment is complete, the message never is
    else:
        assert rest[0] == 0x81
        assert len(rest) < head + size  # the frame is cut short
    assert server.orders(DEMO_API_KEY)[0]["orderLinkId"] == "S"


@pytest.mark.parametrize("mode", ["fragment", "half"])
async def test_split_reply_seen_by_a_websockets_client(server: LocalServer, mode: Any) -> None:
    async with await authed(server.url) as ws:
        server.faults.split_reply = mode
        await send_create(ws)
        await assert_dropped(ws)


async def test_garbage_and_truncated_frames_come_before_the_reply(server: LocalServer) -> None:
    async with await authed(server.url) as ws:
        server.faults.garbage_frames = 2
        server.faults.truncated_frames = 1
        assert (await call(ws, {"op": "ping"}))["op"] == "pong"
        await send_create(ws)
        frames = [await asyncio.wait_for(ws.recv(), TIMEOUT) for _ in range(4)]
    for junk in frames[:3]:
        assert isinstance(junk, str)
        with pytest.raises(ValueError):
            json.loads(junk)
    assert isinstance(frames[3], str)
    assert frames[3].startswith(frames[2])
    assert json.loads(frames[3])["reqId"] == "f1"


@pytest.mark.parametrize(
    ("shape", "expected"),
    [
        ("no_req_id", {"retCode", "retMsg", "op", "connId"}),
        ("legacy", {"success", "ret_msg", "op", "conn_id"}),
    ],
)
async def test_error_shapes(server: LocalServer, shape: Any, expected: set[str]) -> None:
    async with await authed(server.url) as ws:
        server.faults.error_shape = shape
        ok = await call(ws, order_frame("order.create", limit_order("E"), req_id="ok"))
        assert (ok["retCode"], ok["reqId"]) == (0, "ok")  # successes keep the envelope
        bad = await call(ws, order_frame("order.create", limit_order("E"), req_id="bad"))
        assert set(bad) == expected
        assert bad["op"] == "order.create"
        if shape == "legacy":
            assert bad["success"] is False
            assert bad["ret_msg"] == "OrderLinkedID is duplicate"
        else:
            assert bad["retCode"] == 110072
        server.faults.reject_orders = 10005
        denied = await call(ws, order_frame("order.create", limit_order("E2")))
        assert set(denied) == expected


async def test_reject_orders(ws: ClientConnection, server: LocalServer) -> None:
    server.faults.reject_orders = 170131
    reply = await call(ws, order_frame("order.create", limit_order(), req_id="r"))
    assert (reply["retCode"], reply["retMsg"], reply["reqId"]) == (
        170131,
        "Insufficient balance.",
        "r",
    )
    assert "header" in reply
    server.faults.reject_orders = 12345
    assert (await call(ws, order_frame("order.create", limit_order())))["retCode"] == 12345
    assert server.orders(DEMO_API_KEY) == []


async def test_reject_auth(server: LocalServer) -> None:
    server.faults.reject_auth = True
    async with await open_ws(server.url) as ws:
        assert (await call(ws, auth_frame()))["retCode"] == 10004
        server.faults.reject_auth = False
        assert (await call(ws, auth_frame()))["retCode"] == 0


async def test_restarting(ws: ClientConnection, server: LocalServer) -> None:
    server.faults.restarting = True
    reply = await call(ws, order_frame("order.create", limit_order(), req_id="boot"))
    assert (reply["retCode"], reply["reqId"], reply["op"]) == (10019, "boot", "order.create")
    assert (await call(ws, {"op": "ping"}))["op"] == "pong"
    async with await authed(server.url):  # auth still works
        pass
    server.faults.restarting = False
    # Refused requests were not accepted: the same reqId works now.
    assert (await call(ws, order_frame("order.create", limit_order(), req_id="boot")))[
        "retCode"
    ] == 0
    assert len(server.orders(DEMO_API_KEY)) == 1


async def test_no_pong(ws: ClientConnection, server: LocalServer) -> None:
    server.faults.no_pong = True
    await ws.send(json.dumps({"op": "ping"}))
    await assert_silent(ws)
    assert (await call(ws, order_frame("order.create", limit_order())))["retCode"] == 0
    server.faults.no_pong = False
    assert (await call(ws, {"op": "ping"}))["op"] == "pong"


async def test_duplicate_replies(ws: ClientConnection, server: LocalServer) -> None:
    server.faults.duplicate_replies = True
    await send_create(ws)
    first, second = await recv_json(ws), await recv_json(ws)
    assert first == second
    assert first["reqId"] == "f1"
    assert len(server.orders(DEMO_API_KEY)) == 1


async def test_unknown_req_id_replies(ws: ClientConnection, server: LocalServer) -> None:
    server.faults.unknown_req_id_replies = True
    await ws.send(json.dumps(order_frame("order.create", limit_order(), req_id=None)))
    extra, real = await recv_json(ws), await recv_json(ws)
    assert extra["reqId"].startswith("unknown-")
    assert "reqId" not in real
    assert {k: v for k, v in extra.items() if k != "reqId"} == real


async def test_oversize_replies(server: LocalServer) -> None:
    server.faults.oversize_replies = 4000
    async with await authed(server.url) as ws:
        await send_create(ws)
        text = await asyncio.wait_for(ws.recv(), TIMEOUT)
        assert len(text) > 4000
        assert json.loads(text)["retCode"] == 0
    async with await open_ws(server.url, max_size=2000) as small:  # a 2000-byte frame limit
        assert (await call(small, auth_frame()))["retCode"] == 0
        await send_create(small, req_id="f2")
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(small.recv(), TIMEOUT)
        assert small.protocol.close_sent is not None
        assert small.protocol.close_sent.code == 1009  # the client refused the frame
