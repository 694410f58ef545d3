"""The simulated market, driven by a manual clock: books, trades, tickers, kline, faults."""

from __future__ import annotations

import itertools
import json
from decimal import Decimal
from typing import Any

import pytest

from bybit_wsapi.server.market import Market, MarketConfig, Push
from bybit_wsapi.server.market.feeds import interval_bounds
from bybit_wsapi.server.market.instruments import Instrument, Scale

T0 = 1_767_225_600_000  # 2026-01-01 00:00:00 UTC, a Thursday
BOOK = "orderbook.50.BTCUSDT"


def small(**changes: Any) -> MarketConfig:
    """A fast market: 60 levels a side, the default instruments and cadences otherwise."""
    depths = {
        "linear": {1: 10, 50: 20},
        "inverse": {1: 10, 50: 20},
        "spot": {1: 10, 50: 20},
        "option": {25: 20},
    }
    return MarketConfig(**{"levels": 60, "depths": depths, **changes})


def messages(pushes: list[Push], topic: str, category: str = "linear") -> list[dict[str, Any]]:
    return [p.message for p in pushes if p.topic == topic and p.category == category]


class LocalBook:
    """A client's book, applying the reference's rules strictly."""

    def __init__(self, snapshot: dict[str, Any]) -> None:
        assert snapshot["type"] == "snapshot"
        self.bids: dict[Decimal, str] = {}
        self.asks: dict[Decimal, str] = {}
        self.u = -1
        self.apply(snapshot)

    def apply(self, message: dict[str, Any]) -> None:
        data = message["data"]
        if message["type"] == "snapshot":
            self.bids = {Decimal(p): q for p, q in data["b"]}
            self.asks = {Decimal(p): q for p, q in data["a"]}
        else:
            assert data["u"] == self.u + 1, (data["u"], self.u)
            for side, levels in ((self.bids, data["b"]), (self.asks, data["a"])):
                for price, size in levels:
                    if size == "0":
                        assert Decimal(price) in side, f"delete of a missing level {price}"
                        del side[Decimal(price)]
                    else:
                        side[Decimal(price)] = size
        self.u = data["u"]

    def levels(self) -> tuple[list[list[str]], list[list[str]]]:
        def fmt(side: dict[Decimal, str], reverse: bool) -> list[list[str]]:
            return [[str(p), side[p]] for p in sorted(side, reverse=reverse)]

        return fmt(self.bids, True), fmt(self.asks, False)


def test_scale_formats_counts_with_the_step_decimals() -> None:
    tick = Scale("0.10")
    assert (tick.format(302472), tick.format(0), tick.format(5)) == ("30247.20", "0.00", "0.50")
    assert Scale("1").format(42) == "42"
    assert Scale("0.000001").format(1) == "0.000001"
    assert tick.count(Decimal("30247.2")) == 302472
    assert tick.count(Decimal("30247.25")) is None
    with pytest.raises(ValueError, match="positive"):
        Scale("0")


def test_same_seed_same_messages_other_seed_others() -> None:
    def run(seed: int) -> str:
        market = Market(small(), seed)
        first = market.subscribe("linear", BOOK, T0)
        market.subscribe("spot", "publicTrade.BTCUSDT", T0)
        assert first is not None
        pushes = market.advance(T0 + 2000)
        return json.dumps([first.message] + [p.message for p in pushes])

    assert run(7) == run(7)
    assert run(7) != run(8)


