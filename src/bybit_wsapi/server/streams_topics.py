"""Which private topics and paths the streams have, and each socket's subscription limits, read
from the spec's generated tables (``bybit_wsapi_generated.streams``): nothing written twice.

Public topics are the simulated market's (``Market.valid_topic``: its instruments, the depths
and intervals of the spec).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, NamedTuple

from bybit_wsapi_generated.streams import PRIVATE_WS_KEY, PUBLIC_WS_KEYS, STREAMS, match_topic

__all__ = [
    "CATEGORIES",
    "PRIVATE_PATH",
    "PUBLIC_PATHS",
    "StreamLimits",
    "limits",
    "private_family",
]

CATEGORIES: Final = tuple(PUBLIC_WS_KEYS)
PUBLIC_PATHS: Final[Mapping[str, str]] = {c: STREAMS[k]["path"] for c, k in PUBLIC_WS_KEYS.items()}
PRIVATE_PATH: Final = STREAMS[PRIVATE_WS_KEY]["path"]


class StreamLimits(NamedTuple):
    """What one socket refuses in a subscribe (streams §2.2)."""

    max_args_per_request: int | None
    """Topics per subscribe frame (spot: 10; None: no limit)."""
    max_args_chars: int | None
    """Characters of every topic subscribed on one connection."""
    max_topics: int | None
    """Topics subscribed on one connection (option: 2000)."""


def limits(stream: str) -> StreamLimits:
    """The limits of ``"private"`` or a public category's socket."""
    rule = STREAMS[PRIVATE_WS_KEY if stream == "private" else PUBLIC_WS_KEYS[stream]]
    return StreamLimits(rule["max_args_per_request"], rule["max_args_chars"], rule["max_topics"])


def private_family(topic: str) -> str | None:
    """The family of a private topic (``order.linear`` -> ``order``), ``None`` if the private
    stream has no such topic."""
    match = match_topic(topic, PRIVATE_WS_KEY)
    return None if match is None else match[0]
