"""Both session implementations against servers that misbehave on purpose, over ws:// and wss://,
and how :func:`open_session` chooses between them."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import logging
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
import trustme
import websockets.asyncio.server as ws_server

from bybit_wsapi import transport
from bybit_wsapi.netstream import WIRE_INFO, WireStream
from bybit_wsapi.transport import (
    TRANSPORT_ENV,
    SessionWriteError,
    TransportConnectError,
    WireSession,
    open_session,
)
from bybit_wsapi.transport_fast import FastSession
from bybit_wsapi.transport_plain import PlainSession

from .test_framer import client_frames, server_frame

KINDS = {"fast": FastSession, "plain": PlainSession}
Script = Callable[[ws_server.ServerConnection], Awaitable[None]]
RawScript = Callable[[asyncio.StreamReader, asyncio.StreamWriter, str], Awaitable[None]]


@pytest.fixture(params=list(KINDS))
def kind(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    name: str = request.param
    monkeypatch.setenv(TRANSPORT_ENV, name)
    return name


async def connect(
    url: str, got: list[str], *, ssl_context: ssl.SSLContext | None = None, limit: int = 1 << 20
) -> WireSession:
    return await open_session(
        url,
        on_text=got.append,
        max_message_bytes=limit,
        headers={"X-Test": "yes"},
        open_timeout=5.0,
        ssl_context=ssl_context,
    )


async def ended(session: WireSession) -> str:
    async with asyncio.timeout(10):  # a guard: every case here ends long before
        return await session.wait_closed()


@pytest.fixture
async def raw_server() -> AsyncIterator[Callable[[RawScript], Awaitable[str]]]:
    """A hand-written server: reads the upgrade request, then runs a script on the stream."""
    servers: list[asyncio.Server] = []

    async def start(script: RawScript) -> str:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            head = (await reader.readuntil(b"\r\n\r\n")).decode()
            key = next(
                line.split(":", 1)[1].strip()
                for line in head.split("\r\n")
                if line.lower().startswith("sec-websocket-key:")
            )
            accept = hashlib.sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode())
            await script(reader, writer, base64.b64encode(accept.digest()).decode())
            writer.close()

        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        servers.append(server)
        return f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/"

    yield start
    for server in servers:
        server.close()
        await server.wait_closed()


def upgraded(accept: str, extra: str = "") -> bytes:
    return (
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Accept: {accept}\r\n{extra}\r\n"
    ).encode()


@pytest.mark.anyio
async def test_frames_sent_with_the_101_are_not_lost(
    kind: str, raw_server: Callable[[RawScript], Awaitable[str]]
) -> None:
    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, a: str) -> None:
        writer.write(upgraded(a) + server_frame(1, b"first") + server_frame(1, b"second"))
        writer.write(server_frame(8, (1000).to_bytes(2, "big")))
        await reader.read(1)  # the client's close

    got: list[str] = []
    session = await connect(await raw_server(script), got)
    assert isinstance(session, KINDS[kind])
    await ended(session)
    await session.close()
    assert got == ["first", "second"]


BROKEN = {
    "reserved bits": (server_frame(1, b"x", rsv=4), 1002),
    "a masked frame": (bytes((0x81, 0x81)) + b"abcd" + b"x", 1002),
    "text that is not UTF-8": (server_frame(1, b"\xff"), 1007),
}


@pytest.mark.anyio
@pytest.mark.parametrize(("frame", "code"), BROKEN.values(), ids=BROKEN.keys())
async def test_the_fast_session_fails_a_broken_stream_with_the_rfc_code(
    monkeypatch: pytest.MonkeyPatch,
    raw_server: Callable[[RawScript], Awaitable[str]],
    frame: bytes,
    code: int,
) -> None:
    monkeypatch.setenv(TRANSPORT_ENV, "fast")
    answer: list[tuple[int, bytes]] = []

    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, a: str) -> None:
        writer.write(upgraded(a) + server_frame(1, b"fine") + frame)
        answer.extend(client_frames(await reader.read(200)))

    got: list[str] = []
    session = await connect(await raw_server(script), got)
    reason = await ended(session)
    await session.close()
    assert got == ["fine"]
    assert f"closed, {code}" in reason
    [(opcode, payload)] = answer
    assert (opcode, int.from_bytes(payload[:2], "big")) == (8, code)


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("extra", "accept", "message"),
    [
        ("", "bm90LXRoZS1yaWdodC1rZXk=", "Sec-WebSocket-Accept"),
        ("Sec-WebSocket-Extensions: permessage-deflate\r\n", None, "extension"),
    ],
    ids=["wrong accept", "unoffered extension"],
)
async def test_the_fast_session_checks_the_servers_handshake(
    monkeypatch: pytest.MonkeyPatch,
    raw_server: Callable[[RawScript], Awaitable[str]],
    extra: str,
    accept: str | None,
    message: str,
) -> None:
    monkeypatch.setenv(TRANSPORT_ENV, "fast")

    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, a: str) -> None:
        writer.write(upgraded(accept or a, extra))
        await reader.read(1)

    with pytest.raises(TransportConnectError, match=message):
        await connect(await raw_server(script), [])


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
async def tls_peer(ca: trustme.CA) -> AsyncIterator[Callable[[Script], Awaitable[str]]]:
    """A websockets server over TLS with a certificate for 127.0.0.1 from a throwaway CA."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    servers: list[ws_server.Server] = []

    async def start(script: Script) -> str:
        server = await ws_server.serve(
            script, "127.0.0.1", 0, ssl=context, compression=None, max_size=None
        )
        servers.append(server)
        return f"wss://127.0.0.1:{server.sockets[0].getsockname()[1]}/"

    yield start
    for server in servers:
        server.close()
        await server.wait_closed()


