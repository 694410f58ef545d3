"""The connection's lifecycle as a new user meets it (issue 10): failed connects, backoff, the
events of every failure, late replies, refused requests, no connection, one event loop."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from bybit_wsapi import (
    WS_KEY_MAP,
    AuthenticationError,
    BybitWSError,
    RequestNotSentError,
    RequestOutcomeUnknownError,
    RequestTimeoutError,
    WebsocketAPIClient,
    WSAPIError,
    WSConnectionError,
)
from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET, LocalServer, ServerConfig
from bybit_wsapi.server.thread import run_server_in_thread

from .conftest import FAST, EventLog, order

pytestmark = pytest.mark.anyio
MakeClient = Callable[..., WebsocketAPIClient]
TRADE = WS_KEY_MAP.v5_private_trade


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.asynccontextmanager
async def silent_server() -> AsyncIterator[str]:
    """A TCP server that accepts and never answers the WebSocket upgrade."""
    held: list[asyncio.StreamWriter] = []

    async def hold(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"ws://127.0.0.1:{port}/v5/trade"
    finally:
        for writer in held:
            writer.close()
        server.close()
        await server.wait_closed()


def running_tasks(baseline: set[asyncio.Task[Any]]) -> list[asyncio.Task[Any]]:
    me = asyncio.current_task()
    return [t for t in asyncio.all_tasks() if t not in baseline and t is not me and not t.done()]


def fire(client: WebsocketAPIClient, params: Any, **kw: Any) -> None:
    """Send without ever awaiting (a fire-and-forget caller)."""
    client.get_ws_client().send_ws_api_request(TRADE, "order.create", params, **kw)


# ---- 1. a failed connect leaves nothing behind -----------------------------------------------


@pytest.mark.parametrize(
    "case", ["nothing-listening", "handshake-refused", "auth-rejected", "timeout"]
)
async def test_a_failed_connect_leaves_no_task(case: str, server: LocalServer) -> None:
    async with silent_server() as silent:
        url = {
            "nothing-listening": f"ws://127.0.0.1:{free_port()}/v5/trade",
            "handshake-refused": server.url.replace("/v5/trade", "/v5/nope"),
            "auth-rejected": server.url,
            "timeout": silent,
        }[case]
        server.faults.reject_auth = case == "auth-rejected"
        baseline = set(asyncio.all_tasks())
        for _ in range(3):
            client = WebsocketAPIClient(
                key=DEMO_API_KEY,
                secret=DEMO_API_SECRET,
                ws_url=url,
                **{**FAST, "connect_timeout": 0.3},
            )
            with pytest.raises((WSConnectionError, AuthenticationError)):
                async with client:
                    pass
            await server.wait_connections(0)  # the server's side of it is gone too
            # the user no longer holds the client: nothing of it may still run
            assert running_tasks(baseline) == []
            assert not client.get_ws_client().is_connected


# ---- 2. reconnects back off for real ---------------------------------------------------------


async def test_backoff_grows_while_connections_die_right_after_auth(
    make_client: MakeClient, server: LocalServer, events: EventLog
) -> None:
    # every connection is dropped on its second frame (the first ping), just after auth
    server.faults.drop_after_frames = 2
    ws = make_client(
        reconnect_initial_delay=0.01, reconnect_max_delay=0.08, ping_interval=0.02
    ).get_ws_client()
    ws.on("reconnect", events.handler("reconnect"))
    await ws.connect_ws_api()
    seen = await events.wait("reconnect", 4)
    delays = [event["delay"] for event in seen]
    # drawn from the upper half of 0.01 * 2**n: growth shows from the third attempt on
    assert delays[2] > 0.01 and delays[3] > 0.02, delays
    assert [event["attempt"] for event in seen[:4]] == [1, 2, 3, 4]


async def test_backoff_starts_afresh_after_a_connection_answered_a_request(
    make_client: MakeClient, server: LocalServer, events: EventLog
) -> None:
    client = make_client(reconnect_initial_delay=0.01, reconnect_max_delay=0.08)
    ws = client.get_ws_client()
    ws.on("reconnect", events.handler("reconnect"))
    ws.on("reconnected", events.handler("reconnected"))
    await client.connect()
    for n in range(1, 5):
        await client.submit_new_order(order())  # this connection proved healthy
        await server.drop_connections()
        await events.wait("reconnected", n)
    delays = [event["delay"] for event in events.seen["reconnect"]]
    assert all(d <= 0.01 for d in delays), delays


async def test_one_client_keeps_within_its_new_connection_budget(
    make_client: MakeClient, server: LocalServer, events: EventLog
) -> None:
    server.faults.drop_after_frames = 2  # every connection dies on its first ping
    ws = make_client(
        max_new_connections=3, new_connections_window=60.0, ping_interval=0.02
    ).get_ws_client()
    ws.on("reconnect", events.handler("reconnect"))
    await ws.connect_ws_api()
    seen = await events.wait("reconnect", 3)
    # three connections were made in well under a minute: the fourth waits for the window
    assert [event["delay"] > 50.0 for event in seen] == [False, False, True], seen


# ---- 3. every failure reaches the events -----------------------------------------------------


async def test_a_fire_and_forget_timeout_after_sending_is_emitted(
    make_client: MakeClient, server: LocalServer, events: EventLog
) -> None:
    client = make_client(attach_event_listeners=False)
    client.get_ws_client().on("exception", events.handler("exception"))
    await client.connect()
    server.faults.delay_ms = 5000
    fire(client, order("ff-timeout"), timeout=0.05)
    [error] = await events.wait("exception")
    assert isinstance(error, RequestTimeoutError)
    assert (error.outcome, error.params["orderLinkId"]) == ("unknown", "ff-timeout")


async def test_a_fire_and_forget_timeout_before_sending_is_emitted(events: EventLog) -> None:
    client = WebsocketAPIClient(
        key="k", secret="s", ws_url=f"ws://127.0.0.1:{free_port()}/v5/trade", **FAST
    )
    client.get_ws_client().on("exception", events.handler("exception"))
    try:
        fire(client, order("ff-unsent"), timeout=0.05)
        [error] = await events.wait("exception")
        assert isinstance(error, RequestTimeoutError)
        assert (error.outcome, error.params["orderLinkId"]) == ("not_sent", "ff-unsent")
    finally:
        await client.close()


async def test_a_fire_and_forget_call_lost_after_sending_is_emitted(
    make_client: MakeClient, server: LocalServer, events: EventLog
) -> None:
    client = make_client(attach_event_listeners=False)
    client.get_ws_client().on("exception", events.handler("exception"))
    await client.connect()
    server.faults.drop_after_apply = True
    fire(client, order("ff-lost"))
    [error] = await events.wait("exception")
    assert isinstance(error, RequestOutcomeUnknownError)
    assert (error.outcome, error.params["orderLinkId"]) == ("unknown", "ff-lost")


async def test_a_fire_and_forget_call_never_sent_is_emitted(events: EventLog) -> None:
    client = WebsocketAPIClient(
        key="k", secret="s", ws_url=f"ws://127.0.0.1:{free_port()}/v5/trade", **FAST
    )
    client.get_ws_client().on("exception", events.handler("exception"))
    fire(client, order("ff-closed"))
    await client.close()
    [error] = await events.wait("exception")
    assert isinstance(error, RequestNotSentError)
    assert (error.outcome, error.params["orderLinkId"]) == ("not_sent", "ff-closed")


# ---- 4. late replies are not thrown away -----------------------------------------------------


@pytest.mark.parametrize("rejected", [False, True], ids=["accepted", "rejected"])
async def test_a_reply_after_the_timeout_is_emitted_marked_late(
    rejected: bool, make_client: MakeClient, server: LocalServer, events: EventLog
) -> None:
    client = make_client(attach_event_listeners=False)
    ws = client.get_ws_client()
    ws.on("response", events.handler("response"))
    ws.on("exception", events.handler("exception"))
    await client.connect()
    server.faults.delay_ms = 200
    if rejected:
        server.faults.reject_orders = 170131
    with pytest.raises(RequestTimeoutError):
        await client.submit_new_order(order("late-1"), timeout=0.02)
    if rejected:
        _, late_error = await events.wait("exception", 2)
        assert isinstance(late_error, WSAPIError)
        assert late_error.ret_code == 170131
        assert late_error.params is not None and late_error.params["orderLinkId"] == "late-1"
        meta = late_error.response["meta"]
    else:
        [late] = await events.wait("response")
        assert late["data"]["orderLinkId"] == "late-1"
        assert late["data"]["orderId"]
        meta = late["meta"]
        assert meta["params"]["orderLinkId"] == "late-1"
    assert meta["late"] is True


# ---- 6. requests that cannot be valid never reach the wire -----------------------------------


def batch_items(count: int) -> list[dict[str, str]]:
    return [
        {"symbol": "BTCUSDT", "side": "Buy", "orderType": "Limit", "qty": "1", "price": "1"}
        for _ in range(count)
    ]


@pytest.mark.parametrize(("category", "count"), [("linear", 21), ("spot", 11), ("linear", 15_000)])
async def test_a_batch_over_its_cap_is_refused_unsent_and_hurts_nobody(
    category: str, count: int, make_client: MakeClient, server: LocalServer, events: EventLog
) -> None:
    client = make_client(attach_event_listeners=False)
    client.get_ws_client().on("exception", events.handler("exception"))
    await client.connect()
    server.faults.delay_ms = 50  # the others are in flight when the batch is refused
    others = [asyncio.ensure_future(client.submit_new_order(order())) for _ in range(5)]
    with pytest.raises(RequestNotSentError, match=f"over the cap of .* {category!r}") as caught:
        await client.batch_submit_orders(category, batch_items(count))  # type: ignore[arg-type]
    assert caught.value.outcome == "not_sent"
    assert [r["retCode"] for r in await asyncio.gather(*others)] == [0] * 5
    assert [r.op for r in server.received] == ["order.create"] * 5
    assert events.seen["exception"] == [caught.value]


async def test_a_frame_over_the_limit_is_refused_unsent(
    make_client: MakeClient, server: LocalServer
) -> None:
    client = make_client(max_frame_bytes=4096)
    await client.connect()
    with pytest.raises(RequestNotSentError, match="frame limit") as caught:
        await client.submit_new_order(order(symbol="X" * 5000))
    assert caught.value.outcome == "not_sent"
    assert (await client.submit_new_order(order()))["retCode"] == 0
    assert [r.op for r in server.received] == ["order.create"]


# ---- 7. no connection, fast answer -----------------------------------------------------------


@pytest.mark.parametrize("case", ["refused", "tls"])
async def test_with_no_connection_possible_calls_fail_unsent_within_connect_timeout(
    case: str, server: LocalServer
) -> None:
    url = {
        "refused": f"ws://127.0.0.1:{free_port()}/v5/trade",
        "tls": server.url.replace("ws://", "wss://"),  # a plain server: the TLS handshake fails
    }[case]
    client = WebsocketAPIClient(key="k", secret="s", ws_url=url, **{**FAST, "connect_timeout": 0.3})
    try:
        async with asyncio.timeout(10):  # far below the call's own 60 s timeout
            with pytest.raises(RequestNotSentError, match=r"within 0\.3 s") as caught:
                await client.submit_new_order(order(), timeout=60)
        assert caught.value.outcome == "not_sent"
    finally:
        await client.close()


# ---- 8. one loop, clearly --------------------------------------------------------------------


def test_a_client_reused_in_a_second_event_loop_works() -> None:
    with run_server_in_thread(ServerConfig(rate_limit=False)) as server:
        client = WebsocketAPIClient(
            key=DEMO_API_KEY, secret=DEMO_API_SECRET, ws_url=server.url, **FAST
        )

        async def use() -> str:
            reply = await client.submit_new_order(order(), timeout=5)
            return reply["data"]["orderId"]

        first = asyncio.run(use())  # the loop ends without close(): the client outlives it
        second = asyncio.run(use())
        asyncio.run(client.close())
        assert first != second
        assert len(server.orders(DEMO_API_KEY)) == 2


async def test_a_call_from_another_thread_is_refused_clearly(client: WebsocketAPIClient) -> None:
    caught: list[BaseException] = []

    def call() -> None:
        try:
            fire(client, order())
        except BaseException as exc:
            caught.append(exc)

    thread = threading.Thread(target=call)
    thread.start()
    await asyncio.to_thread(thread.join)
    [error] = caught
    assert isinstance(error, BybitWSError)
    assert "thread" in str(error) and "event loop" in str(error)
    assert (await client.submit_new_order(order()))["retCode"] == 0


# ---- 14. logging of the connection -----------------------------------------------------------


async def test_a_first_connect_that_never_succeeded_is_not_logged_as_lost(
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = WebsocketAPIClient(
        key="k",
        secret="s",
        ws_url=f"ws://127.0.0.1:{free_port()}/v5/trade",
        **{**FAST, "connect_timeout": 0.3},
    )
    with caplog.at_level("DEBUG", logger="bybit_wsapi"), pytest.raises(WSConnectionError):
        await client.connect()
    await client.close()
    texts = [r.getMessage() for r in caplog.records]
    assert not any("connection lost" in t for t in texts), texts
    assert not any(t.rstrip().endswith(("last error:", "last error: ")) for t in texts), texts


# ---- 9. the flaky accounting case: a late-running loop --------------------------------------


async def test_a_loop_running_late_does_not_fail_a_queued_request_as_never_sent(
    client: WebsocketAPIClient, server: LocalServer, events: EventLog
) -> None:
    import time

    server.faults.delay_ms = 100
    ws = client.get_ws_client()
    ws.on("exception", events.handler("exception"))
    fire(client, order("stalled"), timeout=0.02)  # queued for the writer, woken next turn
    time.sleep(0.05)  # the loop stalls past the deadline (a busy or CPU-starved process)
    [error] = await events.wait("exception")
    # the connection was healthy: the request went out, it was not left behind unsent
    assert isinstance(error, RequestTimeoutError)
    assert error.outcome == "unknown"
    await server.wait_received(1)
