"""Following orders: the tracker (one view of each order) and its errors."""

from .changes import OrderChanges
from .errors import OrderAbsentError, OrderUnreachableError, OrderWaitTimeoutError
from .reconcile import OrderQueries, reconcile, resend_if_proven_absent
from .state import Fill, OrderView, Phase
from .tracker import OrderTracker
from .wiring import follow_orders, track_orders

__all__ = [
    "Fill",
    "OrderAbsentError",
    "OrderChanges",
    "OrderQueries",
    "OrderTracker",
    "OrderUnreachableError",
    "OrderView",
    "OrderWaitTimeoutError",
    "Phase",
    "follow_orders",
    "reconcile",
    "resend_if_proven_absent",
    "track_orders",
]
