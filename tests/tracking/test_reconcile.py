"""Reconciliation: in fake time over a fake REST, and on the local server with its faults."""

from __future__ import annotations

from typing import Any

import pytest

from bybit_wsapi import WS_KEY_MAP, RequestOutcomeUnknownError, WebsocketClient, WSAPIError
from bybit_wsapi.errors import ConfigurationError
from bybit_wsapi.orders import (
    OrderAbsentError,
    OrderTracker,
    OrderUnreachableError,
    reconcile,
    resend_if_proven_absent,
)
from bybit_wsapi.rest import RestAPIError, RestClient, RestHTTPError
from bybit_wsapi.server import DEMO_API_KEY, LocalServer

from ..orders import create
from .pushes import order, unknown

pytestmark = pytest.mark.anyio


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


class FakeRest:
    """Answers ``[]`` until ``appears_at`` (fake seconds), then the order; or fails."""

    def __init__(self, time: FakeTime, appears_at: float | None, fail: Exception | None = None):
        self.time, self.appears_at, self.fail = time, appears_at, fail
        self.calls: list[str] = []

    def _page(self, rows: list[Any]) -> Any:
        return {"category": "linear", "list": rows, "nextPageCursor": ""}

    async def get_open_orders(self, **params: Any) -> Any:
        self.calls.append("realtime")
        if self.fail is not None:
            raise self.fail
        visible = self.appears_at is not None and self.time.now >= self.appears_at
        return self._page([order(params["orderLinkId"], "New", updated=7)] if visible else [])

    async def get_order_history(self, **params: Any) -> Any:
        self.calls.append("history")
        return self._page([])

    async def get_executions(self, **params: Any) -> Any:
        self.calls.append("executions")
        return self._page([])


def unknown_tracker() -> OrderTracker:
    tracker = OrderTracker()
    tracker.on_error(unknown("a"))
    return tracker


async def test_an_early_empty_answer_is_not_proof() -> None:
    time = FakeTime()
    tracker, rest = unknown_tracker(), FakeRest(time, appears_at=5.0)
    view = await reconcile(
        tracker, rest, "a", deadline=30, interval=2, sleep=time.sleep, clock=time.clock
    )
    assert view.status == "New" and view.phase == "open"
    assert rest.calls.count("realtime") == 4  # at 0, 2, 4 (empty) and 6 s
    assert rest.calls[-1] == "executions" and tracker.unknown() == []


async def test_absence_is_proven_only_at_the_deadline() -> None:
    time = FakeTime()
    tracker, rest = unknown_tracker(), FakeRest(time, appears_at=None)
    with pytest.raises(OrderAbsentError, match=r"safe to resend .* same orderLinkId") as caught:
        await reconcile(
            tracker, rest, "a", deadline=5, interval=2, sleep=time.sleep, clock=time.clock
        )
    assert time.now == 5 and caught.value.queries == 4  # at 0, 2, 4 and 5 s
    view = tracker.get("a")
    assert view is not None and view.absent and view.phase == "failed"
    with pytest.raises(OrderUnreachableError, match="did not find it"):
        await tracker.wait("a", "New", timeout=1)


async def test_failing_lookups_never_prove_absence() -> None:
    time = FakeTime()
    down = RestHTTPError("/v5/order/realtime", 503, "busy")
    tracker, rest = unknown_tracker(), FakeRest(time, appears_at=None, fail=down)
    with pytest.raises(RestHTTPError):
        await reconcile(
            tracker, rest, "a", deadline=3, interval=2, sleep=time.sleep, clock=time.clock
        )
    assert tracker.unknown() != []  # still unknown: nothing was proven
    spot = RestAPIError("/v5/order/realtime", 170213, "Order does not exist.", {})
    rest.fail = spot  # spot's "does not exist" is an empty answer, not a failure
    with pytest.raises(OrderAbsentError):
        await reconcile(tracker, rest, "a", deadline=0, sleep=time.sleep, clock=time.clock)


async def test_reconcile_needs_what_to_look_for() -> None:
    with pytest.raises(ConfigurationError, match="category= and symbol="):
        await reconcile(OrderTracker(), FakeRest(FakeTime(), None), "zzz", deadline=1)
    with pytest.raises(ConfigurationError, match="needs REST queries"):
        await unknown_tracker().reconcile("a", deadline=1)


# ---- on the local server ------------------------------------------------------------------


async def lost_create(server: LocalServer, ws: WebsocketClient, fault: str, link: str) -> None:
    setattr(server.faults, fault, True)
    with pytest.raises(RequestOutcomeUnknownError):
        await ws.send_ws_api_request(WS_KEY_MAP.v5_private_trade, "order.create", create(link))
    setattr(server.faults, fault, False)


async def test_drop_after_apply_is_found_and_adopted_past_a_visibility_delay(
    server: LocalServer, ws: WebsocketClient, rest: RestClient
) -> None:
    tracker = await ws.track_orders(
        rest=rest, subscribe=False
    )  # no private stream: REST alone settles it
    await lost_create(server, ws, "drop_after_apply", "after")
    assert [v.order_link_id for v in tracker.unknown()] == ["after"]
    server.rest.options.visibility_delay_ms = 3000

    async def step(seconds: float) -> None:
        await server.step(int(seconds * 1000))

    view = await reconcile(tracker, rest, "after", deadline=10, interval=1, sleep=step)
    assert view.status == "New" and view.order_id and tracker.unknown() == []


async def test_drop_before_apply_is_proven_absent_then_resent_once(
    server: LocalServer, ws: WebsocketClient, rest: RestClient
) -> None:
    tracker = await ws.track_orders(rest=rest, subscribe=False)
    await lost_create(server, ws, "drop_before_apply", "before")
    with pytest.raises(OrderAbsentError):
        await tracker.reconcile("before", deadline=0)
    assert server.orders(DEMO_API_KEY) == []
    view = await resend_if_proven_absent(ws, tracker, rest, create("before"), deadline=0)
    assert view.acked and [o["orderLinkId"] for o in server.orders(DEMO_API_KEY)] == ["before"]


async def test_a_110072_on_a_resend_adopts_the_first_order(
    server: LocalServer, ws: WebsocketClient, rest: RestClient
) -> None:
    tracker = await ws.track_orders(rest=rest, subscribe=False, auto_reconcile=False)
    await lost_create(server, ws, "drop_after_apply", "twice")
    with pytest.raises(WSAPIError, match="110072"):  # a blind resend: the first one landed
        await ws.send_ws_api_request(WS_KEY_MAP.v5_private_trade, "order.create", create("twice"))
    assert [v.order_link_id for v in tracker.unknown()] == ["twice"]
    view = await resend_if_proven_absent(ws, tracker, rest, create("twice"), deadline=5)
    assert view.status == "New" and len(server.orders(DEMO_API_KEY)) == 1  # nothing resent
