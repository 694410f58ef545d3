"""The sync client's calls: the same replies and errors as the async client, from any thread."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from bybit_wsapi import (
    WS_KEY_MAP,
    AuthenticationError,
    ConfigurationError,
    RequestNotSentError,
    RequestOutcomeUnknownError,
    RequestTimeoutError,
    WSAPIError,
    WSConnectionError,
    failed_items,
)
from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET, ServerThread
from bybit_wsapi.sync import WebsocketAPIClient, WebsocketClient

from ..orders import ORDER, amend, cancel, create
from .conftest import MakeClient, client_threads


def test_every_trade_call_returns_its_reply(
    make_client: MakeClient, bybit_ws_server: ServerThread
) -> None:
    client = make_client()
    created = client.submit_new_order(create("s-1"))
    assert created["retCode"] == 0
    assert created["op"] == "order.create"
    assert created["data"]["orderLinkId"] == "s-1"
    assert created["wsKey"] == WS_KEY_MAP.v5_private_trade
    assert created["meta"]["rttMs"] > 0
    assert created["meta"]["rateLimit"] == 10
    assert client.amend_order(amend("s-1", "10001"))["data"]["orderLinkId"] == "s-1"
    assert client.cancel_order(cancel("s-1"), timeout=5.0)["op"] == "order.cancel"
    items = [{k: v for k, v in create(f"b-{i}").items() if k != "category"} for i in range(2)]
    batch = client.batch_submit_orders("linear", items)
    assert [item["orderLinkId"] for item in batch["data"]["list"]] == ["b-0", "b-1"]
    assert failed_items(batch) == []
    amended = client.batch_amend_order(
        "linear",
        [{"symbol": "BTCUSDT", "orderLinkId": link, "price": "10002"} for link in ("b-0", "nope")],
    )
    assert [f.index for f in failed_items(amended)] == [1]
    gone = client.batch_cancel_order(
        "linear", [{"symbol": "BTCUSDT", "orderLinkId": link} for link in ("b-0", "b-1")]
    )
    assert gone["op"] == "order.cancel-batch"
    orders = {o["orderLinkId"]: o["status"] for o in bybit_ws_server.orders(DEMO_API_KEY)}
    assert orders == {"s-1": "Cancelled", "b-0": "Cancelled", "b-1": "Cancelled"}


def test_the_raw_send_gives_the_same_reply(bybit_ws_server: ServerThread) -> None:
    with WebsocketClient(
        key=DEMO_API_KEY, secret=DEMO_API_SECRET, ws_url=bybit_ws_server.url
    ) as ws:
        assert ws.is_connected
        reply = ws.send_ws_api_request(WS_KEY_MAP.v5_private_trade, "order.create", ORDER)
        assert reply["op"] == "order.create"
        assert reply["data"]["orderId"]
        assert ws.in_flight == 0
        assert ws.url == bybit_ws_server.url
        assert repr(ws).startswith("<bybit_wsapi.sync.WebsocketClient key=bybi… ")
    assert not ws.is_connected


def test_api_errors_are_the_async_clients_errors(make_client: MakeClient) -> None:
    client = make_client()
    with pytest.raises(WSAPIError) as info:
        client.cancel_order(cancel("never-placed"))
    assert info.value.ret_code == 110001
    assert info.value.outcome == "rejected"
    assert info.value.params == cancel("never-placed")
    with pytest.raises(ConfigurationError, match="timeout"):
        client.submit_new_order(ORDER, timeout=-1)
    with pytest.raises(ConfigurationError, match="v5PrivateTrade"):
        client.get_ws_client().send_ws_api_request("v5Private", "order.create", ORDER)


def test_a_late_reply_raises_request_timeout_error(
    make_client: MakeClient, bybit_ws_server: ServerThread
) -> None:
    client = make_client()
    client.connect()
    bybit_ws_server.faults.delay_ms = 60_000
    with pytest.raises(RequestTimeoutError) as info:
        client.submit_new_order(create("late"), timeout=0.05)
    assert info.value.outcome == "unknown"
    assert info.value.params == create("late")


def test_bad_options_fail_in_the_constructor_and_leave_no_thread() -> None:
    before = {t.name for t in threading.enumerate()}
    with pytest.raises(ConfigurationError, match="request_timeout"):
        WebsocketAPIClient(key="k", secret="s", request_timeout=-1)
    with pytest.raises(ConfigurationError, match="demo"):
        WebsocketAPIClient(key="k", secret="s", demo_trading=True)
    assert {t.name for t in threading.enumerate()} == before


def test_rejected_credentials_raise_and_with_leaves_no_thread(
    bybit_ws_server: ServerThread,
) -> None:
    before = {t.name for t in threading.enumerate()}
    client = WebsocketAPIClient(key=DEMO_API_KEY, secret="wrong", ws_url=bybit_ws_server.url)
    with pytest.raises(AuthenticationError), client:
        pytest.fail("with must not enter")
    assert {t.name for t in threading.enumerate()} == before


def test_with_connects_and_closes(make_client: MakeClient) -> None:
    client = make_client()
    with client as entered:
        assert entered is client
        assert client.get_ws_client().is_connected
        assert client_threads(client) == [client.get_ws_client()._loop.name]
    assert not client.get_ws_client().is_connected
    assert client_threads(client) == []
    with pytest.raises(RequestNotSentError, match="closed") as info:
        client.submit_new_order(ORDER)
    assert info.value.outcome == "not_sent"
    with pytest.raises(WSConnectionError, match="closed"):
        client.connect()
    client.close()  # again: nothing happens


def test_close_fails_a_pending_call_with_a_clear_error(
    make_client: MakeClient, bybit_ws_server: ServerThread
) -> None:
    client = make_client()
    client.connect()
    bybit_ws_server.faults.delay_ms = 60_000
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(client.submit_new_order, create("pending"))
        bybit_ws_server.wait_received(1)
        client.close()
        error = pending.exception()
    assert isinstance(error, RequestOutcomeUnknownError)
    assert "closed" in str(error)
    assert error.params == create("pending")


def test_many_threads_call_one_client_at_once(
    make_client: MakeClient, bybit_ws_server: ServerThread
) -> None:
    client = make_client()
    links = [f"t{thread}-{i}" for thread in range(8) for i in range(25)]
    with ThreadPoolExecutor(8) as pool:
        replies = list(pool.map(lambda link: client.submit_new_order(create(link)), links))
    assert [r["data"]["orderLinkId"] for r in replies] == links
    assert len({r["data"]["orderId"] for r in replies}) == len(links)
    assert len({r["reqId"] for r in replies}) == len(links)
    assert sorted(o["orderLinkId"] for o in bybit_ws_server.orders(DEMO_API_KEY)) == sorted(links)


def test_an_unclosed_client_is_closed_when_collected(bybit_ws_server: ServerThread) -> None:
    client = WebsocketAPIClient(
        key=DEMO_API_KEY, secret=DEMO_API_SECRET, ws_url=bybit_ws_server.url
    )
    client.connect()
    names = client_threads(client)
    assert names
    del client  # no cycle holds it: collected now, and the finalizer closes it
    assert not [t for t in threading.enumerate() if t.name in names]
    bybit_ws_server.wait_connections(0)
