"""What ``OrderTracker.wait`` concludes from an order's record: reached, unreachable, or the
timeout's explanation (what is known, and what to do next)."""

from __future__ import annotations

from .errors import OrderUnreachableError
from .state import TERMINAL_STATUSES, OrderRecord, OrderView

__all__ = ["timeout_text", "verdict"]


def verdict(record: OrderRecord, until: str) -> OrderView | None:
    """The order's view once ``until`` was seen; ``None`` while it may still come.

    Raises:
        OrderUnreachableError: it cannot come any more.
    """
    if until in record.seen:
        return record.view()
    name = record.order_link_id or record.order_id
    if record.status in TERMINAL_STATUSES:
        raise OrderUnreachableError(
            f"order {name!r} ended {record.status}: it can never be {until}", record.view()
        )
    if record.absent:
        raise OrderUnreachableError(
            f"order {name!r} does not exist: REST reconciliation did not find it (safe to "
            "resend with the same orderLinkId)",
            record.view(),
        )
    if record.failed and record.error is not None:
        how = "was never sent" if record.error.outcome == "not_sent" else "was rejected"
        raise OrderUnreachableError(
            f"order {name!r} does not exist: its create {how} ({record.error})",
            record.view(),
        ) from record.error
    return None


def timeout_text(name: str, until: str, timeout: float, record: OrderRecord | None) -> str:
    """Why ``wait`` for ``until`` ran out, and what to do."""
    base = f"order {name!r} did not reach {until} within {timeout:g} s"
    if record is None:
        return (
            f"{base}: the tracker never saw it (was it sent through this client, with the "
            "private 'order' and 'execution' topics subscribed?)"
        )
    if record.phase == "unknown":
        return (
            f"{base}: its create's outcome is unknown ({record.error}); settle it with "
            f"await orders.reconcile({name!r}, deadline=...) before resending anything"
        )
    if record.unsettled is not None:
        return (
            f"{base}: it is {record.status or 'acknowledged'} and its {record.unsettled.op}'s "
            f"outcome is unknown; settle it with await orders.reconcile({name!r}, deadline=...)"
        )
    if record.status is None:
        return (
            f"{base}: acknowledged, but no status was pushed (is the private 'order' topic "
            "subscribed? a reconnect may have lost pushes: reconcile)"
        )
    return f"{base}: it is still {record.status}"
