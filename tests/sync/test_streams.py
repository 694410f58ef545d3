"""Sync streams: blocking iterators, callbacks of pushes, books, against the local server."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from bybit_wsapi import WS_KEY_MAP, ConfigurationError, SubscriptionError
from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET, ServerThread
from bybit_wsapi.sync import WebsocketClient

from ..orders import create

GUARD = 10.0
"""Seconds a blocking ``next()`` may take before the test counts it as hung."""


@pytest.fixture
def ws(bybit_ws_server: ServerThread) -> Iterator[WebsocketClient]:
    client = WebsocketClient(
        key=DEMO_API_KEY, secret=DEMO_API_SECRET, base_url=bybit_ws_server.base_url
    )
    yield client
    client.close()


def _next(iterator: Any, pool: ThreadPoolExecutor) -> Any:
    """``next(iterator)`` on another thread, so a missing message fails instead of hanging."""
    return pool.submit(next, iterator).result(GUARD)


def test_a_private_stream_iterates_typed_messages(ws: WebsocketClient) -> None:
    with ThreadPoolExecutor(1) as pool, ws.stream_orders("linear") as orders:
        assert (orders.topic, orders.ws_key) == ("order.linear", WS_KEY_MAP.v5_private)
        ws.send_ws_api_request(WS_KEY_MAP.v5_private_trade, "order.create", create("it-1"))
        message = _next(orders, pool)
    assert message["topic"] == "order.linear"
    (order,) = message["data"]
    assert (order["orderLinkId"], order["orderStatus"]) == ("it-1", "New")


def test_updates_reach_the_callback_thread(ws: WebsocketClient) -> None:
    seen: list[tuple[str, str, str]] = []
    done = threading.Event()

    def on_update(message: dict[str, Any]) -> None:
        seen.append((threading.current_thread().name, message["topic"], message["wsKey"]))
        done.set()

    ws.on("update", on_update)
    ws.subscribe_v5(["order"])
    assert ws.stream_status()["v5Private"].confirmed == {"order"}
    ws.send_ws_api_request(WS_KEY_MAP.v5_private_trade, "order.create", create("up-1"))
    assert done.wait(GUARD)
    assert seen[0] == (ws.callback_thread_name, "order", "v5Private")
    ws.unsubscribe_v5("order")


def test_refused_topics_raise_subscription_error(ws: WebsocketClient) -> None:
    with pytest.raises(SubscriptionError) as info:
        ws.subscribe_v5(["tickers.NOSUCH"], category="linear")
    assert list(info.value.failures) == ["tickers.NOSUCH"]
    with pytest.raises(ConfigurationError):
        ws.subscribe_v5("tickers.BTCUSDT")  # a public topic needs its category


def test_a_public_stream_and_a_book_start_from_a_snapshot(ws: WebsocketClient) -> None:
    with ThreadPoolExecutor(1) as pool:
        trades_book = ws.stream_orderbook("linear", "BTCUSDT", 50)
        first = _next(trades_book, pool)  # iterating subscribes
        assert (first["topic"], first["type"]) == ("orderbook.50.BTCUSDT", "snapshot")
        trades_book.close()
        assert list(trades_book) == []
        with ws.order_book("linear", "BTCUSDT", 50) as book:
            now = book.snapshot()
            assert now.synced and now.symbol == "BTCUSDT"
            assert now.best_bid is not None and now.best_ask is not None
            assert now.spread is not None and now.spread > 0
            assert len(now.bids) <= 50
    with pytest.raises(ConfigurationError, match="depth"):
        ws.order_book("linear", "BTCUSDT", 3)


def test_closing_the_client_ends_the_iteration(ws: WebsocketClient) -> None:
    with ThreadPoolExecutor(1) as pool:
        orders = ws.stream_orders()
        orders.__enter__()
        waiting = pool.submit(list, orders)  # blocks in next() until the end
        ws.close()
        assert waiting.result(GUARD) == []
    orders.close()  # after the client closed: nothing to do
