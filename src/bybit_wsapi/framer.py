"""A sans-I/O RFC 6455 client framer: bytes from the server in, messages and frames to send out.

:meth:`ClientFramer.feed` parses what the server sent and returns the complete messages (text,
or binary decoded as UTF-8) in order, then a :class:`Closed` if the session ended in that data.
Pings are answered and a peer's close is echoed through :attr:`ClientFramer.outgoing`, which the
owner of the socket writes after each ``feed``. Outgoing frames are masked, each with a fresh key
from ``os.urandom`` (drawn 4 KiB at a time). No extension is negotiated, so reserved bits are errors. Limits: a message may
not exceed ``max_message_bytes`` across its fragments (checked from each frame header, before the
payload is buffered), so the buffer holds at most one such message and one frame header.

Errors close with the RFC's codes: 1002 for protocol errors (masked server frames, reserved bits,
unknown opcodes, bad fragmentation or control frames, non-minimal lengths, invalid close codes),
1007 for text that is not UTF-8, 1009 for a message over the limit.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

__all__ = ["ClientFramer", "Closed", "State", "apply_mask", "encode_frame"]

OP_CONTINUATION, OP_TEXT, OP_BINARY = 0x0, 0x1, 0x2
OP_CLOSE, OP_PING, OP_PONG = 0x8, 0x9, 0xA
PROTOCOL_ERROR, INVALID_DATA, MESSAGE_TOO_BIG = 1002, 1007, 1009
NO_STATUS = 1005
"""The code a close frame without a payload stands for (never sent on the wire)."""


class State(Enum):
    OPEN = "open"
    CLOSING = "closing"
    """We sent a close frame and wait for the peer's."""
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class Closed:
    """The session is over (nothing more is parsed)."""

    code: int
    reason: str
    by_peer: bool
    """True: the peer sent a close frame (echoed unless we had sent ours); False: we failed the
    connection on bad data, and :attr:`ClientFramer.outgoing` holds our close frame."""


