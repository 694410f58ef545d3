"""The streams against the local server (its four dialects, market and account): acks, pongs,
failures, batching, drops, book faults, and orders followed to Filled on the private stream."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from bybit_wsapi import WS_KEY_MAP, SubscriptionError, WebsocketClient, WSAPIError
from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET, LocalServer, ServerConfig
from bybit_wsapi.streams import OrderBook

pytestmark = pytest.mark.anyio

FAST: dict[str, Any] = {
    "reconnect_initial_delay": 0.01,
    "reconnect_max_delay": 0.02,
    "request_timeout": 3.0,
    "connect_timeout": 3.0,
}
TOPICS = {
    "spot": "orderbook.50.BTCUSDT",
    "linear": "tickers.BTCUSDT",
    "inverse": "publicTrade.BTCUSD",
    "option": "orderbook.25.BTC-26DEC26-100000-C-USDT",
}


@pytest.fixture
async def server() -> AsyncIterator[LocalServer]:
    async with LocalServer(ServerConfig(rate_limit=False, manual_clock=True)) as running:
        yield running


@pytest.fixture
async def make(server: LocalServer) -> AsyncIterator[Callable[..., WebsocketClient]]:
    made: list[WebsocketClient] = []

    def build(**options: Any) -> WebsocketClient:
        ws = WebsocketClient(
            key=DEMO_API_KEY,
            secret=DEMO_API_SECRET,
            base_url=server.base_url,
            **{**FAST, **options},
        )
        made.append(ws)
        return ws

    yield build
    for ws in made:
        await ws.close()


async def until(predicate: Callable[[], bool]) -> None:
    """Until ``predicate()`` holds (the client has no event for these counters)."""
    async with asyncio.timeout(5):
        while not predicate():
            await asyncio.sleep(0.005)


async def barrier(ws: WebsocketClient, category: str) -> None:
    """Every push the server wrote before now is handled: a subscribe's ack comes after them."""
    await ws.subscribe_v5("publicTrade.ETHUSDT", category)
    await ws.unsubscribe_v5("publicTrade.ETHUSDT", category)


async def test_every_dialects_ack_and_pong(make: Callable[..., WebsocketClient]) -> None:
    ws = make(ping_interval=0.02, pong_timeout=1.0)
    reconnects: list[object] = []
    ws.on("reconnect", reconnects.append)
    for category, topic in TOPICS.items():
        await ws.subscribe_v5(topic, category)
    await ws.subscribe_v5(["order", "wallet"])
    assert set(ws.stream_status()) == {
        "v5SpotPublic",
        "v5LinearPublic",
        "v5InversePublic",
        "v5OptionPublic",
        "v5Private",
    }
    await until(lambda: all(s.pongs >= 2 for s in ws.stream_status().values()))
    assert reconnects == [] and all(s.unrecognised == 0 for s in ws.stream_status().values())


async def test_refused_topic_then_the_socket_still_serves(
    make: Callable[..., WebsocketClient],
) -> None:
    ws = make()
    with pytest.raises(SubscriptionError) as caught:
        await ws.subscribe_v5(["publicTrade.BTCUSDT", "publicTrade.NOTASYMBOL"], "linear")
    assert list(caught.value.failures) == ["publicTrade.NOTASYMBOL"]
    assert "handler not found" in caught.value.failures["publicTrade.NOTASYMBOL"]
    await ws.subscribe_v5("kline.1.BTCUSDT", "linear")
    assert ws.stream_status()["v5LinearPublic"].confirmed == {
        "publicTrade.BTCUSDT",
        "kline.1.BTCUSDT",
    }


async def test_spot_args_over_10_and_unsubscribe_by_exact_topic(
    server: LocalServer, make: Callable[..., WebsocketClient]
) -> None:
    ws = make()
    topics = [
        f"{kind}.{symbol}"
        for kind in ("publicTrade", "tickers")
        for symbol in ("BTCUSDT", "ETHUSDT")
    ]
    topics += [f"kline.{i}.BTCUSDT" for i in ("1", "3", "5", "15", "30", "60", "120", "240")]
    assert len(topics) == 12
    await ws.subscribe_v5(topics, "spot")  # one frame of 12 would get "args size >10"
    await ws.unsubscribe_v5("kline.1.BTCUSDT", "spot")
    confirmed = ws.stream_status()["v5SpotPublic"].confirmed
    assert "kline.1.BTCUSDT" not in confirmed and len(confirmed) == 11


