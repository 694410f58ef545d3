"""An order's terms read from validated params, and the checks that need the instrument."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Final, get_args

from bybit_wsapi_generated.models import CategoryV5, OrderSideV5, OrderTimeInForceV5, OrderTypeV5

from bybit_wsapi.retcodes import RetCode

from ..market.listing import Listing
from ..market.market import Market
from .state import LiveOrder, Position, pick
from .wallet import Wallet

__all__ = ["order_terms", "step_problem", "vet"]

_MSG_REDUCE_ONLY: Final = "current position is zero, cannot fix reduce-only order qty"
_MSG_BALANCE: Final = "Insufficient balance."
_ORDER_TYPES: Final[tuple[OrderTypeV5, ...]] = get_args(OrderTypeV5)
_TIFS: Final[tuple[OrderTimeInForceV5, ...]] = get_args(OrderTimeInForceV5)


def order_terms(market: Market, category: CategoryV5, params: Mapping[str, object]) -> LiveOrder:
    """A :class:`LiveOrder` for ``params`` (its ``record`` is filled in once created).

    A Market order is IOC and has no price; a spot market Buy is sized in the quote coin
    unless ``marketUnit`` is ``baseCoin``. Fees are paid in the coin received (spot), the
    settle coin (linear, option) or the base coin (inverse).
    """
    symbol = str(params.get("symbol", ""))
    listing = market.listing(category, symbol)
    side: OrderSideV5 = "Sell" if params.get("side") == "Sell" else "Buy"
    order_type = pick(params.get("orderType"), _ORDER_TYPES, "Limit")
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
        time_in_force="IOC" if is_market else pick(params.get("timeInForce"), _TIFS, "GTC"),
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


def vet(
    live: LiveOrder, params: Mapping[str, object], position: Position | None, funds: Wallet
) -> tuple[int, str] | None:
    """Tick and lot sizes, reduce-only, the spot balance: the refusal, else ``None``.

    A reduce-only order (``position`` given) needs an opposite position and is cut to its size
    (``qty`` ``"0"`` closes it all); a spot order needs the coin it spends available.
    """
    listing = live.listing
    problem = None if live.quote_qty else step_problem(listing, params)
    if problem is not None:
        return RetCode.PARAM_ERROR, problem
    if position is not None:
        size = position.size
        if not size or (size > 0) == (live.side == "Buy"):
            return RetCode.REDUCE_ONLY_NOT_SATISFIED, _MSG_REDUCE_ONLY
        if not live.qty or live.qty > abs(size):
            live.qty = abs(size)
    if live.category == "spot" and listing is not None:
        instrument = listing.instrument
        if live.side == "Sell":
            need, coin = live.qty, instrument.base_coin
        elif live.quote_qty:
            need, coin = live.qty, instrument.quote_coin
        else:
            price = live.price or listing.price.value(listing.book.best("Buy") or listing.last)
            need, coin = live.qty * price, instrument.quote_coin
        if need > funds.available(coin):
            return RetCode.SPOT_INSUFFICIENT_BALANCE, _MSG_BALANCE
    return None
