"""The server speaks /v5/trade as the protocol reference describes it (raw websockets client)."""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed, InvalidStatus

from bybit_wsapi.server import DEMO_API_KEY, LocalServer, ServerConfig

from .helpers import (
    TIMEOUT,
    auth_frame,
    authed,
    call,
    limit_order,
    now_ms,
    open_ws,
    order_frame,
)

pytestmark = pytest.mark.anyio

OP_REPLY_KEYS = {"reqId", "retCode", "retMsg", "op", "data", "retExtInfo", "header", "connId"}
HEADER_KEYS = {
    "X-Bapi-Limit",
    "X-Bapi-Limit-Status",
    "X-Bapi-Limit-Reset-Timestamp",
    "Traceid",
    "Timenow",
}


async def create(ws: ClientConnection, **overrides: Any) -> Any:
    return await call(ws, order_frame("order.create", limit_order(**overrides)))


# ---- auth ------------------------------------------------------------------------------------


async def test_auth_success_echoes_req_id_and_gives_conn_id(server: LocalServer) -> None:
    async with await open_ws(server.url) as ws:
        reply = await call(ws, auth_frame(req_id="auth-1"))
    assert set(reply) == {"reqId", "retCode", "retMsg", "op", "connId"}
    assert reply["reqId"] == "auth-1"
    assert (reply["retCode"], reply["retMsg"], reply["op"]) == (0, "OK", "auth")
    assert re.fullmatch(r"[0-9a-f]{20}-[0-9a-z]+", reply["connId"])


async def test_auth_without_req_id_and_with_string_expires(server: LocalServer) -> None:
    async with await open_ws(server.url) as ws:
        reply = await call(ws, auth_frame(expires=str(now_ms() + 5000)))
    assert "reqId" not in reply
    assert reply["retCode"] == 0


def soon() -> int:
    return now_ms() + 5000


