# Generated from ws_api.yaml, ws_streams.yaml, rest_api.yaml (sha256 95f76c9f1769faa46527bbfced197b6a559c0ec9c81bf65148990df76bd58e50) by codegen. DO NOT EDIT: change the spec or codegen/templates, then run `make generate`.
"""The streams as plain data: sockets, dialects, limits and topic routing.

The stream client and the local server both read these tables, so no path, limit or topic
pattern is written twice. A public topic goes to the socket of its category
(``PUBLIC_WS_KEYS``), a private one to ``PRIVATE_WS_KEY``.
"""

from collections.abc import Mapping
from typing import Final, Literal, TypeAlias, TypedDict

from .envelope import StreamWsKey

__all__ = [
    "DialectRule",
    "DIALECTS",
    "match_topic",
    "PRIVATE_WS_KEY",
    "PUBLIC_WS_KEYS",
    "STREAM_METHODS",
    "StreamRule",
    "STREAMS",
    "TOPIC_FAMILIES",
    "topic_family",
    "TOPIC_RULES",
    "TopicFamily",
    "TopicRule",
    "TopicVariantRule",
]

TopicFamily: TypeAlias = Literal[
    "orderbook",
    "publicTrade",
    "tickers",
    "kline",
    "allLiquidation",
    "order",
    "execution",
    "execution.fast",
    "position",
    "wallet",
    "greeks",
    "dcp",
]
"""Every topic family (a topic string starts with its family)."""

TOPIC_FAMILIES: Final[tuple[TopicFamily, ...]] = (
    "orderbook",
    "publicTrade",
    "tickers",
    "kline",
    "allLiquidation",
    "order",
    "execution",
    "execution.fast",
    "position",
    "wallet",
    "greeks",
    "dcp",
)
"""The topic families, in spec order."""


class DialectRule(TypedDict):
    """How one kind of stream socket shapes its acks and pongs."""

    ack_key: str
    ack_values: tuple[str, ...]
    """A frame whose ``ack_key`` is one of these is a subscribe or unsubscribe ack."""
    pong_key: str
    pong_values: tuple[str, ...]
    """A frame whose ``pong_key`` is one of these is a pong (every socket: ``ret_msg`` or ``op`` "pong")."""
    success_ret_msg: str | None
    """``ret_msg`` of a successful subscribe ack; ``None``: the ack has no ``ret_msg``."""
    topic_lists: tuple[str, str] | None
    """(success, fail) keys under ``data`` listing the topics of an ack."""
    examples: Mapping[str, str]
    """Frames as Bybit documents them (JSON text), by name."""


class StreamRule(TypedDict):
    """One stream socket."""

    attribute: str
    """Its ``WS_KEY_MAP`` attribute."""
    path: str
    access: Literal["public", "private"]
    category: str | None
    """The category whose public topics it carries; ``None``: private (every category)."""
    dialect: str
    """The ``DIALECTS`` entry of its acks and pongs."""
    subscribe_batch: int
    """Topics the client sends in one subscribe frame (500 where Bybit sets no limit: a safety cap)."""
    max_args_per_request: int | None
    """Bybit's limit of topics per subscribe frame (spot: 10); ``None``: no limit."""
    max_args_chars: int | None
    """Bybit's limit of characters of all topics subscribed on one connection."""
    max_topics: int | None
    """Bybit's limit of topics subscribed on one connection (option: 2000)."""


class TopicVariantRule(TypedDict):
    """The form of a topic family for some categories (or for none)."""

    categories: tuple[str, ...]
    pattern: str
    """The topic string, with ``{param}`` placeholders."""
    message: str
    """The ``OBJECT_RULES`` entry (and model) of each pushed message."""
    push: tuple[Literal["snapshot", "delta", "update"], ...]
    """``snapshot`` replaces, ``delta`` merges into the last snapshot, ``update`` is a private event."""
    values: Mapping[str, tuple[str | int, ...]]
    """The allowed values of a parameter (its enum's, or the variant's own list); any if absent."""


class TopicRule(TypedDict):
    """One topic family."""

    access: Literal["public", "private"]
    method: str
    """Its ``StreamMethods`` method."""
    params: tuple[str, ...]
    """The placeholders of its patterns (besides ``category``)."""
    variants: tuple[TopicVariantRule, ...]


