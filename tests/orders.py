"""The order parameters the tests, the soak and the bench send: one valid linear limit order."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:  # the bench imports this into peers' processes: no bybit_wsapi at run time
    from bybit_wsapi import OrderParamsV5

ORDER: Final[OrderParamsV5] = {
    "category": "linear",
    "symbol": "BTCUSDT",
    "side": "Buy",
    "orderType": "Limit",
    "qty": "0.001",
    "price": "10000",
}


def create(link: str, **extra: Any) -> dict[str, Any]:
    """``ORDER`` with its ``orderLinkId`` (and any field overridden or added)."""
    return {**ORDER, "orderLinkId": link, **extra}


def amend(link: str, price: str) -> dict[str, Any]:
    return {"category": "linear", "symbol": "BTCUSDT", "orderLinkId": link, "price": price}


def cancel(link: str) -> dict[str, Any]:
    return {"category": "linear", "symbol": "BTCUSDT", "orderLinkId": link}
