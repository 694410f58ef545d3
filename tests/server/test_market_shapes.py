"""Every message the market and the accounts push has the spec's shape (its TypedDict's keys)."""

from __future__ import annotations

from typing import Any, get_args, get_origin, get_type_hints, is_typeddict

from bybit_wsapi_generated import models

from bybit_wsapi.server.account import Account
from bybit_wsapi.server.market import Market, MarketConfig, Push

T0 = 1_767_225_600_000

PUBLIC = {
    "orderbook": models.OrderbookMessageV5,
    "publicTrade": models.PublicTradeMessageV5,
    "kline": models.KlineMessageV5,
    "allLiquidation": models.AllLiquidationMessageV5,
}
TICKERS = {
    "linear": models.TickerLinearMessageV5,
    "inverse": models.TickerLinearMessageV5,
    "spot": models.TickerSpotMessageV5,
    "option": models.TickerOptionMessageV5,
}
PRIVATE = {
    "order": models.OrderMessageV5,
    "execution": models.ExecutionMessageV5,
    "execution.fast": models.FastExecutionMessageV5,
    "position": models.PositionMessageV5,
    "wallet": models.WalletMessageV5,
}


def check(value: Any, kind: Any, path: str) -> None:
    """``value`` fits ``kind``: TypedDict keys (required present, none unknown), lists, Literals."""
    origin = get_origin(kind)
    if is_typeddict(kind):
        assert isinstance(value, dict), path
        hints = get_type_hints(kind)
        missing = kind.__required_keys__ - value.keys()
        unknown = value.keys() - hints.keys()
        assert not missing and not unknown, (path, sorted(missing), sorted(unknown), value)
        for key, item in value.items():
            check(item, hints[key], f"{path}.{key}")
    elif origin is list:
        assert isinstance(value, list), path
        for index, item in enumerate(value):
            check(item, get_args(kind)[0], f"{path}[{index}]")
    elif str(origin) == "typing.Literal":
        assert value in get_args(kind), (path, value)
    elif kind in (str, int, bool):
        assert type(value) is kind, (path, value)


def test_every_push_has_its_spec_shape() -> None:
    market = Market(
        MarketConfig(
            levels=60,
            depths={
                "linear": {1: 10, 50: 20},
                "inverse": {50: 20},
                "spot": {50: 20},
                "option": {25: 20},
            },
            liquidation_probability=1,
        ),
        3,
    )
    pushes: list[Push] = []
    for category in ("linear", "inverse", "spot", "option"):
        for topic in market.topics(category):
            first = market.subscribe(category, topic, T0)
            pushes += [first] if first is not None else []
    account = Account("k", market, seed=3)
    for params in (
        {
            "category": "linear",
            "symbol": "BTCUSDT",
            "side": "Buy",
            "orderType": "Market",
            "qty": "0.01",
        },
        {
            "category": "spot",
            "symbol": "BTCUSDT",
            "side": "Buy",
            "orderType": "Market",
            "qty": "100",
        },
        {
            "category": "inverse",
            "symbol": "BTCUSD",
            "side": "Sell",
            "orderType": "Market",
            "qty": "10",
        },
        {
            "category": "option",
            "symbol": "BTC-26DEC26-100000-C-USDT",
            "side": "Buy",
            "orderType": "Market",
            "qty": "0.1",
            "orderLinkId": "o",
        },
        {
            "category": "linear",
            "symbol": "BTCUSDT",
            "side": "Buy",
            "orderType": "Limit",
            "qty": "0.01",
            "price": "90000",
            "orderLinkId": "rest",
        },
    ):
        outcome, caused = account.apply("create", params["category"], params, T0)
        assert outcome.code == 0, outcome
        pushes += caused
    ref = {"category": "linear", "symbol": "BTCUSDT", "orderLinkId": "rest"}
    pushes += account.apply("amend", "linear", {**ref, "price": "90001"}, T0)[1]
    pushes += account.apply("cancel", "linear", ref, T0)[1]
    for now in range(T0 + 500, T0 + 3_001, 500):
        pushes += market.advance(now)
    seen = set()
    for push in pushes:
        if push.account is not None:
            kind = PRIVATE[push.topic]
        elif push.topic.startswith("tickers."):
            assert push.category is not None
            kind = TICKERS[push.category]
        else:
            kind = PUBLIC[push.topic.split(".")[0]]
        check(push.message, kind, push.topic)
        assert push.message["topic"] == push.topic
        seen.add(kind.__name__)
    assert len(seen) == 12, seen  # every message type above was produced and checked
