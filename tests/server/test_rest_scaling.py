"""The REST mock's order queries build order objects for the page only, whatever the count."""

from __future__ import annotations

from typing import Any

import pytest

from bybit_wsapi.server import rest_queries

from ..orders import cancel, create
from .rest_mock import Mock

REALTIME, HISTORY = "/v5/order/realtime", "/v5/order/history"
BTC: dict[str, Any] = {"category": "linear", "symbol": "BTCUSDT"}


def _mock(orders: int) -> Mock:
    """``orders`` limit orders, every second one cancelled (so history has rows)."""
    mock = Mock()
    for number in range(orders):
        mock.now += 1
        mock.trade("create", create(f"o{number}"))
        if number % 2:
            mock.trade("cancel", cancel(f"o{number}"))
    mock.now += 10
    return mock


def _built(mock: Mock, monkeypatch: pytest.MonkeyPatch, path: str, **params: object) -> int:
    """How many order objects one query builds (its page has that many rows: checked)."""
    calls: list[object] = []
    build = rest_queries.order_item

    def counted(*args: Any) -> Any:
        calls.append(args)
        return build(*args)

    monkeypatch.setattr(rest_queries, "order_item", counted)
    reply = mock.get(path, **params)
    monkeypatch.setattr(rest_queries, "order_item", build)
    assert reply["retCode"] == 0, reply
    assert len(reply["result"]["list"]) == len(calls)
    return len(calls)


@pytest.mark.parametrize(
    ("path", "params", "rows"),
    [
        (REALTIME, {**BTC, "orderLinkId": "o4"}, 1),
        (REALTIME, {**BTC, "orderLinkId": "o5"}, 1),  # closed, in the closed buffer
        (REALTIME, {**BTC, "limit": 5}, 5),
        (REALTIME, {**BTC, "openOnly": 1, "limit": 3}, 3),
        (HISTORY, {"category": "linear", "limit": 4}, 4),
        (HISTORY, {"category": "linear", "orderLinkId": "nobody"}, 0),
    ],
)
def test_a_query_builds_only_its_page_whatever_the_order_count(
    monkeypatch: pytest.MonkeyPatch, path: str, params: dict[str, Any], rows: int
) -> None:
    small, large = _mock(10), _mock(200)
    built = [_built(mock, monkeypatch, path, **params) for mock in (small, large)]
    assert built == [rows, rows]


def test_an_id_lookup_sees_a_closed_order_only_within_the_closed_buffer() -> None:
    mock = _mock(9)  # o1, o3, o5, o7 closed (in that order), the rest open
    mock.rest.options.closed_buffer = 2  # fewer than the orders: the lookup ranks the closed
    kept = [
        order["orderLinkId"] for order in mock.get(REALTIME, **BTC, openOnly=1)["result"]["list"]
    ]
    assert kept == ["o7", "o5"]
    found = {
        link: [
            o["orderLinkId"] for o in mock.get(REALTIME, **BTC, orderLinkId=link)["result"]["list"]
        ]
        for link in ("o1", "o3", "o5", "o7", "o8")
    }
    assert found == {"o1": [], "o3": [], "o5": ["o5"], "o7": ["o7"], "o8": ["o8"]}
