"""One account's orders: create, amend and cancel (pure: the caller passes the time).

This module only keeps the records; the account (``server.account``) fills them and sets
their status. Codes follow the
protocol reference §9; spot has its own codes for a duplicate ``orderLinkId`` and an unknown
order. :func:`create_problem` and :func:`amend_problem` refuse what Bybit refuses once the
parameters have the right types (a Limit without a price, a quantity or price that is not
positive, an amend that changes nothing).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from bybit_wsapi_generated.tables import CATEGORY_FIELD

from bybit_wsapi.retcodes import RetCode
from bybit_wsapi.wire import Action

__all__ = ["Action", "OrderBook", "Outcome", "amend_problem", "create_problem"]

ORDER_ID: Final = "orderId"
ORDER_LINK_ID: Final = "orderLinkId"
CATEGORY: Final = CATEGORY_FIELD
SYMBOL: Final = "symbol"
_IDENTITY_KEYS: Final = frozenset((CATEGORY, SYMBOL, ORDER_ID, ORDER_LINK_ID))

STATUS: Final = "status"
NEW: Final = "New"
CANCELLED: Final = "Cancelled"
OPEN: Final = frozenset((NEW, "PartiallyFilled", "Untriggered"))
"""Statuses an amend or a cancel applies to."""
_CANCELLED: Final = frozenset((CANCELLED, "PartiallyFilledCanceled", "Deactivated", "Rejected"))

_SPOT: Final = "spot"
_POSITIVE_FIELDS: Final = ("qty", "price", "triggerPrice")
"""Decimal fields that must be above zero when sent (``price`` only on a Limit order)."""
_AMENDABLE_DECIMALS: Final = frozenset(
    ("qty", "price", "triggerPrice", "takeProfit", "stopLoss", "tpLimitPrice", "slLimitPrice")
)
MSG_UNCHANGED: Final = (
    "The order remains unchanged as the parameters entered match the existing ones."
)
"""Bybit's text for an amend that changes nothing."""
_MESSAGES: Final[Mapping[int, str]] = {
    RetCode.OK: "OK",
    RetCode.DUPLICATE_ORDER_LINK_ID: "OrderLinkedID is duplicate",
    RetCode.SPOT_DUPLICATE_ORDER_LINK_ID: "Duplicate clientOrderId.",
    RetCode.ORDER_NOT_EXISTS: "Order does not exist.",
    RetCode.SPOT_ORDER_NOT_EXISTS: "Order does not exist.",
    RetCode.ORDER_COMPLETED_OR_CANCELLED: "The order has been completed or cancelled.",
    RetCode.ORDER_ALREADY_CANCELLED: "The order has been cancelled.",
}


_IDS = random.Random()  # seeded from os.urandom
_UUID4_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_UUID4_SET = (0x4000 << 64) | (0x8000 << 48)


def new_uuid4() -> str:
    """A random (version 4) UUID string: ``uuid.uuid4()`` without a syscall per call."""
    h = f"{_IDS.getrandbits(128) & _UUID4_CLEAR | _UUID4_SET:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of one create, amend or cancel."""

    code: int
    msg: str
    order_id: str
    """The order's id; ``""`` when it failed."""
    order_link_id: str
    """The order's ``orderLinkId`` (the one sent when it failed; ``""`` if none)."""
    created_ms: int | None = None
    """Creation time of a created order."""


def _failure(code: RetCode, params: Mapping[str, object], msg: str | None = None) -> Outcome:
    link = params.get(ORDER_LINK_ID)
    link_id = link if isinstance(link, str) else ""
    return Outcome(int(code), _MESSAGES[code] if msg is None else msg, "", link_id)


def _not_positive(params: Mapping[str, object], key: str) -> str | None:
    value = params.get(key)
    if isinstance(value, str) and value and Decimal(value) <= 0:
        return f"{key}: must be greater than 0, got {value!r}"
    return None