DIALECTS: Final[Mapping[str, DialectRule]] = {
    "public_spot": {
        "ack_key": "op",
        "ack_values": ("subscribe", "unsubscribe"),
        "pong_key": "ret_msg",
        "pong_values": ("pong",),
        "success_ret_msg": "subscribe",
        "topic_lists": None,
        "examples": {
            "ack": '{"success":true,"ret_msg":"subscribe","conn_id":"2324d924-aa4d-45b0-a858-7b8be29ab52b","req_id":"10001","op":"subscribe"}',
            "pong": '{"success":true,"ret_msg":"pong","conn_id":"0970e817-426e-429a-a679-ff7f55e0b16a","op":"ping"}',
            "args_over_limit": '{"success":false,"ret_msg":"args size >10","conn_id":"0a555e6f-0f2c-4c1f-bfb6-0c5a0d4f1f0e","op":"subscribe"}',
        },
    },
    "public_linear": {
        "ack_key": "op",
        "ack_values": ("subscribe", "unsubscribe"),
        "pong_key": "ret_msg",
        "pong_values": ("pong",),
        "success_ret_msg": "",
        "topic_lists": None,
        "examples": {
            "ack": '{"success":true,"ret_msg":"","conn_id":"3cd84cb1-4d06-4a05-930a-2efe5fc70f0f","req_id":"","op":"subscribe"}',
            "pong": '{"success":true,"ret_msg":"pong","conn_id":"465772b1-7630-4fdc-a492-e003e6f0f260","req_id":"","op":"ping"}',
            "handler_not_found": '{"success":false,"ret_msg":"error:handler not found,topic:publicTrade.NOTASYMBOL","conn_id":"3cd84cb1-4d06-4a05-930a-2efe5fc70f0f","req_id":"","op":"subscribe"}',
            "already_subscribed": '{"success":false,"ret_msg":"error:already subscribed,topic:allLiquidation.ORDERUSDT","conn_id":"03f7ecc2-4d06-4a05-930a-2efe5fc70f0f","req_id":"allLiquidation.ORDERUSDT","op":"subscribe"}',
        },
    },
    "public_option": {
        "ack_key": "type",
        "ack_values": ("COMMAND_RESP",),
        "pong_key": "op",
        "pong_values": ("pong",),
        "success_ret_msg": None,
        "topic_lists": ("successTopics", "failTopics"),
        "examples": {
            "ack": '{"success":true,"conn_id":"aa01fbfffe80af37-00000001-000b37b3-a3fc8ac5e3e6df15-00e1c172","data":{"failTopics":[],"successTopics":["orderbook.100.BTC-6JAN23-18000-C"]},"type":"COMMAND_RESP"}',
            "pong": '{"args":["1672916271846"],"op":"pong"}',
        },
    },
    "private": {
        "ack_key": "op",
        "ack_values": ("subscribe", "unsubscribe"),
        "pong_key": "op",
        "pong_values": ("pong",),
        "success_ret_msg": "",
        "topic_lists": None,
        "examples": {
            "ack": '{"success":true,"ret_msg":"","op":"subscribe","conn_id":"cejreassvfrsfvb9v1a0-2m"}',
            "pong": '{"req_id":"test","op":"pong","args":["1675418560633"],"conn_id":"cfcb4ocsvfriu23r3er0-1b"}',
            "auth": '{"success":true,"ret_msg":"","op":"auth","conn_id":"cejreaspqfh3sjdnldmg-p"}',
            "auth_failure": '{"success":false,"ret_msg":"Params Error","op":"auth","conn_id":"ct7hhu4d3vdp1dtt27u0-2g"}',
        },
    },
}
"""Every socket dialect, by name."""

STREAMS: Final[Mapping[StreamWsKey, StreamRule]] = {
    "v5SpotPublic": {
        "attribute": "v5_spot_public",
        "path": "/v5/public/spot",
        "access": "public",
        "category": "spot",
        "dialect": "public_spot",
        "subscribe_batch": 10,
        "max_args_per_request": 10,
        "max_args_chars": 21000,
        "max_topics": None,
    },
    "v5LinearPublic": {
        "attribute": "v5_linear_public",
        "path": "/v5/public/linear",
        "access": "public",
        "category": "linear",
        "dialect": "public_linear",
        "subscribe_batch": 500,
        "max_args_per_request": None,
        "max_args_chars": 21000,
        "max_topics": None,
    },
    "v5InversePublic": {
        "attribute": "v5_inverse_public",
        "path": "/v5/public/inverse",
        "access": "public",
        "category": "inverse",
        "dialect": "public_linear",
        "subscribe_batch": 500,
        "max_args_per_request": None,
        "max_args_chars": 21000,
        "max_topics": None,
    },
    "v5OptionPublic": {
        "attribute": "v5_option_public",
        "path": "/v5/public/option",
        "access": "public",
        "category": "option",
        "dialect": "public_option",
        "subscribe_batch": 500,
        "max_args_per_request": None,
        "max_args_chars": 21000,
        "max_topics": 2000,
    },
    "v5Private": {
        "attribute": "v5_private",
        "path": "/v5/private",
        "access": "private",
        "category": None,
        "dialect": "private",
        "subscribe_batch": 500,
        "max_args_per_request": None,
        "max_args_chars": None,
        "max_topics": None,
    },
}
"""Every stream socket, by wsKey."""

