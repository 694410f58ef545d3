"""A client made without keys: public streams work against the local server; the trade socket
and the private streams refuse at once, naming what is missing, and open no connection."""

from __future__ import annotations

import re

import pytest

from bybit_wsapi import WS_KEY_MAP, ConfigurationError, WebsocketClient
from bybit_wsapi.server import DEMO_API_SECRET, LocalServer, ServerConfig, ServerThread
from bybit_wsapi.sync import WebsocketClient as SyncWebsocketClient

from ..orders import create

pytestmark = pytest.mark.anyio

MISSING = re.escape("need key= and secret= (or sign=)")


async def test_public_streams_work_without_keys() -> None:
    async with (
        LocalServer(ServerConfig(rate_limit=False)) as server,
        WebsocketClient(base_url=server.base_url) as ws,  # connects nothing
    ):
        assert ws.public_only and not ws.is_connected and "public only" in repr(ws)
        async with ws.stream_tickers("linear", "BTCUSDT") as tickers:
            message = await anext(aiter(tickers))
        assert message["topic"] == "tickers.BTCUSDT"
        assert server.connection_count == 0


async def test_trade_and_private_refuse_at_once_without_a_connection() -> None:
    async with LocalServer(ServerConfig(rate_limit=False)) as server:
        ws = WebsocketClient(base_url=server.base_url)
        try:
            with pytest.raises(ConfigurationError, match=MISSING):
                await ws.connect_ws_api()
            with pytest.raises(ConfigurationError, match=MISSING):
                await ws.send_ws_api_request(
                    WS_KEY_MAP.v5_private_trade, "order.create", create("keyless-1")
                )
            with pytest.raises(ConfigurationError, match=MISSING):
                await ws.subscribe_v5("order", is_private=True)
            with pytest.raises(ConfigurationError, match=MISSING):
                async with ws.stream_orders():
                    pass
            assert (server.connection_count, server.stream_connection_count) == (0, 0)
            assert server.received == [] and server.stream_requests == []
        finally:
            await ws.close()


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ({"key": "k"}, "secret is missing"),
        ({"secret": DEMO_API_SECRET}, "key is missing"),
        ({"sign": lambda payload: "x"}, "key is missing"),
        ({"key_type": "rsa"}, "secret is missing"),
    ],
)
def test_half_given_keys_are_refused(given: dict[str, object], says: str) -> None:
    with pytest.raises(ConfigurationError, match=says):
        WebsocketClient(**given)  # type: ignore[arg-type]


def test_sync_client_without_keys(bybit_ws_server: ServerThread) -> None:
    with SyncWebsocketClient(base_url=bybit_ws_server.base_url) as ws:
        with ws.stream_tickers("linear", "BTCUSDT") as tickers:
            assert next(tickers)["topic"] == "tickers.BTCUSDT"
        with pytest.raises(ConfigurationError, match=MISSING):
            ws.send_ws_api_request(WS_KEY_MAP.v5_private_trade, "order.create", create("k-1"))
        with pytest.raises(ConfigurationError, match=MISSING):
            ws.stream_orders("linear").__enter__()
