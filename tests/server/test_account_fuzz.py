"""Random order flows against a moving market keep the account's books consistent."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bybit_wsapi.server.account import Account
from bybit_wsapi.server.market import Market, MarketConfig, Push

T0 = 1_767_225_600_000
DEPTHS = {"linear": {50: 20}, "inverse": {50: 20}, "spot": {50: 20}, "option": {25: 20}}
CONFIG = MarketConfig(levels=60, depths=DEPTHS, volatility_ticks=3)
TERMINAL = {"Filled", "Cancelled", "PartiallyFilledCanceled", "Rejected", "Deactivated"}
INSTRUMENTS = {
    ("linear", "BTCUSDT"): ("0.001", Decimal("100000")),
    ("spot", "BTCUSDT"): ("0.001", Decimal("100000")),
    ("inverse", "BTCUSD"): ("1", Decimal("100000")),
}

create = st.fixed_dictionaries(
    {
        "op": st.just("create"),
        "instrument": st.sampled_from(sorted(INSTRUMENTS)),
        "side": st.sampled_from(["Buy", "Sell"]),
        "type": st.sampled_from(["Market", "Limit"]),
        "tif": st.sampled_from(["GTC", "IOC", "FOK", "PostOnly"]),
        "lots": st.integers(1, 400),
        "offset": st.integers(-40, 40),
        "reduce": st.booleans(),
    }
)
other = st.fixed_dictionaries(
    {
        "op": st.sampled_from(["amend", "cancel", "race", "advance"]),
        "index": st.integers(0, 30),
        "offset": st.integers(-40, 40),
        "ms": st.integers(20, 3000),
    }
)


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(st.one_of(create, other), min_size=1, max_size=30))
def test_random_flows_keep_the_account_consistent(ops: list[dict[str, Any]]) -> None:
    market = Market(CONFIG, seed=1)
    account = Account("k", market, seed=1)
    now = T0
    created: list[tuple[str, str, str]] = []
    pushes: list[Push] = []
    for op in ops:
        if op["op"] == "create":
            category, symbol = op["instrument"]
            lot, price = INSTRUMENTS[op["instrument"]]
            params: dict[str, Any] = {
                "category": category,
                "symbol": symbol,
                "side": op["side"],
                "orderType": op["type"],
                "qty": str(Decimal(lot) * op["lots"]),
                "timeInForce": op["tif"],
                "orderLinkId": f"o{len(created)}",
            }
            if op["type"] == "Limit":
                params["price"] = str(price + op["offset"] * 10)
            if op["reduce"] and category != "spot":
                params["reduceOnly"] = True
            outcome, caused = account.apply("create", category, params, now)
            if outcome.code == 0:
                created.append((category, symbol, outcome.order_link_id))
            else:
                assert caused == [] and outcome.code in (110017, 170131), outcome
            pushes += caused
        elif op["op"] == "advance":
            now += op["ms"]
            pushes += market.advance(now)
        elif created:
            category, symbol, link = created[op["index"] % len(created)]
            ref = {"category": category, "symbol": symbol, "orderLinkId": link}
            if op["op"] == "race":
                account.race_next_cancel = True
            if op["op"] == "amend":
                _, price = INSTRUMENTS[(category, symbol)]
                ref["price"] = str(price + op["offset"] * 10 + 5)
            outcome, caused = account.apply(
                "amend" if op["op"] == "amend" else "cancel", category, ref, now
            )
            account.race_next_cancel = False
            pushes += caused
    check(account, pushes)


def check(account: Account, pushes: list[Push]) -> None:
    # Coins: never a negative lock, and every lock belongs to an open order.
    for coin in account.funds.coins.values():
        assert coin.locked >= 0, coin
    # Positions: the signed sum of their executions.
    sums: dict[tuple[str, str], Decimal] = {}
    statuses: dict[str, list[str]] = {}
    for push in pushes:
        if push.account is None:
            continue
        for item in push.message["data"]:  # type: ignore[attr-defined]
            if push.topic == "execution":
                sign = 1 if item["side"] == "Buy" else -1
                key = (item["category"], item["symbol"])
                sums[key] = sums.get(key, Decimal(0)) + sign * Decimal(item["execQty"])
            elif push.topic == "order":
                statuses.setdefault(item["orderId"], []).append(item["orderStatus"])
                assert (
                    Decimal(item["cumExecQty"]) <= Decimal(item["qty"])
                    or item["category"] == "spot"
                )
    for key, position in account.positions.items():
        assert position.size == sums.get(key, Decimal(0)), (key, position)
    # Order statuses: nothing follows a terminal one but the cancel race's second Filled.
    for history in statuses.values():
        for before, after in itertools.pairwise(history):
            if before in TERMINAL:
                assert (before, after) == ("Filled", "Filled"), history
    # Spot locks: none once no spot order is open.
    open_spot = [
        o for o in account.orders() if o["category"] == "spot" and o["status"] not in TERMINAL
    ]
    if not open_spot:
        assert all(coin.locked == 0 for coin in account.funds.coins.values())