@pytest.mark.parametrize(
    ("category", "topic", "depth"),
    [("linear", BOOK, 50), ("option", "orderbook.25.BTC-26DEC26-100000-C-USDT", 25)],
)
def test_orderbook_snapshot_then_deltas_rebuild_the_book(
    category: str, topic: str, depth: int
) -> None:
    market = Market(small(), 1)
    first = market.subscribe(category, topic, T0)
    assert first is not None and first.message["topic"] == topic
    listing = market.listing(category, topic.split(".")[2])
    assert listing is not None
    local = LocalBook(first.message)
    seqs = [first.message["data"]["seq"]]
    last_ts = T0
    for now in range(T0 + 100, T0 + 5001, 100):
        for message in messages(market.advance(now), topic, category):
            assert message["type"] == "delta"
            assert message["ts"] - last_ts >= 20  # the depth's cadence
            last_ts = message["ts"]
            assert message["cts"] <= message["ts"]
            local.apply(message)
            seqs.append(message["data"]["seq"])
            bids, asks = local.levels()
            assert len(bids) <= depth and len(asks) <= depth
            assert Decimal(bids[0][0]) < Decimal(asks[0][0])  # never crossed
        # Between pushes the client holds exactly the book's best levels.
        bids, asks = local.levels()
        true_bids, true_asks = listing.book.top(depth)
        fmt = listing.price.format, listing.size.format
        assert [bids, asks] == [
            [[str(Decimal(fmt[0](p))), fmt[1](q)] for p, q in side]
            for side in (true_bids, true_asks)
        ]
    assert seqs == sorted(set(seqs)) and len(seqs) > 100
    # A new subscriber's snapshot is the book the deltas built, at the same u.
    again = market.snapshot(category, topic, T0 + 5000)
    assert again is not None
    assert again.message["data"]["u"] == local.u
    data = again.message["data"]
    assert [[[str(Decimal(p)), q] for p, q in data[k]] for k in "ba"] == list(local.levels())


def test_level_1_is_snapshot_only_and_repeats_unchanged_every_3_s() -> None:
    market = Market(small(volatility_ticks=0, churn=0, trade_probability=0), 1)
    first = market.subscribe("linear", "orderbook.1.BTCUSDT", T0)
    assert first is not None
    u = first.message["data"]["u"]
    pushes = messages(market.advance(T0 + 9999), "orderbook.1.BTCUSDT")
    assert [m["ts"] for m in pushes] == [T0 + 3000, T0 + 6000, T0 + 9000]
    assert all(m["type"] == "snapshot" and m["data"]["u"] == u for m in pushes)
    assert all(m["data"]["b"] == first.message["data"]["b"] for m in pushes)
    # A change is a new snapshot with the next u, right away.
    moving = Market(small(), 1)
    moving.subscribe("spot", "orderbook.1.BTCUSDT", T0)
    changes = messages(moving.advance(T0 + 500), "orderbook.1.BTCUSDT", "spot")
    assert changes and all(m["type"] == "snapshot" for m in changes)
    us = [m["data"]["u"] for m in changes]
    assert us == list(range(us[0], us[0] + len(us)))


def test_topics_per_category() -> None:
    market = Market()
    linear = market.topics("linear")
    assert {"orderbook.1.BTCUSDT", "orderbook.50.BTCUSDT", "orderbook.200.BTCUSDT"} < set(linear)
    assert {"orderbook.1000.ETHUSDT", "publicTrade.ETHUSDT", "tickers.BTCUSDT"} < set(linear)
    assert {"kline.5.BTCUSDT", "kline.D.BTCUSDT", "allLiquidation.BTCUSDT"} < set(linear)
    assert market.valid_topic("inverse", "orderbook.50.BTCUSD")
    assert not market.valid_topic("linear", "orderbook.500.BTCUSDT")  # removed in 2025
    assert not market.valid_topic("linear", "orderbook.50.BTCUSD")  # an inverse symbol
    assert not market.valid_topic("spot", "allLiquidation.BTCUSDT")
    option = market.topics("option")
    assert "publicTrade.BTC" in option and "orderbook.25.BTC-26DEC26-100000-C-USDT" in option
    assert not any(t.startswith(("kline", "orderbook.1.", "orderbook.50.")) for t in option)
    with pytest.raises(KeyError):
        market.subscribe("spot", "tickers.NOPE", T0)


def test_public_trades_split_messages_share_their_seq() -> None:
    market = Market(small(max_trades_per_message=2, trade_probability=0), 1)
    market.subscribe("linear", "publicTrade.BTCUSDT", T0)
    listing = market.listing("linear", "BTCUSDT")
    assert listing is not None
    fills = market.take(listing, "Buy", 10_000, None, T0)  # walks many ask levels
    pushed = [p.message for p in market.drain()]
    assert len(fills) > 4 and len(pushed) == (len(fills) + 1) // 2
    items = [item for message in pushed for item in message["data"]]
    assert [(i["p"], i["v"]) for i in items] == [
        (listing.price.format(p), listing.size.format(q)) for p, q in fills
    ]
    assert {i["seq"] for i in items} == {listing.book.seq}  # one match, one seq
    assert {i["S"] for i in items} == {"Buy"}
    assert set(items[0]) == {"T", "s", "S", "v", "p", "L", "i", "BT", "RPI", "seq"}
    assert [i["L"] for i in items[:2]] == ["PlusTick", "PlusTick"]


