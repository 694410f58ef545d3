"""The client against the local server: requests, errors, concurrency, timeouts, auth, events."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Callable
from typing import Any

import pytest

from bybit_wsapi import (
    WS_KEY_MAP,
    AuthenticationError,
    RequestNotSentError,
    RequestOutcomeUnknownError,
    RequestTimeoutError,
    RetCode,
    WebsocketAPIClient,
    WebsocketClient,
    WSAPIError,
    WSConnectionError,
    failed_items,
)
from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET, LocalServer, ServerConfig

from .conftest import FAST, EventLog, order

pytestmark = pytest.mark.anyio
MakeClient = Callable[..., WebsocketAPIClient]


async def test_create_amend_cancel_round_trip(
    client: WebsocketAPIClient, server: LocalServer
) -> None:
    created = await client.submit_new_order(order("rt-1"))
    assert created["retCode"] == 0
    assert created["op"] == "order.create"
    assert created["wsKey"] == WS_KEY_MAP.v5_private_trade
    order_id = created["data"]["orderId"]
    assert created["data"]["orderLinkId"] == "rt-1"
    meta = created["meta"]
    assert meta["rttMs"] > 0
    assert meta["rateLimit"] is not None
    assert meta["serverTimeMs"] is not None
    assert meta["traceId"] is not None
    assert len(meta["traceId"]) == 32

    amended = await client.amend_order(
        {"category": "linear", "symbol": "BTCUSDT", "orderId": order_id, "price": "10001"}
    )
    assert amended["data"]["orderId"] == order_id
    cancelled = await client.cancel_order(
        {"category": "linear", "symbol": "BTCUSDT", "orderLinkId": "rt-1"}
    )
    assert cancelled["data"]["orderId"] == order_id

    [stored] = server.orders(DEMO_API_KEY)
    assert (stored["orderId"], stored["price"], stored["status"]) == (
        order_id,
        "10001",
        "Cancelled",
    )
    assert [r[1] for r in server.received] == ["order.create", "order.amend", "order.cancel"]


async def test_batch_reports_failed_items_in_request_order(client: WebsocketAPIClient) -> None:
    items: list[Any] = [
        {
            "symbol": "BTCUSDT",
            "side": "Buy",
            "orderType": "Limit",
            "qty": "1",
            "price": "1",
            "orderLinkId": f"b-{i}",
        }
        for i in range(3)
    ]
    items.insert(1, dict(items[0]))  # duplicate orderLinkId fails on its own
    reply = await client.batch_submit_orders("linear", items)
    assert reply["retCode"] == 0
    assert [i["orderLinkId"] for i in reply["data"]["list"]] == ["b-0", "b-0", "b-1", "b-2"]
    failures = failed_items(reply)
    assert [(f.index, f.code) for f in failures] == [(1, RetCode.DUPLICATE_ORDER_LINK_ID)]
    ids = [i["orderId"] for i in reply["data"]["list"] if i["orderId"]]
    gone = await client.batch_cancel_order(
        "linear", [{"symbol": "BTCUSDT", "orderId": i} for i in ids]
    )
    assert failed_items(gone) == []
    assert all(s["code"] == 0 for s in gone["retExtInfo"]["list"])


async def test_api_error_carries_everything_and_emits_exception(
    make_client: MakeClient, events: EventLog
) -> None:
    client = make_client()
    ws = client.get_ws_client()
    ws.on("exception", events.handler("exception"))
    ws.on("response", events.handler("response"))
    with pytest.raises(WSAPIError) as caught:
        await client.cancel_order(
            {"category": "linear", "symbol": "BTCUSDT", "orderId": "no-such-order"}
        )
    error = caught.value
    assert error.ret_code == RetCode.ORDER_NOT_EXISTS
    assert error.op == "order.cancel"
    assert error.req_id is not None
    assert error.response["reqId"] == error.req_id
    assert error.params == {"category": "linear", "symbol": "BTCUSDT", "orderId": "no-such-order"}
    assert (error.outcome, error.matched_by_op) == ("rejected", False)
    assert (await events.wait("exception")) == [error]
    ok = await client.submit_new_order(order())
    assert (await events.wait("response")) == [ok]


async def test_bad_params_are_rejected_by_the_server_with_the_field_named(
    client: WebsocketAPIClient,
) -> None:
    bad: Any = order(side="buy")
    with pytest.raises(WSAPIError) as caught:
        await client.submit_new_order(bad)
    assert caught.value.ret_code == RetCode.PARAM_ERROR
    assert "side" in caught.value.ret_msg


async def test_non_json_params_fail_at_once_and_send_nothing(
    client: WebsocketAPIClient, server: LocalServer
) -> None:
    from decimal import Decimal

    with pytest.raises(TypeError):
        client.get_ws_client().send_ws_api_request(
            WS_KEY_MAP.v5_private_trade,
            "order.create",
            order(qty=Decimal("1")),  # type: ignore[arg-type]
        )
    assert server.received == []


async def test_concurrent_first_calls_share_one_connection(
    make_client: MakeClient, server: LocalServer, events: EventLog
) -> None:
    client = make_client()
    client.get_ws_client().on("authenticated", events.handler("authenticated"))
    replies = await asyncio.gather(*(client.submit_new_order(order()) for _ in range(50)))
    assert len({r["data"]["orderId"] for r in replies}) == 50
    assert len(events.seen["authenticated"]) == 1
    assert server.connection_count == 1


async def test_thousands_in_flight_are_all_matched(
    client: WebsocketAPIClient, server: LocalServer
) -> None:
    count = 2000
    server.faults.delay_ms = 50  # replies held back, so everything is in flight together
    futures = [client.submit_new_order(order(f"m-{i}")) for i in range(count)]
    replies = await asyncio.gather(*futures)
    assert [r["data"]["orderLinkId"] for r in replies] == [f"m-{i}" for i in range(count)]
    assert len(server.received) == count
    assert client.get_ws_client().in_flight == 0


async def test_send_ws_api_request_starts_at_once_and_replies_reach_events(
    make_client: MakeClient, server: LocalServer, events: EventLog
) -> None:
    ws = make_client(attach_event_listeners=False).get_ws_client()
    ws.on("response", events.handler("response"))
    await ws.connect_ws_api()
    for i in range(3):  # fire and forget: nobody awaits these
        ws.send_ws_api_request(WS_KEY_MAP.v5_private_trade, "order.create", order(f"ff-{i}"))
    replies = await events.wait("response", 3)
    assert sorted(r["data"]["orderLinkId"] for r in replies) == ["ff-0", "ff-1", "ff-2"]


async def test_a_failure_nobody_awaits_is_not_reported_as_lost(
    make_client: MakeClient, events: EventLog, caplog: pytest.LogCaptureFixture
) -> None:
    ws = make_client().get_ws_client()
    ws.on("exception", events.handler("exception"))
    ws.send_ws_api_request(
        WS_KEY_MAP.v5_private_trade,
        "order.cancel",
        {"category": "linear", "symbol": "BTCUSDT", "orderId": "nope"},
    )
    [error] = await events.wait("exception")
    assert isinstance(error, WSAPIError)
    del error
    gc.collect()
    await asyncio.sleep(0)  # let the loop run any exception handler scheduled by the collection
    assert "never retrieved" not in caplog.text


async def test_timeout_after_sending_is_outcome_unknown_and_late_reply_is_harmless(
    client: WebsocketAPIClient, server: LocalServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.faults.delay_ms = 300
    with pytest.raises(RequestTimeoutError) as caught:
        await client.submit_new_order(order("slow-1"), timeout=0.05)
    assert (caught.value.outcome, caught.value.sent, caught.value.timeout) == (
        "unknown",
        True,
        0.05,
    )
    assert caught.value.params is not None
    assert caught.value.params["orderLinkId"] == "slow-1"
    server.faults.delay_ms = 0
    with caplog.at_level(logging.WARNING, logger="bybit_wsapi"):
        late = client.submit_new_order(order("after"), timeout=2)
        # the late reply to slow-1 arrives first (after 300 ms) and is logged, not fatal
        assert (await late)["data"]["orderLinkId"] == "after"
        server.faults.delay_ms = 400
        await client.submit_new_order(order("last"), timeout=2)
    assert "unknown or expired reqId" in caplog.text
    assert [o["orderLinkId"] for o in server.orders(DEMO_API_KEY)] == ["slow-1", "after", "last"]


async def test_timeout_without_a_connection_is_not_sent() -> None:
    client = WebsocketAPIClient(key="k", secret="s", ws_url="ws://127.0.0.1:9/v5/trade", **FAST)
    try:
        with pytest.raises(RequestTimeoutError) as caught:
            await client.submit_new_order(order(), timeout=0.2)
        assert (caught.value.outcome, caught.value.sent) == ("not_sent", False)
    finally:
        await client.close()


async def test_connect_ws_api_times_out_with_the_last_error() -> None:
    client = WebsocketAPIClient(
        key="k", secret="s", ws_url="ws://127.0.0.1:9/v5/trade", **{**FAST, "connect_timeout": 0.3}
    )
    try:
        with pytest.raises(WSConnectionError, match=r"within 0\.3 s: last error"):
            await client.connect()
    finally:
        await client.close()


@pytest.mark.parametrize(("shape", "code"), [("no_req_id", 10005), ("legacy", None)])
async def test_error_without_req_id_settles_the_calls_of_its_operation(
    client: WebsocketAPIClient, server: LocalServer, shape: str, code: int | None
) -> None:
    server.faults.error_shape = shape  # type: ignore[assignment]
    server.faults.reject_orders = 10005
    with pytest.raises(WSAPIError) as caught:
        await client.submit_new_order(order(), timeout=5)
    assert caught.value.matched_by_op
    assert caught.value.ret_code == code
    assert "req" not in caught.value.response or "reqId" not in caught.value.response
    server.faults.reject_orders = None
    assert (await client.submit_new_order(order()))["retCode"] == 0


@pytest.mark.parametrize(
    ("key", "secret", "reject", "code"),
    [
        ("unknown-key", "x", False, RetCode.TOO_MANY_SESSIONS),
        (DEMO_API_KEY, "wrong-secret", False, RetCode.INVALID_SIGNATURE),
        (DEMO_API_KEY, DEMO_API_SECRET, True, RetCode.INVALID_SIGNATURE),
    ],
)
async def test_auth_failure_raises_and_fails_waiting_calls(
    server: LocalServer, key: str, secret: str, reject: bool, code: int
) -> None:
    server.faults.reject_auth = reject
    client = WebsocketAPIClient(key=key, secret=secret, ws_url=server.url, **FAST)
    try:
        waiting = client.get_ws_client().send_ws_api_request(
            WS_KEY_MAP.v5_private_trade, "order.create", order()
        )
        with pytest.raises(AuthenticationError) as caught:
            await client.connect()
        assert caught.value.ret_code == code
        with pytest.raises(AuthenticationError):
            await waiting
        assert not client.get_ws_client().is_connected
        assert server.received == []
    finally:
        await client.close()


async def test_reconnect_reauthenticates_and_never_resends(
    make_client: MakeClient, server: LocalServer, events: EventLog
) -> None:
    client = make_client()
    ws = client.get_ws_client()
    for name in ("reconnect", "reconnected", "authenticated"):
        ws.on(name, events.handler(name))  # type: ignore[arg-type]
    await client.connect()
    server.faults.delay_ms = 10_000  # nothing gets acknowledged before the drop
    in_flight = [client.submit_new_order(order(f"if-{i}")) for i in range(5)]
    server.faults.drop_after_frames = 1 + 5  # the auth frame, then the five orders
    results = await asyncio.gather(*in_flight, return_exceptions=True)
    assert all(isinstance(r, RequestOutcomeUnknownError) for r in results)
    assert [
        r.params["orderLinkId"]
        for r in results
        if isinstance(r, RequestOutcomeUnknownError) and r.params
    ] == [f"if-{i}" for i in range(5)]
    server.faults.drop_after_frames = None
    server.faults.delay_ms = 0
    await events.wait("reconnected")
    after = await client.submit_new_order(order("after-drop"))
    assert after["retCode"] == 0
    assert len(events.seen["authenticated"]) == 2
    assert [r[3]["orderLinkId"] for r in server.received] == [
        *(f"if-{i}" for i in range(5)),
        "after-drop",
    ]


async def test_calls_made_while_disconnected_wait_for_the_new_connection(
    client: WebsocketAPIClient, server: LocalServer, events: EventLog
) -> None:
    client.get_ws_client().on("reconnect", events.handler("reconnect"))
    await server.drop_connections()
    await events.wait("reconnect")
    reply = await client.submit_new_order(order("queued"), timeout=5)
    assert reply["data"]["orderLinkId"] == "queued"


async def test_missing_pongs_trigger_a_reconnect(
    make_client: MakeClient, server: LocalServer, events: EventLog
) -> None:
    client = make_client(ping_interval=0.05, pong_timeout=0.05)
    ws = client.get_ws_client()
    ws.on("reconnect", events.handler("reconnect"))
    ws.on("reconnected", events.handler("reconnected"))
    await client.connect()
    server.faults.no_pong = True
    [reconnect] = await events.wait("reconnect")
    assert "no pong" in reconnect["reason"]
    server.faults.no_pong = False
    await events.wait("reconnected")
    assert (await client.submit_new_order(order()))["retCode"] == 0


async def test_restart_notice_moves_to_a_new_connection(
    make_client: MakeClient, server: LocalServer, events: EventLog
) -> None:
    client = make_client()
    client.get_ws_client().on("reconnected", events.handler("reconnected"))
    await client.connect()
    server.faults.restarting = True
    with pytest.raises(WSAPIError) as caught:
        await client.submit_new_order(order())
    assert caught.value.ret_code == RetCode.SERVICE_RESTARTING
    server.faults.restarting = False
    await events.wait("reconnected")
    assert (await client.submit_new_order(order()))["retCode"] == 0


async def test_garbage_and_duplicate_frames_are_logged_not_fatal(
    client: WebsocketAPIClient, server: LocalServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.faults.garbage_frames = 2
    server.faults.truncated_frames = 1
    server.faults.duplicate_replies = True
    server.faults.unknown_req_id_replies = True
    with caplog.at_level(logging.WARNING, logger="bybit_wsapi"):
        replies = [await client.submit_new_order(order(f"g-{i}")) for i in range(3)]
    assert [r["data"]["orderLinkId"] for r in replies] == ["g-0", "g-1", "g-2"]
    assert "ignored a frame (not JSON)" in caplog.text
    assert "unknown or expired reqId" in caplog.text
    assert client.get_ws_client().is_connected


async def test_an_oversized_frame_ends_the_connection(
    make_client: MakeClient, server: LocalServer, events: EventLog
) -> None:
    client = make_client(max_frame_bytes=4096)
    client.get_ws_client().on("reconnected", events.handler("reconnected"))
    await client.connect()
    server.faults.oversize_replies = 10_000
    with pytest.raises(RequestOutcomeUnknownError, match="max_frame_bytes"):
        await client.submit_new_order(order("big"))
    server.faults.oversize_replies = None
    await events.wait("reconnected")
    assert (await client.submit_new_order(order()))["retCode"] == 0


async def test_time_offset_moves_request_timestamps(client: WebsocketAPIClient) -> None:
    client.set_time_offset_ms(-60_000)
    with pytest.raises(WSAPIError) as caught:
        await client.submit_new_order(order())
    assert caught.value.ret_code == RetCode.REQUEST_EXPIRED
    client.set_time_offset_ms(0)
    assert (await client.submit_new_order(order()))["retCode"] == 0


async def test_handlers_may_be_async_or_raise_without_breaking_anything(
    client: WebsocketAPIClient,
) -> None:
    seen = asyncio.Event()

    async def slow(_: object) -> None:
        seen.set()
        raise RuntimeError("async handler bug")

    def broken(_: object) -> None:
        raise RuntimeError("sync handler bug")

    ws = client.get_ws_client()
    ws.on("response", broken)
    ws.on("response", slow)
    assert (await client.submit_new_order(order()))["retCode"] == 0
    await seen.wait()
    assert (await client.submit_new_order(order()))["retCode"] == 0


async def test_default_listeners_log_and_can_be_turned_off(
    server: LocalServer, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="bybit_wsapi"):
        async with WebsocketAPIClient(key=DEMO_API_KEY, secret=DEMO_API_SECRET, ws_url=server.url):
            pass
    assert "authenticated" in caplog.text
    assert "connection open" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="bybit_wsapi"):
        async with WebsocketAPIClient(
            key=DEMO_API_KEY,
            secret=DEMO_API_SECRET,
            ws_url=server.url,
            attach_event_listeners=False,
        ):
            pass
    assert "authenticated" not in caplog.text


async def test_close_fails_pending_calls_and_leaves_no_task(
    make_client: MakeClient, server: LocalServer
) -> None:
    client = make_client()
    await client.connect()
    server.faults.delay_ms = 10_000
    ws = client.get_ws_client()
    in_flight = ws.send_ws_api_request(
        WS_KEY_MAP.v5_private_trade, "order.create", order("never-acked")
    )
    await server.wait_received(1)
    await client.close()
    with pytest.raises(RequestOutcomeUnknownError, match="closed"):
        await in_flight
    with pytest.raises(RequestNotSentError, match="closed"):
        await client.submit_new_order(order())
    others = [
        t
        for t in asyncio.all_tasks()
        if t is not asyncio.current_task() and "bybit-wsapi" in t.get_name()
    ]
    assert others == []
    await client.close()  # idempotent


async def test_websocket_client_is_an_async_context_manager(server: LocalServer) -> None:
    async with WebsocketClient(key=DEMO_API_KEY, secret=DEMO_API_SECRET, ws_url=server.url) as ws:
        assert ws.is_connected
        reply = await ws.send_ws_api_request(WS_KEY_MAP.v5_private_trade, "order.create", order())
        assert reply["retCode"] == 0
    assert not ws.is_connected


async def test_unauthenticated_server_config_does_not_matter_to_the_client() -> None:
    # a second account on the same server: each client authenticates as itself
    config = ServerConfig(accounts={"a": "sa", "b": "sb"}, rate_limit=False)
    async with LocalServer(config) as srv:
        async with (
            WebsocketAPIClient(key="a", secret="sa", ws_url=srv.url) as a,
            WebsocketAPIClient(key="b", secret="sb", ws_url=srv.url) as b,
        ):
            await a.submit_new_order(order("same-id"))
            await b.submit_new_order(order("same-id"))  # orderLinkId is unique per account only
        assert [o["orderLinkId"] for o in srv.orders("a")] == ["same-id"]
        assert [o["orderLinkId"] for o in srv.orders("b")] == ["same-id"]


async def test_a_restart_notice_for_a_call_that_timed_out_still_moves_the_connection(
    make_client: MakeClient, server: LocalServer, events: EventLog
) -> None:
    client = make_client()
    client.get_ws_client().on("reconnect", events.handler("reconnect"))
    await client.connect()
    server.faults.restarting = True
    server.faults.delay_ms = 200  # the 10019 arrives after the call gave up
    with pytest.raises(RequestTimeoutError):
        await client.submit_new_order(order(), timeout=0.05)
    server.faults.restarting = False
    server.faults.delay_ms = 0
    [notice] = await events.wait("reconnect")
    assert "10019" in notice["reason"]
    assert (await client.submit_new_order(order()))["retCode"] == 0
