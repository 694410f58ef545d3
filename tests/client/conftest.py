"""Fixtures: a local server per test and clients pointed at it.

Every test here runs over both wire sessions, ``fast`` and ``plain`` (``session_kind``, autouse;
``test_transport.py`` overrides it with its own of the same name and ids).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from bybit_wsapi import OrderParamsV5, WebsocketAPIClient
from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET, LocalServer, ServerConfig

from ..orders import ORDER
from ..sessions import session_kind  # noqa: F401  (autouse: every test over fast and plain)

FAST: dict[str, Any] = {
    "reconnect_initial_delay": 0.01,
    "reconnect_max_delay": 0.05,
    "connect_timeout": 5.0,
}
"""Client options that keep reconnect tests quick."""


def order(link_id: str | None = None, **extra: Any) -> OrderParamsV5:
    params: OrderParamsV5 = {**ORDER}
    if link_id is not None:
        params["orderLinkId"] = link_id
    params.update(extra)  # type: ignore[typeddict-item]
    return params


@pytest.fixture
async def server() -> AsyncIterator[LocalServer]:
    async with LocalServer(ServerConfig(rate_limit=False)) as running:
        yield running


@pytest.fixture
async def make_client(server: LocalServer) -> AsyncIterator[Callable[..., WebsocketAPIClient]]:
    """Build clients for ``server``; every one is closed after the test."""
    made: list[WebsocketAPIClient] = []

    def make(**options: Any) -> WebsocketAPIClient:
        options = {
            "key": DEMO_API_KEY,
            "secret": DEMO_API_SECRET,
            "ws_url": server.url,
            **FAST,
            **options,
        }
        client = WebsocketAPIClient(**options)
        made.append(client)
        return client

    yield make
    for client in made:
        await client.close()


@pytest.fixture
async def client(make_client: Callable[..., WebsocketAPIClient]) -> WebsocketAPIClient:
    c = make_client()
    await c.connect()
    return c


class EventLog:
    """Collects events and lets a test wait for the n-th occurrence of one."""

    def __init__(self) -> None:
        self.seen: dict[str, list[Any]] = {}
        self._changed = asyncio.Event()

    def handler(self, name: str) -> Callable[[Any], None]:
        def record(payload: Any) -> None:
            self.seen.setdefault(name, []).append(payload)
            self._changed.set()

        return record

    async def wait(self, name: str, count: int = 1, timeout: float = 5.0) -> list[Any]:
        async with asyncio.timeout(timeout):
            while len(self.seen.get(name, [])) < count:
                self._changed.clear()
                await self._changed.wait()
        return self.seen[name]


@pytest.fixture
def events() -> EventLog:
    return EventLog()


def state_reprs(root: object, depth: int = 3) -> list[str]:
    """``repr(vars(o))`` of ``root`` and of every library object its state reaches, ``depth``
    levels down (through dicts, lists, tuples and sets too): where a secret must not appear."""
    seen: set[int] = set()
    texts: list[str] = []

    def walk(value: object, level: int) -> None:
        if id(value) in seen or level > depth:
            return
        seen.add(id(value))
        if isinstance(value, dict):
            children: list[object] = list(value.values())
        elif isinstance(value, list | tuple | set | frozenset):
            children = list(value)
        elif type(value).__module__.startswith("bybit_wsapi") and hasattr(value, "__dict__"):
            state = vars(value)
            texts.append(repr(state))
            children = list(state.values())
        else:
            return
        for child in children:
            walk(child, level + 1)

    walk(root, 0)
    return texts
