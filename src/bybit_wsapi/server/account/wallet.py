"""A unified account's coins: balances, spot locks, spot settlement, the ``wallet`` item."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Final

from bybit_wsapi_generated.models import WalletV5

from ..market.market import Market
from .messages import wallet_item
from .state import ZERO, Coin, LiveOrder

__all__ = ["Wallet"]

_USD: Final = frozenset(("USDT", "USDC", "USD"))


class Wallet:
    """Coin balances; spot orders lock what they may spend (``locked``)."""

    __slots__ = ("coins",)

    def __init__(self, balances: Mapping[str, str]) -> None:
        self.coins = {coin: Coin(Decimal(amount)) for coin, amount in balances.items()}

    def balances(self) -> dict[str, str]:
        """Coin -> wallet balance."""
        return {name: format(coin.balance, "f") for name, coin in self.coins.items()}

    def available(self, coin: str) -> Decimal:
        held = self.coins.get(coin)
        return ZERO if held is None else held.balance - held.locked

    def coin(self, coin: str) -> Coin:
        held = self.coins.get(coin)
        if held is None:
            held = self.coins[coin] = Coin(ZERO)
        return held

    def lock(self, live: LiveOrder) -> None:
        """Hold what a resting spot order may spend (quote for a Buy, base for a Sell)."""
        listing = live.listing
        if live.category != "spot" or listing is None or live.order_type == "Market":
            return
        instrument = listing.instrument
        if live.side == "Buy":
            amount, coin = live.leaves * (live.price or ZERO), instrument.quote_coin
        else:
            amount, coin = live.leaves, instrument.base_coin
        self.coin(coin).locked += amount
        live.locked = amount

    def unlock(self, live: LiveOrder) -> None:
        """Release what the order still holds."""
        if live.locked and live.listing is not None:
            instrument = live.listing.instrument
            coin = instrument.quote_coin if live.side == "Buy" else instrument.base_coin
            self.coin(coin).locked -= live.locked
            live.locked = ZERO

    def settle_spot(self, live: LiveOrder, qty: Decimal, value: Decimal, fee: Decimal) -> None:
        """One spot execution: the bought coin net of the fee in, the other coin out."""
        assert live.listing is not None
        instrument = live.listing.instrument
        base, quote = self.coin(instrument.base_coin), self.coin(instrument.quote_coin)
        if live.side == "Buy":
            release = min(live.locked, qty * live.price) if live.price is not None else ZERO
            quote.locked -= release
            quote.balance -= value
            base.balance += qty - fee
        else:
            release = min(live.locked, qty)
            base.locked -= release
            base.balance -= qty
            quote.balance += value - fee
        live.locked -= release

    def item(self, market: Market) -> WalletV5:
        """The ``wallet`` item, coins valued at the market's last USDT price."""
        usd: dict[str, Decimal] = {}
        for name in self.coins:
            if name in _USD:
                usd[name] = Decimal(1)
                continue
            for category in ("linear", "spot"):
                listing = market.listing(category, f"{name}USDT")
                if listing is not None:
                    usd[name] = listing.price.value(listing.last)
                    break
        return wallet_item(self.coins, usd)
