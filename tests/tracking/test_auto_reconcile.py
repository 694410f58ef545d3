"""Automatic reconciliation: an unknown outcome settled by the tracker on its own, in fake time
over a fake REST and on the local server with its drop faults; joined, reported, closed."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bybit_wsapi import WebsocketClient
from bybit_wsapi.orders import OrderAbsentError, OrderTracker, OrderUnreachableError
from bybit_wsapi.rest import RestClient, RestHTTPError
from bybit_wsapi.server import DEMO_API_KEY, LocalServer

from .pushes import unknown
from .test_reconcile import FakeRest, FakeTime, lost_create

pytestmark = pytest.mark.anyio

SAFE = r"safe to resend with the same orderLinkId"


def auto_tracker(fake: Any, time: FakeTime, deadline: float = 30) -> OrderTracker:
    return OrderTracker(
        rest=fake, sleep=time.sleep, auto_clock=time.clock, auto_deadline=deadline, auto_interval=2
    )


class GatedRest(FakeRest):
    """A ``FakeRest`` whose lookups each wait for ``gate``; ``entered`` once one is waiting."""

    def __init__(self, time: FakeTime, appears_at: float | None) -> None:
        super().__init__(time, appears_at)
        self.gate, self.entered = asyncio.Event(), asyncio.Event()

    async def get_open_orders(self, **params: Any) -> Any:
        self.entered.set()
        await self.gate.wait()
        return await super().get_open_orders(**params)


async def test_an_unknown_create_is_found_without_a_call() -> None:
    time = FakeTime()
    fake = FakeRest(time, appears_at=5.0)
    tracker = auto_tracker(fake, time)
    tracker.on_error(unknown("a"))
    view = await tracker.wait("a", "New", timeout=5)
    assert view.phase == "open" and tracker.unknown() == []
    assert fake.calls.count("realtime") == 4  # at 0, 2, 4 (empty: no proof) and 6 fake s


async def test_an_absent_create_is_reported_safe_to_resend() -> None:
    time = FakeTime()
    tracker = auto_tracker(FakeRest(time, appears_at=None), time, deadline=5)
    tracker.on_error(unknown("a"))
    with pytest.raises(OrderUnreachableError, match=SAFE):
        await tracker.wait("a", "New", timeout=5)
    view = tracker.get("a")
    assert view is not None and view.absent and time.now == 5
    with pytest.raises(OrderAbsentError):  # a reconcile afterwards looks again: still absent
        await tracker.reconcile("a", deadline=0)


async def test_a_reconcile_joins_the_run_in_flight() -> None:
    time = FakeTime()
    fake = GatedRest(time, appears_at=0.0)
    tracker = auto_tracker(fake, time)
    tracker.on_error(unknown("a"))
    await fake.entered.wait()
    mine = asyncio.ensure_future(tracker.reconcile("a", deadline=10))
    fake.gate.set()
    view = await mine
    assert view.status == "New" and fake.calls.count("realtime") == 1  # one lookup, shared
    assert tracker.reconciling() == 0


async def test_a_joined_deadline_ends_the_run_then() -> None:
    time = FakeTime()
    fake = GatedRest(time, appears_at=None)
    tracker = auto_tracker(fake, time, deadline=3600)
    tracker.on_error(unknown("a"))
    await fake.entered.wait()
    mine = asyncio.ensure_future(tracker.reconcile("a", deadline=0))  # as the ledger asks
    fake.gate.set()
    with pytest.raises(
        OrderAbsentError, match=SAFE.replace("resend with", "resend the create with")
    ):
        await mine
    assert fake.calls.count("realtime") == 1 and time.now == 0


async def test_a_failed_lookup_is_reported_and_proves_nothing() -> None:
    time = FakeTime()
    down = RestHTTPError("/v5/order/realtime", 503, "busy")
    tracker = auto_tracker(FakeRest(time, appears_at=None, fail=down), time, deadline=0)
    reported: asyncio.Future[BaseException] = asyncio.get_running_loop().create_future()
    tracker.report = reported.set_result
    tracker.on_error(unknown("a"))
    assert await reported is down
    assert [v.order_link_id for v in tracker.unknown()] == ["a"]  # still unknown


async def test_close_during_a_run_leaves_no_task() -> None:
    time = FakeTime()
    fake = GatedRest(time, appears_at=None)
    tracker = auto_tracker(fake, time)
    tracker.on_error(unknown("a"))
    await fake.entered.wait()
    await tracker.aclose()
    assert tracker.reconciling() == 0
    assert not [t for t in asyncio.all_tasks() if t.get_name().startswith("bybit-wsapi-reconc")]
    tracker.on_error(unknown("b"))  # after close: nothing starts
    assert tracker.reconciling() == 0 and len(tracker.unknown()) == 2


async def test_off_leaves_it_to_the_caller() -> None:
    time = FakeTime()
    tracker = OrderTracker(rest=FakeRest(time, appears_at=0.0), auto_reconcile=False)
    tracker.on_error(unknown("a"))
    assert tracker.reconciling() == 0 and len(tracker.unknown()) == 1


# ---- on the local server ------------------------------------------------------------------


async def test_a_create_dropped_after_apply_is_adopted(
    server: LocalServer,
    ws: WebsocketClient,
    rest: RestClient,
) -> None:
    orders = await ws.track_orders(rest=rest, subscribe=False)  # no stream: REST alone
    await lost_create(server, ws, "drop_after_apply", "after")
    view = await orders.wait("after", "New", timeout=5)  # no reconcile call
    assert view.order_id == server.orders(DEMO_API_KEY)[0]["orderId"]
    assert orders.unknown() == []


async def test_a_create_dropped_before_apply_is_proven_absent(
    server: LocalServer,
    ws: WebsocketClient,
    rest: RestClient,
) -> None:
    orders = await ws.track_orders(rest=rest, subscribe=False, auto_deadline=0)
    await lost_create(server, ws, "drop_before_apply", "before")
    with pytest.raises(OrderUnreachableError, match=SAFE):
        await orders.wait("before", "New", timeout=5)
    assert server.orders(DEMO_API_KEY) == [] and orders.unknown() == []  # nothing resent


async def test_closing_the_client_ends_its_runs(
    server: LocalServer,
    ws: WebsocketClient,
    rest: RestClient,
) -> None:
    server.rest.options.visibility_delay_ms = 3_600_000  # manual clock: never visible
    orders = await ws.track_orders(rest=rest, subscribe=False)
    await lost_create(server, ws, "drop_after_apply", "late")
    assert orders.reconciling() == 1
    await ws.close()
    assert orders.reconciling() == 0 and len(orders.unknown()) == 1
    assert not [t for t in asyncio.all_tasks() if t.get_name().startswith("bybit-wsapi-reconc")]
