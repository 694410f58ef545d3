"""The local-server fixtures the tracking tests share: a manual-clock server, a connected
``WebsocketClient`` and a ``RestClient`` on it (a module may override any of them)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bybit_wsapi import WebsocketClient
from bybit_wsapi.rest import RestClient
from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET, LocalServer, ServerConfig

QUICK_RECONNECT = {"reconnect_initial_delay": 0.01, "reconnect_max_delay": 0.02}
"""Reconnects at once: the tests drop connections on purpose."""


@pytest.fixture
async def server() -> AsyncIterator[LocalServer]:
    async with LocalServer(ServerConfig(rate_limit=False, manual_clock=True)) as running:
        yield running


@pytest.fixture
async def ws(server: LocalServer) -> AsyncIterator[WebsocketClient]:
    client = WebsocketClient(
        key=DEMO_API_KEY, secret=DEMO_API_SECRET, base_url=server.base_url, **QUICK_RECONNECT
    )
    await client.connect_ws_api()
    yield client
    await client.close()


@pytest.fixture
async def rest(server: LocalServer) -> AsyncIterator[RestClient]:
    http = server.base_url.replace("ws://", "http://")
    async with RestClient(key=DEMO_API_KEY, secret=DEMO_API_SECRET, base_url=http) as client:
        yield client
