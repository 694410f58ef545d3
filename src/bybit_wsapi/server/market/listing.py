"""One instrument's live state: its book, last trades, 24h statistics and candles (pure)."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Final, get_args

from bybit_wsapi_generated.models import (
    CategoryV5,
    KlineIntervalV5,
    LiquidationV5,
    PublicTradeV5,
    TickDirectionV5,
    TickerLinearV5,
    TickerOptionV5,
    TickerSpotV5,
)

from .book import Book, Side
from .feeds import Candle, interval_bounds
from .instruments import Instrument, MarketConfig, Scale, dec
from .push import Ids

__all__ = ["INTERVALS", "Listing"]

INTERVALS: Final[tuple[KlineIntervalV5, ...]] = get_args(KlineIntervalV5)
"""Kline intervals (§3.4)."""
_FUNDING_MS: Final = 8 * 3_600_000
_PCNT: Final = Decimal("0.000001")


class Listing:
    """An instrument with its book and statistics. ``record()`` feeds every trade in."""

    __slots__ = (
        "book",
        "candles",
        "coin_turnover",
        "direction",
        "high",
        "ids",
        "instrument",
        "last",
        "liquidations",
        "low",
        "open",
        "price",
        "size",
        "trades",
        "turnover",
        "value",
        "volume",
    )

    def __init__(self, instrument: Instrument, config: MarketConfig, seed: int) -> None:
        self.instrument = instrument
        self.price = Scale(instrument.tick_size)
        self.size = Scale(instrument.lot_size)
        self.value = Scale(str(self.price.step * self.size.step))
        """Turnover: ticks x lots."""
        key = f"{seed}:{instrument.category}:{instrument.symbol}"
        start = self.price.count(Decimal(instrument.price))
        assert start is not None  # checked by Instrument
        self.book = Book(start, config.levels, instrument.level_lots, random.Random(key))
        self.liquidations = random.Random(f"{key}:liquidations")
        self.ids = Ids(f"{key}:ids")
        self.open = self.last = self.high = self.low = start
        self.direction: TickDirectionV5 = "ZeroPlusTick"
        self.volume = 0
        self.turnover = 0
        self.coin_turnover = Decimal(0)
        """Inverse: the turnover in the base coin."""
        self.candles: dict[KlineIntervalV5, Candle] = {}
        self.trades: list[PublicTradeV5] = []
        """Trade items not pushed yet."""

    @property
    def category(self) -> CategoryV5:
        return self.instrument.category

    @property
    def symbol(self) -> str:
        return self.instrument.symbol

    def trade_topic(self) -> str:
        """``publicTrade.{symbol}``; options use the base coin (§3.2)."""
        name = self.instrument.base_coin if self.category == "option" else self.symbol
        return f"publicTrade.{name}"

    def roll(self, now_ms: int) -> list[tuple[KlineIntervalV5, Candle]]:
        """Start the candles that ``now_ms`` has reached; returns the ones that closed."""
        closed = []
        for interval in INTERVALS:
            candle = self.candles.get(interval)
            if candle is not None and now_ms <= candle.end:
                continue
            if candle is not None:
                closed.append((interval, candle))
            start, end = interval_bounds(interval, now_ms)
            self.candles[interval] = Candle(start, end, self.last, now_ms)
        return closed

    def record(self, side: Side, price: int, lots: int, now_ms: int) -> None:
        """A trade (``side`` is the taker's): statistics, candles and the publicTrade item."""
        if price > self.last:
            self.direction = "PlusTick"
        elif price < self.last:
            self.direction = "MinusTick"
        elif self.direction in ("PlusTick", "ZeroPlusTick"):
            self.direction = "ZeroPlusTick"
        else:
            self.direction = "ZeroMinusTick"
        self.last = price
        self.high = max(self.high, price)
        self.low = min(self.low, price)
        self.volume += lots
        self.turnover += price * lots
        coin_value = Decimal(0)
        if self.category == "inverse":
            coin_value = self.size.value(lots) / self.price.value(price)
            self.coin_turnover += coin_value
        for candle in self.candles.values():
            candle.trade(price, lots, coin_value, now_ms)
        category = self.category
        item: PublicTradeV5 = {
            "T": now_ms,
            "s": self.symbol,
            "S": side,
            "v": self.size.format(lots),
            "p": self.price.format(price),
            "i": self.ids.number() if category == "spot" else self.ids.uuid(),
            "BT": False,
            "RPI": False,
            "seq": self.book.seq,
        }
        if category in ("linear", "inverse"):
            item["L"] = self.direction
        if category == "option":
            mark = self.price.format(self._mid())
            item["mP"], item["iP"], item["mIv"], item["iv"] = mark, mark, "0.5", "0.5"
        self.trades.append(item)

    def ticker(self, now_ms: int) -> TickerLinearV5 | TickerSpotV5 | TickerOptionV5:
        """The full ticker of this category's shape (§3.3)."""
        fmt, size = self.price.format, self.size.format
        bids, asks = self.book.top(1)
        bid, bid_size = bids[0] if bids else (0, 0)
        ask, ask_size = asks[0] if asks else (0, 0)
        last = fmt(self.last)
        high, low = fmt(self.high), fmt(self.low)
        turnover, volume = self.value.format(self.turnover), size(self.volume)
        if self.category == "inverse":
            turnover = dec(self.coin_turnover)  # contracts are USD: turnover in the coin
        change = str(((Decimal(self.last) - self.open) / self.open).quantize(_PCNT) + 0)
        category = self.category
        if category == "spot":
            return {
                "symbol": self.symbol,
                "lastPrice": last,
                "prevPrice24h": fmt(self.open),
                "price24hPcnt": change,
                "usdIndexPrice": fmt(self._mid()),
                "highPrice24h": high,
                "lowPrice24h": low,
                "turnover24h": turnover,
                "volume24h": volume,
            }
        mid = fmt(self._mid())
        if category == "option":
            return {
                "symbol": self.symbol,
                "bidPrice": fmt(bid),
                "bidSize": size(bid_size),
                "bidIv": "0.5",
                "askPrice": fmt(ask),
                "askSize": size(ask_size),
                "askIv": "0.5",
                "lastPrice": last,
                "markPrice": mid,
                "indexPrice": mid,
                "markPriceIv": "0.5",
                "underlyingPrice": mid,
                "openInterest": "0",
                "totalVolume": volume,
                "totalTurnover": turnover,
                "delta": "0.5",
                "gamma": "0.00001",
                "vega": "10",
                "theta": "-10",
                "predictedDeliveryPrice": "0",
                "change24h": change,
                "highPrice24h": high,
                "lowPrice24h": low,
                "turnover24h": turnover,
                "volume24h": volume,
            }
        funding = now_ms - now_ms % _FUNDING_MS + _FUNDING_MS
        return {
            "symbol": self.symbol,
            "tickDirection": self.direction,
            "price24hPcnt": change,
            "lastPrice": last,
            "prevPrice24h": fmt(self.open),
            "prevPrice1h": fmt(self.open),
            "markPrice": mid,
            "indexPrice": mid,
            "openInterest": "0",
            "openInterestValue": "0",
            "nextFundingTime": str(funding),
            "fundingRate": "0.0001",
            "bid1Price": fmt(bid),
            "bid1Size": size(bid_size),
            "ask1Price": fmt(ask),
            "ask1Size": size(ask_size),
            "highPrice24h": high,
            "lowPrice24h": low,
            "turnover24h": turnover,
            "volume24h": volume,
        }

    def liquidation(self, now_ms: int) -> LiquidationV5:
        """A random liquidation near the price (``S`` Buy: a long was liquidated)."""
        rng = self.liquidations
        side: Side = "Buy" if rng.random() < 0.5 else "Sell"
        offset = rng.randint(1, 20)
        price = max(1, self.last - offset if side == "Buy" else self.last + offset)
        lots = rng.randint(1, self.instrument.level_lots)
        return {
            "T": now_ms,
            "s": self.symbol,
            "S": side,
            "v": self.size.format(lots),
            "p": self.price.format(price),
        }

    def _mid(self) -> int:
        bid, ask = self.book.best("Sell"), self.book.best("Buy")
        if bid is None or ask is None:
            return self.last
        return (bid + ask) // 2
