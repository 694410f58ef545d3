"""The simulated market and the accounts on the streams: snapshots, deltas on a manual clock,
trade-socket orders followed on the private stream, and the stream faults."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from bybit_wsapi.server import DEMO_API_KEY, Faults, LocalServer, ServerConfig
from bybit_wsapi.server.account import AccountConfig
from bybit_wsapi.server.market import MarketConfig

from .helpers import auth_frame, authed, call, open_ws, order_frame, recv_json

pytestmark = pytest.mark.anyio

BOOK = "orderbook.50.BTCUSDT"
TRADES = "publicTrade.BTCUSDT"
MARKET_BUY = {
    "category": "linear",
    "symbol": "BTCUSDT",
    "side": "Buy",
    "orderType": "Market",
    "qty": "0.01",
}


def manual(**options: Any) -> ServerConfig:
    return ServerConfig(rate_limit=False, manual_clock=True, **options)


@pytest.fixture
async def server() -> AsyncIterator[LocalServer]:
    async with LocalServer(manual()) as running:
        yield running


async def subscribe(ws: ClientConnection, *topics: str) -> None:
    await ws.send(json.dumps({"op": "subscribe", "args": list(topics)}))
    ack = await recv_json(ws)
    assert ack["success"], ack


async def public(server: LocalServer, *topics: str, category: str = "linear") -> ClientConnection:
    ws = await open_ws(f"{server.base_url}/v5/public/{category}")
    await subscribe(ws, *topics)
    return ws


async def private(server: LocalServer, *topics: str) -> ClientConnection:
    ws = await open_ws(server.base_url + "/v5/private")
    frame = auth_frame()
    assert (await call(ws, frame))["success"]
    await subscribe(ws, *topics)
    return ws


async def received(ws: ClientConnection) -> list[dict[str, Any]]:
    """Every frame already written to ``ws`` (the server flushed before this is called)."""
    frames = []
    while True:
        try:
            frames.append(await recv_json(ws, 0.05))
        except TimeoutError:
            return frames


async def test_a_subscriber_gets_the_snapshot_then_deltas_as_the_clock_moves(
    server: LocalServer,
) -> None:
    ws = await public(server, BOOK)
    snapshot = await recv_json(ws)
    assert (snapshot["topic"], snapshot["type"]) == (BOOK, "snapshot")
    assert len(snapshot["data"]["b"]) == len(snapshot["data"]["a"]) == 50
    assert await received(ws) == []  # a manual clock: nothing moves by itself
    await server.step(200)
    deltas = [frame for frame in await received(ws) if frame["topic"] == BOOK]
    assert [frame["type"] for frame in deltas] == ["delta"] * len(deltas)
    assert len(deltas) >= 5  # a 20 ms cadence over 200 ms
    ids = [snapshot["data"]["u"], *(frame["data"]["u"] for frame in deltas)]
    assert ids == list(range(ids[0], ids[0] + len(ids)))
    await ws.close()


async def test_a_market_order_is_followed_to_filled_on_the_private_stream(
    server: LocalServer,
) -> None:
    stream = await private(server, "order", "execution", "execution.fast", "position", "wallet")
    categorised = await private(server, "order.linear")
    trades = await public(server, TRADES)
    async with await authed(server.url) as trade:
        ack = await call(trade, order_frame("order.create", MARKET_BUY))
    assert ack["retCode"] == 0
    order_id = ack["data"]["orderId"]
    await server.flushed()
    pushes = await received(stream)
    topics = [push["topic"] for push in pushes]
    assert topics == [
        "order",
        "position",
        "execution",
        "execution.fast",
        "order",
        "position",
        "wallet",
    ]
    assert [p["data"][0]["orderStatus"] for p in pushes if p["topic"] == "order"] == [
        "New",
        "Filled",
    ]
    filled = pushes[4]["data"][0]
    assert (filled["orderId"], filled["cumExecQty"], filled["leavesQty"]) == (
        order_id,
        "0.010",
        "0.000",
    )
    execution = pushes[2]["data"][0]
    assert pushes[5]["data"][0]["seq"] == execution["seq"]  # position seq = the execution's
    assert "id" not in pushes[3]  # execution.fast has no id
    mine = [p["topic"] for p in await received(categorised)]
    assert mine == ["order.linear", "order.linear"]
    public_trades = await received(trades)
    assert any(t["p"] == execution["execPrice"] for m in public_trades for t in m["data"])
    order = server.accounts[DEMO_API_KEY].orders()[-1]
    assert order["cumExecQty"] == "0.010"
    for ws in (stream, categorised, trades):
        await ws.close()


async def events_of_an_order(ack_first: bool, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the trade socket's handler does, in order, for one filled order."""
    async with LocalServer(manual(account=AccountConfig(ack_first=ack_first))) as server:
        events: list[str] = []
        feed, reply = server._feed.publish, server._reply

        def publish(pushes: Any) -> None:
            events.append("pushes")
            feed(pushes)

        async def replying(*args: Any, **kwargs: Any) -> None:
            events.append("ack")
            await reply(*args, **kwargs)

        monkeypatch.setattr(server._feed, "publish", publish)
        monkeypatch.setattr(server, "_reply", replying)
        async with await authed(server.url) as trade:
            events.clear()
            assert (await call(trade, order_frame("order.create", MARKET_BUY)))["retCode"] == 0
        return events