# Frames are built when the test runs: expiry times are relative to now.
@pytest.mark.parametrize(
    ("make_frame", "code"),
    [
        (lambda: auth_frame(secret="wrong-secret"), 10004),
        (lambda: auth_frame(key="no-such-key"), 10003),
        (lambda: auth_frame(expires=now_ms() - 1), 10002),
        (lambda: auth_frame(expires=(now_ms() + 60_000) // 1000), 10002),  # seconds, not ms
        (lambda: {"op": "auth", "args": [DEMO_API_KEY, soon()]}, 10001),
        (lambda: {"op": "auth", "args": "nope"}, 10001),
        (lambda: {"op": "auth"}, 10001),
        (lambda: {"op": "auth", "args": [1, soon(), "x"]}, 10001),
        (lambda: {"op": "auth", "args": [DEMO_API_KEY, 1.5e12, "x"]}, 10001),
        (lambda: {"op": "auth", "args": [DEMO_API_KEY, True, "x"]}, 10001),
        (lambda: {"op": "auth", "args": [DEMO_API_KEY, soon(), None]}, 10001),
        (lambda: {"op": "auth", "args": [DEMO_API_KEY, soon(), "é" * 64]}, 10004),
    ],
)
async def test_auth_failures(
    server: LocalServer, make_frame: Callable[[], dict[str, Any]], code: int
) -> None:
    async with await open_ws(server.url) as ws:
        reply = await call(ws, {**make_frame(), "reqId": "a"})
        assert (reply["retCode"], reply["op"], reply["reqId"]) == (code, "auth", "a")
        assert set(reply) == {"reqId", "retCode", "retMsg", "op", "connId"}
        # The connection stays open and can still authenticate.
        assert (await call(ws, auth_frame()))["retCode"] == 0


async def test_repeat_auth_is_20001(ws: ClientConnection) -> None:
    reply = await call(ws, auth_frame())
    assert reply["retCode"] == 20001


async def test_max_connections_per_key() -> None:
    async with LocalServer(ServerConfig(max_connections_per_key=1)) as server:
        first = await authed(server.url)
        async with await open_ws(server.url) as second:
            assert (await call(second, auth_frame()))["retCode"] == 10003
            await first.close()
            await asyncio.wait_for(server.wait_connections(1), TIMEOUT)
            assert (await call(second, auth_frame()))["retCode"] == 0


# ---- ping ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "frame", [{"op": "ping"}, {"op": "ping", "req_id": "p"}, {"op": "ping", "reqId": "p"}]
)
async def test_ping_gets_the_trade_pong(server: LocalServer, frame: dict[str, Any]) -> None:
    async with await open_ws(server.url) as ws:
        before = now_ms()
        reply = await call(ws, frame)
    assert set(reply) == {"retCode", "retMsg", "op", "data", "connId"}
    assert (reply["retCode"], reply["retMsg"], reply["op"]) == (0, "OK", "pong")
    (server_time,) = reply["data"]
    assert isinstance(server_time, str)
    assert before <= int(server_time) <= now_ms()


# ---- envelope --------------------------------------------------------------------------------


async def test_create_reply_envelope(ws: ClientConnection, server: LocalServer) -> None:
    before = now_ms()
    reply = await call(ws, order_frame("order.create", limit_order("L1"), req_id="c-1"))
    assert set(reply) == OP_REPLY_KEYS
    assert reply["reqId"] == "c-1"
    assert (reply["retCode"], reply["retMsg"], reply["op"]) == (0, "OK", "order.create")
    assert reply["retExtInfo"] == {}
    assert set(reply["data"]) == {"orderId", "orderLinkId"}
    assert uuid.UUID(reply["data"]["orderId"]).version == 4
    assert reply["data"]["orderLinkId"] == "L1"
    header = reply["header"]
    assert set(header) == HEADER_KEYS
    assert all(isinstance(value, str) for value in header.values())
    assert re.fullmatch(r"[0-9a-f]{32}", header["Traceid"])
    assert before <= int(header["Timenow"]) <= now_ms()
    assert header["X-Bapi-Limit"] == "10"


async def test_reply_without_req_id_has_none(ws: ClientConnection) -> None:
    reply = await call(ws, order_frame("order.create", limit_order(), req_id=None))
    assert "reqId" not in reply
    assert reply["retCode"] == 0
    assert reply["data"]["orderLinkId"] == ""


async def test_traceids_differ_and_conn_id_is_the_auth_one(server: LocalServer) -> None:
    async with await open_ws(server.url) as ws:
        conn_id = (await call(ws, auth_frame()))["connId"]
        first = await create(ws)
        second = await create(ws)
    assert first["connId"] == second["connId"] == conn_id
    assert first["header"]["Traceid"] != second["header"]["Traceid"]


async def test_order_op_before_auth(server: LocalServer) -> None:
    async with await open_ws(server.url) as ws:
        reply = await call(ws, order_frame("order.create", limit_order(), req_id="x"))
    assert reply["retCode"] == 10005
    assert reply["reqId"] == "x"
    assert reply["op"] == "order.create"
    assert server.received == []


async def test_order_op_before_auth_configurable() -> None:
    config = ServerConfig(unauthenticated_code=10003, unauthenticated_req_id=False)
    async with LocalServer(config) as server, await open_ws(server.url) as ws:
        reply = await call(ws, order_frame("order.create", limit_order(), req_id="x"))
    assert reply["retCode"] == 10003
    assert "reqId" not in reply


# ---- request frame ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        {"X-BAPI-TIMESTAMP": "NOW"},
        {"X-BAPI-TIMESTAMP": "NOW_INT"},
        {"X-BAPI-TIMESTAMP": "NOW", "X-BAPI-RECV-WINDOW": "5000", "Referer": "broker"},
        {"X-BAPI-TIMESTAMP": "NOW", "X-BAPI-RECV-WINDOW": 8000},
        {"X-BAPI-TIMESTAMP": "NOW", "X-Extra": "ignored"},
    ],
)
async def test_accepted_headers(ws: ClientConnection, header: dict[str, Any]) -> None:
    header = {
        k: str(now_ms()) if v == "NOW" else now_ms() if v == "NOW_INT" else v
        for k, v in header.items()
    }
    frame = {"reqId": "h", "header": header, "op": "order.create", "args": [limit_order()]}
    assert (await call(ws, frame))["retCode"] == 0


