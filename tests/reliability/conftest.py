"""Fixtures: a local server per test, and clients (with their event logs) pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bybit_wsapi import WebsocketAPIClient
from bybit_wsapi.server import LocalServer, ServerConfig

from .support import DEMO_API_KEY, DEMO_API_SECRET, FAST, EventLog


class Harness:
    """One server, and every client a test makes (closed at the end of the test)."""

    def __init__(self, server: LocalServer) -> None:
        self.server = server
        self.clients: list[WebsocketAPIClient] = []
        self.events: dict[int, EventLog] = {}

    def client(self, **options: Any) -> tuple[WebsocketAPIClient, EventLog]:
        """A client of the demo account (not yet connected) and the log of its events."""
        settings: dict[str, Any] = {
            "key": DEMO_API_KEY,
            "secret": DEMO_API_SECRET,
            "ws_url": self.server.url,
            "attach_event_listeners": False,
            **FAST,
            **options,
        }
        client = WebsocketAPIClient(**settings)
        log = EventLog()
        log.attach(client)
        self.clients.append(client)
        return client, log

    async def connected(self, **options: Any) -> tuple[WebsocketAPIClient, EventLog]:
        client, log = self.client(**options)
        await client.connect()
        return client, log

    async def aclose(self) -> None:
        for client in self.clients:
            await client.close()


@pytest.fixture
def server_config() -> ServerConfig:
    """Override (e.g. with ``pytest.mark.parametrize``) to change the server."""
    return ServerConfig(rate_limit=False)


@pytest.fixture
async def harness(server_config: ServerConfig) -> AsyncIterator[Harness]:
    async with LocalServer(server_config) as server:
        h = Harness(server)
        try:
            yield h
        finally:
            await h.aclose()
