"""Following orders from threads: the sync clients' ``track_orders`` / ``orders``."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from bybit_wsapi import (
    WS_KEY_MAP,
    ConfigurationError,
    RequestOutcomeUnknownError,
    WSAPIError,
    WSConnectionError,
)
from bybit_wsapi.orders import OrderAbsentError, OrderView
from bybit_wsapi.rest import RestClient
from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET, ServerThread
from bybit_wsapi.sync import WebsocketAPIClient, WebsocketClient

from ..orders import create
from .conftest import MakeClient

GUARD = 10.0
"""Seconds a blocking ``next()`` may take before the test counts it as hung."""


@pytest.fixture
def ws(bybit_ws_server: ServerThread) -> Iterator[WebsocketClient]:
    client = WebsocketClient(
        key=DEMO_API_KEY, secret=DEMO_API_SECRET, base_url=bybit_ws_server.base_url
    )
    yield client
    client.close()


def market(link: str) -> Any:
    return {k: v for k, v in create(link, orderType="Market").items() if k != "price"}


def test_orders_says_how_to_turn_tracking_on(make_client: MakeClient) -> None:
    client = make_client()
    with pytest.raises(ConfigurationError, match=r"ws\.track_orders\(rest="):
        client.orders  # noqa: B018
    tracker = client.track_orders(subscribe=False)
    assert client.orders is tracker is client.get_ws_client().orders
    with pytest.raises(ConfigurationError, match="on already"):
        client.track_orders()


def test_an_order_is_followed_to_its_fill_from_threads(bybit_ws_server: ServerThread) -> None:
    client = WebsocketAPIClient(
        key=DEMO_API_KEY, secret=DEMO_API_SECRET, base_url=bybit_ws_server.base_url
    )
    orders = client.track_orders()
    with ThreadPoolExecutor(2) as pool, orders.changes() as changes:
        waiting = pool.submit(orders.wait, "sy-1", "Filled", timeout=GUARD)
        client.submit_new_order(market("sy-1"))
        view = waiting.result(GUARD)
        assert isinstance(view, OrderView) and view.filled_qty > 0 and view.fills
        seen = []
        while not seen or seen[-1].phase != "closed":
            seen.append(pool.submit(next, changes).result(GUARD))
        assert seen[-1] == orders.get("sy-1") == orders.get(order_id=view.order_id)
        assert [v.order_link_id for v in orders.orders()] == ["sy-1"] and len(orders) == 1
        assert orders.unknown() == []
        client.close()
        with pytest.raises(StopIteration):
            next(changes)  # ended with the client


def test_a_lost_create_is_reconciled_then_resent_once(
    bybit_ws_server: ServerThread, ws: WebsocketClient
) -> None:
    http = bybit_ws_server.base_url.replace("ws://", "http://")
    rest = RestClient(key=DEMO_API_KEY, secret=DEMO_API_SECRET, base_url=http)
    orders = ws.track_orders(rest=rest)
    assert orders.rest is rest
    ws.connect_ws_api()
    bybit_ws_server.faults.drop_before_apply = True
    with pytest.raises(RequestOutcomeUnknownError):
        ws.send_ws_api_request(WS_KEY_MAP.v5_private_trade, "order.create", create("sy-2"))
    bybit_ws_server.faults.drop_before_apply = False
    assert [v.order_link_id for v in orders.unknown()] == ["sy-2"]
    with pytest.raises(OrderAbsentError, match="safe to resend"):
        orders.reconcile("sy-2", deadline=0)
    view = orders.resend_if_proven_absent(create("sy-2"), deadline=0)
    assert view.acked and len(bybit_ws_server.orders(DEMO_API_KEY)) == 1
    assert orders.wait("sy-2", "New", timeout=GUARD).status == "New"
    ws.close()
    assert rest._http.is_closed  # the sync client closed the RestClient it ran
    assert repr(orders).startswith("<BlockingOrderTracker on bybit-wsapi-loop-")
    with pytest.raises(WSConnectionError, match="closed"):
        orders.get("sy-2")


def test_a_batch_is_followed_per_item_from_threads(bybit_ws_server: ServerThread) -> None:
    with WebsocketAPIClient(
        key=DEMO_API_KEY, secret=DEMO_API_SECRET, base_url=bybit_ws_server.base_url
    ) as client:
        orders = client.track_orders()
        items = [{k: v for k, v in create(link).items() if k != "category"} for link in "ab"]
        client.batch_submit_orders("linear", items)
        placed = orders.wait("a", "New", timeout=GUARD)
        refused = [{"symbol": "BTCUSDT", "orderId": placed.order_id, "qty": "-1"}]
        reply = client.batch_amend_order("linear", refused)  # Bybit echoes no id for it
        assert reply["retExtInfo"]["list"][0]["code"] != 0
        view = orders.get("a")
        assert view is not None and isinstance(view.error, WSAPIError) and view.status == "New"
        assert orders.wait("b", "New", timeout=GUARD).error is None