@pytest.mark.parametrize(
    ("header", "code", "text"),
    [
        ({"X-BAPI-TIMESTAMP": -6000}, 10002, "recv_window[5000]"),
        ({"X-BAPI-TIMESTAMP": 1500}, 10002, "req_timestamp"),
        ({"X-BAPI-TIMESTAMP": -12000, "X-BAPI-RECV-WINDOW": "10000"}, 10002, "recv_window[10000]"),
        ({"X-BAPI-TIMESTAMP": 0, "X-BAPI-RECV-WINDOW": "0"}, 10001, "X-BAPI-RECV-WINDOW"),
        ({"X-BAPI-TIMESTAMP": 0, "X-BAPI-RECV-WINDOW": "abc"}, 10001, "X-BAPI-RECV-WINDOW"),
        ({"X-BAPI-TIMESTAMP": 0, "Referer": 7}, 10001, "header.Referer: expected a string"),
        ({}, 10001, "X-BAPI-TIMESTAMP: expected ms"),
        ({"X-BAPI-TIMESTAMP": "12.5"}, 10001, "X-BAPI-TIMESTAMP"),
        ({"X-BAPI-TIMESTAMP": True}, 10001, "X-BAPI-TIMESTAMP"),
    ],
)
async def test_rejected_headers(
    ws: ClientConnection, header: dict[str, Any], code: int, text: str
) -> None:
    # Integer offsets are relative to now.
    header = {
        k: now_ms() + v if k == "X-BAPI-TIMESTAMP" and type(v) is int else v
        for k, v in header.items()
    }
    frame = {"reqId": "h", "header": header, "op": "order.create", "args": [limit_order()]}
    reply = await call(ws, frame)
    assert (reply["retCode"], reply["reqId"], reply["data"]) == (code, "h", {})
    assert text in reply["retMsg"]


@pytest.mark.parametrize(
    ("change", "text"),
    [
        ({"header": None}, "header: expected an object"),
        ({"header": "x"}, "header: expected an object"),
        ({"args": None}, "args: expected a list"),
        ({"args": {}}, "args: expected a list"),
        ({"args": []}, "args: expected a list"),
        ({"args": [{}, {}]}, "args: expected a list"),
        ({"args": ["x"]}, "args: expected a list"),
        ({"reqId": "x" * 37}, "reqId: longer than 36"),
    ],
)
async def test_bad_envelope_is_10001(
    ws: ClientConnection, change: dict[str, Any], text: str
) -> None:
    frame = {**order_frame("order.create", limit_order(), req_id="e"), **change}
    reply = await call(ws, frame)
    assert reply["retCode"] == 10001
    assert text in reply["retMsg"]
    assert reply.get("reqId") == frame["reqId"]
    assert "header" not in reply


async def test_headers_plural_or_missing_header(ws: ClientConnection) -> None:
    frame = order_frame("order.create", limit_order())
    frame["headers"] = frame.pop("header")
    reply = await call(ws, frame)
    assert reply["retCode"] == 10001
    assert "header: missing" in reply["retMsg"]


async def test_non_string_req_id_is_not_echoed(ws: ClientConnection) -> None:
    reply = await call(ws, {**order_frame("order.create", limit_order()), "reqId": 5})
    assert reply["retCode"] == 10001
    assert "reqId" not in reply
    assert "reqId: expected a string, got int 5" in reply["retMsg"]


