"""Reconnect delays, the new-connection budget and which refused upgrades end the retrying."""

from __future__ import annotations

import random
from itertools import islice

import pytest

from bybit_wsapi.retry import ConnectionBudget, backoff, fatal_status


def test_backoff_grows_to_the_cap_with_jitter() -> None:
    delays = list(islice(backoff(0.25, 4.0, rng=random.Random(1)), 8))
    ceilings = [0.25, 0.5, 1.0, 2.0, 4.0, 4.0, 4.0, 4.0]
    assert all(c / 2 <= d <= c for d, c in zip(delays, ceilings, strict=True))
    assert len(set(delays)) == len(delays)


def test_the_connection_budget_is_a_sliding_window() -> None:
    budget = ConnectionBudget(limit=3, window=300.0)
    for t in (0.0, 1.0, 2.0):
        assert budget.wait(t) == 0.0
        budget.spend(t)
    assert budget.wait(10.0) == pytest.approx(290.0)  # until the first leaves the window
    assert budget.wait(300.0) == 0.0
    budget.spend(300.0)
    assert budget.wait(300.5) == pytest.approx(0.5)  # the one at 1.0 leaves at 301.0


@pytest.mark.parametrize(
    ("status", "fatal"),
    [(400, True), (401, True), (404, True), (408, False), (429, False), (500, False), (503, False)],
)
def test_refused_upgrades_that_retrying_cannot_fix(status: int, fatal: bool) -> None:
    assert fatal_status(status) is fatal
