"""A stream socket on the supervisor the trade socket runs on: the same backoff, the same budget
of new connections, the same give-up of a first connect (leaving no task)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bybit_wsapi import SubscriptionError, WebsocketClient, WSConnectionError
from bybit_wsapi.events import ReconnectEvent

from .fake import FakeBybit, fake_bybit

pytestmark = pytest.mark.anyio

LINEAR = "/v5/public/linear"


@pytest.fixture
async def fake() -> AsyncIterator[FakeBybit]:
    async with fake_bybit() as running:
        yield running


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ours() -> list[asyncio.Task[object]]:
    return [t for t in asyncio.all_tasks() if "bybit-wsapi" in t.get_name()]


class Reconnects:
    def __init__(self, ws: WebsocketClient) -> None:
        self.seen: list[ReconnectEvent] = []
        self.changed = asyncio.Event()
        ws.on("reconnect", self._on)

    def _on(self, event: ReconnectEvent) -> None:
        self.seen.append(event)
        self.changed.set()

    async def wait(self, count: int) -> list[ReconnectEvent]:
        async with asyncio.timeout(5):
            while len(self.seen) < count:
                self.changed.clear()
                await self.changed.wait()
        return self.seen


async def test_a_failed_first_connect_backs_off_gives_up_and_leaves_no_task() -> None:
    ws = WebsocketClient(
        base_url=f"ws://127.0.0.1:{free_port()}",
        reconnect_initial_delay=0.01,
        reconnect_max_delay=0.04,
        connect_timeout=0.3,
        request_timeout=5.0,
    )
    reconnects = Reconnects(ws)
    errors: list[Exception] = []
    ws.on("exception", errors.append)
    try:
        with pytest.raises(
            SubscriptionError, match=r"no connection to ws://127\.0\.0\.1"
        ) as caught:
            await ws.subscribe_v5("publicTrade.BTCUSDT", "linear")
        assert "within 0.3 s" in str(caught.value)  # the connect_timeout, not the call's wait
        assert _ours() == []
        seen = reconnects.seen
        assert len(seen) >= 3 and [e["attempt"] for e in seen] == list(range(1, len(seen) + 1))
        assert all(e["wsKey"] == "v5LinearPublic" and not e["connected_before"] for e in seen)
        ceilings = [min(0.04, 0.01 * 2**n) for n in range(len(seen))]
        assert all(c / 2 <= e["delay"] <= c for e, c in zip(seen, ceilings, strict=True)), seen
        assert [type(e) for e in errors] == [WSConnectionError]
    finally:
        await ws.close()
    assert _ours() == []


async def test_stream_reconnects_keep_within_the_new_connection_budget(fake: FakeBybit) -> None:
    options: dict[str, Any] = {"reconnect_initial_delay": 0.01, "reconnect_max_delay": 0.02}
    ws = WebsocketClient(
        base_url=fake.url, max_new_connections=2, new_connections_window=60.0, **options
    )
    reconnects = Reconnects(ws)
    try:
        await ws.subscribe_v5("publicTrade.BTCUSDT", "linear")
        await fake.drop(LINEAR)
        await fake.wait(lambda: fake.opened.get(LINEAR) == 2 and len(fake.frames(LINEAR)) == 2)
        await fake.drop(LINEAR)
        first, second = await reconnects.wait(2)
        # two connections in well under a minute: the third waits for the window
        assert first["delay"] <= 0.02 and 50.0 < second["delay"] <= 60.0
        assert first["connected_before"] and second["connected_before"]
    finally:
        await ws.close()  # while it waits out the budget
    assert fake.opened == {LINEAR: 2} and _ours() == []
