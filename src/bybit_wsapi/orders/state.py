"""One order's state as the tracker knows it: Bybit's status, fills (by ``execId``), totals.

``OrderRecord`` is the mutable record the tracker keeps; ``OrderView`` is the frozen snapshot
handed to users. Status rules (Bybit's ``orderStatus``): a terminal status never goes back, a
second terminal push (two ``Filled`` after a cancel raced a fill) changes nothing, and fills and
cumulative quantities only grow.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Final, Literal, get_args

from bybit_wsapi_generated import OrderStatusV5

from ..errors import RequestError

__all__ = [
    "OPEN_STATUSES",
    "TERMINAL_STATUSES",
    "Fill",
    "OrderRecord",
    "OrderView",
    "Phase",
    "Unsettled",
    "amend_shown",
    "dec",
]

ALL_STATUSES: Final[frozenset[str]] = frozenset(get_args(OrderStatusV5))
TERMINAL_STATUSES: Final[frozenset[str]] = frozenset(
    {"Rejected", "PartiallyFilledCanceled", "Filled", "Cancelled", "Deactivated"}
)
"""Statuses an order never leaves (Bybit's closed statuses but the transient ``Triggered``)."""
OPEN_STATUSES: Final[frozenset[str]] = ALL_STATUSES - TERMINAL_STATUSES

_IMPLIED: Final[Mapping[str, frozenset[str]]] = {
    "PartiallyFilled": frozenset({"New"}),
    "Filled": frozenset({"New"}),
    "PartiallyFilledCanceled": frozenset({"New", "PartiallyFilled"}),
    "Triggered": frozenset({"Untriggered"}),
}
"""Statuses an order must have passed to show this one (a market order may skip ``New``)."""

AMENDABLE: Final = (
    "qty",
    "price",
    "triggerPrice",
    "orderIv",
    "takeProfit",
    "stopLoss",
    "tpTriggerBy",
    "slTriggerBy",
    "triggerBy",
    "tpLimitPrice",
    "slLimitPrice",
    "tpslMode",
)
"""The fields an ``order.amend`` sets that an order object shows (reference §6.2)."""

Phase = Literal["open", "closed", "unknown", "failed"]
"""``open``: live at Bybit; ``closed``: terminal; ``unknown``: a request's outcome is unknown
(reconcile it); ``failed``: the create was rejected or never sent, so no order exists."""


def dec(text: object) -> Decimal:
    """A wire decimal; ``""`` (Bybit's "none") and junk are 0."""
    if not isinstance(text, str) or not text:
        return Decimal(0)
    try:
        return Decimal(text)
    except InvalidOperation:
        return Decimal(0)


def amend_shown(terms: Mapping[str, str], amend: Mapping[str, Any]) -> bool:
    """Whether an order showing ``terms`` carries every field ``amend`` sets (numbers compared
    as decimals: ``"60000"`` is ``"60000.0"``)."""
    asked = [key for key in AMENDABLE if key in amend]
    if not asked:
        return False
    return all(_same(terms.get(key), str(amend[key])) for key in asked)


def _same(shown: str | None, wanted: str) -> bool:
    if shown is None or shown == wanted:
        return shown is not None
    try:
        return Decimal(shown or "0") == Decimal(wanted or "0")
    except InvalidOperation:
        return False


@dataclass(frozen=True, slots=True)
class Unsettled:
    """An ``order.amend`` or ``order.cancel`` whose outcome is unknown (its reply was lost):
    ``tracker.reconcile`` settles whether it took effect. ``params`` are the request's (for a
    batch, the item's with the batch's category)."""

    op: Literal["order.amend", "order.cancel"]
    params: Mapping[str, Any]
    error: RequestError


@dataclass(frozen=True, slots=True)
class Fill:
    """One execution of an order (``execution`` push or ``/v5/execution/list`` row)."""

    exec_id: str
    qty: Decimal
    price: Decimal
    fee: Decimal
    fee_currency: str
    is_maker: bool
    exec_time_ms: int


@dataclass(frozen=True, slots=True)
class OrderView:
    """A snapshot of one tracked order.

    ``status`` is ``None`` until Bybit reported one (an ack alone says only "accepted").
    ``error`` is the last failed request on this order; with ``phase == "unknown"`` it is the
    ``RequestOutcomeUnknownError`` (or 110072) to settle with ``tracker.reconcile``. ``absent``:
    reconciliation proved Bybit never accepted it (safe to resend with the same link id).
    """

    order_link_id: str
    order_id: str
    category: str
    symbol: str
    status: OrderStatusV5 | None
    phase: Phase
    acked: bool
    filled_qty: Decimal
    avg_price: Decimal | None
    fees: Decimal
    fills: tuple[Fill, ...]
    seen: frozenset[str]
    error: RequestError | None
    updated_ms: int
    absent: bool = False
    unsettled: Unsettled | None = None
    """An amend or cancel sent whose outcome is unknown: ``tracker.reconcile`` settles it."""
    price: Decimal | None = None
    """The order's limit price as Bybit last showed it (amends included; ``None``: not shown
    yet, or ``"0"``/``""``, as for a market order)."""
    qty: Decimal | None = None
    """The order's quantity as Bybit last showed it (amends included)."""


@dataclass(slots=True)
class OrderRecord:
    """The tracker's mutable record of one order."""

    order_link_id: str = ""
    order_id: str = ""
    category: str = ""
    symbol: str = ""
    status: OrderStatusV5 | None = None
    acked: bool = False
    failed: bool = False
    unknown: bool = False
    absent: bool = False
    error: RequestError | None = None
    unsettled: Unsettled | None = None
    cum_qty: Decimal = Decimal(0)
    cum_value: Decimal = Decimal(0)
    cum_fee: Decimal = Decimal(0)
    avg_price: Decimal | None = None
    updated_ms: int = 0
    seen: set[str] = field(default_factory=set)
    fills: dict[str, Fill] = field(default_factory=dict)
    terms: dict[str, str] = field(default_factory=dict)
    """The amendable fields (``AMENDABLE``) as the freshest order object showed them."""

    @property
    def phase(self) -> Phase:
        if self.status in TERMINAL_STATUSES:
            return "closed"
        if self.status is not None:
            return "open"
        if self.unknown:
            return "unknown"
        return "failed" if self.failed else "open"

    @property
    def closed(self) -> bool:
        return self.phase in ("closed", "failed")

    def ids(self, message: Mapping[str, Any]) -> None:
        """Take ids and instrument from a push, reply or REST row where still unknown."""
        for attr, key in (
            ("order_id", "orderId"),
            ("order_link_id", "orderLinkId"),
            ("category", "category"),
            ("symbol", "symbol"),
        ):
            value = message.get(key)
            if isinstance(value, str) and value and not getattr(self, attr):
                setattr(self, attr, value)

    def apply_order(self, order: Mapping[str, Any]) -> bool:
        """Merge one order object (push or REST); whether anything changed."""
        self.ids(order)
        status = order.get("orderStatus")
        updated = _int(order.get("updatedTime"))
        before = (self.status, self.cum_qty, self.cum_fee, self.avg_price, self.unknown)
        shown = (self.terms.get("price"), self.terms.get("qty"))
        pending = self.unsettled
        qty = dec(order.get("cumExecQty"))
        # filled quantities only grow: more filled is newer whatever its time, less is older
        later = updated >= self.updated_ms if qty == self.cum_qty else qty > self.cum_qty
        fresh = later or status in TERMINAL_STATUSES
        if status in ALL_STATUSES and self.status not in TERMINAL_STATUSES and fresh:
            self.status = status
            self.seen.add(status)
            self.seen.update(_IMPLIED.get(status, ()))
        if updated >= self.updated_ms:
            self.terms.update(
                (key, value) for key in AMENDABLE if isinstance(value := order.get(key), str)
            )
        self.settle_shown()
        if self.status is not None:
            self.unknown = self.failed = self.absent = False  # Bybit holds it: settled
        self.updated_ms = max(self.updated_ms, updated)
        if qty > self.cum_qty:
            self.cum_qty = qty
            self.cum_value = max(self.cum_value, dec(order.get("cumExecValue")))
            self.cum_fee = max(self.cum_fee, dec(order.get("cumExecFee")))
            price = dec(order.get("avgPrice"))
            self.avg_price = price if price else self.avg_price
        after = (self.status, self.cum_qty, self.cum_fee, self.avg_price, self.unknown)
        amended = shown != (self.terms.get("price"), self.terms.get("qty"))
        return before != after or amended or pending is not self.unsettled

    def settle_shown(self) -> None:
        """Clear an unsettled cancel once the order is closed, an amend once it shows."""
        pending = self.unsettled
        if pending is None:
            return
        if pending.op == "order.cancel":
            shown = self.status in TERMINAL_STATUSES
        else:
            shown = amend_shown(self.terms, pending.params)
        if shown:
            self.unsettled = None

    def apply_fill(self, execution: Mapping[str, Any]) -> bool:
        """Add one execution unless its ``execId`` is already known; whether it was new."""
        self.ids(execution)
        exec_id = execution.get("execId")
        if not isinstance(exec_id, str) or not exec_id or exec_id in self.fills:
            return False
        self.fills[exec_id] = Fill(
            exec_id=exec_id,
            qty=dec(execution.get("execQty")),
            price=dec(execution.get("execPrice")),
            fee=dec(execution.get("execFee")),
            fee_currency=str(execution.get("feeCurrency", "")),
            is_maker=execution.get("isMaker") is True,
            exec_time_ms=_int(execution.get("execTime")),
        )
        self.unknown = self.failed = self.absent = False
        return True

    def view(self) -> OrderView:
        fills = tuple(sorted(self.fills.values(), key=lambda f: (f.exec_time_ms, f.exec_id)))
        fill_qty = sum((f.qty for f in fills), Decimal(0))
        avg: Decimal | None
        if fill_qty > self.cum_qty:  # the fills are ahead of the last order push
            value = sum((f.qty * f.price for f in fills), Decimal(0))
            filled, avg = fill_qty, value / fill_qty
            fees = sum((f.fee for f in fills), Decimal(0))
        else:
            filled, avg = self.cum_qty, self.avg_price
            fees = max(self.cum_fee, sum((f.fee for f in fills), Decimal(0)))
            if avg is None and filled and self.cum_value:
                avg = self.cum_value / filled
        return OrderView(
            order_link_id=self.order_link_id,
            order_id=self.order_id,
            category=self.category,
            symbol=self.symbol,
            status=self.status,
            phase=self.phase,
            acked=self.acked,
            filled_qty=filled,
            avg_price=avg,
            fees=fees,
            fills=fills,
            seen=frozenset(self.seen),
            error=self.error,
            updated_ms=self.updated_ms,
            absent=self.absent,
            unsettled=self.unsettled,
            price=dec(self.terms.get("price")) or None,
            qty=dec(self.terms.get("qty")) or None,
        )


def _int(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return 0
