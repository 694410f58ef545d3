"""Amends and cancels whose outcome is unknown, settled: in fake time, and on the local server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest

from bybit_wsapi import WS_KEY_MAP, RequestOutcomeUnknownError, WebsocketClient
from bybit_wsapi.errors import ConfigurationError
from bybit_wsapi.orders import (
    OrderChangeNotAppliedError,
    OrderNotFoundError,
    OrderTracker,
    settle_change,
)
from bybit_wsapi.rest import RestClient
from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET, LocalServer

from ..orders import amend, cancel, create
from .pushes import order, order_push, params, unknown

pytestmark = pytest.mark.anyio


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


class ShownRest:
    """Shows the order ``before`` until ``changes_at`` (fake seconds), then ``after``."""

    def __init__(self, time: FakeTime, before: dict[str, Any] | None, after: Any, at: float):
        self.time, self.before, self.after, self.at = time, before, after, at
        self.queries = 0

    async def get_open_orders(self, **query: Any) -> Any:
        self.queries += 1
        row = self.after if self.time.now >= self.at else self.before
        return {"category": "linear", "list": [] if row is None else [row], "nextPageCursor": ""}

    async def get_order_history(self, **query: Any) -> Any:
        return {"category": "linear", "list": [], "nextPageCursor": ""}

    async def get_executions(self, **query: Any) -> Any:
        return {"category": "linear", "list": [], "nextPageCursor": ""}


def open_order(tracker: OrderTracker, op: str, **request: Any) -> None:
    tracker.on_push(order_push(order("a", "New", price="100", qty="1")))
    lost = unknown("a", op)
    lost.params = {**params("a"), **request}
    tracker.on_error(lost)


async def settle(tracker: OrderTracker, rest: ShownRest, time: FakeTime, deadline: float) -> Any:
    return await settle_change(
        tracker, rest, "a", "", deadline=deadline, interval=1, sleep=time.sleep, clock=time.clock
    )


async def test_an_amend_that_shows_late_is_settled_as_taken_effect() -> None:
    time, tracker = FakeTime(), OrderTracker()
    open_order(tracker, "order.amend", price="105.0")
    view = tracker.get("a")
    assert view is not None and view.unsettled is not None and tracker.unknown() == [view]
    old = order("a", "New", price="100", qty="1", updated=2)
    rest = ShownRest(time, old, order("a", "New", price="105", qty="1", updated=3), at=3)
    settled = await settle(tracker, rest, time, deadline=10)  # an early answer proves nothing
    assert settled.unsettled is None and settled.status == "New" and time.now == 3
    assert tracker.unknown() == []


async def test_an_amend_never_shown_by_the_deadline_did_not_take_effect() -> None:
    time, tracker = FakeTime(), OrderTracker()
    open_order(tracker, "order.amend", price="105")
    old = order("a", "New", price="100", qty="1", updated=2)
    rest = ShownRest(time, old, old, at=0)
    with pytest.raises(OrderChangeNotAppliedError, match=r"still New without it.*safe to send"):
        await settle(tracker, rest, time, deadline=5)
    assert rest.queries == 6 and tracker.unknown() == []  # every second, deadline included


async def test_an_amend_of_an_order_that_filled_first_did_not_take_effect() -> None:
    time, tracker = FakeTime(), OrderTracker()
    open_order(tracker, "order.amend", qty="2")
    rest = ShownRest(time, None, order("a", "Filled", qty="1", cumExecQty="1", updated=4), at=0)
    with pytest.raises(OrderChangeNotAppliedError, match="ended Filled first") as caught:
        await settle(tracker, rest, time, deadline=30)
    assert caught.value.order.status == "Filled" and time.now == 0  # at once: terminal is final


async def test_a_cancel_settles_once_the_order_is_closed_even_by_a_fill() -> None:
    time, tracker = FakeTime(), OrderTracker()
    open_order(tracker, "order.cancel")
    still = order("a", "New", updated=2)
    rest = ShownRest(time, still, order("a", "Filled", cumExecQty="1", updated=3), at=2)
    view = await settle(tracker, rest, time, deadline=30)
    assert view.status == "Filled" and view.unsettled is None and time.now == 2


async def test_an_order_rest_never_shows_leaves_the_change_unknown() -> None:
    time, tracker = FakeTime(), OrderTracker()
    open_order(tracker, "order.cancel")
    with pytest.raises(OrderNotFoundError, match="still unknown"):
        await settle(tracker, ShownRest(time, None, None, at=0), time, deadline=2)
    assert [v.order_link_id for v in tracker.unknown()] == ["a"]  # nothing proven


async def test_the_stream_settles_an_unknown_cancel_and_a_later_success_clears_it() -> None:
    tracker = OrderTracker()
    open_order(tracker, "order.cancel")
    tracker.on_push(order_push(order("a", "Cancelled", updated=5)))
    assert (view := tracker.get("a")) is not None and view.unsettled is None
    open_order(tracker, "order.amend", price="1")  # "a" is closed: a new record? no, the same
    tracker.on_reply({"op": "order.amend", "retCode": 0, "data": {"orderLinkId": "a"}})
    assert tracker.unknown() == []


async def test_reconcile_by_order_id_needs_a_known_link() -> None:
    with pytest.raises(ConfigurationError, match="orderLinkId"):
        await OrderTracker(rest=ShownRest(FakeTime(), None, None, 0)).reconcile(
            order_id="x", deadline=0
        )


# ---- on the local server ------------------------------------------------------------------


@pytest.fixture
async def ws(server: LocalServer) -> AsyncIterator[WebsocketClient]:
    client = WebsocketClient(
        key=DEMO_API_KEY,
        secret=DEMO_API_SECRET,
        base_url=server.base_url,
        reconnect_initial_delay=0.01,
        reconnect_max_delay=0.02,
    )
    yield client
    await client.close()


async def lost(server: LocalServer, ws: WebsocketClient, fault: str, op: Any, body: Any) -> None:
    setattr(server.faults, fault, True)
    with pytest.raises(RequestOutcomeUnknownError):
        await ws.send_ws_api_request(WS_KEY_MAP.v5_private_trade, op, body)
    setattr(server.faults, fault, False)


async def test_a_lost_amend_that_landed_is_found_over_rest(
    server: LocalServer, ws: WebsocketClient, rest: RestClient
) -> None:
    orders = await ws.track_orders(rest=rest, subscribe=False)  # REST alone settles it
    await ws.send_ws_api_request(WS_KEY_MAP.v5_private_trade, "order.create", create("am"))
    await lost(server, ws, "drop_after_apply", "order.amend", amend("am", "10500"))
    assert [v.unsettled and v.unsettled.op for v in orders.unknown()] == ["order.amend"]
    view = await orders.reconcile("am", deadline=5)
    assert view.unsettled is None and view.status == "New" and orders.unknown() == []
    assert (view.price, view.qty) == (Decimal(10500), Decimal("0.001"))


async def test_a_lost_cancel_that_never_landed_is_proven_not_applied(
    server: LocalServer, ws: WebsocketClient, rest: RestClient
) -> None:
    orders = await ws.track_orders(rest=rest)
    await ws.send_ws_api_request(WS_KEY_MAP.v5_private_trade, "order.create", create("cx"))
    await orders.wait("cx", "New", timeout=5)
    await lost(server, ws, "drop_before_apply", "order.cancel", cancel("cx"))
    with pytest.raises(OrderChangeNotAppliedError, match=r"order\.cancel.*still New") as caught:
        await orders.reconcile("cx", deadline=0)
    assert caught.value.order.status == "New" and orders.unknown() == []
    assert [o["status"] for o in server.orders(DEMO_API_KEY)] == ["New"]  # nothing resent


async def test_the_stream_settles_a_lost_amend_that_landed(
    server: LocalServer, ws: WebsocketClient
) -> None:
    orders = await ws.track_orders()
    await ws.send_ws_api_request(WS_KEY_MAP.v5_private_trade, "order.create", create("st"))
    await orders.wait("st", "New", timeout=5)
    async with orders.changes() as changes:
        await lost(server, ws, "drop_after_apply", "order.amend", amend("st", "10500"))
        async with asyncio.timeout(5):  # the push may come before or after the lost reply
            async for view in changes:
                if view.error is not None and view.unsettled is None:
                    break
    assert orders.unknown() == []


def test_a_push_before_the_lost_amend_settles_it_at_once() -> None:
    tracker = OrderTracker()
    tracker.on_push(order_push(order("a", "New", price="105", qty="1", updated=3)))
    lost_amend = unknown("a", "order.amend")
    lost_amend.params = {**params("a"), "price": "105"}
    tracker.on_error(lost_amend)
    assert tracker.unknown() == []
