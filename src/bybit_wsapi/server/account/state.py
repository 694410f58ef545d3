"""An account's live state: open orders' fill progress, positions, wallet coins (pure data)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Final, TypeVar

from bybit_wsapi_generated.models import (
    CancelTypeV5,
    CategoryV5,
    OrderSideV5,
    OrderStatusV5,
    OrderTimeInForceV5,
    OrderTypeV5,
    RejectReasonV5,
)

from ..market.listing import Listing

__all__ = ["OPEN", "Coin", "LiveOrder", "Position", "pick"]

OPEN: Final = frozenset(("New", "PartiallyFilled", "Untriggered"))
"""Statuses an amend or cancel applies to."""
ZERO: Final = Decimal(0)
_T = TypeVar("_T")


def pick(value: object, options: tuple[_T, ...], default: _T) -> _T:
    """``value`` if it is one of ``options`` (a validated enum value), else ``default``."""
    for option in options:
        if value == option:
            return option
    return default


@dataclass(slots=True, kw_only=True)
class LiveOrder:
    """One order's terms and fill progress; ``record`` is the order book's dict of it."""

    record: dict[str, object]
    category: CategoryV5
    symbol: str
    listing: Listing | None
    """``None``: the market does not list the symbol, so the order never fills."""
    side: OrderSideV5
    order_type: OrderTypeV5
    time_in_force: OrderTimeInForceV5
    status: OrderStatusV5 = "New"
    """Mirrored into ``record["status"]`` (what ``orders()`` shows) by :meth:`set_status`."""
    qty: Decimal
    """For a spot market buy sized in the quote coin (``quote_qty``), a quote amount."""
    price: Decimal | None
    trigger: Decimal | None
    trigger_direction: int
    reduce_only: bool
    quote_qty: bool = False
    cum_qty: Decimal = ZERO
    cum_value: Decimal = ZERO
    cum_fee: Decimal = ZERO
    fee_coin: str = ""
    locked: Decimal = ZERO
    """Spot: the coin amount this order holds in the wallet's ``locked``."""
    cancel_type: CancelTypeV5 = "UNKNOWN"
    reject_reason: RejectReasonV5 = "EC_NoError"
    last_price_on_created: str = ""

    @property
    def order_id(self) -> str:
        return str(self.record["orderId"])

    def set_status(self, status: OrderStatusV5) -> None:
        self.status = status
        self.record["status"] = status

    @property
    def leaves(self) -> Decimal:
        return ZERO if self.quote_qty and self.cum_qty else max(ZERO, self.qty - self.cum_qty)

    def limit(self) -> int | None:
        """The limit price in ticks (``None``: a Market order or an unlisted symbol)."""
        if self.price is None or self.listing is None:
            return None
        return self.listing.price.count(self.price)

    def crosses(self) -> bool:
        """Whether the book has liquidity within the order's limit now."""
        listing = self.listing
        best = None if listing is None else listing.book.best(self.side)
        if best is None:
            return False
        limit = self.limit()
        return limit is None or (best <= limit if self.side == "Buy" else best >= limit)


@dataclass(slots=True)
class Position:
    """A derivatives position: signed ``size`` (base qty; inverse: contracts)."""

    category: CategoryV5
    symbol: str
    size: Decimal = ZERO
    entry: Decimal = ZERO
    realised: Decimal = ZERO
    """Cumulative realised PnL."""
    session: Decimal = ZERO
    """Realised PnL of the current position."""
    seq: int = -1
    created_ms: int = 0
    updated_ms: int = 0

    def fill(
        self, side: OrderSideV5, qty: Decimal, price: Decimal, *, inverse: bool
    ) -> tuple[Decimal, Decimal]:
        """Apply one execution; returns ``(realised pnl, closed size)``.

        Linear and option: PnL ``closed * (exit - entry)``; inverse (size in contracts, PnL in
        the base coin): ``closed * (1/entry - 1/exit)``, entry the harmonic mean.
        """
        signed = qty if side == "Buy" else -qty
        size, entry = self.size, self.entry
        pnl = closed = ZERO
        if size and (size > 0) != (signed > 0):
            closed = min(qty, abs(size))
            direction = 1 if size > 0 else -1
            if inverse:
                pnl = closed * (1 / entry - 1 / price) * direction
            else:
                pnl = closed * (price - entry) * direction
            self.realised += pnl
            self.session += pnl
        new = size + signed
        if not new:
            entry = ZERO
            self.session = ZERO
        elif not size or (new > 0) != (size > 0):
            entry = price  # opened, or flipped: the rest opens at this price
        elif abs(new) > abs(size):
            if inverse:
                entry = abs(new) / (abs(size) / entry + qty / price)
            else:
                entry = (abs(size) * entry + qty * price) / abs(new)
        self.size, self.entry = new, entry
        return pnl, closed


@dataclass(slots=True)
class Coin:
    """One wallet coin."""

    balance: Decimal
    locked: Decimal = ZERO
    realised: Decimal = ZERO
