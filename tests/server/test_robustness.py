"""Bad input never kills the server: every bad frame gets an error frame or a clean close."""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection as SyncConnection
from websockets.sync.client import connect as sync_connect

from bybit_wsapi.server import LocalServer, ServerConfig, run_server_in_thread

from .helpers import (
    TIMEOUT,
    RawClient,
    auth_frame,
    authed,
    call,
    limit_order,
    now_ms,
    open_ws,
    order_frame,
    paths,
    recv_json,
)

OTHER_KEY, OTHER_SECRET = "fuzz-key", "fuzz-secret"
ACCOUNTS = {"healthy-key": "healthy-secret", OTHER_KEY: OTHER_SECRET}


async def assert_healthy(server: LocalServer, link_id: str) -> None:
    """A fresh connection authenticates, pings and creates an order."""
    async with await authed(server.url, "healthy-key", "healthy-secret") as ws:
        assert (await call(ws, {"op": "ping"}))["op"] == "pong"
        reply = await call(ws, order_frame("order.create", limit_order(link_id)))
        assert reply["retCode"] == 0, reply


def wrong_types() -> list[Any]:
    base = order_frame("order.create", limit_order(), req_id=None)
    batch = order_frame("order.create-batch", {"category": "linear", "request": [{}]}, req_id=None)
    frames: list[Any] = [
        {**base, "op": 1},
        {**base, "op": {"x": 1}},
        {**base, "args": "x"},
        {**base, "args": [[1]]},
        {**base, "args": [None]},
        {**base, "header": []},
        {**base, "header": {"X-BAPI-TIMESTAMP": [1]}},
        {**base, "header": {"X-BAPI-TIMESTAMP": {"a": 1}}},
        {**base, "header": {"X-BAPI-TIMESTAMP": 10**30}},
        {**base, "header": {"X-BAPI-TIMESTAMP": str(now_ms()), "X-BAPI-RECV-WINDOW": [5]}},
        {**base, "reqId": ["w"]},
        {**base, "args": [{**limit_order(), "category": ["linear"]}]},
        {**base, "args": [{**limit_order(), "category": None}]},
        {**base, "args": [{**limit_order(), "symbol": {"a": [1, {"b": None}]}}]},
        {**base, "args": [{**limit_order(), "qty": float("inf")}]},
        {**batch, "args": [{"category": "linear", "request": "x"}]},
        {**batch, "args": [{"category": "linear", "request": [1, "a", None]}]},
        {**batch, "args": [{"category": "linear", "request": [[{}]]}]},
        {**batch, "args": [{"category": "option", "request": {"0": {}}}]},
        {"op": "auth", "args": [{"k": 1}, [2], {"s": 3}]},
        {"op": "auth", "args": [None, None, None]},
        {"op": "\ud800"},
        {"reqId": "x" * 10_000, "op": "order.create"},
    ]
    return frames


@pytest.mark.anyio
async def test_wrong_types_at_every_level_get_error_frames() -> None:
    async with LocalServer(ServerConfig(accounts=ACCOUNTS, rate_limit=False)) as server:
        await assert_healthy(server, "before")
        async with await authed(server.url, OTHER_KEY, OTHER_SECRET) as ws:
            for frame in wrong_types():
                reply = await call(ws, json.dumps(frame))
                assert reply["retCode"] in (10001, 10002, 10404, 20001), (frame, reply)
                assert isinstance(reply["retMsg"], str)
            await ws.send('{"op":"ping","x":"\\ud800"}')
            assert (await recv_json(ws))["op"] == "pong"
        await assert_healthy(server, "after")
        assert [o["orderLinkId"] for o in server.orders("healthy-key")] == ["before", "after"]


@pytest.mark.anyio
async def test_huge_frames_close_1009_and_others_keep_working() -> None:
    config = ServerConfig(accounts=ACCOUNTS, rate_limit=False, max_frame_bytes=4096)
    async with LocalServer(config) as server:
        await assert_healthy(server, "before")
        async with await open_ws(server.url) as ws:
            await ws.send(json.dumps({"op": "ping", "pad": "x" * 5000}))
            with pytest.raises(ConnectionClosed):
                await asyncio.wait_for(ws.recv(), TIMEOUT)
            assert ws.close_code == 1009
        await assert_healthy(server, "after")
        assert len(server.orders("healthy-key")) == 2


