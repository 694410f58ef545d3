"""Real clients agree with the local server's streams: the Node SDK's ``WebsocketClient`` and
pybit's ``WebSocket`` subscribe to the public book and trades and the private order and
execution topics, and a market order created through their trade clients is followed to
``Filled`` on their private streams.

Each test is skipped, saying why, when its client is absent: Node needs ``node`` and ``npm``
(the bench's ``bybit-api`` 4.7.7, installed once into ``~/.cache/bybit-wsapi-bench``); pybit
needs the ``bench`` extra (``pip install -e '.[bench]'``). ``make interop`` installs both and
runs these tests alone; the full suite runs whichever is present.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bybit_wsapi.server import (
    DEMO_API_KEY,
    DEMO_API_SECRET,
    LocalServer,
    ServerConfig,
    ServerThread,
)
from tests.bench.__main__ import NODE_CACHE, node_sdk

HERE = Path(__file__).resolve().parent
TIMEOUT = 20.0


def node_modules() -> Path:
    """The bench's cached Node SDK (installed on first use), or a skip saying why not."""
    why_not = node_sdk()
    if why_not is not None:
        pytest.skip(f"the Node SDK check is {why_not}")
    return NODE_CACHE / "node_modules"


@pytest.mark.anyio
async def test_the_node_sdk_follows_an_order_to_filled() -> None:
    modules = node_modules()
    async with LocalServer(ServerConfig(rate_limit=False)) as server:
        spec = {
            "node_modules": str(modules),
            "base": server.base_url,
            "key": DEMO_API_KEY,
            "secret": DEMO_API_SECRET,
            "timeout_ms": int(TIMEOUT * 1000),
        }
        process = await asyncio.create_subprocess_exec(
            *("node", str(HERE / "interop" / "node_streams.cjs"), json.dumps(spec)),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(process.communicate(), TIMEOUT + 10)
    assert process.returncode == 0, out.decode()[-2000:] + err.decode()[-2000:]
    seen = json.loads(out.decode().strip().splitlines()[-1])  # the SDK logs lines before it
    assert seen["exceptions"] == []
    assert seen["authenticated"]
    assert seen["book"]["snapshots"] == 1
    assert seen["book"]["deltas"] >= 2
    u = seen["book"]["u"]
    assert u == sorted(set(u))  # strictly increasing
    assert seen["ack"]["retCode"] == 0
    assert seen["order_statuses"][-1] == "Filled"
    assert seen["executions"] >= 1
    assert seen["our_trade"]  # the fill printed on the public trades
    assert seen["snapshots"] == {"spot": True, "inverse": True, "option": True}


# ---- pybit -----------------------------------------------------------------------------------


@pytest.fixture
def server_thread() -> Iterator[ServerThread]:
    with ServerThread(ServerConfig(rate_limit=False)) as handle:
        yield handle


def register_before_sending(monkeypatch: pytest.MonkeyPatch, manager: Any, name: str) -> None:
    """pybit 5.17 sends a subscribe (or an order op), then registers its req_id and callbacks: a
    server on loopback answers first, its ack raising ``KeyError`` in pybit, the snapshot (or the
    order's reply) finding no callback. That is pybit's race, not this server's (over a real
    network the reply comes later): hold the frame until pybit has registered, then send it."""
    method = getattr(manager, name)

    def registered_first(self: Any, *args: Any, **kwargs: Any) -> None:
        held: list[str] = []
        send = self.ws.send
        self.ws.send = held.append
        try:
            method(self, *args, **kwargs)
        finally:
            self.ws.send = send
        for frame in held:
            send(frame)

    monkeypatch.setattr(manager, name, registered_first)


class _Seen:
    """What pybit's callbacks (on its own threads) delivered."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.books: list[dict[str, Any]] = []
        self.trades = 0
        self.statuses: list[str] = []
        self.executions = 0
        self.book_moved = threading.Event()
        self.filled = threading.Event()
        self.acked = threading.Event()
        self.our_trade = threading.Event()
        self.ack: dict[str, Any] = {}


def test_pybit_follows_an_order_to_filled(
    server_thread: ServerThread, monkeypatch: pytest.MonkeyPatch
) -> None:
    if importlib.util.find_spec("pybit") is None:
        pytest.skip("pybit is not installed: pip install -e '.[bench]' (or make interop)")
    from pybit import _websocket_stream, _websocket_trading, unified_trading

    register_before_sending(monkeypatch, _websocket_stream._V5WebSocketManager, "subscribe")
    trading_class = _websocket_trading._V5TradeWebSocketManager
    register_before_sending(monkeypatch, trading_class, "_send_order_operation")

    base = server_thread.base_url
    monkeypatch.setattr(unified_trading, "PUBLIC_WSS", base + "/v5/public/{CHANNEL_TYPE}")
    monkeypatch.setattr(unified_trading, "PRIVATE_WSS", base + "/v5/private")
    monkeypatch.setattr(_websocket_trading, "TRADE_WSS", base + "/v5/trade")
    seen = _Seen()

    def on_book(message: dict[str, Any]) -> None:
        with seen.lock:
            seen.books.append(message)
            if len(seen.books) >= 3:
                seen.book_moved.set()

    def on_trade(message: dict[str, Any]) -> None:
        with seen.lock:
            seen.trades += len(message["data"])
            if any(t["S"] == "Buy" and t["v"] == "0.010" for t in message["data"]):
                seen.our_trade.set()  # the fill printed on the public trades

    def on_order(message: dict[str, Any]) -> None:
        with seen.lock:
            seen.statuses += [order["orderStatus"] for order in message["data"]]
            if "Filled" in seen.statuses:
                seen.filled.set()

    def on_execution(message: dict[str, Any]) -> None:
        with seen.lock:
            seen.executions += len(message["data"])

    def on_ack(message: dict[str, Any]) -> None:
        seen.ack = message
        seen.acked.set()

    keys = {"api_key": DEMO_API_KEY, "api_secret": DEMO_API_SECRET}
    others = {  # a book snapshot on the other public paths (spot, inverse, option dialects)
        "spot": (50, "BTCUSDT"),
        "inverse": (50, "BTCUSD"),
        "option": (25, "BTC-26DEC26-100000-C-USDT"),
    }
    snapshots = {category: threading.Event() for category in others}
    clients = []
    for category, (depth, symbol) in others.items():
        client = unified_trading.WebSocket(testnet=False, channel_type=category)
        clients.append(client)
        client.orderbook_stream(depth, symbol, lambda _m, done=snapshots[category]: done.set())
    public = unified_trading.WebSocket(testnet=False, channel_type="linear")
    private = unified_trading.WebSocket(
        testnet=False, channel_type="private", private_auth_expire=10, **keys
    )
    trading = unified_trading.WebSocketTrading(testnet=False, **keys)
    try:
        public.orderbook_stream(50, "BTCUSDT", on_book)
        public.trade_stream("BTCUSDT", on_trade)
        private.order_stream(on_order)
        private.execution_stream(on_execution)
        assert seen.book_moved.wait(TIMEOUT), "no orderbook snapshot and deltas"
        order = {"category": "linear", "symbol": "BTCUSDT", "side": "Buy", "orderType": "Market"}
        trading.place_order(on_ack, on_ack, qty="0.01", **order)
        assert seen.acked.wait(TIMEOUT), "no reply to order.create"
        assert seen.ack["retCode"] == 0, seen.ack
        assert seen.filled.wait(TIMEOUT), f"no Filled on the private stream: {seen.statuses}"
        assert seen.our_trade.wait(TIMEOUT), "the fill never showed in the public trades"
        for category, done in snapshots.items():
            assert done.wait(TIMEOUT), f"no book on /v5/public/{category}"
    finally:
        for client in (*clients, public, private, trading):
            client.exit()
    with seen.lock:
        assert seen.statuses[-1] == "Filled"
        assert seen.executions >= 1
        for message in seen.books:  # pybit's own merged book (sorting it is pybit's job)
            bids = [float(price) for price, _ in message["data"]["b"]]
            asks = [float(price) for price, _ in message["data"]["a"]]
            assert max(bids) < min(asks), "the local book crossed"
