"""The errors of order tracking and reconciliation (all ``BybitWSError``)."""

from __future__ import annotations

from ..errors import BybitWSError
from .state import OrderView

__all__ = [
    "OrderAbsentError",
    "OrderChangeNotAppliedError",
    "OrderNotFoundError",
    "OrderUnreachableError",
    "OrderWaitTimeoutError",
]


class OrderUnreachableError(BybitWSError):
    """``wait(until=...)`` cannot succeed: the order settled elsewhere, or never existed.

    ``order`` is the order's last state; ``__cause__`` the failed request when there was one.
    """

    def __init__(self, message: str, order: OrderView) -> None:
        self.order = order
        super().__init__(message)


class OrderWaitTimeoutError(BybitWSError, TimeoutError):
    """``wait`` ran out of time; ``order`` is the last state known (``None``: never seen)."""

    def __init__(self, message: str, order: OrderView | None) -> None:
        self.order = order
        super().__init__(message)


class OrderAbsentError(BybitWSError):
    """Reconciliation proved (as far as REST can) that Bybit never accepted the order.

    It is safe to resend the create **with the same** ``orderLinkId``: if the first one lands
    late after all, the resend fails with 110072 instead of doubling the order.
    """

    def __init__(self, order_link_id: str, queries: int, waited: float) -> None:
        self.order_link_id = order_link_id
        self.queries = queries
        self.waited = waited
        super().__init__(
            f"order {order_link_id!r} not found by {queries} REST queries over {waited:.1f} s: "
            "Bybit did not accept it. It is safe to resend the create with the same "
            f"orderLinkId {order_link_id!r} (never a new one: a late original then fails the "
            "resend with 110072 instead of doubling the order)"
        )


class OrderChangeNotAppliedError(BybitWSError):
    """Reconciliation proved an amend or cancel whose outcome was unknown did not take effect.

    ``order`` is the order as Bybit showed it: still open without the change, or closed (filled,
    cancelled) before it. Sending it again is yours to decide; an amend or cancel sets the same
    absolute values twice, so a late original cannot double anything.
    """

    def __init__(self, op: str, order: OrderView, queries: int, waited: float) -> None:
        self.op = op
        self.order = order
        name = order.order_link_id or order.order_id
        if order.phase == "closed":
            how = f"the order ended {order.status} first"
            then = "there is nothing left to change"
        else:
            how = f"after {queries} REST queries over {waited:.1f} s it is still {order.status}"
            how += " without it" if op == "order.amend" else ""
            then = f"it is safe to send the {op.split('.')[1]} again if you still want it"
        super().__init__(f"the {op} of order {name!r} did not take effect: {how}; {then}")


class OrderNotFoundError(BybitWSError, LookupError):
    """Reconciling an amend or cancel: REST never showed the order, so nothing is proven."""

    def __init__(self, op: str, name: str, queries: int, waited: float) -> None:
        self.op = op
        super().__init__(
            f"order {name!r} was not found by {queries} REST queries over {waited:.1f} s, so "
            f"whether its {op} took effect is still unknown: check its category and symbol, or "
            "reconcile again with a longer deadline (nothing was sent)"
        )
