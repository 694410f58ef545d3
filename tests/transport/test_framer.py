"""The RFC 6455 client framer, purely: server bytes in, messages and client frames out."""

from __future__ import annotations

import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bybit_wsapi.framer import ClientFramer, Closed, State, apply_mask, encode_frame


def server_frame(
    opcode: int, payload: bytes, *, fin: bool = True, rsv: int = 0, length: bytes | None = None
) -> bytes:
    """A frame as a server sends it (unmasked); ``length`` overrides the length encoding."""
    first = bytes(((0x80 if fin else 0) | rsv << 4 | opcode,))
    if length is not None:
        return first + length + payload
    size = len(payload)
    if size < 126:
        return first + bytes((size,)) + payload
    if size < 65536:
        return first + bytes((126,)) + size.to_bytes(2, "big") + payload
    return first + bytes((127,)) + size.to_bytes(8, "big") + payload


def client_frames(data: bytes) -> list[tuple[int, bytes]]:
    """Parse what the client wrote: (opcode, unmasked payload); every frame final and masked."""
    frames = []
    pos = 0
    while pos < len(data):
        b0, b1 = data[pos], data[pos + 1]
        assert b0 & 0x80, "client frames here are never fragmented"
        assert b1 & 0x80, "client frames must be masked"
        size, pos = b1 & 0x7F, pos + 2
        if size == 126:
            size, pos = int.from_bytes(data[pos : pos + 2], "big"), pos + 2
        elif size == 127:
            size, pos = int.from_bytes(data[pos : pos + 8], "big"), pos + 8
        mask, pos = data[pos : pos + 4], pos + 4
        frames.append((b0 & 0x0F, apply_mask(data[pos : pos + size], mask)))
        pos += size
    return frames


def feed_all(framer: ClientFramer, data: bytes, cuts: list[int]) -> list[str | Closed]:
    """Feed ``data`` cut at ``cuts`` (positions), collecting every event."""
    events: list[str | Closed] = []
    last = 0
    for cut in [*sorted(set(cuts)), len(data)]:
        events += framer.feed(data[last:cut])
        last = cut
    return events


def fragments(payload: bytes, sizes: list[int], opcode: int) -> bytes:
    pieces = []
    rest = payload
    for size in sizes:
        if len(rest) <= size:
            break
        pieces.append(rest[:size])
        rest = rest[size:]
    pieces.append(rest)
    return b"".join(
        server_frame(opcode if i == 0 else 0, piece, fin=i == len(pieces) - 1)
        for i, piece in enumerate(pieces)
    )


# -- round trips ---------------------------------------------------------------------------------


@given(
    texts=st.lists(st.text(max_size=300), min_size=1, max_size=8),
    sizes=st.lists(st.integers(1, 40), max_size=6),
    cuts=st.lists(st.integers(0, 4000), max_size=10),
    ping=st.binary(max_size=125),
)
def test_messages_survive_any_fragmentation_chunking_and_interleaved_pings(
    texts: list[str], sizes: list[int], cuts: list[int], ping: bytes
) -> None:
    wire = b""
    for i, text in enumerate(texts):
        parts = fragments(text.encode(), sizes, opcode=1 if i % 2 == 0 else 2)
        wire += parts + server_frame(9, ping)  # a ping after each message
    # and one ping after the first frame of a fragmented message
    wire += fragments(b"fragmented-text", [3, 4], 1)[:5] + server_frame(9, ping)
    wire += fragments(b"fragmented-text", [3, 4], 1)[5:]
    framer = ClientFramer(max_message_bytes=10_000)
    events = feed_all(framer, wire, [c for c in cuts if c < len(wire)])
    assert events == [*texts, "fragmented-text"]
    assert client_frames(bytes(framer.outgoing)) == [(0xA, ping)] * (len(texts) + 1)