def test_tickers_linear_deltas_merge_into_the_snapshot_spot_and_option_are_snapshots() -> None:
    market = Market(small(), 2)
    first = market.subscribe("linear", "tickers.BTCUSDT", T0)
    spot = market.subscribe("spot", "tickers.BTCUSDT", T0)
    option = market.subscribe("option", "tickers.BTC-26DEC26-100000-C-USDT", T0)
    assert first is not None and spot is not None and option is not None
    merged = dict(first.message["data"])
    assert {"lastPrice", "markPrice", "bid1Price", "ask1Size", "fundingRate"} <= set(merged)
    pushes = market.advance(T0 + 3000)
    deltas = messages(pushes, "tickers.BTCUSDT")
    assert deltas and all(m["type"] == "delta" and "cs" in m for m in deltas)
    for message in deltas:
        assert message["data"]["symbol"] == "BTCUSDT" and len(message["data"]) < len(merged)
        merged.update(message["data"])
    latest = market.snapshot("linear", "tickers.BTCUSDT", T0 + 3000)
    assert latest is not None and latest.message["data"] == merged
    spots = messages(pushes, "tickers.BTCUSDT", "spot")
    assert spots and all(set(m["data"]) == set(spot.message["data"]) for m in spots)
    assert all(m["type"] == "snapshot" for m in spots)
    assert min(b["ts"] - a["ts"] for a, b in itertools.pairwise(spots)) >= 50
    options = messages(pushes, "tickers.BTC-26DEC26-100000-C-USDT", "option")
    assert all(m["type"] == "snapshot" and m["id"] for m in options)
    assert "underlyingPrice" in option.message["data"]


def test_kline_confirms_each_candle_once_at_its_end() -> None:
    market = Market(small(kline_ms=5000), 1)
    market.subscribe("linear", "kline.1.BTCUSDT", T0)
    pushes = []
    for now in range(T0 + 1000, T0 + 150_001, 1000):
        pushes += messages(market.advance(now), "kline.1.BTCUSDT")
    confirmed = [m["data"][0] for m in pushes if m["data"][0]["confirm"]]
    assert [c["start"] for c in confirmed] == [T0, T0 + 60_000]
    assert all(c["end"] == c["start"] + 59_999 and c["interval"] == "1" for c in confirmed)
    assert confirmed[1]["open"] == confirmed[0]["close"]
    for candle in confirmed:
        assert Decimal(candle["low"]) <= Decimal(candle["open"]) <= Decimal(candle["high"])
        assert candle["start"] <= candle["timestamp"] <= candle["end"]
    open_ones = [m for m in pushes if not m["data"][0]["confirm"]]
    assert open_ones and all(m["type"] == "snapshot" for m in open_ones)


def test_interval_bounds() -> None:
    assert interval_bounds("5", T0 + 301_000) == (T0 + 300_000, T0 + 599_999)
    assert interval_bounds("D", T0 + 5) == (T0, T0 + 86_399_999)
    monday = T0 + 4 * 86_400_000  # 2026-01-05
    assert interval_bounds("W", T0) == (monday - 7 * 86_400_000, monday - 1)
    february = T0 + 31 * 86_400_000
    assert interval_bounds("M", T0 + 99) == (T0, february - 1)


def test_all_liquidation_pushes_arrays() -> None:
    market = Market(small(liquidation_probability=1.0), 1)
    market.subscribe("inverse", "allLiquidation.BTCUSD", T0)
    pushes = messages(market.advance(T0 + 2000), "allLiquidation.BTCUSD", "inverse")
    assert [m["ts"] for m in pushes] == [T0 + 500, T0 + 1000, T0 + 1500, T0 + 2000]
    for message in pushes:
        (item,) = message["data"]
        assert set(item) == {"T", "s", "S", "v", "p"} and item["s"] == "BTCUSD"