def create_problem(category: str, params: Mapping[str, object]) -> str | None:
    """Why Bybit refuses this (well-typed) create with 10001, else ``None``.

    A Limit order needs a ``price``; ``qty``, ``price`` and ``triggerPrice`` must be positive.
    Exceptions the reference documents: a Market order's ``price`` is ignored, so ``"0"`` passes
    there; on linear/inverse ``qty`` ``"0"`` with ``reduceOnly`` and ``closeOnTrigger`` both true
    closes the whole position.
    """
    market = params.get("orderType") == "Market"
    if not market and "price" not in params:
        return "price: required for a Limit order"
    for key in _POSITIVE_FIELDS:
        if key == "price" and market:
            price = params.get(key)
            if isinstance(price, str) and price.startswith("-"):
                return f"price: must not be negative, got {price!r}"
            continue
        if key == "qty" and _closes_position(category, params):
            continue
        problem = _not_positive(params, key)
        if problem is not None:
            return problem
    return None


def _closes_position(category: str, params: Mapping[str, object]) -> bool:
    return (
        category in ("linear", "inverse")
        and params.get("qty") == "0"
        and params.get("reduceOnly") is True
        and params.get("closeOnTrigger") is True
    )


def amend_problem(order: Mapping[str, object], params: Mapping[str, object]) -> str | None:
    """Why Bybit refuses this (well-typed) amend of ``order`` with 10001, else ``None``.

    ``qty``, ``price`` and ``triggerPrice`` must be positive (``"0"`` cancels a take profit or
    stop loss, so those may be zero); an amend whose values all equal the order's (decimals
    compared by value: ``"1.0"`` equals ``"1"``), or that sends nothing to change, is refused
    with Bybit's "remains unchanged" message.
    """
    for key in _POSITIVE_FIELDS:
        problem = _not_positive(params, key)
        if problem is not None:
            return problem
    for key, value in params.items():
        if key in _IDENTITY_KEYS:
            continue
        old = order.get(key)
        if key in _AMENDABLE_DECIMALS and isinstance(old, str) and isinstance(value, str):
            if (Decimal(old) if old else None) != (Decimal(value) if value else None):
                return None
        elif old != value:
            return None
    return MSG_UNCHANGED