@pytest.mark.anyio
async def test_protocol_violations_close_the_connection_only() -> None:
    async with LocalServer(ServerConfig(accounts=ACCOUNTS)) as server:
        # Invalid UTF-8 in a text frame: 1007.
        raw = await RawClient.connect(server.url)
        raw.writer.write(bytes((0x81, 0x82, 0, 0, 0, 0, 0xFF, 0xFE)))
        fin, opcode, payload = await raw.read_frame()
        assert (fin, opcode, int.from_bytes(payload[:2], "big")) == (True, 8, 1007)
        await raw.close()
        # An unmasked client frame (a protocol error): 1002.
        raw = await RawClient.connect(server.url)
        raw.writer.write(bytes((0x81, 0x02)) + b"{}")
        fin, opcode, payload = await raw.read_frame()
        assert (opcode, int.from_bytes(payload[:2], "big")) == (8, 1002)
        await raw.close()
        # Not HTTP at all, and a plain HTTP request.
        for request in (
            b"\x16\x03\x01garbage\r\n\r\n",
            b"GET /v5/trade HTTP/1.1\r\nHost: x\r\n\r\n",
        ):
            host, port = server.url.removeprefix("ws://").split("/")[0].split(":")
            reader, writer = await asyncio.open_connection(host, int(port))
            writer.write(request)
            async with asyncio.timeout(TIMEOUT):
                answer = await reader.read()
            assert answer == b"" or answer.startswith(b"HTTP/1.1 4")
            writer.close()
            await writer.wait_closed()
        await assert_healthy(server, "after")


@pytest.mark.anyio
async def test_a_flood_of_connections() -> None:
    async with LocalServer(ServerConfig(accounts=ACCOUNTS, rate_limit=False)) as server:
        await assert_healthy(server, "before")

        async def abuse(index: int) -> int:
            async with await open_ws(server.url) as ws:
                codes = [(await call(ws, "garbage"))["retCode"]]
                codes.append(
                    (await call(ws, order_frame("order.create", limit_order())))["retCode"]
                )
                codes.append((await call(ws, auth_frame(OTHER_KEY, OTHER_SECRET)))["retCode"])
                if index % 2:
                    ws.transport.abort()  # vanish without a close frame
                return sum(codes)

        results = await asyncio.gather(*(abuse(i) for i in range(150)))
        assert set(results) == {10001 + 10005}
        await assert_healthy(server, "after")
        assert len(server.orders("healthy-key")) == 2


# ---- property test ---------------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


def valid_frames() -> list[dict[str, Any]]:
    item = {k: v for k, v in limit_order("v1").items() if k != "category"}
    ref = {"category": "linear", "symbol": "BTCUSDT", "orderLinkId": "v1"}
    return [
        auth_frame(OTHER_KEY, OTHER_SECRET),
        {"op": "ping"},
        order_frame("order.create", limit_order("v1"), req_id=None),
        order_frame("order.amend", {**ref, "qty": "2"}, req_id=None),
        order_frame("order.cancel", ref, req_id=None),
        order_frame("order.create-batch", {"category": "linear", "request": [item]}, req_id=None),
        order_frame(
            "order.cancel-batch",
            {"category": "spot", "request": [{"symbol": "X", "orderId": "1"}]},
            req_id=None,
        ),
    ]


@st.composite
def mutated_frames(draw: st.DrawFn) -> str:
    frame = json.loads(json.dumps(draw(st.sampled_from(valid_frames()))))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(paths(frame)))
        if not path:
            continue
        parent = frame
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(JSON_VALUES)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.text(max_size=12))] = draw(JSON_VALUES)
        else:
            parent.append(draw(JSON_VALUES))
    return json.dumps(frame)


FRAMES = (
    st.builds(json.dumps, JSON_VALUES)
    | mutated_frames()
    | st.text(max_size=200)
    | st.binary(max_size=200)
)


def test_random_frames_never_hurt_the_server() -> None:
    config = ServerConfig(accounts=ACCOUNTS, rate_limit=False, max_frame_bytes=4096)
    with (
        run_server_in_thread(config) as handle,
        sync_connect(handle.url) as healthy,
        contextlib.ExitStack() as stack,
    ):
        healthy.send(json.dumps(auth_frame("healthy-key", "healthy-secret")))
        assert json.loads(healthy.recv(timeout=TIMEOUT))["retCode"] == 0
        fuzz: list[SyncConnection] = [stack.enter_context(sync_connect(handle.url))]
        created: list[str] = []

        @settings(
            max_examples=300,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
            database=None,
        )
        @given(frame=FRAMES)
        def check(frame: str | bytes) -> None:
            ws = fuzz[-1]
            ws.send(frame)
            try:
                reply = json.loads(ws.recv(timeout=TIMEOUT))
            except ConnectionClosed:  # a clean close is fine: reconnect
                assert ws.close_code == 1009, ws.close_code
                fuzz.append(stack.enter_context(sync_connect(handle.url)))
            else:
                assert isinstance(reply, dict)
                assert isinstance(reply["retCode"], int)
                assert isinstance(reply["retMsg"], str)
                assert isinstance(reply["connId"], str)
            # The healthy connection still gets correct answers, and keeps its orders.
            link_id = f"h{len(created)}"
            healthy.send(json.dumps(order_frame("order.create", limit_order(link_id))))
            reply = json.loads(healthy.recv(timeout=TIMEOUT))
            assert reply["retCode"] == 0, reply
            created.append(link_id)

        check()
        orders = handle.orders("healthy-key")
        assert [o["orderLinkId"] for o in orders] == created
        assert {o["status"] for o in orders} == {"New"}
        assert handle.connection_count == 2