PUBLIC_WS_KEYS: Final[Mapping[str, StreamWsKey]] = {
    "spot": "v5SpotPublic",
    "linear": "v5LinearPublic",
    "inverse": "v5InversePublic",
    "option": "v5OptionPublic",
}
"""The public socket of each category."""

PRIVATE_WS_KEY: Final[Literal["v5Private"]] = "v5Private"
"""The private socket: every private topic of every category."""

TOPIC_RULES: Final[Mapping[TopicFamily, TopicRule]] = {
    "orderbook": {
        "access": "public",
        "method": "stream_orderbook",
        "params": ("symbol", "depth"),
        "variants": (
            {
                "categories": ("linear", "inverse", "spot"),
                "pattern": "orderbook.{depth}.{symbol}",
                "message": "OrderbookMessageV5",
                "push": ("snapshot", "delta"),
                "values": {"depth": (1, 50, 200, 1000)},
            },
            {
                "categories": ("option",),
                "pattern": "orderbook.{depth}.{symbol}",
                "message": "OrderbookMessageV5",
                "push": ("snapshot", "delta"),
                "values": {"depth": (25, 100)},
            },
        ),
    },
    "publicTrade": {
        "access": "public",
        "method": "stream_trades",
        "params": ("symbol",),
        "variants": (
            {
                "categories": ("linear", "inverse", "spot", "option"),
                "pattern": "publicTrade.{symbol}",
                "message": "PublicTradeMessageV5",
                "push": ("snapshot",),
                "values": {},
            },
        ),
    },
    "tickers": {
        "access": "public",
        "method": "stream_tickers",
        "params": ("symbol",),
        "variants": (
            {
                "categories": ("linear", "inverse"),
                "pattern": "tickers.{symbol}",
                "message": "TickerLinearMessageV5",
                "push": ("snapshot", "delta"),
                "values": {},
            },
            {
                "categories": ("spot",),
                "pattern": "tickers.{symbol}",
                "message": "TickerSpotMessageV5",
                "push": ("snapshot",),
                "values": {},
            },
            {
                "categories": ("option",),
                "pattern": "tickers.{symbol}",
                "message": "TickerOptionMessageV5",
                "push": ("snapshot",),
                "values": {},
            },
        ),
    },
    "kline": {
        "access": "public",
        "method": "stream_klines",
        "params": ("symbol", "interval"),
        "variants": (
            {
                "categories": ("linear", "inverse", "spot"),
                "pattern": "kline.{interval}.{symbol}",
                "message": "KlineMessageV5",
                "push": ("snapshot",),
                "values": {
                    "interval": (
                        "1",
                        "3",
                        "5",
                        "15",
                        "30",
                        "60",
                        "120",
                        "240",
                        "360",
                        "720",
                        "D",
                        "W",
                        "M",
                    )
                },
            },
        ),
    },
    "allLiquidation": {
        "access": "public",
        "method": "stream_liquidations",
        "params": ("symbol",),
        "variants": (
            {
                "categories": ("linear", "inverse"),
                "pattern": "allLiquidation.{symbol}",
                "message": "AllLiquidationMessageV5",
                "push": ("snapshot",),
                "values": {},
            },
        ),
    },
    "order": {
        "access": "private",
        "method": "stream_orders",
        "params": (),
        "variants": (
            {
                "categories": (),
                "pattern": "order",
                "message": "OrderMessageV5",
                "push": ("update",),
                "values": {},
            },
            {
                "categories": ("spot", "linear", "inverse", "option"),
                "pattern": "order.{category}",
                "message": "OrderMessageV5",
                "push": ("update",),
                "values": {},
            },
        ),
    },
    "execution": {
        "access": "private",
        "method": "stream_executions",
        "params": (),
        "variants": (
            {
                "categories": (),
                "pattern": "execution",
                "message": "ExecutionMessageV5",
                "push": ("update",),
                "values": {},
            },
            {
                "categories": ("spot", "linear", "inverse", "option"),
                "pattern": "execution.{category}",
                "message": "ExecutionMessageV5",
                "push": ("update",),
                "values": {},
            },
        ),
    },
    "execution.fast": {
        "access": "private",
        "method": "stream_fast_executions",
        "params": (),
        "variants": (
            {
                "categories": (),
                "pattern": "execution.fast",
                "message": "FastExecutionMessageV5",
                "push": ("update",),
                "values": {},
            },
            {
                "categories": ("linear", "inverse", "spot", "option"),
                "pattern": "execution.fast.{category}",
                "message": "FastExecutionMessageV5",
                "push": ("update",),
                "values": {},
            },
        ),
    },
    "position": {
        "access": "private",
        "method": "stream_positions",
        "params": (),
        "variants": (
            {
                "categories": (),
                "pattern": "position",
                "message": "PositionMessageV5",
                "push": ("update",),
                "values": {},
            },
            {
                "categories": ("linear", "inverse", "option"),
                "pattern": "position.{category}",
                "message": "PositionMessageV5",
                "push": ("update",),
                "values": {},
            },
        ),
    },
    "wallet": {
        "access": "private",
        "method": "stream_wallet",
        "params": (),
        "variants": (
            {
                "categories": (),
                "pattern": "wallet",
                "message": "WalletMessageV5",
                "push": ("update",),
                "values": {},
            },
        ),
    },
    "greeks": {
        "access": "private",
        "method": "stream_greeks",
        "params": (),
        "variants": (
            {
                "categories": (),
                "pattern": "greeks",
                "message": "GreeksMessageV5",
                "push": ("update",),
                "values": {},
            },
        ),
    },
    "dcp": {
        "access": "private",
        "method": "stream_dcp",
        "params": ("product",),
        "variants": (
            {
                "categories": (),
                "pattern": "dcp.{product}",
                "message": "DcpMessageV5",
                "push": ("update",),
                "values": {"product": ("future", "spot", "option")},
            },
        ),
    },
}
"""Every topic family."""