async def test_live_book_through_every_market_fault(
    server: LocalServer, make: Callable[..., WebsocketClient]
) -> None:
    ws = make()
    async with ws.order_book("linear", "BTCUSDT", 50, strict_sequence=True) as book:
        assert book.synced and book.best_bid is not None and book.best_ask is not None
        updates: list[dict[str, Any]] = []
        ws.on("update", lambda m: updates.append(m) if m["topic"] == book.topic else None)
        for fault in ("missing_delete", "snapshot", "reset", "gap"):
            assert server.inject(fault, "linear", "orderbook.50.BTCUSDT") == 1
            await server.step(100)
            await barrier(ws, "linear")  # the faulty pushes are in
            await barrier(ws, "linear")  # a resync (after the gap) is done: its snapshot is in
            assert book.synced, fault
            assert book.update_id == updates[-1]["data"]["u"]
            (bid, _), (ask, _) = book.best_bid, book.best_ask  # type: ignore[misc]
            assert bid < ask and len(book.bids) <= 50
            assert book.bids == sorted(book.bids, reverse=True) and book.asks == sorted(book.asks)
        await server.step(100)
        await barrier(ws, "linear")
        assert book.synced
    snapshots = [u for u in updates if u["type"] == "snapshot"]
    assert len(snapshots) == 3  # mid-stream, the reset (u == 1), and the gap's fresh one


async def test_private_resubscribed_after_a_drop(
    server: LocalServer, make: Callable[..., WebsocketClient]
) -> None:
    ws = make()
    back = asyncio.Event()
    ws.on("reconnected", lambda e: back.set() if e["wsKey"] == WS_KEY_MAP.v5_private else None)
    orders = ws.stream_orders()
    async with orders:
        await ws.subscribe_v5("dcp.future")
        await server.drop_stream_connections()
        async with asyncio.timeout(5):
            await back.wait()
        await until(lambda: ws.stream_status()["v5Private"].confirmed == {"order", "dcp.future"})
        await ws.send_ws_api_request(
            WS_KEY_MAP.v5_private_trade,
            "order.create",
            {
                "category": "linear",
                "symbol": "BTCUSDT",
                "side": "Buy",
                "orderType": "Market",
                "qty": "0.001",
            },
        )
        statuses = []
        async for message in orders:
            statuses += [o["orderStatus"] for o in message["data"]]
            if "Filled" in statuses:
                break
    assert statuses[-1] == "Filled"


async def test_cancel_racing_a_fill_gives_two_filled(
    server: LocalServer, make: Callable[..., WebsocketClient]
) -> None:
    ws = make()
    async with ws.stream_orders("linear") as orders:
        created = await ws.send_ws_api_request(
            WS_KEY_MAP.v5_private_trade,
            "order.create",
            {
                "category": "linear",
                "symbol": "BTCUSDT",
                "side": "Buy",
                "orderType": "Limit",
                "qty": "0.001",
                "price": "90000",
            },
        )
        server.faults.cancel_races_fill = True
        with pytest.raises(WSAPIError, match="110001"):  # the fill won: the cancel finds nothing
            await ws.send_ws_api_request(
                WS_KEY_MAP.v5_private_trade,
                "order.cancel",
                {"category": "linear", "symbol": "BTCUSDT", "orderId": created["data"]["orderId"]},
            )
        seen: list[dict[str, Any]] = []
        async for message in orders:
            assert message["topic"] == "order.linear"
            seen += [dict(o) for o in message["data"] if o["orderStatus"] == "Filled"]
            if len(seen) == 2:
                break
    assert {o["orderId"] for o in seen} == {created["data"]["orderId"]}
    assert seen[1]["cancelType"] == "CancelByUser"


async def test_linear_tickers_arrive_merged(
    server: LocalServer, make: Callable[..., WebsocketClient]
) -> None:
    ws = make()
    raw: list[dict[str, Any]] = []
    ws.on("update", lambda m: raw.append(m) if m["topic"] == "tickers.BTCUSDT" else None)
    async with ws.stream_tickers("linear", "BTCUSDT") as tickers:
        first = await anext(aiter(tickers))
        for _ in range(5):
            await server.step(100)
        await barrier(ws, "linear")
        merged = [first] + [await anext(aiter(tickers)) for _ in range(len(raw) - 1)]
    assert any(m["type"] == "delta" for m in raw)
    assert all(m["type"] == "snapshot" and set(m["data"]) >= set(first["data"]) for m in merged)
    assert merged[-1]["data"]["lastPrice"] == next(
        m["data"]["lastPrice"] for m in reversed(raw) if "lastPrice" in m["data"]
    )


async def test_a_slow_book_consumer_gets_the_latest_state(
    server: LocalServer, make: Callable[..., WebsocketClient]
) -> None:
    ws = make(stream_buffer_size=5)
    async with (
        ws.stream_orderbook("linear", "BTCUSDT", 50) as raw,
        ws.order_book("linear", "BTCUSDT", 50) as live,
    ):
        assert server.burst("linear", "orderbook.50.BTCUSDT", 200) > 5
        await barrier(ws, "linear")
        queued = [await anext(aiter(raw)) for _ in range(raw.buffered)]  # type: ignore[attr-defined]
        assert raw.conflated >= 1 and raw.dropped == 0  # type: ignore[attr-defined]
        assert len(queued) <= 5
        assert queued[0]["type"] == "snapshot"  # the conflated state, then what came after
        mirror = OrderBook("BTCUSDT", 50)
        assert all(mirror.apply(m) is None for m in queued)
        assert (mirror.bids, mirror.asks, mirror.update_id) == (
            live.bids,
            live.asks,
            live.update_id,
        )
