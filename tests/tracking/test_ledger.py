"""The ledger at scale: 2,000 orders over several sub-accounts through every fault the tracker
must survive (drop after and before apply, pushes lost in a private reconnect, pushes before
the ack, cancels racing fills), pipelined; at the end every order the server holds is in the
tracker with its status, filled quantity and average price, every unknown create was adopted
or proven absent, and the server received exactly the creates the test sent (see
``ledger_run``). ``LEDGER_SEED=n`` replays one seed; a failure names its seed."""

from __future__ import annotations

import os

import pytest

from .ledger_plan import FAULTS, Plan
from .ledger_run import run

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