STREAM_METHODS: Final[Mapping[TopicFamily, str]] = {
    "orderbook": "stream_orderbook",
    "publicTrade": "stream_trades",
    "tickers": "stream_tickers",
    "kline": "stream_klines",
    "allLiquidation": "stream_liquidations",
    "order": "stream_orders",
    "execution": "stream_executions",
    "execution.fast": "stream_fast_executions",
    "position": "stream_positions",
    "wallet": "stream_wallet",
    "greeks": "stream_greeks",
    "dcp": "stream_dcp",
}
"""The ``StreamMethods`` method of each topic family."""

_LONGEST_FIRST: Final[tuple[TopicFamily, ...]] = (  # reverse order puts "a.b" before "a"
    "wallet",
    "tickers",
    "publicTrade",
    "position",
    "orderbook",
    "order",
    "kline",
    "greeks",
    "execution.fast",
    "execution",
    "dcp",
    "allLiquidation",
)


def topic_family(topic: str) -> TopicFamily | None:
    """The family of a pushed topic: ``execution.fast.linear`` -> ``execution.fast``.

    The longest family the topic equals or starts with (followed by ``.``); ``None`` if none.
    """
    for family in _LONGEST_FIRST:
        if topic == family or topic.startswith(family + "."):
            return family
    return None


def match_topic(topic: str, ws_key: StreamWsKey) -> tuple[TopicFamily, dict[str, str]] | None:
    """The family and parameters of ``topic`` when the socket ``ws_key`` serves it, else ``None``.

    ``match_topic("orderbook.50.BTCUSDT", "v5LinearPublic")`` gives
    ``("orderbook", {"depth": "50", "symbol": "BTCUSDT"})``; depth 500, a private topic on a
    public socket or a spot-only topic on linear give ``None`` (Bybit: ``handler not found``).
    The last placeholder takes the rest of the topic, dots included.
    """
    family = topic_family(topic)
    if family is None:
        return None
    rule = TOPIC_RULES[family]
    stream = STREAMS[ws_key]
    if rule["access"] != stream["access"]:
        return None
    for variant in rule["variants"]:
        if stream["category"] is not None and stream["category"] not in variant["categories"]:
            continue
        params = _fill(variant["pattern"], topic)
        if params is None or params.get("category", stream["category"]) not in (
            variant["categories"] or (None,)
        ):
            continue
        allowed = variant["values"]
        if all(
            name not in allowed or value in {str(v) for v in allowed[name]}
            for name, value in params.items()
        ):
            return family, params
    return None


def _fill(pattern: str, topic: str) -> dict[str, str] | None:
    """The placeholder values that turn ``pattern`` into ``topic``, or ``None``."""
    parts = pattern.split(".")
    pieces = topic.split(".", len(parts) - 1)
    if len(pieces) != len(parts):
        return None
    params = {}
    for part, piece in zip(parts, pieces, strict=True):
        if part.startswith("{"):
            if not piece:
                return None
            params[part[1:-1]] = piece
        elif part != piece:
            return None
    return params