def apply_mask(data: bytes, mask: bytes) -> bytes:
    """``data`` XOR the 4-byte ``mask`` repeated (RFC 6455 §5.3); its own inverse."""
    size = len(data)
    if not size:
        return b""
    key = int.from_bytes((mask * (size // 4 + 1))[:size])
    return (int.from_bytes(data) ^ key).to_bytes(size)


def encode_frame(opcode: int, payload: bytes, mask: bytes) -> bytes:
    """One final, masked client frame."""
    size = len(payload)
    if size < 126:
        head = bytes((0x80 | opcode, 0x80 | size))
    elif size < 65536:
        head = bytes((0x80 | opcode, 0xFE)) + size.to_bytes(2, "big")
    else:
        head = bytes((0x80 | opcode, 0xFF)) + size.to_bytes(8, "big")
    return head + mask + apply_mask(payload, mask)


def _valid_close_code(code: int) -> bool:
    """Codes a peer may send (RFC 6455 §7.4; 1012-1014 registered by IANA since)."""
    return 1000 <= code <= 1003 or 1007 <= code <= 1014 or 3000 <= code <= 4999


class _FailError(Exception):
    def __init__(self, code: int, reason: str) -> None:
        self.code = code
        self.reason = reason


class ClientFramer:
    """The client side of one WebSocket connection, after the upgrade."""

    def __init__(self, max_message_bytes: int) -> None:
        self.max_message_bytes = max_message_bytes
        self.state = State.OPEN
        self.outgoing = bytearray()
        """Control frames owed to the peer (pongs, a close): write and clear after ``feed``."""
        self._buffer = bytearray()
        self._need = 0
        """Bytes the buffer must hold before parsing is worth retrying."""
        self._parts: list[bytes] = []
        self._opcode: int | None = None
        """The opcode of the fragmented message under way, if any."""
        self._size = 0
        self._keys = b""
        """Random bytes from ``os.urandom``, drawn in bulk and used 4 at a time as masking keys."""
        self._key_pos = 0

    # -- sending ---------------------------------------------------------------------------------

    def encode_texts(self, texts: Sequence[str]) -> bytes:
        """Text frames for ``texts``, in order, as one buffer."""
        if len(texts) == 1:
            return encode_frame(OP_TEXT, texts[0].encode(), self._mask_keys(1))
        keys = self._mask_keys(len(texts))
        return b"".join(
            [
                encode_frame(OP_TEXT, text.encode(), keys[4 * i : 4 * i + 4])
                for i, text in enumerate(texts)
            ]
        )

    def _mask_keys(self, count: int) -> bytes:
        """``count`` fresh 4-byte masking keys, concatenated."""
        size = 4 * count
        start = self._key_pos
        if start + size > len(self._keys):
            self._keys = os.urandom(max(4096, size))
            start = 0
        self._key_pos = start + size
        return self._keys[start : start + size]

    def close(self, code: int = 1000, reason: str = "") -> bytes:
        """Our close frame (then wait for the peer's); ``b""`` once a close was sent or seen."""
        if self.state is not State.OPEN:
            return b""
        self.state = State.CLOSING
        payload = code.to_bytes(2, "big") + reason.encode()[:123]
        return encode_frame(OP_CLOSE, payload, self._mask_keys(1))

    # -- receiving -------------------------------------------------------------------------------

    def feed(self, data: bytes) -> list[str | Closed]:
        """Parse ``data``; returns complete messages in order, last a :class:`Closed` if it ended."""
        if self.state is State.CLOSED:
            return []
        if self._buffer:
            self._buffer += data
            if len(self._buffer) < self._need:
                return []
            data = bytes(self._buffer)
            self._buffer.clear()
        events: list[str | Closed] = []
        try:
            self._parse(data, events)
        except _FailError as failure:
            self._fail(failure.code, failure.reason, events)
        return events

    def _parse(self, data: bytes, events: list[str | Closed]) -> None:
        pos = 0
        end_of_data = len(data)
        while end_of_data - pos >= 2:
            b0 = data[pos]
            b1 = data[pos + 1]
            if b1 & 0x80:
                raise _FailError(PROTOCOL_ERROR, "the server masked a frame")
            if b0 & 0x70:
                raise _FailError(PROTOCOL_ERROR, "reserved bits set without an extension")
            opcode = b0 & 0x0F
            size = b1 & 0x7F
            head = 2
            if size == 126:
                head = 4
                if end_of_data - pos < head:
                    break
                size = int.from_bytes(data[pos + 2 : pos + 4], "big")
                if size < 126:
                    raise _FailError(PROTOCOL_ERROR, "a frame length was not minimally encoded")
            elif size == 127:
                head = 10
                if end_of_data - pos < head:
                    break
                size = int.from_bytes(data[pos + 2 : pos + 10], "big")
                if size < 65536 or size >> 63:
                    raise _FailError(PROTOCOL_ERROR, "a frame length was not minimally encoded")
            self._check_header(opcode, bool(b0 & 0x80), size)
            end = pos + head + size
            if end > end_of_data:
                break
            payload = data[pos + head : end]
            pos = end
            if opcode == OP_TEXT and b0 & 0x80:  # the common case: a whole text message
                try:
                    events.append(payload.decode())
                except UnicodeDecodeError:
                    raise _FailError(INVALID_DATA, "a text message was not valid UTF-8") from None
            elif opcode >= OP_CLOSE:
                if self._control(opcode, payload, events):
                    return
            else:
                self._data(opcode, bool(b0 & 0x80), payload, events)
        if pos < end_of_data:
            self._buffer += data[pos:]
            self._need = self._frame_end(self._buffer) if end_of_data - pos >= 2 else 2

    @staticmethod
    def _frame_end(buffer: bytearray) -> int:
        """Bytes the first frame in ``buffer`` needs (its header's length, if that is whole)."""
        size = buffer[1] & 0x7F
        if size < 126:
            return 2 + size
        head = 4 if size == 126 else 10
        if len(buffer) < head:
            return head
        return head + int.from_bytes(buffer[2:head], "big")

    def _check_header(self, opcode: int, fin: bool, size: int) -> None:
        """Reject a frame from its header alone, before its payload is buffered."""
        if opcode >= OP_CLOSE:
            if opcode > OP_PONG:
                raise _FailError(PROTOCOL_ERROR, f"unknown opcode {opcode:#x}")
            if not fin:
                raise _FailError(PROTOCOL_ERROR, "a control frame was fragmented")
            if size > 125:
                raise _FailError(PROTOCOL_ERROR, "a control frame was over 125 bytes")
            return
        if opcode == OP_CONTINUATION:
            if self._opcode is None:
                raise _FailError(PROTOCOL_ERROR, "a continuation frame without a message")
        elif opcode in (OP_TEXT, OP_BINARY):
            if self._opcode is not None:
                raise _FailError(PROTOCOL_ERROR, "a new message inside a fragmented one")
        else:
            raise _FailError(PROTOCOL_ERROR, f"unknown opcode {opcode:#x}")
        if self._size + size > self.max_message_bytes:
            raise _FailError(
                MESSAGE_TOO_BIG,
                f"a message exceeded max_frame_bytes={self.max_message_bytes}",
            )

    def _data(self, opcode: int, fin: bool, payload: bytes, events: list[str | Closed]) -> None:
        if opcode != OP_CONTINUATION:
            self._opcode = opcode
        self._parts.append(payload)
        self._size += len(payload)
        if not fin:
            return
        whole = b"".join(self._parts)
        kind = self._opcode
        self._parts.clear()
        self._size = 0
        self._opcode = None
        if kind == OP_BINARY:
            events.append(whole.decode("utf-8", errors="replace"))
            return
        try:
            events.append(whole.decode())
        except UnicodeDecodeError:
            raise _FailError(INVALID_DATA, "a text message was not valid UTF-8") from None

    def _control(self, opcode: int, payload: bytes, events: list[str | Closed]) -> bool:
        """Handle a control frame; True if it closed the session."""
        if opcode == OP_PING:
            if self.state is State.OPEN:
                self.outgoing += encode_frame(OP_PONG, payload, self._mask_keys(1))
            return False
        if opcode == OP_PONG:
            return False
        if len(payload) == 1:
            raise _FailError(PROTOCOL_ERROR, "a close frame with a 1-byte payload")
        code = int.from_bytes(payload[:2], "big") if payload else NO_STATUS
        if payload and not _valid_close_code(code):
            raise _FailError(PROTOCOL_ERROR, f"invalid close code {code}")
        try:
            reason = payload[2:].decode()
        except UnicodeDecodeError:
            raise _FailError(INVALID_DATA, "a close reason was not valid UTF-8") from None
        if self.state is State.OPEN:
            echo = b"" if code == NO_STATUS else code.to_bytes(2, "big")
            self.outgoing += encode_frame(OP_CLOSE, echo, self._mask_keys(1))
        self.state = State.CLOSED
        events.append(Closed(code, reason, by_peer=True))
        return True

    def _fail(self, code: int, reason: str, events: list[str | Closed]) -> None:
        """Fail the connection: our close frame goes out, nothing more is parsed."""
        if self.state is State.OPEN:
            self.outgoing += encode_frame(
                OP_CLOSE, code.to_bytes(2, "big") + reason.encode()[:123], self._mask_keys(1)
            )
        self.state = State.CLOSED
        self._buffer.clear()
        self._parts.clear()
        events.append(Closed(code, reason, by_peer=False))
