"""The simulated market's instruments and its configuration (pure data).

Prices and sizes are integers inside the market: a price is a count of ticks, a size a count of
lots. :class:`Scale` turns them into the decimal strings Bybit sends (as many decimals as the
tick or lot size is written with: tick ``"0.10"`` prints ``"30247.20"``, as in the reference).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final

from bybit_wsapi_generated.models import CategoryV5

__all__ = [
    "DEFAULT_INSTRUMENTS",
    "Instrument",
    "MarketConfig",
    "Scale",
    "dec",
]


_QUANTUM: Final = Decimal("0.00000001")


def dec(value: Decimal) -> str:
    """A Decimal as a plain decimal string, at most 8 decimals, no exponent, no trailing 0s."""
    if not value:
        return "0"
    text = format(value.quantize(_QUANTUM).normalize() + 0, "f")
    return "0" if text in ("-0", "") else text


class Scale:
    """Fixed-point formatting of integer counts of a step (a tick or a lot)."""

    __slots__ = ("_decimals", "_unit", "step")

    def __init__(self, step: str) -> None:
        value = Decimal(step)
        if value <= 0:
            raise ValueError(f"a tick or lot size must be positive, got {step!r}")
        exponent = value.as_tuple().exponent
        assert isinstance(exponent, int)
        self._decimals = max(0, -exponent)
        self._unit = int(value.scaleb(self._decimals))
        self.step = value
        """The step as a Decimal."""

    def format(self, count: int) -> str:
        """``count`` steps as a decimal string, e.g. 302472 ticks of 0.10 -> ``"30247.20"``."""
        digits = str(count * self._unit)
        decimals = self._decimals
        if not decimals:
            return digits
        sign = ""
        if digits[0] == "-":
            sign, digits = "-", digits[1:]
        digits = digits.rjust(decimals + 1, "0")
        return f"{sign}{digits[:-decimals]}.{digits[-decimals:]}"

    def count(self, value: Decimal) -> int | None:
        """How many steps ``value`` is, or ``None`` when it is not a whole number of steps."""
        steps = value / self.step
        whole = int(steps)
        return whole if steps == whole else None

    def value(self, count: int) -> Decimal:
        """``count`` steps as a Decimal."""
        return self.step * count


@dataclass(frozen=True, slots=True)
class Instrument:
    """One tradable symbol of one category.

    ``quote_coin`` is what prices are in and, for linear and option, the settle coin; inverse
    contracts settle in ``base_coin`` and count their quantity in ``quote_coin`` (USD).
    """

    category: CategoryV5
    symbol: str
    base_coin: str
    quote_coin: str
    tick_size: str
    lot_size: str
    price: str
    """The starting price (a multiple of ``tick_size``)."""
    level_lots: int = 200
    """Largest size of a generated book level, in lots."""

    def __post_init__(self) -> None:
        if Scale(self.tick_size).count(Decimal(self.price)) is None:
            raise ValueError(f"{self.symbol}: price {self.price} is not a multiple of the tick")


DEFAULT_INSTRUMENTS: Final = (
    Instrument("linear", "BTCUSDT", "BTC", "USDT", "0.10", "0.001", "100000.00"),
    Instrument("linear", "ETHUSDT", "ETH", "USDT", "0.01", "0.01", "3500.00"),
    Instrument("spot", "BTCUSDT", "BTC", "USDT", "0.01", "0.000001", "100000.00", 200_000),
    Instrument("spot", "ETHUSDT", "ETH", "USDT", "0.01", "0.00001", "3500.00", 200_000),
    Instrument("inverse", "BTCUSD", "BTC", "USD", "0.50", "1", "100000.00", 20_000),
    Instrument("option", "BTC-26DEC26-100000-C-USDT", "BTC", "USDT", "5", "0.01", "5000", 50),
)
"""BTCUSDT and ETHUSDT on linear and spot, one BTC call option, one inverse perpetual."""


@dataclass(frozen=True)
class MarketConfig:
    """How the simulated market moves and how often each topic is pushed (times in ms).

    Defaults follow the reference: orderbook cadences of §3.1, tickers every 100 ms (spot 50),
    allLiquidation every 500 ms, level-1 books repeated unchanged every 3 s.
    """

    instruments: tuple[Instrument, ...] = DEFAULT_INSTRUMENTS
    step_ms: int = 20
    """The price process and the book move once per step."""
    volatility_ticks: float = 1.0
    """Standard deviation of the best bid's move per step, in ticks."""
    levels: int = 1000
    """Price levels kept on each side of each book (the deepest topic shows 1000)."""
    churn: int = 3
    """Book levels near the top whose size changes each step."""
    trade_probability: float = 0.3
    """Chance per step and instrument of a random taker trade at the best price."""
    liquidation_probability: float = 0.2
    """Chance per allLiquidation push slot of a liquidation (linear and inverse)."""
    depths: dict[str, dict[int, int]] = field(
        default_factory=lambda: {
            "linear": {1: 10, 50: 20, 200: 100, 1000: 200},
            "inverse": {1: 10, 50: 20, 200: 100, 1000: 200},
            "spot": {1: 10, 50: 20, 200: 100, 1000: 200},
            "option": {25: 20, 100: 100},
        }
    )
    """Per category: orderbook depth -> ms between pushes."""
    ticker_ms: dict[str, int] = field(
        default_factory=lambda: {"linear": 100, "inverse": 100, "spot": 50, "option": 100}
    )
    kline_ms: int = 1000
    """A kline topic pushes its open candle this often (when it changed), and at its close."""
    liquidation_ms: int = 500
    level1_repeat_ms: int = 3000
    """A level-1 book with no change is pushed again, same ``u``, after this long."""
    max_trades_per_message: int = 1024
    """publicTrade splits bigger batches into messages sharing one ``seq``."""
    max_steps_per_advance: int = 3000
    """A clock jump longer than this many steps skips the time beyond (candles still close)."""

    def __post_init__(self) -> None:
        if self.step_ms < 1 or self.levels < 1 or self.max_trades_per_message < 1:
            raise ValueError("step_ms, levels and max_trades_per_message must be positive")
        if self.volatility_ticks < 0:
            raise ValueError("volatility_ticks must not be negative")
        for name in ("trade_probability", "liquidation_probability"):
            if not 0 <= getattr(self, name) <= 1:
                raise ValueError(f"{name} must be within [0, 1]")
        seen = set()
        for instrument in self.instruments:
            key = (instrument.category, instrument.symbol)
            if key in seen:
                raise ValueError(f"instrument {key} is listed twice")
            seen.add(key)
        deepest = max((max(d) for d in self.depths.values() if d), default=1)
        if deepest > self.levels:
            raise ValueError(f"levels ({self.levels}) must cover the deepest book ({deepest})")
