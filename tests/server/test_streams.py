"""The stream sockets on one port: routing, auth, fan-out, bounded queues, the idle rule."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed, InvalidStatus

from bybit_wsapi.server import LocalServer, ServerConfig, streams_hub

from .helpers import auth_frame, call, open_ws, recv_json

pytestmark = pytest.mark.anyio


@pytest.fixture
async def server() -> AsyncIterator[LocalServer]:
    async with LocalServer(ServerConfig(rate_limit=False, manual_clock=True)) as running:
        yield running


def private_auth(req_id: str | None = None) -> dict[str, Any]:
    frame = auth_frame()
    frame.pop("reqId", None)
    if req_id is not None:
        frame["req_id"] = req_id
    return frame


async def private(server: LocalServer, *topics: str) -> ClientConnection:
    ws = await open_ws(server.base_url + "/v5/private")
    reply = await call(ws, private_auth("a"))
    assert reply == {
        "req_id": "a",
        "success": True,
        "ret_msg": "",
        "op": "auth",
        "conn_id": reply["conn_id"],
    }
    if topics:
        assert (await call(ws, {"op": "subscribe", "args": list(topics)}))["success"]
    return ws


async def public(server: LocalServer, category: str, *topics: str) -> ClientConnection:
    ws = await open_ws(f"{server.base_url}/v5/public/{category}")
    if topics:
        ack = await call(ws, {"op": "subscribe", "args": list(topics)})
        assert ack["success"], ack
    return ws


async def test_one_port_serves_every_stream(server: LocalServer) -> None:
    assert server.url == server.base_url + "/v5/trade"
    pongs = {}
    for category in ("spot", "linear", "inverse", "option"):
        async with await public(server, category) as ws:
            pongs[category] = await call(ws, {"op": "ping"})
    async with await open_ws(server.base_url + "/v5/private") as ws:
        pongs["private"] = await call(ws, {"op": "ping"})
    assert pongs["spot"]["op"] == "ping"
    assert pongs["linear"]["req_id"] == ""
    assert pongs["inverse"]["req_id"] == ""
    assert set(pongs["option"]) == {"args", "op"}
    assert set(pongs["private"]) == {"op", "args", "conn_id"}
    async with await open_ws(server.url) as trade:  # and the trade socket still works
        assert (await call(trade, {"op": "ping"}))["retCode"] == 0


async def test_max_active_time_on_the_private_stream(server: LocalServer) -> None:
    for value in ("20s", "11m", "abc"):
        with pytest.raises(InvalidStatus) as info:
            await open_ws(f"{server.base_url}/v5/private?max_active_time={value}")
        assert info.value.response.status_code == 400
    async with await open_ws(f"{server.base_url}/v5/private?max_active_time=30s") as ws:
        assert (await call(ws, {"op": "ping"}))["op"] == "pong"


async def test_auth_uses_the_trade_check(server: LocalServer) -> None:
    async with await open_ws(server.base_url + "/v5/private") as ws:
        bad = auth_frame(secret="wrong")
        assert await call(ws, bad) == {
            "success": False,
            "ret_msg": "Invalid sign.",
            "op": "auth",
            "conn_id": (await call(ws, {"op": "ping"}))["conn_id"],
        }
        server.faults.reject_auth = True
        assert (await call(ws, private_auth()))["success"] is False
        server.faults.reject_auth = False
        assert (await call(ws, private_auth()))["success"] is True


async def test_pushes_fan_out_encoded_once_per_topic(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    encoded: list[object] = []
    real = streams_hub.encode

    def counting(message: object) -> str:
        encoded.append(message)
        return real(message)

    monkeypatch.setattr(streams_hub, "encode", counting)
    topic = "publicTrade.BTCUSDT"
    readers = [await public(server, "linear", topic) for _ in range(3)]
    other = await public(server, "spot", topic)  # same topic, another category: not a reader
    message = {"topic": topic, "type": "snapshot", "ts": 1, "data": []}
    assert server.hub.publish("linear", topic, message) == 3
    assert len(encoded) == 1
    for ws in readers:
        assert await recv_json(ws) == message
    await other.send('{"op":"ping"}')
    assert (await recv_json(other))["ret_msg"] == "pong"  # the push never reached it
    for ws in (*readers, other):
        await ws.close()


async def test_private_pushes_carry_the_subscribed_topic_name(server: LocalServer) -> None:
    all_in_one = await private(server, "order")
    categorised = await private(server, "order.linear")
    spot_only = await private(server, "order.spot")
    message = {"id": "1", "topic": "order", "creationTime": 1, "data": [{"orderId": "x"}]}
    key = "bybit-wsapi-demo-key"
    assert server.hub.publish_private(key, "order", "linear", message) == 2
    assert server.hub.publish_private("someone-else", "order", "linear", message) == 0
    assert (await recv_json(all_in_one))["topic"] == "order"
    got = await recv_json(categorised)
    assert got == {**message, "topic": "order.linear"}
    await spot_only.send('{"op":"ping"}')
    assert (await recv_json(spot_only))["op"] == "pong"
    for ws in (all_in_one, categorised, spot_only):
        await ws.close()


async def test_unsubscribed_and_closed_connections_receive_nothing(server: LocalServer) -> None:
    topic = "publicTrade.BTCUSDT"
    ws = await public(server, "linear", topic)
    leaver = await public(server, "linear", topic)
    assert server.hub.count("linear", topic) == 2
    ack = await call(leaver, {"op": "unsubscribe", "args": [topic]})
    assert ack["success"]
    assert server.hub.count("linear", topic) == 1
    await ws.close()
    await server.wait_stream_connections(1)
    assert server.hub.count("linear", topic) == 0
    assert server.hub.publish("linear", topic, {"topic": topic}) == 0
    await leaver.close()


async def test_a_slow_consumer_is_dropped_not_buffered(caplog: pytest.LogCaptureFixture) -> None:
    config = ServerConfig(stream_queue_bytes=4096, manual_clock=True)
    async with LocalServer(config) as server:
        slow = await public(server, "linear", "publicTrade.BTCUSDT")
        fine = await public(server, "linear", "publicTrade.ETHUSDT")
        message = {"topic": "publicTrade.BTCUSDT", "data": "x" * 1000}
        with caplog.at_level(logging.WARNING, "bybit_wsapi.server"):
            for _ in range(10):  # 10 kB queued at once: more than the bound
                server.hub.publish("linear", "publicTrade.BTCUSDT", message)
            await server.wait_stream_connections(1)
        assert "slow consumer" in caplog.text
        with pytest.raises(ConnectionClosed):
            while True:  # what was flushed before the drop, then the end
                await slow.recv()
        assert slow.close_code == 1006
        assert (await call(fine, {"op": "ping"}))["ret_msg"] == "pong"
        await fine.close()


async def test_idle_stream_connections_are_closed_on_a_tick() -> None:
    config = ServerConfig(idle_timeout=0.2, idle_check_interval=0.05, manual_clock=True)
    async with LocalServer(config) as server, await public(server, "spot") as quiet:
        with pytest.raises(ConnectionClosed):
            await quiet.recv()
        assert quiet.close_reason == "idle timeout"


async def test_a_stream_that_pushes_is_not_idle() -> None:
    config = ServerConfig(idle_timeout=0.15, idle_check_interval=0.03, manual_clock=True)
    async with LocalServer(config) as server:
        topic = "publicTrade.BTCUSDT"
        ws = await public(server, "linear", topic)
        for i in range(8):  # 0.4 s of pushes every 0.05 s, never a frame from the client
            server.hub.publish("linear", topic, {"topic": topic, "i": i})
            assert (await recv_json(ws))["i"] == i
            await asyncio.sleep(0.05)  # pacing the pushes, not waiting for an outcome
        assert server.stream_connection_count == 1
        await ws.close()


async def test_drop_stream_connections(server: LocalServer) -> None:
    ws = await private(server, "order")
    trade = await open_ws(server.url)
    await server.drop_stream_connections()
    with pytest.raises(ConnectionClosed):
        await ws.recv()
    assert ws.close_code == 1006
    assert server.stream_connection_count == 0
    assert server.connection_count == 1  # the trade socket is untouched
    await trade.close()


async def test_subscribe_requests_are_recorded(server: LocalServer) -> None:
    ws = await public(server, "spot", "publicTrade.BTCUSDT")
    await call(ws, {"op": "subscribe", "args": ["publicTrade.NOPE"]})  # refused, still recorded
    await call(ws, {"op": "unsubscribe", "args": ["publicTrade.BTCUSDT"]})
    conn_id = (await call(ws, {"op": "ping"}))["conn_id"]
    assert server.stream_requests == [
        ("spot", conn_id, "subscribe", ["publicTrade.BTCUSDT"]),
        ("spot", conn_id, "subscribe", ["publicTrade.NOPE"]),
        ("spot", conn_id, "unsubscribe", ["publicTrade.BTCUSDT"]),
    ]
    await ws.close()
