"""The TLS layer of the fast path's streams, against an in-memory TLS server and a fake socket."""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from typing import Any

import pytest
import trustme

from bybit_wsapi.transport_tls import TLSLayer


class FakeTCP(asyncio.Transport):
    """An asyncio TCP transport that records what is written and how it was ended."""

    def __init__(self) -> None:
        super().__init__()
        self.protocol: Any = None
        self.written: list[bytes] = []
        self.closed = self.aborted = False
        self.reading = True

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        self.protocol = protocol

    def get_protocol(self) -> asyncio.BaseProtocol:
        protocol: asyncio.BaseProtocol = self.protocol
        return protocol

    def write(self, data: Any) -> None:
        self.written.append(bytes(data))

    def close(self) -> None:
        self.closed = True

    def abort(self) -> None:
        self.aborted = True

    def is_closing(self) -> bool:
        return self.closed or self.aborted

    def pause_reading(self) -> None:
        self.reading = False

    def resume_reading(self) -> None:
        self.reading = True

    def is_reading(self) -> bool:
        return self.reading

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"peername": ("127.0.0.1", 443)}.get(name, default)

    def take(self) -> bytes:
        data = b"".join(self.written)
        self.written.clear()
        return data


class App(asyncio.Protocol):
    """The protocol above the TLS layer: records what reaches it."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.eof = False
        self.lost: list[Exception | None] = []
        self.paused: list[bool] = []

    def data_received(self, data: bytes) -> None:
        self.chunks.append(data)

    def eof_received(self) -> bool | None:
        self.eof = True
        return None

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost.append(exc)

    def pause_writing(self) -> None:
        self.paused.append(True)

    def resume_writing(self) -> None:
        self.paused.append(False)


class Peer:
    """A TLS server over memory BIOs."""

    def __init__(self, context: ssl.SSLContext) -> None:
        self.incoming = ssl.MemoryBIO()
        self.outgoing = ssl.MemoryBIO()
        self.tls = context.wrap_bio(self.incoming, self.outgoing, server_side=True)
        self.shaken = False
        self.got = b""
        self.ended = False

    def receive(self, data: bytes) -> bytes:
        """Take what the client wrote; return what the server answers (handshake, alerts)."""
        self.incoming.write(data)
        try:
            if not self.shaken:
                self.tls.do_handshake()
                self.shaken = True
            while chunk := self.tls.read(65536):
                self.got += chunk
            self.ended = True  # an empty read: the client's close_notify
        except ssl.SSLWantReadError:
            pass
        return self.outgoing.read()

    def send(self, data: bytes) -> bytes:
        self.tls.write(data)
        return self.outgoing.read()


def feed(layer: TLSLayer, data: bytes, step: int | None = None) -> None:
    """Hand ``data`` to the layer as the socket would, ``step`` bytes per read."""
    step = step or len(data)
    for start in range(0, len(data), step):
        chunk = data[start : start + step]
        buffer = layer.get_buffer(-1)
        buffer[: len(chunk)] = chunk
        layer.buffer_updated(len(chunk))


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


def server_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    return context


def client_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


async def handshake(
    ca: trustme.CA, context: ssl.SSLContext | None = None
) -> tuple[TLSLayer, FakeTCP, App, Peer]:
    tcp, app, peer = FakeTCP(), App(), Peer(server_context(ca))
    layer = TLSLayer(tcp, app, context or client_context(ca), "127.0.0.1")
    done = asyncio.ensure_future(layer.handshake())
    for _ in range(10):  # the handshake's round trips, the fake socket moved by hand
        await asyncio.sleep(0)
        if done.done():
            break
        answer = peer.receive(tcp.take())
        if answer:
            feed(layer, answer)
    await done
    feed(layer, peer.receive(tcp.take()))  # TLS 1.3: the server's session tickets
    return layer, tcp, app, peer


@pytest.mark.anyio
async def test_each_write_is_one_socket_write_and_every_chunking_reads_the_same(
    ca: trustme.CA,
) -> None:
    layer, tcp, app, peer = await handshake(ca)
    assert tcp.protocol is layer
    layer.write(b'{"op":"order.create"}')
    layer.write(b"")  # nothing: no empty record
    assert len(tcp.written) == 1
    peer.receive(tcp.take())
    assert peer.got == b'{"op":"order.create"}'

    messages = [bytes([65 + i]) * 300 for i in range(3)] + [b"z" * 40_000]  # 6 records
    for step in (None, 1, 7, 1000, 16_389):
        app.chunks.clear()
        feed(layer, b"".join(peer.send(m) for m in messages), step)
        assert b"".join(app.chunks) == b"".join(messages)
        if step is None:  # whole records in one read reach the protocol as one chunk
            assert len(app.chunks) == 1
    assert not app.eof and not app.lost and not tcp.is_closing()


@pytest.mark.anyio
async def test_close_sends_close_notify_then_closes_and_later_writes_go_nowhere(
    ca: trustme.CA,
) -> None:
    layer, tcp, app, peer = await handshake(ca)
    layer.write(b"last")
    layer.close()
    layer.close()
    assert tcp.closed and layer.is_closing()
    peer.receive(tcp.take())
    assert peer.got == b"last" and peer.ended
    layer.write(b"after")
    assert tcp.written == []
    layer.connection_lost(None)
    assert app.lost == [None]


@pytest.mark.anyio
async def test_the_peers_close_notify_is_the_end_of_the_data(ca: trustme.CA) -> None:
    layer, tcp, app, peer = await handshake(ca)
    last = peer.send(b"bye")
    with contextlib.suppress(ssl.SSLWantReadError):
        peer.tls.unwrap()
    feed(layer, last + peer.outgoing.read())
    assert app.chunks == [b"bye"] and app.eof and tcp.closed
    layer.connection_lost(None)
    assert app.lost == [None]


@pytest.mark.anyio
async def test_the_socket_ending_without_close_notify_is_the_end_of_the_data(
    ca: trustme.CA,
) -> None:
    layer, _tcp, app, _peer = await handshake(ca)
    assert layer.eof_received() is None  # the socket transport closes itself
    assert app.eof
    error = ConnectionResetError("reset")
    layer.connection_lost(error)
    assert app.lost == [error]


@pytest.mark.anyio
async def test_a_corrupt_record_drops_the_connection_with_the_tls_error(ca: trustme.CA) -> None:
    layer, tcp, app, peer = await handshake(ca)
    record = bytearray(peer.send(b"x" * 100))
    record[-1] ^= 0xFF
    feed(layer, bytes(record))
    assert tcp.aborted and app.chunks == []
    assert len(app.lost) == 1 and isinstance(app.lost[0], ssl.SSLError)
    layer.connection_lost(None)  # the socket's own end follows: reported once
    assert len(app.lost) == 1


@pytest.mark.anyio
async def test_an_untrusted_certificate_fails_the_handshake_and_aborts_the_socket(
    ca: trustme.CA,
) -> None:
    with pytest.raises(ssl.SSLCertVerificationError):
        await handshake(ca, ssl.create_default_context())


@pytest.mark.anyio
async def test_the_socket_lost_during_the_handshake_fails_it(ca: trustme.CA) -> None:
    tcp, app = FakeTCP(), App()
    layer = TLSLayer(tcp, app, client_context(ca), "127.0.0.1")
    done = asyncio.ensure_future(layer.handshake())
    await asyncio.sleep(0)
    assert tcp.written  # the ClientHello
    layer.connection_lost(None)
    with pytest.raises(ConnectionResetError):
        await done
    assert tcp.aborted and app.lost == []


class _HeldWrite(ssl.SSLObject):
    """An SSLObject whose next write must first read (as while a TLS 1.2 peer renegotiates)."""

    hold = False

    def write(self, data: Any) -> int:
        if _HeldWrite.hold:
            _HeldWrite.hold = False
            raise ssl.SSLWantReadError("held")
        return super().write(data)


@pytest.mark.anyio
async def test_a_write_that_must_wait_for_the_peer_goes_out_in_order_after_its_next_record(
    ca: trustme.CA,
) -> None:
    context = client_context(ca)
    context.sslobject_class = _HeldWrite
    layer, tcp, _app, peer = await handshake(ca, context)
    _HeldWrite.hold = True
    layer.write(b"one ")
    layer.write(b"two ")
    assert tcp.written == []
    feed(layer, peer.send(b"anything"))
    layer.write(b"three")
    peer.receive(tcp.take())
    assert peer.got == b"one two three"


@pytest.mark.anyio
async def test_the_layer_passes_flow_control_and_connection_facts_through(
    ca: trustme.CA,
) -> None:
    layer, tcp, app, _peer = await handshake(ca)
    layer.pause_writing()
    layer.resume_writing()
    assert app.paused == [True, False]
    layer.pause_reading()
    assert not tcp.reading and not layer.is_reading()
    layer.resume_reading()
    assert tcp.reading
    tls = layer.get_extra_info("ssl_object")
    assert isinstance(tls, ssl.SSLObject) and tls.version() in ("TLSv1.2", "TLSv1.3")
    assert layer.get_extra_info("peercert")["subjectAltName"] == (("IP Address", "127.0.0.1"),)
    assert layer.get_extra_info("cipher") == tls.cipher()
    assert layer.get_extra_info("peername") == ("127.0.0.1", 443)
    other = App()
    layer.set_protocol(other)
    assert layer.get_protocol() is other
