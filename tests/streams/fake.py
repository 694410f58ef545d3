"""A scripted fake Bybit for stream tests: a tiny websockets server on 127.0.0.1.

Every path is served (``/v5/public/{category}``, ``/v5/private``) in its documented dialect
(§2.3-§2.6): acks echo ``req_id``, pongs have each stream's shape, ``auth`` succeeds. A test
scripts the rest: ``replies`` (a hook that may answer a subscribe its own way), ``push`` to every
connection of a path, ``drop`` them (the client must reconnect), and reads ``received``.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from websockets.asyncio.server import ServerConnection, serve

Reply = Callable[[str, dict[str, Any]], list[dict[str, Any]] | None]
"""``(path, frame) -> replies`` (``None``: the default answer)."""


def dialect(path: str) -> str:
    return path.rsplit("/", 1)[-1] if "/public/" in path else "private"


def ack(
    path: str, frame: dict[str, Any], success: bool = True, ret_msg: str = ""
) -> dict[str, Any]:
    """The success (or failure) ack of ``frame`` in the dialect of ``path``."""
    kind = dialect(path)
    if kind == "option" and success:
        topics = frame.get("args", [])
        return {
            "success": True,
            "conn_id": "opt-1",
            "data": {"failTopics": [], "successTopics": topics},
            "type": "COMMAND_RESP",
        }
    reply: dict[str, Any] = {
        "success": success,
        "ret_msg": ret_msg,
        "conn_id": "c-1",
        "op": frame["op"],
    }
    if kind == "spot" and success:
        reply["ret_msg"] = frame["op"]
    if kind in ("linear", "inverse"):
        reply["req_id"] = frame.get("req_id", "")
    elif "req_id" in frame:
        reply["req_id"] = frame["req_id"]
    return reply


def pong(path: str, frame: dict[str, Any]) -> dict[str, Any]:
    kind = dialect(path)
    if kind == "spot":
        return {"success": True, "ret_msg": "pong", "conn_id": "c", "op": "ping"}
    if kind in ("linear", "inverse"):
        return {
            "success": True,
            "ret_msg": "pong",
            "conn_id": "c",
            "req_id": frame.get("req_id", ""),
            "op": "ping",
        }
    if kind == "option":
        return {"args": ["1672916271846"], "op": "pong"}
    return {
        "req_id": frame.get("req_id", ""),
        "op": "pong",
        "args": ["1675418560633"],
        "conn_id": "c",
    }


class FakeBybit:
    """The fake server; ``url`` is its base (``ws://127.0.0.1:port``)."""

    def __init__(self) -> None:
        self.url = ""
        self.received: list[tuple[str, dict[str, Any]]] = []
        self.connections: dict[str, list[ServerConnection]] = {}
        self.opened: dict[str, int] = {}
        self.replies: Reply = lambda path, frame: None
        self.on_subscribed: Callable[[str, list[str]], list[dict[str, Any]]] = lambda path, topics: []
        """Hook: what to push right after a successful subscribe (e.g. a book snapshot)."""
        self.answer_pings = True
        self.auth_ok = True
        self.changed = asyncio.Event()

    def frames(self, path: str, op: str | None = None) -> list[dict[str, Any]]:
        return [f for p, f in self.received if p == path and (op is None or f.get("op") == op)]

    async def wait(self, predicate: Callable[[], bool]) -> None:
        """Until ``predicate()`` holds (checked after every received frame or connection)."""
        async with asyncio.timeout(5):
            while not predicate():
                self.changed.clear()
                await self.changed.wait()

    async def push(self, path: str, message: dict[str, Any]) -> None:
        for ws in list(self.connections.get(path, ())):
            await ws.send(json.dumps(message))

    async def drop(self, path: str) -> None:
        for ws in list(self.connections.get(path, ())):
            ws.transport.abort()  # no close handshake: as a network drop

    async def handle(self, ws: ServerConnection) -> None:
        """Serve one connection (the `serve` handler): track it, answer its frames."""
        path = ws.request.path if ws.request is not None else "/"
        self.connections.setdefault(path, []).append(ws)
        self.opened[path] = self.opened.get(path, 0) + 1
        self.changed.set()
        try:
            async for text in ws:
                frame = json.loads(text)
                self.received.append((path, frame))
                self.changed.set()
                scripted = self.replies(path, frame)
                if scripted is not None:
                    replies = scripted
                elif frame.get("op") == "ping":
                    replies = [pong(path, frame)] if self.answer_pings else []
                elif frame.get("op") == "auth":
                    replies = [
                        {
                            "success": self.auth_ok,
                            "ret_msg": "" if self.auth_ok else "Params Error",
                            "op": "auth",
                            "conn_id": "c",
                        }
                    ]
                elif frame.get("op") in ("subscribe", "unsubscribe"):
                    replies = [ack(path, frame)]
                    if frame["op"] == "subscribe":
                        replies += self.on_subscribed(path, frame["args"])
                else:
                    replies = []
                for reply in replies:
                    await ws.send(json.dumps(reply))
        except Exception:  # a dropped connection ends its handler
            pass
        finally:
            self.connections[path].remove(ws)
            self.changed.set()


@asynccontextmanager
async def fake_bybit() -> AsyncIterator[FakeBybit]:
    fake = FakeBybit()
    async with serve(fake.handle, "127.0.0.1", 0) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        fake.url = f"ws://127.0.0.1:{port}"
        yield fake