async def test_duplicate_req_id_is_20006_per_connection(
    server: LocalServer, ws: ClientConnection
) -> None:
    assert (await call(ws, order_frame("order.create", limit_order(), req_id="same")))[
        "retCode"
    ] == 0
    reply = await call(ws, order_frame("order.create", limit_order(), req_id="same"))
    assert (reply["retCode"], reply["reqId"]) == (20006, "same")
    async with await authed(server.url) as other:
        reply = await call(other, order_frame("order.create", limit_order(), req_id="same"))
    assert reply["retCode"] == 0


async def test_unknown_op_and_category_are_10404(ws: ClientConnection) -> None:
    reply = await call(ws, order_frame("order.query", limit_order(), req_id="u"))
    assert (reply["retCode"], reply["op"], reply["reqId"], reply["data"]) == (
        10404,
        "order.query",
        "u",
        {},
    )
    reply = await call(ws, order_frame("order.create", limit_order(category="futures")))
    assert reply["retCode"] == 10404
    assert "futures" in reply["retMsg"]


@pytest.mark.parametrize("frame", [{"op": 5}, {"op": None}, {"args": []}, {"op": ["order.create"]}])
async def test_bad_op_is_10001(ws: ClientConnection, frame: dict[str, Any]) -> None:
    reply = await call(ws, {**frame, "reqId": "o"})
    assert (reply["retCode"], reply["op"], reply["reqId"]) == (10001, "", "o")
    assert reply["retMsg"].startswith("op: ")


# ---- validation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("op", "params", "message"),
    [
        (
            "order.create",
            limit_order(qty=1),
            'qty: expected a decimal string such as "0.5", got int 1',
        ),
        ("order.create", limit_order(side="buy"), "side: 'buy' is not one of Buy, Sell"),
        (
            "order.create",
            limit_order(reduceOnly=1),
            "reduceOnly: expected true or false, got int 1",
        ),
        ("order.create", limit_order(positionIdx=True), "positionIdx: True is not one of 0, 1, 2"),
        ("order.create", limit_order(colour="red"), "colour: unknown parameter"),
        ("order.create", limit_order(orderLinkID="x"), "did you mean 'orderLinkId'?"),
        (
            "order.create",
            limit_order(category="option"),
            "orderLinkId: required for category option",
        ),
        (
            "order.create",
            {"category": "linear", "symbol": "BTCUSDT"},
            "side: missing required parameter",
        ),
        (
            "order.amend",
            {"category": "linear", "symbol": "BTCUSDT"},
            "one of orderId, orderLinkId is required",
        ),
        (
            "order.create-batch",
            {
                "category": "linear",
                "request": [limit_order(), limit_order(), limit_order(side="buy")],
            },
            "request[2].side: 'buy' is not one of Buy, Sell",
        ),
        (
            "order.create-batch",
            {"category": "linear", "request": []},
            "request: expected at least 1",
        ),
    ],
)
async def test_invalid_params_are_10001_naming_the_field(
    ws: ClientConnection, op: str, params: dict[str, Any], message: str
) -> None:
    if op == "order.create-batch":
        for item in params["request"]:
            item.pop("category", None)
    reply = await call(ws, order_frame(op, params))
    assert reply["retCode"] == 10001, reply
    assert message in reply["retMsg"]
    assert reply["data"] == {}
    assert set(reply["header"]) == HEADER_KEYS


# ---- orders ----------------------------------------------------------------------------------


