"""How the local server's accounts start and trade (pure data)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

__all__ = ["AccountConfig"]


def _wallet() -> Mapping[str, str]:
    return {"USDT": "1000000", "USDC": "1000000", "BTC": "10", "ETH": "100"}


def _fees() -> Mapping[str, tuple[str, str]]:
    return {
        "linear": ("0.00055", "0.0002"),
        "inverse": ("0.00055", "0.0002"),
        "spot": ("0.001", "0.001"),
        "option": ("0.0003", "0.0003"),
    }


@dataclass(frozen=True)
class AccountConfig:
    """Every account's starting wallet, fee rates and push choices."""

    wallet: Mapping[str, str] = field(default_factory=_wallet)
    """Coin -> starting wallet balance (a decimal string)."""
    fee_rates: Mapping[str, tuple[str, str]] = field(default_factory=_fees)
    """Category -> (taker, maker) fee rate, charged on the execution value."""
    leverage: str = "10"
    """The leverage every derivatives position reports."""
    new_for_takers: bool = True
    """Push ``New`` before the fills of an order that trades at once (UNCONFIRMED on Bybit)."""
    ack_first: bool = True
    """Whether the trade socket's ack goes before the private pushes of the same op."""
    executions_kept: int = 100_000
    """The most recent fills each account keeps for ``/v5/execution/list`` (Bybit: 2 years)."""

    def __post_init__(self) -> None:
        if self.executions_kept < 1:
            raise ValueError(f"executions_kept: at least 1, got {self.executions_kept}")
        for coin, amount in self.wallet.items():
            if not coin or Decimal(amount) < 0:
                raise ValueError(f"wallet: {coin!r} needs a non-negative balance, got {amount!r}")
        for category, rates in self.fee_rates.items():
            if any(Decimal(rate) < 0 for rate in rates):
                raise ValueError(f"fee_rates[{category!r}]: expected (taker, maker) >= 0")
