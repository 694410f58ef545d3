"""The wire session (:func:`bybit_wsapi.transport.open_session`) against a plain websockets
server, and the connection's write paths (the awaiting task, the writer's batches) against the
local server: every test runs over both session implementations, fast and plain."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
import websockets.asyncio.server as ws_server

from bybit_wsapi import WS_KEY_MAP, RequestNotSentError, WebsocketAPIClient
from bybit_wsapi.server import LocalServer
from bybit_wsapi.transport import (
    TRANSPORT_ENV,
    SessionClosedError,
    TransportConnectError,
    UpgradeRejectedError,
    WireSession,
    open_session,
)
from bybit_wsapi.transport_fast import FastSession
from bybit_wsapi.transport_plain import PlainSession

from .conftest import order

Script = Callable[[ws_server.ServerConnection], Awaitable[None]]
KINDS = {"fast": FastSession, "plain": PlainSession}


@pytest.fixture(autouse=True, params=list(KINDS))
def session_kind(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the test over one session implementation (before any client connects)."""
    kind: str = request.param
    monkeypatch.setenv(TRANSPORT_ENV, kind)
    return kind


@pytest.fixture
async def peer() -> AsyncIterator[Callable[[Script], Awaitable[str]]]:
    """Start a websockets server that runs a script on its one connection; yields its URL."""
    servers: list[ws_server.Server] = []

    async def start(script: Script) -> str:
        server = await ws_server.serve(script, "127.0.0.1", 0, compression=None, close_timeout=0.5)
        servers.append(server)
        return f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/"

    yield start
    for server in servers:
        server.close()
        await server.wait_closed()


async def run_session(
    url: str, body: Callable[[WireSession, list[str]], Awaitable[None]], limit: int = 1 << 20
) -> list[str]:
    got: list[str] = []
    session = await open_session(
        url,
        on_text=got.append,
        max_message_bytes=limit,
        headers={},
        open_timeout=5.0,
        ssl_context=None,
    )
    kind = next(k for k, cls in KINDS.items() if isinstance(session, cls))
    assert kind == os.environ[TRANSPORT_ENV]
    try:
        await body(session, got)
    finally:
        await session.close()
    return got


async def until_closed(session: WireSession) -> str:
    """Messages go to the callback; ``wait_closed()`` only reports how the session ends."""
    async with asyncio.timeout(10):  # a guard: the peer closes long before this
        return await session.wait_closed()


@pytest.mark.anyio
async def test_messages_fragments_and_bytes_reach_the_sink_whole_and_in_order(
    peer: Callable[[Script], Awaitable[str]],
) -> None:
    async def script(ws: ws_server.ServerConnection) -> None:
        await ws.send("one")
        await ws.send(iter(["tw", "o-", "parts"]))  # one message in three fragments
        await ws.send("ünï".encode())  # a binary frame holding UTF-8
        await ws.send(iter([b"\xc3", b"\xbc!"]))  # binary fragments that split a character
        await ws.close(1001, "bye")

    async def body(session: WireSession, _: list[str]) -> None:
        reason = await until_closed(session)
        assert "1001" in reason and "bye" in reason
        assert session.closed

    got = await run_session(await peer(script), body)
    assert got == ["one", "two-parts", "ünï", "ü!"]


@pytest.mark.anyio
async def test_server_pings_are_answered(peer: Callable[[Script], Awaitable[str]]) -> None:
    answered = asyncio.Event()

    async def script(ws: ws_server.ServerConnection) -> None:
        pong = await ws.ping(b"are-you-there")  # resolves when the client's pong arrives
        try:
            async with asyncio.timeout(10):
                await pong
            answered.set()
        except TimeoutError:
            pass
        await ws.close()

    await run_session(await peer(script), lambda s, _: until_closed(s))
    assert answered.is_set()


@pytest.mark.anyio
async def test_a_message_over_the_limit_ends_the_session_even_in_fragments(
    peer: Callable[[Script], Awaitable[str]],
) -> None:
    async def script(ws: ws_server.ServerConnection) -> None:
        await ws.send("small")
        await ws.send(iter(["x" * 60, "x" * 60]))  # each fragment fits, the message does not
        await ws.wait_closed()

    async def body(session: WireSession, got: list[str]) -> None:
        assert "max_frame_bytes=100" in await until_closed(session)
        assert got == ["small"]
        with pytest.raises(SessionClosedError):
            await session.send_texts(["after"])

    await run_session(await peer(script), body, limit=100)


@pytest.mark.anyio
async def test_send_texts_writes_every_frame_in_order(
    peer: Callable[[Script], Awaitable[str]],
) -> None:
    received: list[Any] = []

    async def script(ws: ws_server.ServerConnection) -> None:
        async for message in ws:
            received.append(message)
            if len(received) == 3:
                await ws.close()

    async def body(session: WireSession, _: list[str]) -> None:
        await session.send_texts(["a", "b"])
        await session.send_texts(["c"])
        await until_closed(session)

    await run_session(await peer(script), body)
    assert received == ["a", "b", "c"]


@pytest.mark.anyio
async def test_close_is_idempotent_and_later_writes_fail_as_not_sent(
    peer: Callable[[Script], Awaitable[str]],
) -> None:
    closed_with: list[int | None] = []
    peer_done = asyncio.Event()

    async def script(ws: ws_server.ServerConnection) -> None:
        await ws.wait_closed()
        closed_with.append(ws.close_code)
        peer_done.set()

    async def body(session: WireSession, _: list[str]) -> None:
        await session.close(1000, "done")
        await session.close()
        assert session.closed
        assert "closed by the client" in await session.wait_closed()
        with pytest.raises(SessionClosedError):
            await session.send_texts(["late"])

    await run_session(await peer(script), body)
    async with asyncio.timeout(10):
        await peer_done.wait()
    assert closed_with == [1000]


