"""Which topics each stream serves, and its subscription limits (pure data and checks).

PROVISIONAL: a small copy of the streams spec (reference §1, §2.2, §3, §4) until the generated
``bybit_wsapi_generated.streams`` tables land; then this module reads them instead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

__all__ = [
    "CATEGORIES",
    "PRIVATE_PATH",
    "PRIVATE_TOPICS",
    "PROVISIONAL_SYMBOLS",
    "PUBLIC_PATHS",
    "StreamLimits",
    "is_public_topic",
    "limits",
    "private_family",
]

CATEGORIES: Final = ("spot", "linear", "inverse", "option")
PUBLIC_PATHS: Final[Mapping[str, str]] = {c: f"/v5/public/{c}" for c in CATEGORIES}
PRIVATE_PATH: Final = "/v5/private"


class StreamLimits:
    """What one socket refuses in a subscribe (§2.2): Bybit's limits, not SDK safety caps."""

    __slots__ = ("max_args_chars", "max_args_per_request", "max_topics")

    def __init__(
        self, per_request: int | None, chars: int | None, topics: int | None = None
    ) -> None:
        self.max_args_per_request = per_request
        """Topics per subscribe frame (spot: 10)."""
        self.max_args_chars = chars
        """Characters of every topic subscribed on one connection."""
        self.max_topics = topics
        """Topics subscribed on one connection (option: 2000)."""


_LIMITS: Final[Mapping[str, StreamLimits]] = {
    "spot": StreamLimits(10, 21_000),
    "linear": StreamLimits(None, 21_000),
    "inverse": StreamLimits(None, 21_000),
    "option": StreamLimits(None, 21_000, 2000),
    "private": StreamLimits(None, None),
}


def limits(stream: str) -> StreamLimits:
    """The limits of ``"private"`` or a public category's socket."""
    return _LIMITS[stream]


_CATEGORISED: Final[Mapping[str, tuple[str, ...]]] = {
    "order": CATEGORIES,
    "execution": CATEGORIES,
    "execution.fast": CATEGORIES,
    "position": ("linear", "inverse", "option"),
}
PRIVATE_TOPICS: Final[Mapping[str, str]] = {
    **{family: family for family in (*_CATEGORISED, "wallet", "greeks")},
    **{f"{f}.{c}": f for f, categories in _CATEGORISED.items() for c in categories},
    **{f"dcp.{product}": "dcp" for product in ("future", "spot", "option")},
}
"""Every private topic -> its family (``order.linear`` -> ``order``)."""


def private_family(topic: str) -> str | None:
    """The family of a private topic, ``None`` if the private stream has no such topic."""
    return PRIVATE_TOPICS.get(topic)


PROVISIONAL_SYMBOLS: Final = frozenset(
    ("BTCUSDT", "ETHUSDT", "BTCUSD", "BTC-26DEC26-100000-C-USDT", "BTC")
)
"""The symbols served until the simulated market lists its instruments."""

_PUBLIC: Final = re.compile(
    r"(?P<family>orderbook|kline)\.(?P<param>[0-9A-Z]+)\.(?P<symbol>[A-Z0-9-]+)"
    r"|(?P<single>publicTrade|tickers|allLiquidation)\.(?P<symbol1>[A-Z0-9-]+)"
)
_DEPTHS: Final[Mapping[str, frozenset[str]]] = {
    "option": frozenset(("25", "100")),
    **{c: frozenset(("1", "50", "200", "1000")) for c in ("spot", "linear", "inverse")},
}
_INTERVALS: Final = frozenset(
    ["1", "3", "5", "15", "30", "60", "120", "240", "360", "720", "D", "W", "M"]
)


def is_public_topic(category: str, topic: str, symbols: frozenset[str]) -> bool:
    """Whether ``/v5/public/{category}`` serves ``topic`` for one of ``symbols``."""
    match = _PUBLIC.fullmatch(topic)
    if match is None:
        return False
    single = match["single"]
    if single is not None:
        if single == "allLiquidation" and category not in ("linear", "inverse"):
            return False
        return match["symbol1"] in symbols
    if match["family"] == "orderbook":
        ok = match["param"] in _DEPTHS[category]
    else:
        ok = category != "option" and match["param"] in _INTERVALS
    return ok and match["symbol"] in symbols
