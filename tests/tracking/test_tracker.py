"""The tracker alone: status rules, fills, acks and errors, waiting, changes, aging (fake time)."""

from __future__ import annotations

import asyncio
import logging
from decimal import Decimal

import pytest

from bybit_wsapi.errors import ConfigurationError, StreamOverflowError
from bybit_wsapi.orders import (
    OrderTracker,
    OrderUnreachableError,
    OrderWaitTimeoutError,
)

from .pushes import (
    ack,
    execution_push,
    fill,
    not_sent,
    order,
    order_push,
    rejected,
    unknown,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_push_before_ack_is_kept_and_merged() -> None:
    tracker = OrderTracker()
    tracker.on_push(order_push(order("a", "New")))
    view = tracker.get("a")
    assert view is not None and view.status == "New" and not view.acked
    tracker.on_reply(ack("a"))
    merged = tracker.get("a")
    assert merged is not None and merged.acked and merged.status == "New"
    assert tracker.get(order_id="id-a") == merged
    assert len(tracker) == 1


def test_the_ack_of_a_resend_clears_the_absent_verdict() -> None:
    """Proven absent, resent, acked, its push not here yet: it exists (wait must not fail)."""
    tracker = OrderTracker()
    tracker.on_error(unknown("a"))
    tracker.mark_absent("a")
    proven = tracker.get("a")
    assert proven is not None and proven.absent
    tracker.on_reply(ack("a"))  # the resend's ack
    view = tracker.get("a")
    assert view is not None and view.acked and not view.absent and view.status is None
    tracker.mark_absent("a")  # a verdict landing after the ack changes nothing
    after = tracker.get("a")
    assert after is not None and not after.absent


def test_terminal_status_never_goes_back_and_two_filled_are_one() -> None:
    tracker = OrderTracker()
    tracker.on_reply(ack("a"))
    done = order("a", "Filled", updated=3, cumExecQty="0.002", avgPrice="100", cumExecFee="0.1")
    tracker.on_push(order_push(order("a", "New", updated=1), done))
    changes = tracker.changes()
    tracker.on_push(order_push(done))  # the cancel/fill race's second Filled
    tracker.on_push(order_push(order("a", "New", updated=9)))  # stale or late: ignored
    tracker.on_push(order_push(order("a", "Cancelled", updated=9)))
    tracker.on_reply(ack("a"))
    tracker.on_push(order_push(order("b", "New")))
    changes.close()
    view = tracker.get("a")
    assert view is not None
    assert (view.status, view.phase, view.filled_qty) == ("Filled", "closed", Decimal("0.002"))
    assert (view.avg_price, view.fees) == (Decimal("100"), Decimal("0.1"))

    async def drain() -> list[str]:
        return [change.order_link_id async for change in changes]

    assert asyncio.run(drain()) == ["b"]  # nothing above changed order "a"


def test_an_older_open_push_does_not_overwrite_a_newer_one() -> None:
    tracker = OrderTracker()
    tracker.on_push(order_push(order("a", "PartiallyFilled", updated=5, cumExecQty="1")))
    tracker.on_push(order_push(order("a", "New", updated=4)))
    view = tracker.get("a")
    assert view is not None and view.status == "PartiallyFilled"
    assert view.seen == {"New", "PartiallyFilled"}


def test_fills_dedup_by_exec_id_and_lead_the_totals() -> None:
    tracker = OrderTracker()
    tracker.on_push(order_push(order("a", "New")))
    first, second = fill("a", "x1", "1", "100"), fill("a", "x2", "3", "200", fee="0.03")
    tracker.on_push(execution_push(first, second))
    tracker.on_push(execution_push(first))
    view = tracker.get("a")
    assert view is not None
    assert [f.exec_id for f in view.fills] == ["x1", "x2"]
    assert (view.filled_qty, view.avg_price, view.fees) == (
        Decimal(4),
        Decimal(175),
        Decimal("0.04"),
    )


def test_a_rejected_create_fails_the_order_and_its_waiters() -> None:
    tracker = OrderTracker()
    error = rejected("a")
    tracker.on_error(error)
    view = tracker.get("a")
    assert view is not None and view.phase == "failed" and view.error is error

    async def main() -> None:
        with pytest.raises(OrderUnreachableError, match="was rejected") as caught:
            await tracker.wait("a", "Filled", timeout=5)
        assert caught.value.__cause__ is error

    asyncio.run(main())


def test_a_not_sent_create_says_never_sent() -> None:
    tracker = OrderTracker()
    tracker.on_error(not_sent("a"))

    async def main() -> None:
        with pytest.raises(OrderUnreachableError, match="never sent"):
            await tracker.wait("a", "New", timeout=5)

    asyncio.run(main())


def test_unknown_outcome_and_duplicate_link_id_wait_for_reconciliation() -> None:
    tracker = OrderTracker()
    tracker.on_error(unknown("a"))
    tracker.on_error(rejected("b", code=110072))
    tracker.on_error(not_sent("a"))  # a resend that never left: "a" stays unknown
    assert {v.order_link_id for v in tracker.unknown()} == {"a", "b"}
    tracker.on_push(order_push(order("a", "New")))  # the stream shows it landed
    assert [v.order_link_id for v in tracker.unknown()] == ["b"]
    view = tracker.get("a")
    assert view is not None and view.phase == "open"


def test_an_amend_error_keeps_the_order_open() -> None:
    tracker = OrderTracker()
    tracker.on_push(order_push(order("a", "New")))
    tracker.on_error(rejected("a", code=110001, op="order.amend"))
    view = tracker.get("a")
    assert view is not None and view.phase == "open" and view.error is not None


def test_errors_without_a_link_id_are_logged_not_tracked(caplog: pytest.LogCaptureFixture) -> None:
    tracker = OrderTracker()
    error = unknown("a")
    error.params = {"category": "linear"}
    with caplog.at_level(logging.WARNING, "bybit_wsapi"):
        tracker.on_error(error)
        tracker.on_error(ValueError("not a request error"))
    assert len(tracker) == 0
    assert "carried no orderLinkId" in caplog.text


def test_wait_settles_on_the_status_or_a_terminal_one() -> None:
    async def main() -> None:
        tracker = OrderTracker()
        filled = asyncio.create_task(tracker.wait("a", "Filled", timeout=5))
        new = asyncio.create_task(tracker.wait("a", "New", timeout=5))
        doomed = asyncio.create_task(tracker.wait(order_id="id-b", until="Filled", timeout=5))
        await asyncio.sleep(0)
        tracker.on_push(order_push(order("a", "New"), order("b", "New")))
        assert (await new).status == "New"
        assert not filled.done()
        tracker.on_push(order_push(order("a", "Filled", updated=2, cumExecQty="1")))
        tracker.on_push(order_push(order("b", "Cancelled", updated=2)))
        assert (await filled).filled_qty == 1
        with pytest.raises(OrderUnreachableError, match="ended Cancelled: it can never be"):
            await doomed
        again = await tracker.wait("a", "New", timeout=0)  # seen before: met at once
        assert again.status == "Filled"

    asyncio.run(main())


def test_wait_timeouts_say_what_to_do() -> None:
    async def main() -> None:
        tracker = OrderTracker()
        with pytest.raises(OrderWaitTimeoutError, match="never saw it") as caught:
            await tracker.wait("a", timeout=0)
        assert caught.value.order is None and isinstance(caught.value, TimeoutError)
        tracker.on_error(unknown("a"))
        with pytest.raises(OrderWaitTimeoutError, match=r"orders\.reconcile\('a'"):
            await tracker.wait("a", timeout=0)
        tracker.on_reply(ack("b"))
        with pytest.raises(OrderWaitTimeoutError, match="no status was pushed"):
            await tracker.wait("b", timeout=0)
        with pytest.raises(ConfigurationError, match="not an order status"):
            await tracker.wait("b", "Done", timeout=1)  # type: ignore[arg-type]
        with pytest.raises(ConfigurationError, match="needs an orderLinkId"):
            await tracker.wait(timeout=1)

    asyncio.run(main())


def test_closed_orders_age_out_by_count_and_by_time() -> None:
    clock = FakeClock()
    tracker = OrderTracker(max_closed=2, closed_ttl=60, clock=clock)
    tracker.on_push(order_push(order("open", "New")))
    for link in ("c1", "c2", "c3"):
        tracker.on_push(order_push(order(link, "Cancelled")))
        clock.now += 1
    assert tracker.get("c1") is None and tracker.get(order_id="id-c1") is None
    assert tracker.get("c2") is not None and tracker.get("c3") is not None
    clock.now += 60
    tracker.on_error(rejected("r"))  # any update ages out what is past the ttl
    assert {v.order_link_id for v in tracker.orders()} == {"open", "r"}
    clock.now += 3600
    tracker.on_push(order_push(order("x", "New")))
    assert tracker.get("open") is not None  # open orders never age out


def test_changes_are_bounded_and_report_the_gap() -> None:
    async def main() -> None:
        tracker = OrderTracker(change_buffer=2)
        changes = tracker.changes()
        for n in range(5):
            tracker.on_push(order_push(order(f"o{n}", "New")))
        got = [(await anext(changes)).order_link_id for _ in range(2)]
        assert got == ["o0", "o1"]
        with pytest.raises(StreamOverflowError, match="3 message"):
            await anext(changes)
        tracker.on_push(order_push(order("o9", "New")))
        assert (await anext(changes)).order_link_id == "o9"
        tracker.close()
        with pytest.raises(StopAsyncIteration):
            await anext(changes)

    asyncio.run(main())


def test_bad_configuration_is_refused() -> None:
    with pytest.raises(ConfigurationError):
        OrderTracker(max_closed=-1)
    with pytest.raises(ConfigurationError, match="needs its orderId"):
        OrderTracker().adopt({"orderStatus": "New"})


def test_a_change_after_the_gap_comes_after_its_report() -> None:
    async def main() -> None:
        tracker = OrderTracker(change_buffer=2)
        changes = tracker.changes()
        for n in range(3):  # o2 is dropped
            tracker.on_push(order_push(order(f"o{n}", "New")))
        assert [(await anext(changes)).order_link_id for _ in range(2)] == ["o0", "o1"]
        tracker.on_push(order_push(order("o3", "New")))  # room again, but after the gap
        with pytest.raises(StreamOverflowError, match="1 message"):
            await anext(changes)
        assert (await anext(changes)).order_link_id == "o3"

    asyncio.run(main())