@pytest.mark.anyio
async def test_a_refused_upgrade_keeps_its_http_status(server: LocalServer) -> None:
    with pytest.raises(UpgradeRejectedError) as caught:
        await open_session(
            server.url.replace("/v5/trade", "/no-such-path"),
            on_text=print,
            max_message_bytes=1024,
            headers={},
            open_timeout=5.0,
            ssl_context=None,
        )
    assert caught.value.status_code == 404
    assert "HTTP 404" in str(caught.value)


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ws://127.0.0.1:1/", "cannot connect to ws://127.0.0.1:1/"),
        ("ftp://127.0.0.1/", "not a usable WebSocket URL"),
    ],
)
async def test_a_failed_connect_says_why(url: str, message: str) -> None:
    with pytest.raises(TransportConnectError, match=message):
        await open_session(
            url,
            on_text=print,
            max_message_bytes=1024,
            headers={},
            open_timeout=5.0,
            ssl_context=None,
        )
    left = [t for t in asyncio.all_tasks() if t.get_name().startswith("bybit-wsapi")]
    assert left == []  # nothing left running


# -- the connection's write paths -----------------------------------------------------------


@pytest.mark.anyio
async def test_requests_reach_the_server_in_call_order_whoever_writes_them(
    client: WebsocketAPIClient, server: LocalServer
) -> None:
    ws = client.get_ws_client()
    key = WS_KEY_MAP.v5_private_trade
    # a burst: the first is written by its awaiting task, the rest queue for the writer
    burst = [ws.send_ws_api_request(key, "order.create", order(f"b-{i}")) for i in range(600)]
    await asyncio.gather(*burst)
    # one at a time: each written by its awaiting task
    for i in range(5):
        await client.submit_new_order(order(f"s-{i}"))
    # concurrent tasks: written by themselves or batched by the writer
    await asyncio.gather(*(client.submit_new_order(order(f"t-{i}")) for i in range(300)))
    sent = [r.params["orderLinkId"] for r in server.received]
    expected = [f"b-{i}" for i in range(600)] + [f"s-{i}" for i in range(5)]
    assert sent == expected + [f"t-{i}" for i in range(300)]


@pytest.mark.anyio
async def test_a_request_nobody_awaits_is_still_sent(
    client: WebsocketAPIClient, server: LocalServer
) -> None:
    ws = client.get_ws_client()
    ws.send_ws_api_request(WS_KEY_MAP.v5_private_trade, "order.create", order("unawaited"))
    [received] = await server.wait_received(1)
    assert received.params["orderLinkId"] == "unawaited"


@pytest.mark.anyio
async def test_a_caller_cancelled_while_writing_leaves_the_line_usable(
    client: WebsocketAPIClient, server: LocalServer
) -> None:
    task = asyncio.ensure_future(client.submit_new_order(order("cancelled")))
    await asyncio.sleep(0)  # the task starts its write, which yields to the loop once
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    reply = await client.submit_new_order(order("after"))
    assert reply["data"]["orderLinkId"] == "after"
    assert [r.params["orderLinkId"] for r in server.received][-1] == "after"


@pytest.mark.anyio
async def test_a_call_made_after_close_is_not_sent(
    client: WebsocketAPIClient, server: LocalServer
) -> None:
    await client.close()
    with pytest.raises(RequestNotSentError, match="closed"):
        await client.submit_new_order(order("late"))
    assert server.received == []


def test_wss_connections_verify_certificates_with_one_shared_context() -> None:
    import ssl

    from bybit_wsapi.supervisor import tls_context as _tls_context

    context = _tls_context()
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname
    assert _tls_context() is context  # built once per process, not per (re)connect


@pytest.mark.anyio
async def test_a_peer_that_stops_reading_cannot_outlast_a_call_or_the_heartbeat(
    peer: Callable[[Script], Awaitable[str]],
) -> None:
    import json

    from bybit_wsapi import RequestTimeoutError

    async def script(ws: ws_server.ServerConnection) -> None:
        auth = json.loads(await ws.recv())
        reply = {"reqId": auth["reqId"], "retCode": 0, "retMsg": "OK", "op": "auth", "connId": "c"}
        await ws.send(json.dumps(reply))
        ws.transport.pause_reading()  # alive, but takes nothing more: the client's writes block
        await ws.wait_closed()

    client = WebsocketAPIClient(
        key="k",
        secret="s",
        ws_url=await peer(script),
        attach_event_listeners=False,
        ping_interval=0.5,
        pong_timeout=0.5,
        reconnect_initial_delay=30.0,
        max_frame_bytes=64 * 1024 * 1024,  # the huge order below is not refused as too big
    )
    ws = client.get_ws_client()
    reconnecting = asyncio.Event()
    ws.on("reconnect", lambda _: reconnecting.set())
    try:
        await client.connect()
        huge = order("x" * 32_000_000)  # more than the socket buffers hold: the write blocks
        async with asyncio.timeout(20):  # a guard: the call must settle long before this
            with pytest.raises(RequestTimeoutError) as caught:
                await client.submit_new_order(huge, timeout=0.3)
            assert caught.value.outcome == "unknown"  # part of it may have left
            assert ws.is_connected  # it settled at its timeout, not when the session gave up
            await reconnecting.wait()  # the heartbeat could not send its ping either
    finally:
        await client.close()
