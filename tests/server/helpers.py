"""Raw websockets clients for the server tests: frames in, parsed JSON out."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Mapping
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

from bybit_wsapi.auth import sign_auth
from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET

TIMEOUT = 5.0
"""Seconds to wait for an expected frame."""

_ids = itertools.count(1)


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def auth_frame(
    key: str = DEMO_API_KEY,
    secret: str = DEMO_API_SECRET,
    *,
    expires: int | str | None = None,
    req_id: str | None = None,
) -> dict[str, Any]:
    expires_ms = now_ms() + 10_000 if expires is None else expires
    frame: dict[str, Any] = {
        "op": "auth",
        "args": [key, expires_ms, sign_auth(secret, int(expires_ms))],
    }
    if req_id is not None:
        frame["reqId"] = req_id
    return frame


def order_frame(
    op: str, params: Mapping[str, Any], *, req_id: str | None = "auto", **header: Any
) -> dict[str, Any]:
    """A request frame; ``req_id="auto"`` picks a fresh one, ``None`` sends none."""
    frame: dict[str, Any] = {
        "header": {"X-BAPI-TIMESTAMP": str(now_ms()), **header},
        "op": op,
        "args": [dict(params)],
    }
    if req_id == "auto":
        req_id = f"r{next(_ids)}"
    if req_id is not None:
        frame["reqId"] = req_id
    return frame


def limit_order(link_id: str | None = None, **overrides: Any) -> dict[str, Any]:
    params: dict[str, Any] = {
        "category": "linear",
        "symbol": "BTCUSDT",
        "side": "Buy",
        "orderType": "Limit",
        "qty": "0.1",
        "price": "30000",
    }
    if link_id is not None:
        params["orderLinkId"] = link_id
    params.update(overrides)
    return params


async def open_ws(url: str, **kwargs: Any) -> ClientConnection:
    options: dict[str, Any] = {"compression": None, "ping_interval": None, **kwargs}
    return await connect(url, **options)


async def recv_json(ws: ClientConnection, timeout: float = TIMEOUT) -> Any:
    async with asyncio.timeout(timeout):
        message = await ws.recv()
    return json.loads(message)


async def call(ws: ClientConnection, frame: Any) -> Any:
    """Send a frame (JSON-encoded unless it is already str/bytes) and return the reply."""
    await ws.send(frame if isinstance(frame, str | bytes) else json.dumps(frame))
    return await recv_json(ws)


async def authed(
    url: str, key: str = DEMO_API_KEY, secret: str = DEMO_API_SECRET
) -> ClientConnection:
    ws = await open_ws(url)
    reply = await call(ws, auth_frame(key, secret))
    assert reply["retCode"] == 0, reply
    return ws


class RawClient:
    """A WebSocket client on a bare TCP stream, to see exactly which bytes the server writes."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    @classmethod
    async def connect(cls, url: str) -> RawClient:
        host_port, _, path = url.removeprefix("ws://").partition("/")
        host, _, port = host_port.rpartition(":")
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(
            (
                f"GET /{path} HTTP/1.1\r\nHost: {host_port}\r\nUpgrade: websocket\r\n"
                "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                "Sec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        async with asyncio.timeout(TIMEOUT):
            head = await reader.readuntil(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 101"), head
        return cls(reader, writer)

    def send_text(self, text: str) -> None:
        """One masked text frame (mask 0: the payload goes out as is)."""
        payload = text.encode()
        size = len(payload)
        if size < 126:
            head = bytes((0x81, 0x80 | size))
        else:
            head = bytes((0x81, 0x80 | 126)) + size.to_bytes(2, "big")
        self.writer.write(head + b"\0\0\0\0" + payload)

    async def read_frame(self) -> tuple[bool, int, bytes]:
        """``(fin, opcode, payload)`` of the next complete frame."""
        async with asyncio.timeout(TIMEOUT):
            first, second = await self.reader.readexactly(2)
            size = second & 0x7F
            if size == 126:
                size = int.from_bytes(await self.reader.readexactly(2), "big")
            elif size == 127:
                size = int.from_bytes(await self.reader.readexactly(8), "big")
            return bool(first & 0x80), first & 0x0F, await self.reader.readexactly(size)

    async def call(self, frame: Any) -> Any:
        self.send_text(json.dumps(frame))
        fin, opcode, payload = await self.read_frame()
        assert (fin, opcode) == (True, 1)
        return json.loads(payload)

    async def read_rest(self) -> bytes:
        """Everything until the server ends the TCP connection."""
        async with asyncio.timeout(TIMEOUT):
            return await self.reader.read()

    async def close(self) -> None:
        self.writer.close()
        await self.writer.wait_closed()


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into a JSON value (keys and indexes), the empty path first."""
    out = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            out += paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            out += paths(child, (*prefix, index))
    return out