class OrderBook:
    """Every order one account ever created, by ``orderId`` and by ``orderLinkId``."""

    def __init__(self, new_order_id: Callable[[], str] = new_uuid4) -> None:
        self._new_order_id = new_order_id
        self._by_id: dict[str, dict[str, object]] = {}
        self._by_link_id: dict[str, str] = {}
        self._numbers: dict[str, int] = {}
        """orderId -> its number, oldest first from 0."""

    def apply(
        self, action: Action, category: str, params: Mapping[str, object], now_ms: int
    ) -> Outcome:
        """Run ``action`` with validated ``params`` (``category`` is the request's)."""
        if action == "create":
            return self.create(category, params, now_ms)
        if action == "amend":
            return self.amend(category, params, now_ms)
        return self.cancel(category, params, now_ms)

    def refuse_create(self, category: str, params: Mapping[str, object]) -> Outcome | None:
        """The failure :meth:`create` would return for these params, else ``None``."""
        problem = create_problem(category, params)
        if problem is not None:
            return _failure(RetCode.PARAM_ERROR, params, problem)
        link = params.get(ORDER_LINK_ID)
        if isinstance(link, str) and link and link in self._by_link_id:
            duplicate = RetCode.SPOT_DUPLICATE_ORDER_LINK_ID if category == _SPOT else None
            return _failure(duplicate or RetCode.DUPLICATE_ORDER_LINK_ID, params)
        return None

    def create(self, category: str, params: Mapping[str, object], now_ms: int) -> Outcome:
        """A new ``New`` order; ``orderLinkId`` must be new to the account."""
        refused = self.refuse_create(category, params)
        return refused if refused is not None else self.insert(category, params, now_ms)

    def insert(self, category: str, params: Mapping[str, object], now_ms: int) -> Outcome:
        """Record a new ``New`` order whose params :meth:`refuse_create` accepted."""
        link = params.get(ORDER_LINK_ID)
        link_id = link if isinstance(link, str) else ""
        order_id = self._new_order_id()
        now = str(now_ms)
        order: dict[str, object] = {"price": "", **params}
        order[CATEGORY] = category
        order[ORDER_ID] = order_id
        order[ORDER_LINK_ID] = link_id
        order[STATUS] = NEW
        order["createdTime"] = order["updatedTime"] = now
        self._by_id[order_id] = order
        self._numbers[order_id] = len(self._numbers)
        if link_id:
            self._by_link_id[link_id] = order_id
        return Outcome(0, "OK", order_id, link_id, now_ms)

    def amend(self, category: str, params: Mapping[str, object], now_ms: int) -> Outcome:
        """Update the given fields of an open order."""
        order = self.find(category, params)
        if order is None:
            return _failure(_not_found(category), params)
        if order[STATUS] not in OPEN:
            return _failure(RetCode.ORDER_COMPLETED_OR_CANCELLED, params)
        problem = amend_problem(order, params)
        if problem is not None:
            return _failure(RetCode.PARAM_ERROR, params, problem)
        for key, value in params.items():
            if key not in _IDENTITY_KEYS:
                order[key] = value
        order["updatedTime"] = str(now_ms)
        return _success(order)

    def cancel(self, category: str, params: Mapping[str, object], now_ms: int) -> Outcome:
        """Cancel an open order (110010 if it was cancelled already, 110008 if it filled)."""
        order = self.find(category, params)
        if order is None:
            return _failure(_not_found(category), params)
        if order[STATUS] in _CANCELLED:
            return _failure(RetCode.ORDER_ALREADY_CANCELLED, params)
        if order[STATUS] not in OPEN:
            return _failure(RetCode.ORDER_COMPLETED_OR_CANCELLED, params)
        order[STATUS] = CANCELLED
        order["updatedTime"] = str(now_ms)
        return _success(order)

    def orders(self) -> list[dict[str, object]]:
        """Copies of every order, oldest first."""
        return [dict(order) for order in self._by_id.values()]

    def record(self, order_id: str) -> dict[str, object]:
        """The live record of an order (not a copy)."""
        return self._by_id[order_id]

    def lookup(self, order_id: str, link_id: str) -> tuple[int, str] | None:
        """``(number, orderId)`` of the order ``order_id`` names, or without it ``link_id``
        (numbered oldest first from 0), else ``None``: O(1), for REST's id lookups."""
        if not order_id:
            order_id = self._by_link_id.get(link_id, "") if link_id else ""
        number = self._numbers.get(order_id)
        return None if number is None else (number, order_id)

    def find(self, category: str, params: Mapping[str, object]) -> dict[str, object] | None:
        """The live record ``params`` names (``orderId`` wins over ``orderLinkId``; an empty
        string counts as not sent; category and symbol must match), else ``None``."""
        order_id = params.get(ORDER_ID)
        if not (isinstance(order_id, str) and order_id):
            link = params.get(ORDER_LINK_ID)
            order_id = self._by_link_id.get(link) if isinstance(link, str) and link else None
        order = self._by_id.get(order_id) if order_id else None
        if order is None or order[CATEGORY] != category or order[SYMBOL] != params.get(SYMBOL):
            return None
        return order


def _success(order: Mapping[str, object]) -> Outcome:
    return Outcome(0, "OK", str(order[ORDER_ID]), str(order[ORDER_LINK_ID]))


def _not_found(category: str) -> RetCode:
    return RetCode.SPOT_ORDER_NOT_EXISTS if category == _SPOT else RetCode.ORDER_NOT_EXISTS
