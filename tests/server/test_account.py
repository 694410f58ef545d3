"""Accounts against the simulated market: fills, order types, positions, wallet, pushes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from bybit_wsapi.server.account import Account, AccountConfig
from bybit_wsapi.server.market import Market, MarketConfig, Push

T0 = 1_767_225_600_000
DEPTHS = {"linear": {50: 20}, "inverse": {50: 20}, "spot": {50: 20}, "option": {25: 20}}
QUIET = MarketConfig(levels=60, depths=DEPTHS, volatility_ticks=0, churn=0, trade_probability=0)
"""A market that only moves when someone trades."""


def linear(**params: Any) -> dict[str, Any]:
    order = {"category": "linear", "symbol": "BTCUSDT", "side": "Buy", "orderType": "Limit"}
    return {**order, "qty": "0.001", **params}


def spot(**params: Any) -> dict[str, Any]:
    return {**linear(**params), "category": "spot", **params}


def setup(config: MarketConfig = QUIET, **account: Any) -> tuple[Market, Account]:
    market = Market(config, seed=5)
    return market, Account("k", market, AccountConfig(**account), seed=5)


def private(pushes: list[Push]) -> list[tuple[str, str]]:
    """(topic, orderStatus or "") of each private push."""
    return [
        (p.topic, str(p.message["data"][0].get("orderStatus", "")))  # type: ignore[index]
        for p in pushes
        if p.account is not None
    ]


def data(pushes: list[Push], topic: str) -> list[dict[str, Any]]:
    return [item for p in pushes if p.topic == topic for item in p.message["data"]]  # type: ignore[attr-defined]


def test_a_market_order_walks_the_book_and_pushes_in_bybit_order() -> None:
    market, account = setup()
    market.subscribe("linear", "publicTrade.BTCUSDT", T0)
    listing = market.listing("linear", "BTCUSDT")
    assert listing is not None
    asks = listing.book.top(3)[1]
    qty = sum(q for _, q in asks[:2]) + 1  # two whole levels and one lot of the third
    params = linear(orderType="Market", qty=listing.size.format(qty), orderLinkId="m1")
    outcome, pushes = account.apply("create", "linear", params, T0)
    assert (outcome.code, outcome.order_link_id) == (0, "m1")
    assert private(pushes) == [
        ("order", "New"),
        ("position", ""),
        ("execution", ""),
        ("execution.fast", ""),
        ("order", "Filled"),
        ("position", ""),
        ("wallet", ""),
    ]
    assert [p.category for p in pushes if p.account] == ["linear"] * 6 + [None]
    executions = data(pushes, "execution")
    fills = [(asks[0][0], asks[0][1]), (asks[1][0], asks[1][1]), (asks[2][0], 1)]
    assert [(e["execPrice"], e["execQty"]) for e in executions] == [
        (listing.price.format(p), listing.size.format(q)) for p, q in fills
    ]
    assert {e["seq"] for e in executions} == {executions[0]["seq"]}
    assert all(e["execType"] == "Trade" and e["isMaker"] is False for e in executions)
    fast = next(p.message for p in pushes if p.topic == "execution.fast")
    assert "id" not in fast and fast["data"][0]["orderLinkId"] == "m1"  # type: ignore[index]
    filled = data(pushes, "order")[-1]
    value = sum(Decimal(e["execValue"]) for e in executions)
    assert filled["cumExecQty"] == params["qty"] and filled["leavesQty"] == "0.000"
    assert Decimal(filled["cumExecValue"]) == value
    assert (
        Decimal(filled["avgPrice"])
        == (value / Decimal(params["qty"])).quantize(Decimal("0.00000001")).normalize()
    )
    assert filled["cumFeeDetail"] == {"USDT": filled["cumExecFee"]}
    position = data(pushes, "position")[-1]
    assert (position["side"], position["size"], position["seq"]) == (
        "Buy",
        params["qty"].rstrip("0"),
        executions[0]["seq"],
    )
    fee = value * Decimal("0.00055")
    assert Decimal(filled["cumExecFee"]) == fee.quantize(Decimal("0.00000001"))
    assert Decimal(account.wallet()["USDT"]) == 1_000_000 - fee
    trades = data(pushes, "publicTrade.BTCUSDT")
    assert [(t["p"], t["v"], t["S"]) for t in trades] == [
        (e["execPrice"], e["execQty"], "Buy") for e in executions
    ]
    assert listing.book.top(1)[1][0][0] == asks[2][0]  # the taken levels are gone


def test_a_resting_limit_fills_as_maker_when_the_market_crosses_it() -> None:
    market, account = setup(
        MarketConfig(levels=60, depths=DEPTHS, volatility_ticks=4), new_for_takers=False
    )
    listing = market.listing("linear", "BTCUSDT")
    assert listing is not None
    price = listing.price.format(listing.last + 30)
    params = linear(side="Sell", qty="0.5", price=price, orderLinkId="r")
    assert private(account.apply("create", "linear", params, T0)[1]) == [
        ("order", "New"),
        ("position", ""),
    ]
    pushes: list[Push] = []
    now = T0
    while not any(s == "Filled" for _, s in private(pushes)) and now < T0 + 600_000:
        now += 1000
        pushes += market.advance(now)
    statuses = [s for t, s in private(pushes) if t == "order"]
    assert statuses[-1] == "Filled" and set(statuses) <= {"PartiallyFilled", "Filled"}
    executions = data(pushes, "execution")
    assert {e["execPrice"] for e in executions} == {price}  # a maker fills at its price
    assert all(e["isMaker"] and e["feeRate"] == "0.0002" for e in executions)
    assert {f["orderLinkId"] for f in data(pushes, "execution.fast")} == {""}
    assert sum(Decimal(e["execQty"]) for e in executions) == Decimal("0.5")
    assert account.positions["linear", "BTCUSDT"].size == Decimal("-0.5")
    (order,) = account.orders()
    assert (order["status"], order["cumExecQty"], order["avgPrice"]) == (
        "Filled",
        "0.500",
        price.rstrip("0").rstrip("."),
    )


def test_post_only_that_would_take_is_cancelled() -> None:
    market, account = setup()
    listing = market.listing("linear", "BTCUSDT")
    assert listing is not None
    ask = listing.price.format(listing.book.top(1)[1][0][0])
    _, pushes = account.apply("create", "linear", linear(price=ask, timeInForce="PostOnly"), T0)
    (order,) = data(pushes, "order")
    assert (order["orderStatus"], order["rejectReason"]) == (
        "Cancelled",
        "EC_PostOnlyWillTakeLiquidity",
    )
    assert not data(pushes, "execution")
    bid = listing.price.format(listing.book.top(1)[0][0][0])
    _, pushes = account.apply("create", "linear", linear(price=bid, timeInForce="PostOnly"), T0)
    assert private(pushes) == [("order", "New"), ("position", "")]


@pytest.mark.parametrize(
    ("category", "rest"), [("linear", "Cancelled"), ("spot", "PartiallyFilledCanceled")]
)
def test_ioc_fills_what_it_can_and_cancels_the_rest(category: str, rest: str) -> None:
    market, account = setup()
    listing = market.listing(category, "BTCUSDT")
    assert listing is not None
    (price, lots), *_ = listing.book.top(1)[1]
    params = {**linear(), "category": category, "timeInForce": "IOC"}
    params |= {"price": listing.price.format(price), "qty": listing.size.format(lots + 3)}
    _, pushes = account.apply("create", category, params, T0)
    (order,) = data(pushes, "order")[-1:]
    assert order["orderStatus"] == rest
    assert order["cumExecQty"] == listing.size.format(lots)
    assert order["leavesQty"] == listing.size.format(0)


def test_fok_needs_everything_or_nothing() -> None:
    market, account = setup()
    listing = market.listing("linear", "BTCUSDT")
    assert listing is not None
    (price, lots), *_ = listing.book.top(1)[1]
    fok = linear(timeInForce="FOK", price=listing.price.format(price))
    _, pushes = account.apply("create", "linear", {**fok, "qty": listing.size.format(lots + 1)}, T0)
    assert [(o["orderStatus"], o["rejectReason"]) for o in data(pushes, "order")] == [
        ("Cancelled", "EC_CancelForNoFullFill")
    ]
    _, pushes = account.apply("create", "linear", {**fok, "qty": listing.size.format(lots)}, T0)
    assert data(pushes, "order")[-1]["orderStatus"] == "Filled"


def test_reduce_only_needs_an_opposite_position_and_is_cut_to_it() -> None:
    _market, account = setup()
    reduce = linear(side="Sell", orderType="Market", reduceOnly=True, qty="1")
    outcome, pushes = account.apply("create", "linear", reduce, T0)
    assert (outcome.code, outcome.msg, pushes) == (
        110017,
        "current position is zero, cannot fix reduce-only order qty",
        [],
    )
    account.apply("create", "linear", linear(orderType="Market", qty="0.002"), T0)
    _, pushes = account.apply("create", "linear", reduce, T0 + 1)
    assert [e["execQty"] for e in data(pushes, "execution")] == ["0.002"]
    position = data(pushes, "position")[-1]
    assert (position["size"], position["side"]) == ("0", "")
    assert account.positions["linear", "BTCUSDT"].realised < 0  # bought the ask, sold the bid


def test_amend_and_cancel_push_their_updates() -> None:
    _market, account = setup()
    account.apply("create", "linear", linear(price="90000", orderLinkId="a"), T0)
    ref = {"category": "linear", "symbol": "BTCUSDT", "orderLinkId": "a"}
    outcome, pushes = account.apply("amend", "linear", {**ref, "price": "90001"}, T0 + 1)
    assert outcome.code == 0 and private(pushes) == [("order", "New"), ("position", "")]
    assert data(pushes, "order")[0]["price"] == "90001.00"
    outcome, pushes = account.apply("cancel", "linear", ref, T0 + 2)
    (order,) = data(pushes, "order")
    assert (order["orderStatus"], order["cancelType"]) == ("Cancelled", "CancelByUser")
    assert account.apply("cancel", "linear", ref, T0 + 3)[0].code == 110010
    # An amend that makes the order cross fills it at once.
    account.apply("create", "linear", linear(price="90000", orderLinkId="b"), T0)
    _, pushes = account.apply(
        "amend", "linear", {**ref, "orderLinkId": "b", "price": "110000"}, T0 + 4
    )
    assert private(pushes)[-5:][2] == ("order", "Filled")


def test_a_cancel_that_races_a_fill_gives_two_filled() -> None:
    _, account = setup()
    account.apply("create", "linear", linear(price="90000", orderLinkId="r"), T0)
    account.race_next_cancel = True
    ref = {"category": "linear", "symbol": "BTCUSDT", "orderLinkId": "r"}
    outcome, pushes = account.apply("cancel", "linear", ref, T0 + 1)
    assert outcome.code == 110001
    orders = [(o["orderStatus"], o["cancelType"], o["rejectReason"]) for o in data(pushes, "order")]
    assert orders == [
        ("Filled", "UNKNOWN", "EC_NoError"),
        ("Filled", "CancelByUser", "EC_OrigClOrdIDDoesNotExist"),
    ]
    assert not account.race_next_cancel
    assert account.apply("cancel", "linear", ref, T0 + 2)[0].code == 110008


def test_spot_checks_and_locks_the_wallet() -> None:
    _, account = setup(wallet={"USDT": "1000", "BTC": "0"})
    refused = account.apply("create", "spot", spot(price="90000", qty="0.1"), T0)[0]
    assert (refused.code, refused.msg) == (170131, "Insufficient balance.")
    assert account.apply("create", "spot", spot(side="Sell", price="1"), T0)[0].code == 170131
    ok = account.apply("create", "spot", spot(price="90000", qty="0.01", orderLinkId="s"), T0)
    assert ok[0].code == 0
    assert account.funds.coins["USDT"].locked == 900
    assert account.apply("create", "spot", spot(price="90000", qty="0.002"), T0)[0].code == 170131
    ref = {"category": "spot", "symbol": "BTCUSDT", "orderLinkId": "s"}
    account.apply("cancel", "spot", ref, T0)
    assert account.funds.coins["USDT"].locked == 0
    # A market buy is sized in USDT by default: it spends at most that.
    _, pushes = account.apply("create", "spot", spot(orderType="Market", qty="500"), T0)
    assert data(pushes, "order")[-1]["orderStatus"] == "Filled"
    assert 499 < 1000 - Decimal(account.wallet()["USDT"]) <= 500
    btc = sum(Decimal(e["execQty"]) for e in data(pushes, "execution"))
    assert Decimal(account.wallet()["BTC"]) == btc * Decimal("0.999")  # fee in the coin bought
    assert [p.category for p in pushes if p.topic == "position"] == []  # no spot positions


def test_tick_and_lot_sizes() -> None:
    _, account = setup()
    lot = account.apply("create", "linear", linear(price="90000", qty="0.0001"), T0)[0]
    assert (lot.code, lot.msg) == (10001, "qty: 0.0001 is not a multiple of the lot size 0.001")
    tick = account.apply("create", "linear", linear(price="90000.05"), T0)[0]
    assert tick.msg == "price: 90000.05 is not a multiple of the tick size 0.10"


def test_a_conditional_order_waits_for_its_trigger() -> None:
    market, account = setup()
    listing = market.listing("linear", "BTCUSDT")
    assert listing is not None
    above = listing.price.format(listing.last + 20)
    params = linear(orderType="Market", triggerPrice=above, orderLinkId="c")
    _, pushes = account.apply("create", "linear", params, T0)
    assert private(pushes) == [("order", "Untriggered"), ("position", "")]
    assert data(pushes, "order")[0]["triggerDirection"] == 1
    assert market.advance(T0 + 1000) == []
    market.take(listing, "Buy", 10**9, listing.last + 30, T0 + 1000)  # lift the price past it
    pushes = market.advance(T0 + 2000)
    assert [s for t, s in private(pushes) if t == "order"] == ["New", "Filled"]


def test_unlisted_symbols_rest_and_nothing_is_built_without_subscribers() -> None:
    _, account = setup()
    outcome, pushes = account.apply("create", "linear", linear(symbol="SOLUSDT", price="1"), T0)
    assert outcome.code == 0 and private(pushes) == [("order", "New"), ("position", "")]
    account.wants_pushes = False
    outcome, pushes = account.apply("create", "linear", linear(orderType="Market"), T0)
    assert (outcome.code, pushes) == (0, [])
    assert account.positions["linear", "BTCUSDT"].size == Decimal("0.001")


def test_the_trade_socket_orders_live_in_the_account() -> None:
    import json

    from bybit_wsapi.auth import sign_auth
    from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET, ServerConfig
    from bybit_wsapi.server.faults import Faults
    from bybit_wsapi.server.protocol import Engine, Pending

    engine = Engine(ServerConfig(rate_limit=False), Faults())
    session = engine.open_session()
    expires = T0 + 10_000
    auth = {"op": "auth", "args": [DEMO_API_KEY, expires, sign_auth(DEMO_API_SECRET, expires)]}
    engine.handle(session, json.dumps(auth), T0)
    header = {"X-BAPI-TIMESTAMP": str(T0)}
    items = [linear(orderType="Market", orderLinkId="b0"), linear(price="90000", orderLinkId="b1")]
    for item in items:
        del item["category"]
    frame = {
        "op": "order.create-batch",
        "header": header,
        "args": [{"category": "linear", "request": items}],
    }
    pending = engine.handle(session, json.dumps(frame), T0)
    assert isinstance(pending, Pending) and pending.ack_first
    reply = pending.apply(T0)
    assert [s["code"] for s in reply["retExtInfo"]["list"]] == [0, 0]  # type: ignore[index]
    assert [p.account for p in pending.pushes if p.account] == [DEMO_API_KEY] * 9
    assert private(pending.pushes)[-2:] == [("order", "New"), ("position", "")]
    assert [o["status"] for o in engine.orders(DEMO_API_KEY)] == ["Filled", "New"]
    assert engine.trading.accounts[DEMO_API_KEY].market is engine.trading.market


def test_inverse_positions_settle_in_the_base_coin() -> None:
    market, account = setup()
    listing = market.listing("inverse", "BTCUSD")
    assert listing is not None
    order = {"category": "inverse", "symbol": "BTCUSD", "orderType": "Market", "qty": "100"}
    _, opened = account.apply("create", "inverse", {**order, "side": "Buy"}, T0)
    (bought,) = data(opened, "execution")
    entry = Decimal(bought["execPrice"])
    q = Decimal("0.00000001")
    assert Decimal(bought["execValue"]) == (Decimal(100) / entry).quantize(q)  # contracts: USD
    assert bought["feeCurrency"] == "BTC"
    _, closed = account.apply("create", "inverse", {**order, "side": "Sell"}, T0 + 1)
    (sold,) = data(closed, "execution")
    exit_price = Decimal(sold["execPrice"])
    pnl = 100 * (1 / entry - 1 / exit_price)
    assert Decimal(sold["execPnl"]) == pnl.quantize(q)
    fees = (Decimal(100) / entry + Decimal(100) / exit_price) * Decimal("0.00055")
    assert abs(Decimal(account.wallet()["BTC"]) - (10 + pnl - fees)) < Decimal("1e-15")
    position = data(closed, "position")[-1]
    assert (position["size"], position["entryPrice"], position["seq"]) == ("0", "0", sold["seq"])
    (wallet,) = data(closed, "wallet")
    (btc,) = [c for c in wallet["coin"] if c["coin"] == "BTC"]
    assert Decimal(btc["walletBalance"]) == Decimal(account.wallet()["BTC"]).quantize(q)


def test_a_position_that_flips_opens_the_rest_at_the_fill_price() -> None:
    _, account = setup()
    buy = linear(orderType="Market", qty="0.002")
    account.apply("create", "linear", buy, T0)
    _, pushes = account.apply("create", "linear", {**buy, "side": "Sell", "qty": "0.005"}, T0)
    position = data(pushes, "position")[-1]
    executions = data(pushes, "execution")
    assert (position["side"], position["size"]) == ("Sell", "0.003")
    assert position["entryPrice"] == executions[-1]["execPrice"]
    assert Decimal(executions[0]["closedSize"]) == Decimal("0.002")
