"""Fixtures of the sync client tests: a client on the local server (a thread in this process)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET, ServerThread
from bybit_wsapi.sync import WebsocketAPIClient

MakeClient = Callable[..., WebsocketAPIClient]


def client_threads(client: WebsocketAPIClient) -> list[str]:
    """The names of the client's live threads (its event loop and its callbacks)."""
    loop = client.get_ws_client()._loop.name
    names = {loop, loop.replace("loop", "callbacks")}
    return sorted(t.name for t in threading.enumerate() if t.name in names)


@pytest.fixture
def make_client(bybit_ws_server: ServerThread) -> Iterator[MakeClient]:
    """``make_client(**options)``: a client of the server, closed at teardown."""
    made: list[WebsocketAPIClient] = []

    def make(**options: Any) -> WebsocketAPIClient:
        options.setdefault("ws_url", bybit_ws_server.url)
        options.setdefault("key", DEMO_API_KEY)
        options.setdefault("secret", DEMO_API_SECRET)
        client = WebsocketAPIClient(**options)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()