def test_only_subscribed_topics_are_pushed_and_unsubscribe_stops_them() -> None:
    market = Market(small(), 1)
    market.subscribe("linear", BOOK, T0)
    market.subscribe("linear", BOOK, T0)
    assert {p.topic for p in market.advance(T0 + 200)} == {BOOK}
    market.unsubscribe("linear", BOOK)
    assert market.advance(T0 + 400)
    market.unsubscribe("linear", BOOK)
    assert market.advance(T0 + 600) == []


def test_a_long_clock_jump_is_bounded() -> None:
    market = Market(small(max_steps_per_advance=100), 1)
    market.subscribe("linear", BOOK, T0)
    pushes = market.advance(T0 + 86_400_000)
    assert 50 < len(pushes) <= 100
    assert pushes[-1].message["ts"] == T0 + 86_400_000


def stream(market: Market, now: int) -> list[dict[str, Any]]:
    return messages(market.advance(now), BOOK)


def test_stream_faults() -> None:
    market = Market(small(), 1)
    first = market.subscribe("linear", BOOK, T0)
    assert first is not None
    u = first.message["data"]["u"]
    assert market.inject("gap", "linear", BOOK) == 1
    (gap,) = stream(market, T0 + 20)
    assert (gap["type"], gap["data"]["u"]) == ("delta", u + 2)
    market.inject("snapshot")
    (mid,) = stream(market, T0 + 40)
    assert (mid["type"], mid["data"]["u"]) == ("snapshot", u + 3)
    market.inject("reset", topic=BOOK)
    reset, after = stream(market, T0 + 60)[0], stream(market, T0 + 80)[0]
    assert (reset["type"], reset["data"]["u"], after["data"]["u"]) == ("snapshot", 1, 2)
    local = LocalBook(reset)
    local.apply(after)
    market.inject("missing_delete")
    (odd,) = stream(market, T0 + 100)
    deleted = {p for p, q in odd["data"]["b"] if q == "0"}
    assert deleted - {str(p) for p in local.bids}  # a price the client does not hold
    market.inject("duplicate")
    twice = stream(market, T0 + 120)
    assert len(twice) == 2 and twice[0] == twice[1]
    burst = [p.message for p in market.burst("linear", BOOK, 5, T0 + 121)]
    assert [m["data"]["u"] for m in burst] == list(
        range(twice[0]["data"]["u"] + 1, twice[0]["data"]["u"] + 6)
    )
    with pytest.raises(ValueError, match="unknown stream fault"):
        market.inject("nope")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="subscribed orderbook"):
        market.burst("linear", "tickers.BTCUSDT", 1, T0)


def test_config_is_checked() -> None:
    with pytest.raises(ValueError, match="levels"):
        MarketConfig(levels=10)
    with pytest.raises(ValueError, match="trade_probability"):
        MarketConfig(trade_probability=2)
    with pytest.raises(ValueError, match="tick"):
        Instrument("linear", "X", "X", "USDT", "0.5", "1", "10.25")
    with pytest.raises(ValueError, match="twice"):
        MarketConfig(instruments=(MarketConfig().instruments[0],) * 2)


def test_inverse_turnover_is_in_the_base_coin() -> None:
    market = Market(small(trade_probability=0, volatility_ticks=0), 1)
    first = market.subscribe("inverse", "tickers.BTCUSD", T0)
    market.subscribe("inverse", "kline.1.BTCUSD", T0)
    assert first is not None and first.message["data"]["turnover24h"] == "0"
    listing = market.listing("inverse", "BTCUSD")
    assert listing is not None
    market.advance(T0)
    fills = market.take(listing, "Buy", 3000, None, T0 + 5)  # 3000 contracts = 3000 USD
    coins = sum(Decimal(q) / (Decimal(p) * Decimal("0.5")) for p, q in fills)
    pushes = market.advance(T0 + 1000)
    ticker = market.snapshot("inverse", "tickers.BTCUSD", T0 + 1000)
    assert ticker is not None
    assert Decimal(ticker.message["data"]["turnover24h"]) == coins.quantize(Decimal("0.00000001"))
    assert ticker.message["data"]["volume24h"] == "3000"
    (kline,) = messages(pushes, "kline.1.BTCUSD", "inverse")[-1]["data"]
    assert (kline["volume"], kline["turnover"]) == ("3000", ticker.message["data"]["turnover24h"])
