"""The local server's simulated market (pure: no sockets, time passed in, seeded).

``Market(config, seed)``; ``market.valid_topic(category, topic)``, ``market.topics(category)``;
``market.subscribe(category, topic, now_ms)`` (the snapshot for a new subscriber) and
``unsubscribe``; ``market.advance(now_ms) -> list[Push]``; stream faults with ``inject`` and
``burst``. See :mod:`.market` for the details and :class:`Push` for how to fan pushes out.
"""

from .feeds import FAULTS, Fault
from .instruments import DEFAULT_INSTRUMENTS, Instrument, MarketConfig
from .listing import INTERVALS, Listing
from .market import Market, Participant
from .push import Push

__all__ = [
    "DEFAULT_INSTRUMENTS",
    "FAULTS",
    "INTERVALS",
    "Fault",
    "Instrument",
    "Listing",
    "Market",
    "MarketConfig",
    "Participant",
    "Push",
]
