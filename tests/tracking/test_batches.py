"""Batch operations tracked per item: accepted, rejected in the reply, or all unknown."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bybit_wsapi import (
    RequestOutcomeUnknownError,
    WebsocketAPIClient,
    WSAPIError,
)
from bybit_wsapi.orders import OrderTracker, OrderUnreachableError
from bybit_wsapi.rest import RestClient
from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET, LocalServer

from ..orders import create
from .pushes import ack, order, order_push

pytestmark = pytest.mark.anyio


def item(link: str, **extra: Any) -> dict[str, Any]:
    return {k: v for k, v in create(link, **extra).items() if k != "category"}


def batch_reply(op: str, *results: tuple[str, str, int]) -> dict[str, Any]:
    """A batch reply: one ``(orderLinkId, orderId, code)`` per item, in request order."""
    return {
        "reqId": "b-1",
        "retCode": 0,
        "op": op,
        "data": {
            "list": [
                {"category": "linear", "symbol": "BTCUSDT", "orderId": oid, "orderLinkId": link}
                for link, oid, _ in results
            ]
        },
        "retExtInfo": {"list": [{"code": c, "msg": "OK" if not c else "no"} for *_, c in results]},
    }


def test_a_create_batch_reply_tracks_each_item_and_its_rejection() -> None:
    tracker = OrderTracker()
    tracker.on_reply(batch_reply("order.create-batch", ("b0", "id-b0", 0), ("b1", "", 10001)))
    ok, bad = tracker.get("b0"), tracker.get("b1")
    assert ok is not None and ok.acked and ok.phase == "open" and ok.order_id == "id-b0"
    assert bad is not None and bad.phase == "failed" and not bad.acked
    assert isinstance(bad.error, WSAPIError) and bad.error.ret_code == 10001
    assert bad.error.op == "order.create-batch" and bad.error.outcome == "rejected"
    assert (bad.category, bad.symbol) == ("linear", "BTCUSDT")
    assert tracker.unknown() == []


async def test_a_batch_reply_seen_twice_changes_nothing_the_second_time() -> None:
    tracker = OrderTracker()
    changes = tracker.changes()
    reply = batch_reply("order.create-batch", ("b0", "id-b0", 0), ("b1", "", 110007))
    params = {"category": "linear", "request": [item("b0"), item("b1")]}
    tracker.on_reply(reply)  # the response event
    tracker.on_reply(reply, params)  # then the call's own result, with its request
    changes.close()
    seen = [(view.order_link_id, view.phase) async for view in changes]
    assert seen == [("b0", "open"), ("b1", "failed")]  # once each


def test_a_refused_amend_item_is_named_by_the_request_only() -> None:
    tracker = OrderTracker()
    tracker.on_push(order_push(order("a", "New", oid="111")))
    reply = batch_reply("order.amend-batch", ("", "", 10001))  # Bybit echoes no id
    tracker.on_reply(reply)
    assert (view := tracker.get("a")) is not None and view.error is None
    params = {"category": "linear", "request": [{"symbol": "BTCUSDT", "orderId": "111"}]}
    tracker.on_reply(reply, params)
    assert (view := tracker.get("a")) is not None and isinstance(view.error, WSAPIError)
    assert view.status == "New" and view.unsettled is None
    tracker.on_reply(
        batch_reply("order.cancel-batch", ("", "", 110001)),
        {"category": "linear", "request": [{"symbol": "BTCUSDT", "orderId": "nobody"}]},
    )
    tracker.on_reply(ack("zz", "order.cancel"))
    assert len(tracker) == 1  # an amend or cancel of an order never tracked adds nothing


def test_a_lost_batch_leaves_every_item_unknown_and_reconcilable() -> None:
    tracker = OrderTracker()
    params = {"category": "linear", "request": [item("u0"), item("u1")]}
    tracker.on_error(
        RequestOutcomeUnknownError("lost", op="order.create-batch", req_id="b", params=params)
    )
    unknown = {v.order_link_id: v for v in tracker.unknown()}
    assert unknown.keys() == {"u0", "u1"}
    assert all(
        (v.category, v.symbol, v.phase) == ("linear", "BTCUSDT", "unknown")
        for v in unknown.values()
    )
    cancels = {"category": "linear", "request": [{"symbol": "BTCUSDT", "orderLinkId": "u0"}]}
    tracker.on_push(order_push(order("u0", "New")))
    tracker.on_error(
        RequestOutcomeUnknownError("lost", op="order.cancel-batch", req_id="c", params=cancels)
    )
    view = tracker.get("u0")
    assert view is not None and view.unsettled is not None and view.unsettled.op == "order.cancel"
    assert [v.order_link_id for v in tracker.unknown()] == ["u0", "u1"]
    tracker.on_push(order_push(order("u0", "Cancelled", updated=2)))  # the stream settles it
    assert (view := tracker.get("u0")) is not None and view.unsettled is None


# ---- on the local server ------------------------------------------------------------------


@pytest.fixture
async def client(server: LocalServer) -> AsyncIterator[WebsocketAPIClient]:
    async with WebsocketAPIClient(
        key=DEMO_API_KEY,
        secret=DEMO_API_SECRET,
        base_url=server.base_url,
        reconnect_initial_delay=0.01,
        reconnect_max_delay=0.02,
    ) as made:
        yield made


async def test_a_batch_is_followed_per_item(client: WebsocketAPIClient) -> None:
    orders = await client.track_orders()
    reply = await client.batch_submit_orders("linear", [item("ok"), item("bad", qty="-1")])
    assert [s["code"] != 0 for s in reply["retExtInfo"]["list"]] == [False, True]
    assert (await orders.wait("ok", "New", timeout=5)).acked
    with pytest.raises(OrderUnreachableError, match="rejected"):
        await orders.wait("bad", "New", timeout=5)
    await client.batch_cancel_order("linear", [{"symbol": "BTCUSDT", "orderLinkId": "ok"}])
    assert (await orders.wait("ok", "Cancelled", timeout=5)).phase == "closed"


async def test_a_lost_batch_is_reconciled_item_by_item(
    server: LocalServer, client: WebsocketAPIClient
) -> None:
    http = server.base_url.replace("ws://", "http://")
    async with RestClient(key=DEMO_API_KEY, secret=DEMO_API_SECRET, base_url=http) as rest:
        orders = await client.track_orders(rest=rest, subscribe=False)  # REST alone settles
        server.faults.drop_after_apply = True
        with pytest.raises(RequestOutcomeUnknownError):
            await client.batch_submit_orders("linear", [item("l0"), item("l1")])
        server.faults.drop_after_apply = False
        assert sorted(v.order_link_id for v in orders.unknown()) == ["l0", "l1"]
        for link in ("l0", "l1"):
            assert (await orders.reconcile(link, deadline=5)).status == "New"
        assert orders.unknown() == [] and len(server.orders(DEMO_API_KEY)) == 2


async def test_a_refused_amend_item_named_by_order_id_reaches_its_order(
    client: WebsocketAPIClient,
) -> None:
    orders = await client.track_orders()
    await client.submit_new_order(create("am"))
    placed = await orders.wait("am", "New", timeout=5)
    items = [{"symbol": "BTCUSDT", "orderId": placed.order_id, "qty": "-1"}]
    reply = await client.batch_amend_order("linear", items)
    [status] = reply["retExtInfo"]["list"]
    assert status["code"] != 0 and reply["data"]["list"][0]["orderId"] == ""  # no id echoed
    view = orders.get("am")
    assert view is not None and isinstance(view.error, WSAPIError)
    assert view.error.ret_code == status["code"] and view.status == "New"


def test_an_item_the_reply_names_no_id_for_is_left_to_the_call_quietly(
    caplog: pytest.LogCaptureFixture,
) -> None:
    tracker = OrderTracker()
    tracker.on_reply(batch_reply("order.amend-batch", ("", "", 10001)))
    assert len(tracker) == 0 and caplog.records == []
    lost = {"category": "linear", "request": [{"symbol": "BTCUSDT", "qty": "1"}]}
    tracker.on_error(
        RequestOutcomeUnknownError("x", op="order.amend-batch", req_id="a", params=lost)
    )
    assert "cannot be tracked" in caplog.text  # an item sent without ids is worth a warning
