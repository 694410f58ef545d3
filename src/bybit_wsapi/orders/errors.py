"""The errors of order tracking and reconciliation (all ``BybitWSError``)."""

from __future__ import annotations

from ..errors import BybitWSError
from .state import OrderView

__all__ = ["OrderAbsentError", "OrderUnreachableError", "OrderWaitTimeoutError"]


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
