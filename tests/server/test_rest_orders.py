"""The REST mock's order queries: parameter refusals, history retention, coins, pages."""

from __future__ import annotations

from typing import Any

import pytest

from ..orders import cancel, create
from .rest_mock import DAY_MS, Mock

REALTIME, HISTORY = "/v5/order/realtime", "/v5/order/history"
BTC: dict[str, Any] = {"category": "linear", "symbol": "BTCUSDT"}


@pytest.fixture
def mock() -> Mock:
    return Mock()


def links(mock: Mock, path: str, **params: object) -> list[str]:
    reply = mock.get(path, **params)
    assert reply["retCode"] == 0, reply
    return [order["orderLinkId"] for order in reply["result"]["list"]]


@pytest.mark.parametrize(
    ("path", "params", "message"),
    [
        (REALTIME, {"symbol": "BTCUSDT"}, "category: one of linear, inverse, spot, option"),
        (HISTORY, {"category": "LINEAR"}, "category: one of"),
        (REALTIME, {"category": "linear"}, "symbol, baseCoin or settleCoin is required"),
        (REALTIME, {**BTC, "limit": 51}, "limit: an integer in [1, 50]"),
        (HISTORY, {**BTC, "limit": 0}, "limit: an integer in [1, 50]"),
        (HISTORY, {**BTC, "limit": -1}, "limit: an integer in [1, 50]"),
        (HISTORY, {**BTC, "endTime": "now"}, "startTime and endTime: integers (ms)"),
        (HISTORY, {**BTC, "startTime": 0, "endTime": 8 * DAY_MS}, "at most 7 days"),
        (REALTIME, {**BTC, "cursor": "page_args=1:2"}, "cursor: not a nextPageCursor"),
    ],
)
def test_bad_parameters_get_10001_and_say_which(
    mock: Mock, path: str, params: dict[str, object], message: str
) -> None:
    assert message in mock.refused(path, **params)


def test_history_keeps_unfilled_cancels_24_h_and_filled_orders_past_7_days(mock: Mock) -> None:
    start = mock.now
    mock.trade("create", create("unfilled"))
    mock.trade("create", create("partly", price="200000", qty="1000"))  # takes the whole book
    mock.trade("cancel", cancel("unfilled"))
    assert links(mock, HISTORY, **BTC) == ["unfilled"]  # "partly" is still open
    mock.trade("cancel", cancel("partly"))
    assert links(mock, HISTORY, **BTC) == ["partly", "unfilled"]
    mock.now = start + DAY_MS + 1
    assert links(mock, HISTORY, **BTC) == ["partly"]  # the unfilled cancel is gone after 24 h
    mock.now = start + 30 * DAY_MS
    assert links(mock, HISTORY, **BTC) == []  # outside the default window (the last 7 days)
    window = {"startTime": start, "endTime": start + DAY_MS}
    assert links(mock, HISTORY, **BTC, **window) == ["partly"]  # with fills: kept past 7 days


def test_realtime_by_coins_and_an_id_that_outranks_the_rest(mock: Mock) -> None:
    mock.trade("create", create("btc"))
    mock.trade("create", create("eth", symbol="ETHUSDT", qty="0.1", price="1000"))
    assert links(mock, REALTIME, category="linear", baseCoin="ETH") == ["eth"]
    assert links(mock, REALTIME, category="linear", settleCoin="USDT") == ["eth", "btc"]
    assert links(mock, REALTIME, category="linear", settleCoin="USDC") == []
    assert links(mock, REALTIME, category="linear", symbol="ETHUSDT", orderLinkId="btc") == ["btc"]


def test_order_pages_do_not_repeat_when_orders_arrive_between_them(mock: Mock) -> None:
    for n in range(5):
        mock.trade("create", create(f"o{n}"))
        mock.now += 1
    first = mock.get(REALTIME, **BTC, limit=2)["result"]
    mock.trade("create", create("newer"))
    second = mock.get(REALTIME, **BTC, limit=2, cursor=first["nextPageCursor"])["result"]
    third = mock.get(REALTIME, **BTC, limit=2, cursor=second["nextPageCursor"])["result"]
    walked = [o["orderLinkId"] for page in (first, second, third) for o in page["list"]]
    assert walked == ["o4", "o3", "o2", "o1", "o0"]
    assert third["nextPageCursor"] == ""


DOCUMENTED = {  # shared/bybit-rest-orders.md §4.2 for a linear order (spot-only ones left out)
    *("orderId", "orderLinkId", "parentOrderLinkId", "blockTradeId", "symbol", "price", "qty"),
    *("side", "isLeverage", "positionIdx", "timeInForce", "orderType", "reduceOnly"),
    *("closeOnTrigger", "placeType", "orderIv", "orderStatus", "createType", "cancelType"),
    *("rejectReason", "createdTime", "updatedTime", "avgPrice", "leavesQty", "leavesValue"),
    *("cumExecQty", "cumExecValue", "cumExecFee", "cumFeeDetail", "stopOrderType"),
    *("triggerPrice", "triggerBy", "triggerDirection", "takeProfit", "stopLoss", "tpslMode"),
    *("tpLimitPrice", "slLimitPrice", "tpTriggerBy", "slTriggerBy", "lastPriceOnCreated"),
    *("smpType", "smpGroup", "smpOrderId"),
}
HISTORY_ONLY = {"slippageToleranceType", "slippageTolerance", "extraFees", "rpiTakerAccess"}


def test_order_objects_have_the_documented_fields_and_types(mock: Mock) -> None:
    mock.trade("create", create("shape"))
    mock.trade("create", create("gone"))
    mock.trade("cancel", cancel("gone"))
    (live,) = mock.get(REALTIME, **BTC)["result"]["list"]
    (closed,) = mock.get(HISTORY, **BTC)["result"]["list"]
    for order in (live, closed):
        assert order.keys() >= DOCUMENTED
        assert not order.keys() & {"category", "closedPnl", "brokerOrderPrice", "feeCurrency"}
        assert {type(order[k]) for k in ("positionIdx", "triggerDirection", "smpGroup")} == {int}
        assert type(order["reduceOnly"]) is type(order["closeOnTrigger"]) is bool
        assert isinstance(order["cumFeeDetail"], dict)
    assert not live.keys() & HISTORY_ONLY and closed.keys() >= HISTORY_ONLY
    assert (live["orderStatus"], closed["orderStatus"]) == ("New", "Cancelled")
    assert (closed["cancelType"], closed["rejectReason"]) == ("CancelByUser", "EC_NoError")
    assert live["avgPrice"] == "" and type(closed["rpiTakerAccess"]) is bool


def test_a_spot_lookup_of_nothing_can_answer_170213(mock: Mock) -> None:
    spot = {"category": "spot", "symbol": "BTCUSDT", "orderLinkId": "nobody"}
    assert links(mock, REALTIME, **spot) == []
    mock.rest.options.spot_not_found_error = True
    reply = mock.get(REALTIME, **spot)
    assert (reply["retCode"], reply["retMsg"]) == (170213, "Order does not exist.")
    assert links(mock, REALTIME, category="spot", symbol="BTCUSDT") == []  # a list: no error
    assert links(mock, REALTIME, **{**spot, "category": "linear"}) == []
