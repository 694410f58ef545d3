"""The REST mock's execution log and pages, on the pure ``RestServer`` in fake time.

Every fill the matching makes is served by ``/v5/execution/list`` as the ``execution`` push
carried it, with Bybit's filters, window, retention and ``nextPageCursor`` pages.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from bybit_wsapi.server.account import AccountConfig
from bybit_wsapi.server.account.executions import RETENTION_MS

from ..orders import cancel, create
from .rest_mock import DAY_MS, Mock

DOCUMENTED = {  # shared/bybit-rest-orders.md §6: every field of an execution, no other
    *("symbol", "orderId", "orderLinkId", "side", "orderPrice", "orderQty", "leavesQty"),
    *("createType", "orderType", "stopOrderType", "execFee", "execFeeV2", "execId"),
    *("execPrice", "execQty", "execType", "execValue", "execTime", "feeCurrency", "isMaker"),
    *("feeRate", "tradeIv", "markIv", "markPrice", "indexPrice", "underlyingPrice"),
    *("blockTradeId", "closedSize", "seq", "extraFees"),
}


@pytest.fixture
def mock() -> Mock:
    return Mock()


def test_every_fill_is_listed_as_pushed_newest_first(mock: Mock) -> None:
    mock.buy("first")
    mock.now += 10
    mock.buy("second", qty="0.2")
    listed = mock.executions(limit=100)["list"]
    assert len(listed) == len(mock.pushed) > 2  # a market order takes several levels
    assert all(row.keys() == DOCUMENTED for row in listed)  # the push's extras left out
    assert listed == [
        {key: item.get(key, "") for key in DOCUMENTED} for item in reversed(mock.pushed)
    ]
    links = [row["orderLinkId"] for row in listed]
    assert links == sorted(links, reverse=True) and set(links) == {"first", "second"}
    times = [int(row["execTime"]) for row in listed]
    assert times == sorted(times, reverse=True)
    order = next(o for o in mock.account.orders() if o["orderLinkId"] == "first")
    mine = [row for row in listed if row["orderLinkId"] == "first"]
    assert sum(float(row["execQty"]) for row in mine) == pytest.approx(0.5)
    assert {row["orderId"] for row in mine} == {order["orderId"]}


def test_fills_are_logged_while_nobody_subscribes(mock: Mock) -> None:
    mock.account.wants_pushes = False
    mock.buy("quiet", qty="0.01")
    assert mock.pushed == []
    rows = mock.executions(orderLinkId="quiet")["list"]
    assert rows and all(row["execType"] == "Trade" for row in rows)


def test_filters_and_the_id_priority(mock: Mock) -> None:
    mock.buy("btc", qty="0.01")
    mock.buy("eth", qty="0.1", symbol="ETHUSDT")
    mock.buy("inv", qty="100", category="inverse", symbol="BTCUSD")
    eth = mock.executions(symbol="ETHUSDT")["list"]
    assert eth and {row["orderLinkId"] for row in eth} == {"eth"}
    assert {row["orderLinkId"] for row in mock.executions(baseCoin="ETH")["list"]} == {"eth"}
    assert {r["orderLinkId"] for r in mock.executions(settleCoin="USDT")["list"]} == {"btc", "eth"}
    assert mock.executions(settleCoin="USDC")["list"] == []
    inverse = mock.executions(category="inverse", settleCoin="BTC")["list"]
    assert {row["orderLinkId"] for row in inverse} == {"inv"}
    assert mock.executions(execType="Funding")["list"] == []
    # an id makes every other filter ignored (not the category)
    by_link = mock.executions(orderLinkId="btc", symbol="ETHUSDT", execType="Funding")["list"]
    assert by_link and {row["orderLinkId"] for row in by_link} == {"btc"}
    order_id = by_link[0]["orderId"]
    assert mock.executions(orderId=order_id, orderLinkId="eth")["list"] == by_link
    assert mock.executions(orderLinkId="nobody")["list"] == []
    assert mock.executions(category="spot")["list"] == []


def test_the_time_window_and_the_two_year_retention(mock: Mock) -> None:
    mock.buy("old", qty="0.01")
    mock.now += 8 * DAY_MS
    mock.buy("new", qty="0.01")
    default = mock.executions()["list"]  # the last 7 days
    assert {row["orderLinkId"] for row in default} == {"new"}
    old = mock.executions(startTime=0, endTime=DAY_MS)["list"]
    assert old and {row["orderLinkId"] for row in old} == {"old"}
    assert {r["orderLinkId"] for r in mock.executions(startTime=1_000)["list"]} == {"old"}
    assert mock.executions(orderLinkId="old")["list"] == old  # an id ignores the window
    mock.now = 1_000 + RETENTION_MS + 1  # "old" is past 2 years
    assert mock.executions(orderLinkId="old")["list"] == []
    assert mock.executions(orderLinkId="new")["list"]
    assert len(mock.account.executions) == len(default) + len(old)  # pruned at the next fill
    mock.buy("later", qty="0.01")
    assert len(mock.account.executions) == len(mock.pushed) - len(old)


def test_visibility_delay_hides_young_fills(mock: Mock) -> None:
    mock.buy("young", qty="0.01")
    mock.rest.options.visibility_delay_ms = 50
    assert mock.executions(orderLinkId="young")["list"] == []
    mock.now += 50
    assert mock.executions(orderLinkId="young")["list"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "category: one of linear, inverse, spot, option"),
        ({"category": "futures"}, "category: one of"),
        ({"category": "linear", "limit": 0}, r"limit: an integer in [1, 100]"),
        ({"category": "linear", "limit": 101}, r"limit: an integer in [1, 100]"),
        ({"category": "linear", "limit": "ten"}, r"limit: an integer in [1, 100]"),
        ({"category": "linear", "startTime": "yesterday"}, "startTime and endTime: integers"),
        ({"category": "linear", "startTime": 0, "endTime": 7 * DAY_MS + 1}, "at most 7 days"),
        ({"category": "linear", "startTime": 10, "endTime": 5}, "not be before startTime"),
        ({"category": "linear", "cursor": "garbage"}, "cursor: not a nextPageCursor"),
    ],
)
def test_bad_parameters_get_10001(mock: Mock, params: dict[str, object], message: str) -> None:
    assert message in mock.refused("/v5/execution/list", **params)


def test_pages_walk_every_fill_once_even_as_new_ones_come(mock: Mock) -> None:
    mock.buy("a", qty="1")
    total = len(mock.executions(limit=100)["list"])
    assert total > 5
    first = mock.executions(limit=2)
    mock.now += 1
    mock.buy("b", qty="0.01")  # new fills land on top: the pages already walked do not shift
    seen, cursor, pages = list(first["list"]), first["nextPageCursor"], 1
    while cursor:
        page = mock.executions(limit=2, cursor=cursor)
        seen += page["list"]
        cursor, pages = page["nextPageCursor"], pages + 1
    assert [row["execId"] for row in seen] == [
        row["execId"] for row in mock.executions(limit=100, orderLinkId="a")["list"]
    ]
    assert pages == (total + 1) // 2
    # exactly one page: no cursor; a page limit changed mid-walk is fine
    assert mock.executions(limit=total, orderLinkId="a")["nextPageCursor"] == ""
    next_of_first = mock.executions(limit=3, orderLinkId="a")["nextPageCursor"]
    again = mock.executions(limit=1, orderLinkId="a", cursor=quote(next_of_first, safe=""))
    assert again["list"][0]["execId"] == seen[3]["execId"]  # encoded once more: the same page
    assert mock.executions(orderLinkId="none") == {
        "category": "linear",
        "list": [],
        "nextPageCursor": "",
    }


def test_a_cursor_of_another_query_is_refused(mock: Mock) -> None:
    mock.buy("a", qty="1")
    for link in ("x", "y", "z"):
        mock.trade("create", create(link))
    mock.trade("cancel", cancel("y"))
    cursor = mock.executions(limit=1)["nextPageCursor"]
    assert cursor
    other = mock.refused("/v5/execution/list", category="linear", symbol="BTCUSDT", cursor=cursor)
    assert "the nextPageCursor of another query" in other
    opened = mock.get("/v5/order/realtime", category="linear", symbol="BTCUSDT", limit=1)
    order_cursor = opened["result"]["nextPageCursor"]
    assert order_cursor
    assert "another query" in mock.refused(
        "/v5/order/history", category="linear", symbol="BTCUSDT", limit=1, cursor=order_cursor
    )
    rest_of_it = mock.get(
        "/v5/order/realtime", category="linear", symbol="BTCUSDT", limit=5, cursor=order_cursor
    )
    assert [o["orderLinkId"] for o in rest_of_it["result"]["list"]] == ["x"]
    assert rest_of_it["result"]["nextPageCursor"] == ""


def test_the_log_keeps_the_newest_executions_kept() -> None:
    mock = Mock(AccountConfig(executions_kept=3))
    mock.buy("big", qty="1")
    assert len(mock.pushed) > 3 and len(mock.account.executions) == 3
    listed = mock.executions()["list"]
    assert [row["execId"] for row in listed] == [row["execId"] for row in mock.pushed[:-4:-1]]
    with pytest.raises(ValueError, match="executions_kept: at least 1"):
        AccountConfig(executions_kept=0)
