"""The Supervisor is generic over its Dialect: a socket kind that does not authenticate, one
whose auth is refused, one whose writer fails, each against a scripted local WebSocket server."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Coroutine
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

import pytest
from websockets.asyncio.server import ServerConnection, serve

from bybit_wsapi import AuthenticationError
from bybit_wsapi.events import EventEmitter
from bybit_wsapi.options import ConnectionOptions
from bybit_wsapi.retry import ConnectionBudget
from bybit_wsapi.session import AuthOutcome, SessionState
from bybit_wsapi.signing import make_signer
from bybit_wsapi.supervisor import Supervisor
from bybit_wsapi.transport import WireSession

pytestmark = pytest.mark.anyio


class Protocol(SessionState):
    """A dialect's sans-I/O part: ``{"op": "auth"}`` answered ``ok`` or not; anything else kept."""

    def __init__(self) -> None:
        super().__init__("v5Test", 5000)
        self.received: list[str] = []
        self.opened_count = 0

    def receive(self, text: str, now: float) -> None:
        self.last_rx = now
        frame = json.loads(text)
        if frame.get("op") == "auth":
            ok = frame["ok"]
            error = None if ok else AuthenticationError(None, "refused by the test server")
            self.auth_replied(AuthOutcome.OK if ok else AuthOutcome.FATAL, error)
        else:
            self.received.append(text)

    def ping_frame(self) -> str:
        return '{"op":"ping"}'

    def auth_frame(self, api_key: str, expires_ms: int, signature: str) -> str:
        return json.dumps({"op": "auth", "args": [api_key, expires_ms, signature]})

    def opened(self) -> None:
        super().opened()
        self.opened_count += 1


@dataclass
class Dialect:
    authenticates: bool
    protocol: Protocol = field(default_factory=Protocol)
    fail_writes: bool = False
    ended: int = 0
    gave_up: list[Exception] = field(default_factory=list)

    def session_ready(self, session: WireSession) -> Coroutine[Any, Any, None]:
        return self._write(session)

    async def _write(self, session: WireSession) -> None:
        if self.fail_writes:
            raise OSError("the test writer failed")
        await session.send_texts(['{"op":"hello"}'])
        await asyncio.Event().wait()

    def session_ended(self) -> None:
        self.ended += 1

    def waiting(self) -> bool:
        return False

    def give_up(self, error: Exception) -> None:
        self.gave_up.append(error)


class Server:
    """Answers ``auth`` with ``ok`` = ``auth_ok``, ``hello`` with ``welcome``; can drop everyone."""

    def __init__(self) -> None:
        self.url = ""
        self.auth_ok = True
        self.received: list[dict[str, Any]] = []
        self.open: list[ServerConnection] = []
        self.opened = 0

    async def handle(self, ws: ServerConnection) -> None:
        self.open.append(ws)
        self.opened += 1
        try:
            async for text in ws:
                frame = json.loads(text)
                self.received.append(frame)
                if frame["op"] == "auth":
                    await ws.send(json.dumps({"op": "auth", "ok": self.auth_ok}))
                elif frame["op"] == "hello":
                    await ws.send('{"op":"welcome"}')
        except Exception:
            pass
        finally:
            self.open.remove(ws)


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    scripted = Server()
    async with serve(scripted.handle, "127.0.0.1", 0) as running:
        scripted.url = f"ws://127.0.0.1:{next(iter(running.sockets)).getsockname()[1]}/test"
        yield scripted


def supervisor(url: str, dialect: Dialect, events: EventEmitter | None = None) -> Supervisor:
    options = ConnectionOptions(
        url=url,
        api_key="key",
        signer=make_signer("secret", sign_timeout=1.0),
        connect_timeout=1.0,
        reconnect_initial_delay=0.01,
        reconnect_max_delay=0.02,
    )
    loop = asyncio.get_running_loop()
    return Supervisor(
        options,
        dialect=dialect,
        events=events or EventEmitter(),
        budget=ConnectionBudget(),
        loop=loop,
    )


async def until(predicate: Any) -> None:
    async with asyncio.timeout(5):
        while not predicate():
            await asyncio.sleep(0.005)


async def test_a_dialect_without_auth_is_ready_at_once_and_reconnects(server: Server) -> None:
    dialect = Dialect(authenticates=False)
    events = EventEmitter()
    seen: list[str] = []
    for name in ("open", "authenticated", "reconnected"):
        events.on(name, lambda _e, name=name: seen.append(name))  # type: ignore[misc]
    sup = supervisor(server.url, dialect, events)
    await sup.ready()
    assert sup.live and dialect.protocol.ever_open and dialect.protocol.opened_count == 1
    await until(lambda: dialect.protocol.received == ['{"op":"welcome"}'])
    assert [f["op"] for f in server.received] == ["hello"]  # no auth frame
    for ws in list(server.open):
        ws.transport.abort()
    await until(lambda: dialect.protocol.opened_count == 2 and sup.live)
    assert dialect.ended == 1 and server.opened == 2
    assert seen == ["open", "open", "reconnected"]
    await sup.close("done")
    assert sup.task is None and dialect.ended == 2 and dialect.gave_up == []


async def test_a_refused_first_auth_gives_up_once_and_leaves_no_task(server: Server) -> None:
    server.auth_ok = False
    dialect = Dialect(authenticates=True)
    sup = supervisor(server.url, dialect)
    with pytest.raises(AuthenticationError, match="refused by the test server"):
        await sup.ready()
    await until(lambda: sup.task is None)
    assert [type(e) for e in dialect.gave_up] == [AuthenticationError]
    assert [f["op"] for f in server.received] == ["auth"] and server.opened == 1
    assert not dialect.protocol.ever_open and dialect.ended == 0


async def test_a_failing_writer_ends_the_session_and_it_reconnects(server: Server) -> None:
    dialect = Dialect(authenticates=True, fail_writes=True)
    reasons: list[str] = []
    events = EventEmitter()
    events.on("reconnect", lambda e: reasons.append(e["reason"]))
    sup = supervisor(server.url, dialect, events)
    await sup.ready()
    await until(lambda: len(reasons) >= 2)
    assert reasons[0] == "writing failed (OSError: the test writer failed)"
    assert server.opened >= 2 and dialect.protocol.opened_count >= 2
    await sup.close("done")
    assert sup.task is None


def test_auth_outcomes_settle_only_a_waiting_auth() -> None:
    protocol = Protocol()
    protocol.auth_replied(AuthOutcome.OK, None)  # nobody waits: logged, nothing else
    waiter: Future[AuthOutcome] = Future()
    protocol.auth_sent(waiter)
    protocol.auth_replied(AuthOutcome.FATAL, AuthenticationError(None, "no"))
    assert waiter.result() is AuthOutcome.FATAL and str(protocol.auth_error).endswith("no")
