"""Which private topics and paths the streams have, and each socket's subscription limits, read
from the spec's generated tables (``bybit_wsapi_generated.streams``): nothing written twice.

Public topics are the simulated market's (``Market.valid_topic``: its instruments, the depths
and intervals of the spec).
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Final, NamedTuple, get_args

from bybit_wsapi_generated.models import DcpProductV5
from bybit_wsapi_generated.streams import PRIVATE_WS_KEY, PUBLIC_WS_KEYS, STREAMS, TOPIC_RULES

__all__ = [
    "CATEGORIES",
    "PRIVATE_PATH",
    "PRIVATE_TOPICS",
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


_PARAM_VALUES: Final[Mapping[str, tuple[str, ...]]] = {"product": get_args(DcpProductV5)}
"""Values of the private patterns' placeholders the topic table does not list (enums)."""


def _expand(pattern: str, categories: tuple[str, ...]) -> list[str]:
    names = [name for _, name, _, _ in string.Formatter().parse(pattern) if name]
    if not names:
        return [pattern]
    (name,) = names
    values = categories if name == "category" else _PARAM_VALUES[name]
    return [pattern.format(**{name: value}) for value in values]


PRIVATE_TOPICS: Final[Mapping[str, str]] = {
    topic: family
    for family, rule in TOPIC_RULES.items()
    if rule["access"] == "private"
    for variant in rule["variants"]
    for topic in _expand(variant["pattern"], variant["categories"])
}
"""Every private topic -> its family (``order.linear`` -> ``order``)."""


def private_family(topic: str) -> str | None:
    """The family of a private topic, ``None`` if the private stream has no such topic."""
    return PRIVATE_TOPICS.get(topic)
