"""Following orders: the tracker (one view of each order) and its errors."""

from .changes import OrderChanges
from .errors import OrderAbsentError, OrderUnreachableError, OrderWaitTimeoutError
from .state import Fill, OrderView, Phase
from .tracker import OrderTracker
from .wiring import follow_orders, track_orders

__all__ = [
    "Fill",
    "OrderAbsentError",
    "OrderChanges",
    "OrderTracker",
    "OrderUnreachableError",
    "OrderView",
    "OrderWaitTimeoutError",
    "Phase",
    "follow_orders",
    "track_orders",
]
