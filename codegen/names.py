"""Every fixed name the generated package defines: one list, read by the checker and the renderer.

A spec type or enum may not take one of these names, and the renderer exports exactly these
(plus what the spec names) from each module.
"""

from __future__ import annotations

import re

__all__ = [
    "CONTROL_OPS",
    "ENVELOPE_NAMES",
    "MODULE_IMPORTS",
    "OPERATION_NAMES",
    "RESERVED_METHODS",
    "RESERVED_NAMES",
    "RESERVED_OPS",
    "REST_NAMES",
    "STREAM_NAMES",
    "SUBSCRIPTION_NAMES",
    "SYNC_OPERATION_NAMES",
    "SYNC_SUBSCRIPTION_NAMES",
    "TABLE_NAMES",
    "response_alias_name",
]

ENVELOPE_NAMES = ("WS_KEY_MAP", "WsKey", "WSAPIWsKey", "StreamWsKey")
"""Names defined by the envelope template (besides the spec's two frames)."""
OPERATION_NAMES = (
    "WSAPIOperation",
    "WS_API_OPERATIONS",
    "WS_API_METHODS",
    "WS_API_REQUEST_PARAM_MAP",
    "WS_API_RESPONSE_DATA_MAP",
    "WS_API_RET_EXT_INFO_MAP",
    "WSAPISender",
    "WSAPIMethods",
    "WSAPIAnyResponse",
    "WSAPIBatchResponse",
)
"""Fixed names defined by the operations template."""
CONTROL_OPS = {
    "OP_AUTH": "auth",
    "OP_PING": "ping",
    "OP_PONG": "pong",
    "OP_SUBSCRIBE": "subscribe",
    "OP_UNSUBSCRIBE": "unsubscribe",
}
"""The protocol's control ops by constant name (emitted in ``tables``, which the runtime uses)."""
TABLE_NAMES = (
    "API_PATH",
    "CATEGORY_FIELD",
    "FieldRule",
    "OBJECT_RULES",
    "ObjectRule",
    "OPERATION_RULES",
    "OperationRule",
    "REQUEST_FRAME_RULE",
    "Action",
    *CONTROL_OPS,
)
"""Names defined by the tables template."""
STREAM_NAMES = (
    "DIALECTS",
    "DialectRule",
    "PRIVATE_WS_KEY",
    "PUBLIC_WS_KEYS",
    "STREAMS",
    "STREAM_METHODS",
    "StreamRule",
    "TOPIC_FAMILIES",
    "TOPIC_RULES",
    "TopicFamily",
    "TopicRule",
    "TopicVariantRule",
    "match_topic",
    "topic_family",
)
"""Names defined by the streams template (routing and limits tables)."""
REST_NAMES = (
    "REST_ENDPOINTS",
    "REST_PATHS",
    "RestEndpointRule",
    "RestMethod",
    "RestPath",
    "RestQueries",
)
"""Names defined by the REST template (the endpoint table)."""
SUBSCRIPTION_NAMES = ("StreamMethods", "Subscription")
"""Names defined by the subscriptions template (the typed subscription surface)."""
SYNC_OPERATION_NAMES = ("WSAPISyncSender", "WSAPISyncMethods")
"""Names defined by the sync operations template (the blocking twin of ``WSAPISender`` and
``WSAPIMethods``); ``bybit_wsapi.sync`` exports them, so the package ``__init__`` leaves them out."""
SYNC_SUBSCRIPTION_NAMES = ("SyncStreamMethods", "SyncSubscription")
"""Names defined by the sync subscriptions template (exported by ``bybit_wsapi.sync`` too)."""
MODULE_IMPORTS = (
    "ABC",
    "Any",
    "AsyncIterator",
    "Awaitable",
    "Final",
    "Generic",
    "Literal",
    "Mapping",
    "NotRequired",
    "Protocol",
    "Required",
    "Sequence",
    "TypeAlias",
    "TypedDict",
    "TypeVar",
    "Unpack",
    "TData",
    "TMessage",
    "TOperation",
    "TParams",
    "TRetExtInfo",
)
"""Imported or defined next to the spec's names in the generated modules."""
RESERVED_NAMES = (
    *ENVELOPE_NAMES,
    *OPERATION_NAMES,
    *TABLE_NAMES,
    *STREAM_NAMES,
    *REST_NAMES,
    *SUBSCRIPTION_NAMES,
    *SYNC_OPERATION_NAMES,
    *SYNC_SUBSCRIPTION_NAMES,
    "SPEC_SHA256",
    *MODULE_IMPORTS,
)
"""Names the generated package defines or imports itself; a spec type or enum may not take them."""
RESERVED_OPS = tuple(CONTROL_OPS.values())
"""Protocol ops: no WS API operation may be named like them."""
RESERVED_METHODS = ("get_ws_client", "send_ws_api_request", "_subscription")
"""Methods of the generated base classes."""


def response_alias_name(op: str) -> str:
    """The generated alias of an operation's reply: ``order.create-batch`` -> ``OrderCreateBatchResponse``."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[._-]", op)) + "Response"
