"""The typed subscription surface of each topic family: method signatures and bodies as text."""

from __future__ import annotations

from dataclasses import dataclass

from .ir import Spec, Topic, TopicVariant
from .pytext import PY_PRIMITIVES, literal

__all__ = ["Signature", "StreamMethod", "stream_method"]


@dataclass(frozen=True)
class Signature:
    """One signature of a stream method: its parameters after ``self`` and its return type."""

    params: str
    returns: str


@dataclass(frozen=True)
class StreamMethod:
    """What the subscriptions template needs to write one topic family's method."""

    topic: Topic
    overloads: tuple[Signature, ...]
    """Empty when one signature covers every variant."""
    signature: Signature
    ws_key: str
    """The expression picking the socket."""
    topic_expr: str
    """The expression building the topic string."""
    doc: str


def _fstring(pattern: str) -> str:
    return f'f"{pattern}"' if "{" in pattern else f'"{pattern}"'


def _param_types(topic: Topic, variant: TopicVariant | None) -> list[str]:
    out = []
    for p in topic.params:
        allowed = variant.allowed(p.name) if variant is not None else ()
        base = p.enum or PY_PRIMITIVES[p.kind]
        out.append(f"{p.name}: {literal(allowed) if allowed else base}")
    return out


def _plain(topic: Topic) -> TopicVariant | None:
    return next((v for v in topic.variants if not v.categories), None)


def _signature(topic: Topic, variant: TopicVariant | None) -> Signature:
    """The signature of one variant, or (``None``) the merged one of the implementation."""
    variants = topic.variants if variant is None else (variant,)
    categories = [c for v in variants for c in v.categories]
    params = _param_types(topic, variant)
    messages = list(dict.fromkeys(v.message for v in variants))
    returns = f"Subscription[{' | '.join(messages)}]"
    if topic.access == "public":
        return Signature(", ".join([f"category: {literal(categories)}", *params]), returns)
    if categories and _plain(topic) is not None and (variant is None or len(variants) > 1):
        params.append(f"category: {literal(categories)} | None = None")
    elif categories:
        params.append(f"category: {literal(categories)}")
    elif _plain(topic) is not None and len(topic.variants) > 1:
        params.append("category: None = None")
    return Signature(", ".join(params), returns)


def stream_method(topic: Topic, spec: Spec) -> StreamMethod:
    """How ``topic``'s method is written: overloads when its variants type differently."""
    merged = (
        len({(v.message, v.values) for v in topic.variants}) == 1 and topic.access == "private"
    ) or len(topic.variants) == 1
    overloads = () if merged else tuple(_signature(topic, v) for v in topic.variants)
    if topic.access == "public":
        ws_key = "PUBLIC_WS_KEYS[category]"
        expr = _fstring(topic.variants[0].pattern)
        where = "the socket of ``category``"
    else:
        ws_key = "PRIVATE_WS_KEY"
        plain = _plain(topic)
        categorised = next((v for v in topic.variants if v.categories), None)
        if plain is not None and categorised is not None:
            expr = f"{_fstring(plain.pattern)} if category is None else {_fstring(categorised.pattern)}"
        else:
            expr = _fstring(topic.variants[0].pattern)
        where = f"``{spec.stream(None).path}`` (after auth)"
    patterns = " or ".join(f"``{p}``" for p in dict.fromkeys(v.pattern for v in topic.variants))
    messages = " or ".join(f"``{m}``" for m in topic.messages)
    doc = f"{topic.doc}\n\nSubscribes to {patterns} on {where}; messages: {messages}."
    return StreamMethod(topic, overloads, _signature(topic, None), ws_key, expr, doc)
