"""An order's terms read from validated params, and the checks that need the instrument."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from ..market.book import Side
from ..market.listing import Listing
from ..market.market import Market
from .state import LiveOrder

__all__ = ["order_terms", "step_problem"]


def order_terms(market: Market, category: str, params: Mapping[str, object]) -> LiveOrder:
    """A :class:`LiveOrder` for ``params`` (its ``record`` is filled in once created).

    A Market order is IOC and has no price; a spot market Buy is sized in the quote coin
    unless ``marketUnit`` is ``baseCoin``. Fees are paid in the coin received (spot), the
    settle coin (linear, option) or the base coin (inverse).
    """
    symbol = str(params.get("symbol", ""))
    listing = market.listing(category, symbol)
    side: Side = "Sell" if params.get("side") == "Sell" else "Buy"
    order_type = str(params.get("orderType", "Limit"))
    is_market = order_type == "Market"
    price = params.get("price")
    trigger = params.get("triggerPrice")
    direction = params.get("triggerDirection")
    fee_coin = ""
    if listing is not None:
        instrument = listing.instrument
        if category == "spot":
            fee_coin = instrument.base_coin if side == "Buy" else instrument.quote_coin
        else:
            fee_coin = instrument.base_coin if category == "inverse" else instrument.quote_coin
    return LiveOrder(
        record={},
        category=category,
        symbol=symbol,
        listing=listing,
        side=side,
        order_type=order_type,
        time_in_force="IOC" if is_market else str(params.get("timeInForce") or "GTC"),
        qty=Decimal(str(params.get("qty") or 0)),
        price=Decimal(price) if isinstance(price, str) and price and not is_market else None,
        trigger=Decimal(trigger) if isinstance(trigger, str) and trigger else None,
        trigger_direction=direction if isinstance(direction, int) else 0,
        reduce_only=params.get("reduceOnly") is True,
        quote_qty=category == "spot"
        and is_market
        and side == "Buy"
        and params.get("marketUnit") != "baseCoin",
        fee_coin=fee_coin,
    )


def step_problem(listing: Listing | None, params: Mapping[str, object]) -> str | None:
    """``qty`` a whole number of lots, ``price``/``triggerPrice`` of ticks (10001), else None."""
    if listing is None:
        return None
    checks = [("qty", listing.size, "lot"), ("triggerPrice", listing.price, "tick")]
    if params.get("orderType") != "Market":
        checks.append(("price", listing.price, "tick"))
    for key, scale, what in checks:
        value = params.get(key)
        if isinstance(value, str) and value and scale.count(Decimal(value)) is None:
            return f"{key}: {value} is not a multiple of the {what} size {scale.step}"
    return None