@given(texts=st.lists(st.text(max_size=70_000 // 4), max_size=4))
def test_client_frames_are_masked_final_text_frames(texts: list[str]) -> None:
    data = ClientFramer(1024).encode_texts(texts)
    assert client_frames(data) == [(1, text.encode()) for text in texts]


@given(data=st.binary(max_size=2000), mask=st.binary(min_size=4, max_size=4))
def test_masking_is_its_own_inverse(data: bytes, mask: bytes) -> None:
    masked = apply_mask(data, mask)
    assert len(masked) == len(data)
    assert apply_mask(masked, mask) == data
    assert masked == bytes(b ^ mask[i % 4] for i, b in enumerate(data))


def test_every_frame_gets_its_own_mask() -> None:
    data = ClientFramer(1024).encode_texts(["same"] * 8)
    masks = {data[i * 10 + 2 : i * 10 + 6] for i in range(8)}  # 2 header + 4 mask + 4 payload
    assert len(masks) > 1


@pytest.mark.parametrize("size", [125, 126, 65535, 65536, 200_000])
def test_every_length_encoding_parses(size: int) -> None:
    payload = os.urandom(size // 2).hex()[:size]
    framer = ClientFramer(max_message_bytes=1 << 20)
    assert framer.feed(server_frame(1, payload.encode())) == [payload]
    assert client_frames(encode_frame(1, payload.encode(), b"abcd")) == [(1, payload.encode())]


def test_binary_messages_are_decoded_as_utf8_with_replacement() -> None:
    framer = ClientFramer(100)
    assert framer.feed(server_frame(2, "ünï".encode())) == ["ünï"]
    assert framer.feed(server_frame(2, b"\xff ok")) == ["\ufffd ok"]
    # a character split across fragments survives
    assert framer.feed(server_frame(2, b"\xc3", fin=False) + server_frame(0, b"\xbc")) == ["ü"]


def test_pongs_are_ignored() -> None:
    framer = ClientFramer(100)
    assert framer.feed(server_frame(0xA, b"p") + server_frame(1, b"after")) == ["after"]
    assert framer.outgoing == b""


# -- closing -------------------------------------------------------------------------------------


def test_a_peer_close_is_echoed_and_ends_parsing() -> None:
    framer = ClientFramer(100)
    data = server_frame(1, b"last") + server_frame(8, (1001).to_bytes(2, "big") + b"bye")
    events = framer.feed(data + server_frame(1, b"ignored"))
    assert events == ["last", Closed(1001, "bye", by_peer=True)]
    assert client_frames(bytes(framer.outgoing)) == [(8, (1001).to_bytes(2, "big"))]
    assert framer.state is State.CLOSED
    assert framer.feed(server_frame(1, b"later")) == []
    assert framer.close() == b""


def test_a_close_without_status_is_echoed_empty() -> None:
    framer = ClientFramer(100)
    assert framer.feed(server_frame(8, b"")) == [Closed(1005, "", by_peer=True)]
    assert client_frames(bytes(framer.outgoing)) == [(8, b"")]


def test_our_close_waits_for_the_peers_and_is_not_echoed() -> None:
    framer = ClientFramer(100)
    frame = framer.close(1000, "done")
    assert client_frames(frame) == [(8, (1000).to_bytes(2, "big") + b"done")]
    assert framer.state is State.CLOSING
    assert framer.close() == b""  # once only
    # messages still in flight arrive; pings are no longer answered
    assert framer.feed(server_frame(1, b"late") + server_frame(9, b"")) == ["late"]
    assert framer.feed(server_frame(8, (1000).to_bytes(2, "big"))) == [
        Closed(1000, "", by_peer=True)
    ]
    assert framer.outgoing == b""
    assert framer.state is State.CLOSED


# -- errors --------------------------------------------------------------------------------------

CLOSE = 8
BAD_INPUTS = {
    "masked server frame": (bytes((0x81, 0x84)) + b"abcd" + b"wxyz", 1002),
    "reserved bit": (server_frame(1, b"x", rsv=4), 1002),
    "reserved bits 2 and 3": (server_frame(1, b"x", rsv=3), 1002),
    "reserved data opcode": (server_frame(3, b"x"), 1002),
    "reserved control opcode": (server_frame(0xB, b"x"), 1002),
    "continuation without a message": (server_frame(0, b"x"), 1002),
    "new message inside a fragmented one": (
        server_frame(1, b"a", fin=False) + server_frame(1, b"b"),
        1002,
    ),
    "fragmented ping": (server_frame(9, b"x", fin=False), 1002),
    "control frame over 125 bytes": (server_frame(9, b"x" * 126), 1002),
    "16-bit length below 126": (server_frame(1, b"x" * 5, length=b"\x7e\x00\x05"), 1002),
    "64-bit length below 65536": (
        server_frame(1, b"x" * 5, length=b"\x7f" + (5).to_bytes(8, "big")),
        1002,
    ),
    "64-bit length with the top bit set": (b"\x81\x7f" + (1 << 63).to_bytes(8, "big"), 1002),
    "close with a 1-byte payload": (server_frame(CLOSE, b"\x03"), 1002),
    "close code 999": (server_frame(CLOSE, (999).to_bytes(2, "big")), 1002),
    "close code 1005": (server_frame(CLOSE, (1005).to_bytes(2, "big")), 1002),
    "close code 1006": (server_frame(CLOSE, (1006).to_bytes(2, "big")), 1002),
    "close code 2999": (server_frame(CLOSE, (2999).to_bytes(2, "big")), 1002),
    "close code 5000": (server_frame(CLOSE, (5000).to_bytes(2, "big")), 1002),
    "close reason not UTF-8": (server_frame(CLOSE, (1000).to_bytes(2, "big") + b"\xff"), 1007),
    "text not UTF-8": (server_frame(1, b"ok \xff"), 1007),
    "fragmented text not UTF-8": (
        server_frame(1, b"\xc3", fin=False) + server_frame(0, b"(", fin=True),
        1007,
    ),
    "one frame over the limit (header only)": (b"\x81\x7e" + (200).to_bytes(2, "big"), 1009),
    "fragments over the limit together": (
        server_frame(1, b"x" * 60, fin=False) + server_frame(0, b"x" * 41),
        1009,
    ),
}


@pytest.mark.parametrize(("data", "code"), BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
@pytest.mark.parametrize("chunked", [False, True], ids=["whole", "byte-by-byte"])
def test_bad_input_fails_the_connection_with_the_rfc_code(
    data: bytes, code: int, chunked: bool
) -> None:
    framer = ClientFramer(max_message_bytes=100)
    before = framer.feed(server_frame(1, b"before"))
    events = feed_all(framer, data, list(range(len(data))) if chunked else [])
    assert before == ["before"]
    [closed] = events
    assert isinstance(closed, Closed)
    assert (closed.code, closed.by_peer) == (code, False)
    [(opcode, payload)] = client_frames(bytes(framer.outgoing))
    assert (opcode, int.from_bytes(payload[:2], "big")) == (CLOSE, code)
    assert payload[2:].decode() == closed.reason
    assert framer.state is State.CLOSED
    assert framer.feed(server_frame(1, b"after")) == []


def test_the_size_limit_names_the_option() -> None:
    framer = ClientFramer(max_message_bytes=100)
    [closed] = framer.feed(b"\x81\x7e" + (200).to_bytes(2, "big"))
    assert isinstance(closed, Closed)
    assert "max_frame_bytes=100" in closed.reason


def test_a_message_exactly_at_the_limit_passes_even_in_fragments() -> None:
    framer = ClientFramer(max_message_bytes=100)
    data = server_frame(1, b"x" * 60, fin=False) + server_frame(0, b"x" * 40)
    assert framer.feed(data) == ["x" * 100]
    assert framer.feed(server_frame(1, b"y" * 100)) == ["y" * 100]  # the count starts afresh
