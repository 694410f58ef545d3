"""The ledger's plan (what one run does) and its summary (what happened); see ``ledger_run``."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Final

__all__ = ["FAULTS", "SETTLE_TIMEOUT", "SYMBOLS", "Plan", "Summary"]

SYMBOLS: Final = (("linear", "BTCUSDT"), ("linear", "ETHUSDT"), ("spot", "BTCUSDT"))
FAULTS: Final = (
    "drop_after_apply",
    "drop_before_apply",
    "push_loss_reconnect",
    "push_before_ack",
    "cancel_races_fill",
)
SETTLE_TIMEOUT: Final = 30.0
"""Seconds the final check waits for the tracker to agree (a hang guard: it ends on events)."""


@dataclass(frozen=True)
class Plan:
    orders: int = 2000
    """Orders to create, over ``orders / per_account`` accounts (sub-accounts, one client and
    tracker each, run one after the other)."""
    seed: int = 14
    per_account: int = 250
    batch: int = 48
    """Calls per pipelined batch."""
    drops: int = 4
    """Calls per account made alone through ``drop_after_apply`` or ``drop_before_apply``
    (half each; one in four an amend or cancel, the others creates)."""
    stream_drop_after: int | None = None
    """``Faults.stream_drop_after_pushes``: every private connection drops after this many
    frames (pushes lost at each reconnect, all run long)."""
    live_clock: bool = False
    """The market moves on its own wall-clock task (not only on ``server.step``)."""
    resync_percent: int = 0
    """Batches racing a ``tracker.resync()`` (REST reads of every open order)."""
    reconnects: int = 3
    """Private-stream drops (each in another account, a quarter into its orders: the resync
    re-reads every open order, and the mock's REST costs grow with the account)."""


@dataclass
class Summary:
    seed: int
    orders: int = 0
    calls: Counter[str] = field(default_factory=Counter)
    """``op:outcome`` -> count (``ok``, ``rejected``, ``unknown``, ``not_sent``)."""
    faults: Counter[str] = field(default_factory=Counter)
    adopted: int = 0
    """Unknown creates found over REST or on the stream."""
    absent: int = 0
    """Unknown creates proven absent."""
    resent: int = 0
    """Proven absent creates resent with ``resend_if_proven_absent``."""
    changes_settled: int = 0
    """Amends and cancels whose outcome was unknown, settled by ``reconcile`` (taken effect, or
    proven not to have)."""
    acked_unpushed: int = 0
    """Acked creates no push named (the private stream was down): the tracker's own resync
    after the reconnect resolved them (it kept each request's category and symbol)."""
    held: int = 0
    """Orders the server holds at the end."""
    statuses: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def text(self) -> str:
        rate = self.orders / self.seconds if self.seconds else 0.0
        return "\n".join(
            [
                f"seed {self.seed}: {self.orders} orders in {self.seconds:.2f} s ({rate:.0f}/s)",
                f"calls: {dict(sorted(self.calls.items()))}",
                f"faults: {dict(sorted(self.faults.items()))}",
                f"unknown creates: {self.adopted} adopted, {self.absent} proven absent "
                f"({self.resent} of them resent after proof); {self.acked_unpushed} acked "
                f"creates no push named resolved by resync; {self.changes_settled} unknown "
                "amends/cancels settled by reconcile",
                f"server holds {self.held}: {dict(sorted(self.statuses.items()))}; the tracker "
                "agrees on each (status, filled qty, avg price)",
            ]
        )
