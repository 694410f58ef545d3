"""WebsocketClient's streams against a scripted fake Bybit: every pitfall of §8 that needs a
socket (dialects, routing, auth first, failures, batching, reconnects, books, backpressure)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bybit_wsapi import (
    WS_KEY_MAP,
    BybitWSError,
    ConfigurationError,
    StreamOverflowError,
    SubscriptionError,
    WebsocketClient,
)

from .fake import FakeBybit, ack, fake_bybit

pytestmark = pytest.mark.anyio

PRIVATE = "/v5/private"
LINEAR = "/v5/public/linear"
FAST: dict[str, Any] = {
    "reconnect_initial_delay": 0.01,
    "reconnect_max_delay": 0.02,
    "request_timeout": 2.0,
    "connect_timeout": 2.0,
}
_BRIEF: dict[str, Any] = {"connect_timeout": 0.3}
"""Where a first connect is expected to fail: it retries for all of ``connect_timeout``."""


@pytest.fixture
async def fake() -> AsyncIterator[FakeBybit]:
    async with fake_bybit() as running:
        yield running


@pytest.fixture
async def ws(fake: FakeBybit) -> AsyncIterator[WebsocketClient]:
    client = WebsocketClient(key="key", secret="secret", base_url=fake.url, **FAST)
    yield client
    await client.close()


def _ours() -> list[asyncio.Task[object]]:
    return [t for t in asyncio.all_tasks() if "bybit-wsapi" in t.get_name()]


def book(topic: str, kind: str, u: int, b: Any = (), a: Any = ()) -> dict[str, Any]:
    data = {
        "s": topic.rsplit(".", 1)[-1],
        "b": [list(x) for x in b],
        "a": [list(x) for x in a],
        "u": u,
        "seq": u,
    }
    return {"topic": topic, "type": kind, "ts": u, "data": data, "cts": u}


@pytest.mark.parametrize("category", ["spot", "linear", "inverse", "option"])
async def test_each_public_dialect_acks_and_routes_by_category(
    fake: FakeBybit, ws: WebsocketClient, category: str
) -> None:
    topic = "orderbook.25.BTC-X" if category == "option" else "publicTrade.BTCUSDT"
    await ws.subscribe_v5(topic, category)
    [frame] = fake.frames(f"/v5/public/{category}", "subscribe")
    assert frame["args"] == [topic] and frame["req_id"]
    assert set(fake.opened) == {f"/v5/public/{category}"}


async def test_private_topics_auth_first_and_keyed_by_topic(
    fake: FakeBybit, ws: WebsocketClient
) -> None:
    await ws.subscribe_v5(["order", "wallet"], "linear")  # category ignored for private topics
    await ws.subscribe_v5("order", "spot")  # the same topic string: nothing new is sent
    frames = fake.frames(PRIVATE)
    assert [f["op"] for f in frames] == ["auth", "subscribe"]
    assert frames[0]["args"][0] == "key" and isinstance(frames[0]["args"][1], int)
    assert frames[1]["args"] == ["order", "wallet"]
    await ws.subscribe_v5("execution.fast.linear")  # routed private by the spec's table
    await ws.subscribe_v5("strategy.x", is_private=True)
    assert [f["args"] for f in fake.frames(PRIVATE, "subscribe")][1:] == [
        ["execution.fast.linear"],
        ["strategy.x"],
    ]


async def test_public_topic_without_category_is_refused(ws: WebsocketClient) -> None:
    with pytest.raises(ConfigurationError, match="pass category="):
        await ws.subscribe_v5("publicTrade.BTCUSDT")
    with pytest.raises(ConfigurationError, match="unknown category 'futures'"):
        await ws.subscribe_v5("publicTrade.BTCUSDT", "futures")


async def test_failed_subscribe_names_the_topic_and_the_reader_lives_on(
    fake: FakeBybit, ws: WebsocketClient
) -> None:
    def refuse(path: str, frame: dict[str, Any]) -> list[dict[str, Any]] | None:
        if frame.get("op") == "subscribe" and "publicTrade.NOPE" in frame["args"]:
            return [ack(path, frame, False, "error:handler not found,topic:publicTrade.NOPE")]
        return None

    fake.replies = refuse
    errors: list[BybitWSError] = []
    ws.on("exception", errors.append)
    with pytest.raises(SubscriptionError) as caught:
        await ws.subscribe_v5(["publicTrade.A", "publicTrade.NOPE", "publicTrade.B"], "linear")
    assert caught.value.failures == {"publicTrade.NOPE": "handler not found"}
    assert "'publicTrade.NOPE': handler not found" in str(caught.value)
    assert [f["args"] for f in fake.frames(LINEAR, "subscribe")] == [
        ["publicTrade.A", "publicTrade.NOPE", "publicTrade.B"],
        ["publicTrade.A"],
        ["publicTrade.B"],
    ]
    assert any(isinstance(e, SubscriptionError) for e in errors)
    await ws.subscribe_v5("tickers.BTCUSDT", "linear")  # the same socket still works
    assert fake.opened == {LINEAR: 1}


async def test_already_subscribed_counts_as_success(fake: FakeBybit, ws: WebsocketClient) -> None:
    fake.replies = lambda path, frame: (
        [ack(path, frame, False, f"error:already subscribed,topic:{frame['args'][0]}")]
        if frame.get("op") == "subscribe"
        else None
    )
    await ws.subscribe_v5("allLiquidation.BTCUSDT", "linear")


async def test_spot_args_over_10_go_in_batches(fake: FakeBybit, ws: WebsocketClient) -> None:
    topics = [f"publicTrade.C{n}USDT" for n in range(12)]
    await ws.subscribe_v5(topics, "spot")
    assert [len(f["args"]) for f in fake.frames("/v5/public/spot", "subscribe")] == [10, 2]


async def test_unsubscribe_sends_the_exact_topic_string(
    fake: FakeBybit, ws: WebsocketClient
) -> None:
    await ws.subscribe_v5(["orderbook.50.BTCUSDT", "publicTrade.BTCUSDT"], "linear")
    await ws.unsubscribe_v5("orderbook.50.BTCUSDT", "linear")
    [frame] = fake.frames(LINEAR, "unsubscribe")
    assert frame["args"] == ["orderbook.50.BTCUSDT"]
    await ws.unsubscribe_v5("never.subscribed", "linear")  # nothing to do
    assert len(fake.frames(LINEAR, "unsubscribe")) == 1


async def test_resubscribe_after_a_drop_private_after_auth_dcp_first(
    fake: FakeBybit, ws: WebsocketClient
) -> None:
    events: list[str] = []
    ws.on("reconnected", lambda e: events.append(e["wsKey"]))
    await ws.subscribe_v5(["order", "position"])
    await ws.subscribe_v5("dcp.future")
    await fake.drop(PRIVATE)
    await fake.wait(lambda: len(fake.frames(PRIVATE, "subscribe")) == 3)
    after = fake.frames(PRIVATE)[3:]
    assert [f["op"] for f in after] == ["auth", "subscribe"]
    assert after[1]["args"] == ["dcp.future", "order", "position"]
    assert fake.opened[PRIVATE] == 2
    await fake.wait(lambda: events == [WS_KEY_MAP.v5_private])


async def test_subscribe_waits_through_a_drop_until_acknowledged(
    fake: FakeBybit, ws: WebsocketClient
) -> None:
    dropped = asyncio.Event()

    def swallow_first(path: str, frame: dict[str, Any]) -> list[dict[str, Any]] | None:
        if frame.get("op") == "subscribe" and not dropped.is_set():
            dropped.set()
            return []  # no ack: the connection then drops
        return None

    fake.replies = swallow_first
    call = asyncio.ensure_future(ws.subscribe_v5("kline.1.BTCUSDT", "linear"))
    await dropped.wait()
    await fake.drop(LINEAR)
    await call
    assert [f["args"] for f in fake.frames(LINEAR, "subscribe")] == [["kline.1.BTCUSDT"]] * 2


async def test_update_event_carries_the_ws_key(fake: FakeBybit, ws: WebsocketClient) -> None:
    got: list[dict[str, Any]] = []
    ws.on("update", got.append)
    await ws.subscribe_v5("publicTrade.BTCUSDT", "linear")
    message = {"topic": "publicTrade.BTCUSDT", "type": "snapshot", "ts": 1, "data": []}
    await fake.push(LINEAR, message)
    await fake.push(LINEAR, {"topic": "not.subscribed", "data": []})
    while len(got) < 2:
        await asyncio.sleep(0.01)
    assert got[0] == {**message, "wsKey": "v5LinearPublic"}


async def test_pong_dialects_keep_the_socket_and_silence_reconnects(fake: FakeBybit) -> None:
    ws = WebsocketClient(
        key="k",
        secret="s",
        base_url=fake.url,
        **{**FAST, "ping_interval": 0.05, "pong_timeout": 0.2},
    )
    try:
        await ws.subscribe_v5("publicTrade.BTCUSDT", "spot")
        await fake.wait(lambda: len(fake.frames("/v5/public/spot", "ping")) >= 3)
        assert fake.opened == {"/v5/public/spot": 1}  # spot's pong (op "ping") was understood
        fake.answer_pings = False
        await fake.wait(lambda: fake.opened.get("/v5/public/spot") == 2)
    finally:
        await ws.close()


async def test_live_book_gap_mid_snapshot_u1_missing_delete(
    fake: FakeBybit, ws: WebsocketClient
) -> None:
    topic = "orderbook.50.BTCUSDT"
    snapshots = iter(
        [
            book(topic, "snapshot", 10, b=[("100", "1")], a=[("101", "1")]),
            book(topic, "snapshot", 50, b=[("90", "1")], a=[("91", "1")]),
        ]
    )
    fake.on_subscribed = lambda path, topics: [next(snapshots)] if topic in topics else []
    async with ws.order_book("linear", "BTCUSDT", 50, strict_sequence=True) as live:
        assert live.synced and live.update_id == 10 and live.best_bid is not None
        await fake.push(
            LINEAR, book(topic, "delta", 11, b=[("99", "2"), ("42", "0")])
        )  # unknown delete: ignored
        await live.wait_updated()
        assert [str(p) for p, _ in live.bids] == ["100", "99"]
        await fake.push(LINEAR, book(topic, "delta", 13, b=[("98", "1")]))  # a gap: resync
        await fake.wait(lambda: len(fake.frames(LINEAR, "unsubscribe")) == 1)
        await live.wait_updated()
        assert live.update_id == 50 and [str(p) for p, _ in live.bids] == ["90"]
        assert [f["args"] for f in fake.frames(LINEAR)] == [[topic], [topic], [topic]]
        await fake.push(
            LINEAR, book(topic, "snapshot", 60, b=[("80", "1")], a=[("81", "1")])
        )  # mid-stream
        await live.wait_updated()
        assert live.bids[0][0] == 80 and live.update_id == 60
        await fake.push(
            LINEAR, book(topic, "delta", 1, b=[("70", "1")], a=[("71", "1")])
        )  # restart
        await live.wait_updated()
        assert (live.bids, live.update_id) == ([(70, 1)], 1)
    assert fake.frames(LINEAR, "unsubscribe")[-1]["args"] == [topic]


async def test_two_filled_messages_for_one_order_both_arrive(
    fake: FakeBybit, ws: WebsocketClient
) -> None:
    async with ws.stream_orders() as orders:
        for reason in ("EC_NoError", "EC_OrigClOrdIDDoesNotExist"):
            await fake.push(
                PRIVATE,
                {
                    "id": reason,
                    "topic": "order",
                    "creationTime": 1,
                    "data": [{"orderId": "1", "orderStatus": "Filled", "rejectReason": reason}],
                },
            )
        got = [await anext(aiter(orders)), await anext(aiter(orders))]
    assert [m["data"][0]["rejectReason"] for m in got] == [
        "EC_NoError",
        "EC_OrigClOrdIDDoesNotExist",
    ]


async def test_private_overflow_is_raised_counted_and_emitted(fake: FakeBybit) -> None:
    ws = WebsocketClient(key="k", secret="s", base_url=fake.url, stream_buffer_size=2, **FAST)
    errors: list[BybitWSError] = []
    ws.on("exception", errors.append)
    try:
        sub = ws.stream_executions()
        async with sub:
            for n in range(5):
                await fake.push(
                    PRIVATE, {"id": str(n), "topic": "execution", "creationTime": n, "data": []}
                )
            await fake.push(
                PRIVATE, {"topic": "order", "data": []}
            )  # a marker: the others came first
            while not errors:
                await asyncio.sleep(0.01)
            assert [m["id"] for m in [await anext(aiter(sub)), await anext(aiter(sub))]] == [
                "0",
                "1",
            ]
            with pytest.raises(StreamOverflowError) as caught:
                await anext(aiter(sub))
            assert caught.value.dropped == 3 and sub.dropped == 3  # type: ignore[attr-defined]
            await fake.push(
                PRIVATE, {"id": "5", "topic": "execution", "creationTime": 5, "data": []}
            )
            assert (await anext(aiter(sub)))["id"] == "5"
        assert any(isinstance(e, StreamOverflowError) for e in errors)
    finally:
        await ws.close()


async def test_refused_auth_fails_the_call_and_leaves_no_task(
    fake: FakeBybit, ws: WebsocketClient
) -> None:
    fake.auth_ok = False
    with pytest.raises(SubscriptionError, match="Params Error"):
        await ws.subscribe_v5("order")
    assert fake.frames(PRIVATE, "subscribe") == []
    await asyncio.sleep(0)
    assert _ours() == []


async def test_unreachable_host_fails_and_close_leaves_no_task() -> None:
    ws = WebsocketClient(key="k", secret="s", base_url="ws://127.0.0.1:9", **FAST | _BRIEF)
    with pytest.raises(SubscriptionError, match="no connection"):
        await ws.subscribe_v5("publicTrade.BTCUSDT", "linear")
    await ws.close()
    assert _ours() == []


async def test_close_ends_iterators_and_every_task(fake: FakeBybit) -> None:
    ws = WebsocketClient(key="k", secret="s", base_url=fake.url, **FAST)
    sub = ws.stream_trades("linear", "BTCUSDT")
    await sub.__aenter__()
    await ws.subscribe_v5("order")
    waiting = asyncio.ensure_future(anext(aiter(sub)))
    await ws.close()
    with pytest.raises(StopAsyncIteration):
        await waiting
    await asyncio.sleep(0)
    assert _ours() == []