async def test_the_ack_goes_before_the_pushes_unless_push_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert await events_of_an_order(True, monkeypatch) == ["ack", "pushes"]
    assert await events_of_an_order(False, monkeypatch) == ["pushes", "ack"]


async def test_a_resting_order_fills_when_the_market_crosses_it() -> None:
    async with LocalServer(manual(market=MarketConfig(volatility_ticks=0))) as server:
        stream = await private(server, "order")
        listing = server.market.listing("linear", "BTCUSDT")
        assert listing is not None
        best_bid = listing.book.best("Sell")
        assert best_bid is not None
        price = listing.price.format(best_bid)  # joins the best bid: rests
        params = {**MARKET_BUY, "orderType": "Limit", "price": price, "timeInForce": "GTC"}
        async with await authed(server.url) as trade:
            assert (await call(trade, order_frame("order.create", params)))["retCode"] == 0
        await server.flushed()
        assert [p["data"][0]["orderStatus"] for p in await received(stream)] == ["New"]
        statuses: list[str] = []
        for _ in range(50):  # sellers hit the best bid at the next steps
            await server.step(20)
            statuses += [p["data"][0]["orderStatus"] for p in await received(stream)]
            if "Filled" in statuses:
                break
        assert statuses[-1] == "Filled"
        await stream.close()


async def test_a_resting_order_fills_when_the_market_falls_through_its_price() -> None:
    # a volatile market that gaps: the asks end up below the resting Buy without ever printing
    # a bid exactly at its price; it fills at its own price (maker) all the same
    config = manual(market=MarketConfig(volatility_ticks=40), seed=7)
    async with LocalServer(config) as server:
        stream = await private(server, "order")
        listing = server.market.listing("linear", "BTCUSDT")
        assert listing is not None
        best_bid = listing.book.best("Sell")
        assert best_bid is not None
        rest_at = best_bid - 60
        price = listing.price.format(rest_at)
        params = {**MARKET_BUY, "orderType": "Limit", "price": price, "timeInForce": "GTC"}
        async with await authed(server.url) as trade:
            assert (await call(trade, order_frame("order.create", params)))["retCode"] == 0
        await server.flushed()
        assert [p["data"][0]["orderStatus"] for p in await received(stream)] == ["New"]
        updates: list[dict[str, Any]] = []
        for _ in range(2000):
            await server.step(20)
            updates += [p["data"][0] for p in await received(stream)]
            if any(u["orderStatus"] == "Filled" for u in updates):
                break
            best_ask = listing.book.best("Buy")
            assert best_ask is None or best_ask > rest_at, "the asks crossed it and it did not fill"
        filled = [u for u in updates if u["orderStatus"] == "Filled"]
        assert filled, "the market never came down to the order in 2000 steps: pick another seed"
        assert Decimal(filled[0]["avgPrice"]) == Decimal(price)
        await stream.close()


async def test_stream_faults_from_the_python_api(server: LocalServer) -> None:
    ws = await public(server, BOOK)
    first = (await recv_json(ws))["data"]["u"]
    assert server.inject("gap", "linear", BOOK) == 1
    await server.step(20)
    (delta,) = [f for f in await received(ws) if f["topic"] == BOOK]
    assert delta["data"]["u"] == first + 2  # one u skipped
    server.inject("reset")
    await server.step(20)
    (restart,) = [f for f in await received(ws) if f["topic"] == BOOK]
    assert (restart["type"], restart["data"]["u"]) == ("snapshot", 1)
    assert server.burst("linear", BOOK, 30) == 30
    await server.flushed()
    assert len([f for f in await received(ws) if f["topic"] == BOOK]) == 30
    with pytest.raises(ValueError, match="unknown stream fault"):
        server.inject("nonsense")
    await ws.close()