async def test_create_amend_cancel(ws: ClientConnection, server: LocalServer) -> None:
    created = await create(ws, link_id="A1")
    order_id = created["data"]["orderId"]
    (order,) = server.orders(DEMO_API_KEY)
    assert order["orderId"] == order_id
    assert (order["status"], order["qty"], order["price"], order["orderLinkId"]) == (
        "New",
        "0.1",
        "30000",
        "A1",
    )

    amend = {"category": "linear", "symbol": "BTCUSDT", "orderLinkId": "A1", "qty": "0.2"}
    reply = await call(ws, order_frame("order.amend", amend))
    assert (reply["retCode"], reply["data"]) == (0, {"orderId": order_id, "orderLinkId": "A1"})
    amend = {"category": "linear", "symbol": "BTCUSDT", "orderId": order_id, "price": "31000"}
    assert (await call(ws, order_frame("order.amend", amend)))["retCode"] == 0
    (order,) = server.orders(DEMO_API_KEY)
    assert (order["qty"], order["price"]) == ("0.2", "31000")

    cancel = {"category": "linear", "symbol": "BTCUSDT", "orderId": order_id}
    reply = await call(ws, order_frame("order.cancel", cancel))
    assert (reply["retCode"], reply["data"]) == (0, {"orderId": order_id, "orderLinkId": "A1"})
    assert server.orders(DEMO_API_KEY)[0]["status"] == "Cancelled"
    assert (await call(ws, order_frame("order.cancel", cancel)))["retCode"] == 110010
    assert (await call(ws, order_frame("order.amend", {**cancel, "qty": "1"})))["retCode"] == 110008


async def test_order_id_wins_over_order_link_id(ws: ClientConnection, server: LocalServer) -> None:
    first = (await create(ws, link_id="F"))["data"]["orderId"]
    await create(ws, link_id="S")
    cancel = {"category": "linear", "symbol": "BTCUSDT", "orderId": first, "orderLinkId": "S"}
    reply = await call(ws, order_frame("order.cancel", cancel))
    assert reply["data"] == {"orderId": first, "orderLinkId": "F"}
    assert [o["status"] for o in server.orders(DEMO_API_KEY)] == ["Cancelled", "New"]


@pytest.mark.parametrize(
    ("category", "duplicate", "missing"), [("linear", 110072, 110001), ("spot", 170141, 170213)]
)
async def test_business_errors(
    ws: ClientConnection, category: str, duplicate: int, missing: int
) -> None:
    assert (await create(ws, link_id="D", category=category))["retCode"] == 0
    reply = await create(ws, link_id="D", category=category)
    assert (reply["retCode"], reply["data"], reply["retExtInfo"]) == (duplicate, {}, {})
    assert set(reply["header"]) == HEADER_KEYS
    cancel = {"category": category, "symbol": "BTCUSDT", "orderLinkId": "nope"}
    assert (await call(ws, order_frame("order.cancel", cancel)))["retCode"] == missing
    # Same id, other symbol: not found either.
    cancel = {"category": category, "symbol": "ETHUSDT", "orderLinkId": "D"}
    assert (await call(ws, order_frame("order.cancel", cancel)))["retCode"] == missing


async def test_order_link_id_unique_across_categories(ws: ClientConnection) -> None:
    assert (await create(ws, link_id="X", category="linear"))["retCode"] == 0
    assert (await create(ws, link_id="X", category="inverse"))["retCode"] == 110072


async def test_accounts_are_separate() -> None:
    config = ServerConfig(accounts={"k1": "s1", "k2": "s2"}, rate_limit=False)
    async with LocalServer(config) as server:
        async with (
            await authed(server.url, "k1", "s1") as one,
            await authed(server.url, "k2", "s2") as two,
        ):
            assert (await create(one, link_id="same"))["retCode"] == 0
            assert (await create(two, link_id="same"))["retCode"] == 0
            cancel = {"category": "linear", "symbol": "BTCUSDT", "orderLinkId": "same"}
            assert (await call(one, order_frame("order.cancel", cancel)))["retCode"] == 0
        assert server.orders("k1")[0]["status"] == "Cancelled"
        assert server.orders("k2")[0]["status"] == "New"
        assert [(r.api_key, r.op) for r in server.received] == [
            ("k1", "order.create"),
            ("k2", "order.create"),
            ("k1", "order.cancel"),
        ]
        with pytest.raises(KeyError):
            server.orders("k3")