@pytest.mark.anyio
async def test_wss_sessions_exchange_messages_and_close(
    kind: str, ca: trustme.CA, tls_peer: Callable[[Script], Awaitable[str]]
) -> None:
    async def script(ws: ws_server.ServerConnection) -> None:
        async for message in ws:
            await ws.send(f"echo {message}")
            if message == "b":
                await ws.send(iter(["frag", "mented"]))
                await ws.close(4001, "bye")

    context = ssl.create_default_context()
    ca.configure_trust(context)
    got: list[str] = []
    session = await connect(await tls_peer(script), got, ssl_context=context)
    assert isinstance(session, KINDS[kind])
    await session.send_texts(["a", "b"])
    assert "4001" in await ended(session)
    await session.close()
    assert got == ["echo a", "echo b", "fragmented"]


@pytest.mark.anyio
async def test_a_tls_handshake_that_never_ends_times_out_and_leaves_no_socket(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the fast path's own TLS layer (the plain path's TLS is httpcore's and anyio's)
    monkeypatch.setenv(TRANSPORT_ENV, "fast")
    dropped = asyncio.Event()

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while await reader.read(65536):  # the ClientHello, never answered
            pass
        dropped.set()  # the client closed its socket
        writer.close()

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    url = f"wss://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
    with pytest.raises(TransportConnectError, match=r"timed out|within"):
        await open_session(
            url,
            on_text=[].append,
            max_message_bytes=1 << 20,
            headers={},
            open_timeout=0.2,
            ssl_context=ssl.create_default_context(),
        )
    async with asyncio.timeout(10):  # a guard: the socket is closed at once
        await dropped.wait()
    server.close()
    await server.wait_closed()


@pytest.mark.anyio
@pytest.mark.parametrize("scheme", ["ws", "wss"])
async def test_a_message_larger_than_a_read_arrives_whole(
    kind: str,
    scheme: str,
    ca: trustme.CA,
    peer: Callable[[Script], Awaitable[str]],
    tls_peer: Callable[[Script], Awaitable[str]],
) -> None:
    big = "".join(chr(0x41 + i % 26) for i in range(1_000_000))  # about 4 socket reads

    async def script(ws: ws_server.ServerConnection) -> None:
        await ws.send(big)
        await ws.send("after")
        await ws.close(4001, "bye")

    context = ssl.create_default_context()
    ca.configure_trust(context)
    got: list[str] = []
    url = await (tls_peer if scheme == "wss" else peer)(script)
    session = await connect(url, got, ssl_context=context, limit=2_000_000)
    assert "4001" in await ended(session)
    await session.close()
    assert got == [big, "after"]


