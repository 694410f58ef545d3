"""Following orders: the tracker (one view of each order), reconciliation, and their errors.

Turn it on with ``await ws.track_orders(rest=...)``; ``ws.orders`` is the tracker."""

from .changes import OrderChanges
from .errors import (
    OrderAbsentError,
    OrderChangeNotAppliedError,
    OrderNotFoundError,
    OrderUnreachableError,
    OrderWaitTimeoutError,
)
from .reconcile import OrderQueries, reconcile, resend_if_proven_absent
from .settle import settle_change
from .state import Fill, OrderView, Phase, Unsettled
from .tracker import OrderTracker
from .wiring import TrackingOptions

__all__ = [
    "Fill",
    "OrderAbsentError",
    "OrderChangeNotAppliedError",
    "OrderChanges",
    "OrderNotFoundError",
    "OrderQueries",
    "OrderTracker",
    "OrderUnreachableError",
    "OrderView",
    "OrderWaitTimeoutError",
    "Phase",
    "TrackingOptions",
    "Unsettled",
    "reconcile",
    "resend_if_proven_absent",
    "settle_change",
]
