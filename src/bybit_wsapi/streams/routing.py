"""Which socket a topic lives on, and what each socket accepts, from the spec's tables (§8.2).

A topic whose family the spec marks private goes to ``/v5/private`` whatever the category;
any other topic needs its category, which picks the public socket. ``is_private`` overrides the
table (Node's third ``subscribeV5`` argument), for a topic the spec does not know yet.
"""

from __future__ import annotations

from bybit_wsapi_generated import StreamWsKey
from bybit_wsapi_generated.streams import (
    PRIVATE_WS_KEY,
    PUBLIC_WS_KEYS,
    STREAMS,
    TOPIC_RULES,
    TopicFamily,
    topic_family,
)

from ..errors import ConfigurationError
from .subscriptions import StreamLimits

__all__ = ["CONFLATED_FAMILIES", "is_private_topic", "limits_of", "route"]

CONFLATED_FAMILIES: frozenset[TopicFamily] = frozenset({"orderbook", "tickers"})
"""Families whose messages are state (a book, a ticker): a slow consumer gets the latest state.
Every other family is lossless: overflow is reported, never silent."""


def is_private_topic(topic: str) -> bool:
    """Whether the spec puts ``topic`` on the private socket."""
    family = topic_family(topic)
    return family is not None and TOPIC_RULES[family]["access"] == "private"


def route(topic: str, category: str | None, is_private: bool | None) -> StreamWsKey:
    """The socket of ``topic``.

    Raises:
        ConfigurationError: a public topic without a known category.
    """
    if not topic:
        raise ConfigurationError(f"a topic must be a non-empty string, got {topic!r}")
    if is_private if is_private is not None else is_private_topic(topic):
        return PRIVATE_WS_KEY
    if category is None:
        raise ConfigurationError(
            f"{topic!r} is a public topic: pass category= ({', '.join(PUBLIC_WS_KEYS)}) to pick "
            "its socket (or is_private=True for a private topic the SDK does not know)"
        )
    ws_key = PUBLIC_WS_KEYS.get(category)
    if ws_key is None:
        raise ConfigurationError(
            f"unknown category {category!r}; public streams exist for {', '.join(PUBLIC_WS_KEYS)}"
        )
    return ws_key


def limits_of(ws_key: StreamWsKey) -> StreamLimits:
    """What the socket ``ws_key`` accepts (the spec's ``STREAMS`` row)."""
    rule = STREAMS[ws_key]
    return StreamLimits(rule["subscribe_batch"], rule["max_args_chars"], rule["max_topics"])