async def test_wait_received(ws: ClientConnection, server: LocalServer) -> None:
    server.faults.delay_ms = 10_000  # acks never come in time: wait on the server side instead
    waiting = asyncio.create_task(server.wait_received(2))
    await ws.send(json.dumps(order_frame("order.create", limit_order(), req_id="w1")))
    await asyncio.sleep(0)
    assert not waiting.done()
    await ws.send(json.dumps(order_frame("order.create", limit_order(), req_id="w2")))
    received = await asyncio.wait_for(waiting, TIMEOUT)
    assert [r.req_id for r in received] == ["w1", "w2"]
    assert len(await server.wait_received(1)) == 2  # already there: returns at once


async def test_wait_received_needs_recording() -> None:
    async with LocalServer(ServerConfig(record_received=False)) as server:
        with pytest.raises(RuntimeError, match="record_received"):
            await server.wait_received(1)


async def test_received_records_accepted_requests(
    ws: ClientConnection, server: LocalServer
) -> None:
    params = limit_order("R")
    await call(ws, order_frame("order.create", params, req_id="rid"))
    await call(ws, order_frame("order.create", params, req_id=None))
    await call(ws, {"op": "order.create", "args": [params]})  # no header: not accepted
    assert server.received == [
        (DEMO_API_KEY, "order.create", "rid", params),
        (DEMO_API_KEY, "order.create", None, params),
    ]


# ---- batches ---------------------------------------------------------------------------------


def batch_item(link_id: str, **overrides: Any) -> dict[str, Any]:
    item = limit_order(link_id, **overrides)
    del item["category"]
    return item


async def test_batches_apply_item_by_item(ws: ClientConnection, server: LocalServer) -> None:
    await create(ws, link_id="B0")
    # ETHUSDT at 3000: below the simulated market (3500), so it rests instead of filling.
    eth = batch_item("B2", symbol="ETHUSDT", price="3000")
    request = [batch_item("B0"), batch_item("B1"), eth]
    reply = await call(
        ws, order_frame("order.create-batch", {"category": "linear", "request": request})
    )
    assert (reply["retCode"], reply["retMsg"]) == (0, "OK")
    items = reply["data"]["list"]
    assert [i["orderLinkId"] for i in items] == ["B0", "B1", "B2"]
    assert [i["symbol"] for i in items] == ["BTCUSDT", "BTCUSDT", "ETHUSDT"]
    assert items[0]["orderId"] == items[0]["createAt"] == ""
    assert all(
        i["orderId"] and i["createAt"].isdigit() and i["category"] == "linear" for i in items[1:]
    )
    assert [s["code"] for s in reply["retExtInfo"]["list"]] == [110072, 0, 0]
    assert reply["retExtInfo"]["list"][1]["msg"] == "OK"

    amends = [
        {"symbol": "BTCUSDT", "orderLinkId": "B1", "qty": "5"},
        {"symbol": "BTCUSDT", "orderLinkId": "missing", "qty": "5"},
    ]
    reply = await call(
        ws, order_frame("order.amend-batch", {"category": "linear", "request": amends})
    )
    assert [s["code"] for s in reply["retExtInfo"]["list"]] == [0, 110001]
    assert [set(i) for i in reply["data"]["list"]] == [
        {"category", "symbol", "orderId", "orderLinkId"}
    ] * 2
    assert reply["data"]["list"][1]["orderId"] == ""

    cancels = [
        {"symbol": "ETHUSDT", "orderLinkId": "B2"},
        {"symbol": "ETHUSDT", "orderLinkId": "B2"},
    ]
    reply = await call(
        ws, order_frame("order.cancel-batch", {"category": "linear", "request": cancels})
    )
    assert [s["code"] for s in reply["retExtInfo"]["list"]] == [0, 110010]
    statuses = {o["orderLinkId"]: (o["status"], o["qty"]) for o in server.orders(DEMO_API_KEY)}
    assert statuses == {"B0": ("New", "0.1"), "B1": ("New", "5"), "B2": ("Cancelled", "0.1")}


