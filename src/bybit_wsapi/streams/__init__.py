"""The client side of Bybit's V5 streams: subscriptions, local order books, bounded consumption.

Pure parts (no I/O): :mod:`.orderbook`, :mod:`.tickers`, :mod:`.frames`, :mod:`.subscriptions`;
:mod:`.buffer` sits between a socket's reader and one consumer.
"""

from .buffer import MessageBuffer
from .orderbook import Level, OrderBook
from .subscriptions import StreamLimits, SubscriptionTable, TopicCall
from .tickers import TickerState

__all__ = [
    "Level",
    "MessageBuffer",
    "OrderBook",
    "StreamLimits",
    "SubscriptionTable",
    "TickerState",
    "TopicCall",
]