async def test_periodic_stream_faults_and_bursts_from_the_switches() -> None:
    faults = Faults(stream_faults=("snapshot",), stream_burst=10, stream_fault_interval_ms=100)
    async with LocalServer(manual(faults=faults)) as server:
        ws = await public(server, BOOK)
        await recv_json(ws)
        await server.step(100)
        frames = [f for f in await received(ws) if f["topic"] == BOOK]
        assert len(frames) >= 15  # 5 steps of 20 ms plus a burst of 10
        await server.step(20)
        assert [f["type"] for f in await received(ws) if f["topic"] == BOOK] == ["snapshot"]
        await ws.close()


async def test_a_stream_connection_dropped_after_n_pushes() -> None:
    async with LocalServer(manual(faults=Faults(stream_drop_after_pushes=3))) as server:
        ws = await open_ws(f"{server.base_url}/v5/public/linear")
        await subscribe(ws, BOOK)  # the ack is the first frame, the snapshot the second
        await server.step(100)
        frames = 1
        with pytest.raises(ConnectionClosed):
            while True:
                await ws.recv()
                frames += 1
        assert frames == 3
        assert ws.close_code == 1006


async def test_a_cancel_that_races_a_fill_pushes_two_filled() -> None:
    async with LocalServer(manual(faults=Faults(cancel_races_fill=True))) as server:
        stream = await private(server, "order")
        listing = server.market.listing("linear", "BTCUSDT")
        assert listing is not None
        best_ask = listing.book.best("Sell")
        assert best_ask is not None
        price = listing.price.format(best_ask - 100)
        params = {**MARKET_BUY, "orderType": "Limit", "price": price, "orderLinkId": "race"}
        cancel = {"category": "linear", "symbol": "BTCUSDT", "orderLinkId": "race"}
        async with await authed(server.url) as trade:
            assert (await call(trade, order_frame("order.create", params)))["retCode"] == 0
            await call(trade, order_frame("order.cancel", cancel))
        await server.flushed()
        orders = [p["data"][0] for p in await received(stream)]
        filled = [o for o in orders if o["orderStatus"] == "Filled"]
        assert len(filled) == 2
        assert {o["cancelType"] for o in filled} >= {"CancelByUser"}
        await stream.close()


async def test_the_real_clock_moves_the_market_by_itself() -> None:
    async with LocalServer(ServerConfig()) as server:
        ws = await public(server, BOOK)
        assert (await recv_json(ws))["type"] == "snapshot"
        assert (await recv_json(ws))["type"] == "delta"  # pushed by the market task
        await ws.close()
    with pytest.raises(RuntimeError, match="manual_clock"):
        server.clock.advance(10)


async def test_only_subscribed_topics_reach_a_connection(server: LocalServer) -> None:
    ws = await public(server, TRADES)
    await server.step(3000)  # liquidations, books and tickers move; trades happen
    topics = {frame["topic"] for frame in await received(ws)}
    assert topics <= {TRADES}
    await ws.close()


async def test_private_messages_are_built_only_while_subscribed(server: LocalServer) -> None:
    account = server.accounts[DEMO_API_KEY]
    trades = await public(server, TRADES)
    assert account.wants_pushes is False  # nobody on the private stream
    async with await authed(server.url) as trade:
        assert (await call(trade, order_frame("order.create", MARKET_BUY)))["retCode"] == 0
        await server.flushed()
        printed = [t for m in await received(trades) for t in m["data"]]
        assert any(t["S"] == "Buy" and t["v"] == "0.010" for t in printed)  # still public
        stream = await private(server, "wallet")
        assert account.wants_pushes is True
        assert (await call(trade, order_frame("order.create", MARKET_BUY)))["retCode"] == 0
        await server.flushed()
        assert [p["topic"] for p in await received(stream)] == ["wallet"]
        await stream.close()
        await server.wait_stream_connections(1)
        assert account.wants_pushes is False
    await trades.close()
