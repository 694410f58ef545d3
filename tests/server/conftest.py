"""Fixtures of the server tests: a running in-process server and authenticated connections."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from websockets.asyncio.client import ClientConnection

from bybit_wsapi.server import LocalServer, ServerConfig

from .helpers import authed


@pytest.fixture
async def server() -> AsyncIterator[LocalServer]:
    async with LocalServer(ServerConfig(rate_limit=False)) as running:
        yield running


@pytest.fixture
async def ws(server: LocalServer) -> AsyncIterator[ClientConnection]:
    connection = await authed(server.url)
    try:
        yield connection
    finally:
        await connection.close()