@pytest.mark.parametrize(("category", "cap"), [("linear", 20), ("option", 20), ("spot", 10)])
async def test_batch_item_cap(
    ws: ClientConnection, server: LocalServer, category: str, cap: int
) -> None:
    request = [batch_item(f"{category}{i}") for i in range(cap)]
    ok = await call(
        ws, order_frame("order.create-batch", {"category": category, "request": request})
    )
    assert ok["retCode"] == 0
    assert len(ok["data"]["list"]) == cap
    request = [batch_item(f"over{category}{i}") for i in range(cap + 1)]
    reply = await call(
        ws, order_frame("order.create-batch", {"category": category, "request": request})
    )
    assert reply["retCode"] == 10001
    assert f"request: at most {cap} items for {category}, got {cap + 1}" in reply["retMsg"]
    assert len(server.orders(DEMO_API_KEY)) == cap


# ---- connection ------------------------------------------------------------------------------


async def test_other_paths_are_not_served(server: LocalServer) -> None:
    base = server.url.removesuffix("/v5/trade")
    assert base == server.base_url
    for path in ("/", "/v5/public/spread", "/v5/trade/x"):
        with pytest.raises(InvalidStatus) as info:
            await open_ws(base + path)
        assert info.value.response.status_code == 404


async def test_max_active_time(server: LocalServer) -> None:
    for value in ("20s", "11m", "abc", "1h"):
        with pytest.raises(InvalidStatus) as info:
            await open_ws(f"{server.url}?max_active_time={value}")
        assert info.value.response.status_code == 400
    async with await open_ws(f"{server.url}?max_active_time=1m") as ws:
        assert (await call(ws, {"op": "ping"}))["op"] == "pong"


async def test_no_compression_and_no_protocol_pings(server: LocalServer) -> None:
    async with await open_ws(server.url, compression="deflate") as ws:
        assert ws.response is not None
        assert "Sec-WebSocket-Extensions" not in ws.response.headers
        await call(ws, {"op": "ping"})
        (connection,) = server._connections
        assert connection.ping_interval is None


async def test_idle_connections_are_closed() -> None:
    async with (
        LocalServer(ServerConfig(idle_timeout=0.2)) as server,
        await open_ws(server.url) as ws,
    ):
        assert (await call(ws, {"op": "ping"}))["op"] == "pong"
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(ws.recv(), TIMEOUT)
        assert ws.close_code == 1000
        assert ws.close_reason == "idle timeout"


async def test_frames_keep_a_connection_alive() -> None:
    async with (
        LocalServer(ServerConfig(idle_timeout=0.3)) as server,
        await open_ws(server.url) as ws,
    ):
        loop = asyncio.get_running_loop()
        start = loop.time()
        while loop.time() - start < 0.6:  # twice the idle timeout, pinging every ~0.1 s
            assert (await call(ws, {"op": "ping"}))["op"] == "pong"
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(ws.recv(), 0.1)
        assert ws.close_code is None


async def test_stop_closes_connections_with_1001() -> None:
    server = LocalServer()
    await server.start()
    ws = await open_ws(server.url)
    await server.stop()
    with pytest.raises(ConnectionClosed):
        await ws.recv()
    assert ws.close_code == 1001
    with pytest.raises(RuntimeError):
        server.url  # noqa: B018


async def test_drop_connections(server: LocalServer) -> None:
    first, second = await authed(server.url), await authed(server.url)
    assert server.connection_count == 2
    await server.drop_connections()
    assert server.connection_count == 0
    for ws in (first, second):
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(ws.recv(), TIMEOUT)
        assert ws.close_code == 1006  # no close frame


async def test_malformed_json_gets_an_error_frame(ws: ClientConnection) -> None:
    reply = await call(ws, "{not json")
    assert (reply["retCode"], reply["op"]) == (10001, "")
    assert reply["retMsg"].startswith("malformed JSON")
    reply = await call(ws, b'{"op":"ping"}')
    assert "binary frames" in reply["retMsg"]
    reply = await call(ws, json.dumps([1, 2]))
    assert reply["retMsg"] == "a request must be a JSON object, got a JSON array"
    assert (await create(ws))["retCode"] == 0
