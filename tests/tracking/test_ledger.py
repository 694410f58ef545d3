"""The ledger at scale: 2,000 orders over several sub-accounts through every fault the tracker
must survive (drop after and before apply, pushes lost in a private reconnect, pushes before
the ack, cancels racing fills), pipelined; at the end every order the server holds is in the
tracker with its status, filled quantity and average price, every unknown create was adopted
or proven absent, and the server received exactly the creates the test sent (see
``ledger_run``). ``LEDGER_SEED=n`` replays one seed; a failure names its seed."""

from __future__ import annotations

import os
from decimal import Decimal

import pytest

from bybit_wsapi.orders import OrderTracker

from .ledger_plan import FAULTS, Plan
from .ledger_run import run
from .pushes import order, order_push

pytestmark = pytest.mark.anyio

SEED = int(os.environ.get("LEDGER_SEED", "14"))


async def test_every_order_ends_known_in_the_servers_state() -> None:
    summary = await run(Plan(orders=2000, seed=SEED))
    print(summary.text())
    assert summary.orders == 2000 and summary.held >= 1990
    assert all(summary.faults[fault] > 0 for fault in FAULTS), summary.faults
    assert summary.adopted > 0 and summary.absent > summary.resent > 0, summary.text()
    assert summary.acked_unpushed > 0, summary.text()  # the reconnects lost pushes
    outcomes = {call.split(":")[1] for call, count in summary.calls.items() if count}
    assert outcomes >= {"ok", "rejected", "unknown"}, summary.calls
    assert summary.statuses.keys() >= {"New", "Filled", "Cancelled"}, summary.statuses


# --- what the ledger found, pinned -------------------------------------------------------------


def test_a_push_with_more_filled_is_newer_whatever_its_time() -> None:
    # the live-clock ledger: a resting order filled by a market step stamped 12 ms before the
    # create's New; the tracker took that PartiallyFilled (and REST's) for stale: New, filled
    tracker = OrderTracker()
    tracker.on_push(order_push(order("a", "New", updated=283)))
    partial = order("a", "PartiallyFilled", updated=271, cumExecQty="0.28", avgPrice="3500")
    tracker.on_push(order_push(partial))
    view = tracker.get("a")
    assert view is not None and (view.status, view.filled_qty) == (
        "PartiallyFilled",
        Decimal("0.28"),
    )
    assert "PartiallyFilled" in view.seen
    tracker.adopt(order("a", "New", updated=283))  # a snapshot from before the fill, same time
    view = tracker.get("a")
    assert view is not None and view.status == "PartiallyFilled"