@pytest.mark.anyio
async def test_an_untrusted_certificate_fails_the_connect(
    kind: str, tls_peer: Callable[[Script], Awaitable[str]]
) -> None:
    async def script(ws: ws_server.ServerConnection) -> None:
        await ws.wait_closed()

    with pytest.raises(TransportConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        await connect(await tls_peer(script), [], ssl_context=ssl.create_default_context())


@pytest.fixture
async def peer() -> AsyncIterator[Callable[[Script], Awaitable[str]]]:
    servers: list[ws_server.Server] = []

    async def start(script: Script) -> str:
        server = await ws_server.serve(script, "127.0.0.1", 0, compression=None, max_size=None)
        servers.append(server)
        return f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/"

    yield start
    for server in servers:
        server.close()
        await server.wait_closed()


HUGE = "x" * 32_000_000
"""More than loopback socket buffers hold: a write of it must wait for the peer to read."""


@pytest.mark.anyio
async def test_a_write_waits_while_the_peer_reads_nothing_then_completes(
    kind: str, peer: Callable[[Script], Awaitable[str]]
) -> None:
    reading = asyncio.Event()
    sizes: list[int] = []

    async def script(ws: ws_server.ServerConnection) -> None:
        ws.transport.pause_reading()
        await reading.wait()
        ws.transport.resume_reading()
        sizes.append(len(await ws.recv()))
        await ws.close()

    session = await connect(await peer(script), [])
    write = asyncio.ensure_future(session.send_texts([HUGE]))
    for _ in range(50):
        await asyncio.sleep(0)
    assert not write.done()  # the socket took what it could; the rest waits for the peer
    reading.set()
    async with asyncio.timeout(20):
        await write
    await ended(session)
    await session.close()
    assert sizes == [len(HUGE)]


@pytest.mark.anyio
async def test_try_send_writes_at_once_only_while_the_socket_takes_data(
    kind: str, peer: Callable[[Script], Awaitable[str]]
) -> None:
    reading = asyncio.Event()
    got: list[str] = []
    fast = kind == "fast"  # httpx-ws writes in a coroutine: the plain session never writes here
    expected = ["first", "xxxxx", "last"] if fast else ["xxxxx", "last"]

    async def script(ws: ws_server.ServerConnection) -> None:
        ws.transport.pause_reading()
        await reading.wait()
        ws.transport.resume_reading()
        async for message in ws:
            got.append(str(message)[:5])
            if len(got) == len(expected):
                break
        await ws.close()

    session = await connect(await peer(script), [])
    assert session.try_send(["first"]) is fast
    big = asyncio.ensure_future(session.send_texts([HUGE]))
    for _ in range(50):
        await asyncio.sleep(0)
    assert not big.done()
    assert session.try_send(["refused"]) is False  # the buffer is full: nothing is written
    reading.set()
    async with asyncio.timeout(20):
        await big
    await session.send_texts(["last"])
    await ended(session)
    assert session.try_send(["late"]) is False  # ended: nothing is written
    await session.close()
    assert got == expected


@pytest.mark.anyio
async def test_a_write_waiting_when_the_session_ends_fails_as_possibly_sent(
    kind: str, peer: Callable[[Script], Awaitable[str]]
) -> None:
    stuck = asyncio.Event()

    async def script(ws: ws_server.ServerConnection) -> None:
        ws.transport.pause_reading()
        await stuck.wait()
        ws.transport.abort()

    session = await connect(await peer(script), [])
    write = asyncio.ensure_future(session.send_texts([HUGE]))
    for _ in range(50):
        await asyncio.sleep(0)
    stuck.set()
    with pytest.raises(SessionWriteError):
        async with asyncio.timeout(20):
            await write
    await ended(session)
    await session.close()


@pytest.mark.anyio
async def test_the_fast_path_falls_back_to_plain_once_its_stream_is_not_ours(
    monkeypatch: pytest.MonkeyPatch,
    peer: Callable[[Script], Awaitable[str]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv(TRANSPORT_ENV, "fast")
    monkeypatch.setattr(transport, "_fast_unavailable", [])
    original = WireStream.get_extra_info

    def hide_ours(self: WireStream, info: str) -> object:
        return None if info == WIRE_INFO else original(self, info)

    monkeypatch.setattr(WireStream, "get_extra_info", hide_ours)

    async def script(ws: ws_server.ServerConnection) -> None:
        await ws.send("hello")
        await ws.wait_closed()

    url = await peer(script)
    for _ in range(2):
        got: list[str] = []
        session = await connect(url, got)
        assert isinstance(session, PlainSession)
        await session.close()
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "plain httpx-ws session" in warnings[0].getMessage()


@pytest.mark.anyio
async def test_an_environment_proxy_is_honoured_by_taking_the_plain_path(
    monkeypatch: pytest.MonkeyPatch, peer: Callable[[Script], Awaitable[str]]
) -> None:
    async def script(ws: ws_server.ServerConnection) -> None:
        await ws.wait_closed()

    url = await peer(script)
    monkeypatch.setenv(TRANSPORT_ENV, "fast")
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ALL_PROXY", "http://127.0.0.1:1")  # nothing listens: the proxy fails
    with pytest.raises(TransportConnectError, match="cannot connect"):
        await connect(url, [])
    monkeypatch.delenv("ALL_PROXY")
    session = await connect(url, [])  # without it, the same URL works
    assert isinstance(session, FastSession)
    await session.close()


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", [("asyncio", {"use_uvloop": True})], ids=["uvloop"])
@pytest.mark.parametrize("scheme", ["ws", "wss"])
async def test_the_fast_session_works_on_uvloop(
    monkeypatch: pytest.MonkeyPatch,
    ca: trustme.CA,
    peer: Callable[[Script], Awaitable[str]],
    tls_peer: Callable[[Script], Awaitable[str]],
    scheme: str,
) -> None:
    import uvloop

    assert isinstance(asyncio.get_running_loop(), uvloop.Loop)
    monkeypatch.setenv(TRANSPORT_ENV, "fast")

    async def script(ws: ws_server.ServerConnection) -> None:
        async for message in ws:
            await ws.send(iter([f"echo {len(message)}", ""]))
            if len(message) == 1:
                await ws.close(4001, "bye")

    context = ssl.create_default_context()
    ca.configure_trust(context)
    url = await (tls_peer if scheme == "wss" else peer)(script)
    got: list[str] = []
    session = await connect(url, got, ssl_context=context)
    assert isinstance(session, FastSession)
    await session.send_texts([HUGE[:5_000_000], "x"])  # over the write buffer's high-water mark
    assert "4001" in await ended(session)
    await session.close()
    assert got == ["echo 5000000", "echo 1"]


@pytest.mark.anyio
async def test_closing_while_the_peer_reads_nothing_drops_the_socket_at_once(
    monkeypatch: pytest.MonkeyPatch, peer: Callable[[Script], Awaitable[str]]
) -> None:
    monkeypatch.setenv(TRANSPORT_ENV, "fast")
    closed = asyncio.Event()
    dropped = asyncio.Event()

    async def script(ws: ws_server.ServerConnection) -> None:
        ws.transport.pause_reading()
        await closed.wait()
        ws.transport.resume_reading()  # now it sees the socket's end
        await ws.wait_closed()
        dropped.set()

    session = await connect(await peer(script), [])
    write = asyncio.ensure_future(session.send_texts([HUGE]))
    for _ in range(50):
        await asyncio.sleep(0)
    assert not write.done()
    await session.close()
    closed.set()
    assert "not reading" in await session.wait_closed()
    with pytest.raises(SessionWriteError):
        await write
    async with asyncio.timeout(10):
        await dropped.wait()
