"""A sync ``RestClient`` behind a sync WS client's order tracker (``rest=rest.queries``)."""

from __future__ import annotations

import asyncio
import threading

import pytest

from bybit_wsapi import WS_KEY_MAP, RequestOutcomeUnknownError
from bybit_wsapi.orders import OrderAbsentError
from bybit_wsapi.rest import RestHTTPError
from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET, ServerThread
from bybit_wsapi.sync import RestClient, WebsocketClient

from ..orders import create

GUARD = 10.0
"""Seconds a wait may take before the test counts it as hung."""


def test_a_lost_create_is_reconciled_over_the_sync_rest_client(
    bybit_ws_server: ServerThread,
) -> None:
    http = bybit_ws_server.base_url.replace("ws://", "http://")
    rest = RestClient(key=DEMO_API_KEY, secret=DEMO_API_SECRET, base_url=http)
    ws = WebsocketClient(
        key=DEMO_API_KEY, secret=DEMO_API_SECRET, base_url=bybit_ws_server.base_url
    )
    try:
        orders = ws.track_orders(rest=rest.queries)
        ws.connect_ws_api()
        bybit_ws_server.faults.drop_before_apply = True
        with pytest.raises(RequestOutcomeUnknownError):
            ws.send_ws_api_request(WS_KEY_MAP.v5_private_trade, "order.create", create("sr-1"))
        bybit_ws_server.faults.drop_before_apply = False
        with pytest.raises(OrderAbsentError, match="safe to resend"):
            orders.reconcile("sr-1", deadline=0)
        view = orders.resend_if_proven_absent(create("sr-1"), deadline=0)
        assert view.acked and orders.wait("sr-1", "New", timeout=GUARD).status == "New"
        ws.close()
        still = rest.get_open_orders(category="linear", symbol="BTCUSDT")["list"]
        assert [o["orderLinkId"] for o in still] == ["sr-1"]  # the WS close left rest open
        loop = rest._loop.name
        rest.close()
        assert not any(t.name == loop for t in threading.enumerate())
    finally:
        ws.close()
        rest.close()


def test_queries_of_a_closed_client_say_so(bybit_ws_server: ServerThread) -> None:
    http = bybit_ws_server.base_url.replace("ws://", "http://")
    rest = RestClient(key=DEMO_API_KEY, secret=DEMO_API_SECRET, base_url=http)
    ws = WebsocketClient(
        key=DEMO_API_KEY, secret=DEMO_API_SECRET, base_url=bybit_ws_server.base_url
    )
    try:
        orders = ws.track_orders(rest=rest.queries)
        assert "queries of <bybit_wsapi.sync.RestClient" in repr(orders.rest)
        rest.close()
        with pytest.raises(RestHTTPError, match="the RestClient is closed"):
            asyncio.run(rest.queries.get_executions(category="linear"))
    finally:
        ws.close()
