# Generated from ws_api.yaml (sha256 b1817f5c653ace52dd5f060f998c1398a0152e803d522ab05175dfb4f46e6d54) by codegen. DO NOT EDIT: change the spec or codegen/templates, then run `make generate`.
"""Envelope frames of the Bybit V5 WebSocket trade API (/v5/trade), generic in operation and payload."""

from typing import Final, Generic, Literal, NotRequired, TypeAlias, TypedDict, TypeVar

from .models import WSAPIRequestHeaderV5, WSAPIResponseHeaderV5, WSAPIResponseMeta

__all__ = [
    "WS_KEY_MAP",
    "WSAPIRequest",
    "WSAPIResponse",
    "WsKey",
]

WsKey: TypeAlias = Literal["v5PrivateTrade"]
"""Name of the connection the WS API runs on."""


class WS_KEY_MAP:  # noqa: N801 - named as in the Node SDK
    """Connection names, as the Node SDK's ``WS_KEY_MAP``."""

    v5_private_trade: Final[WsKey] = "v5PrivateTrade"


TParams = TypeVar("TParams")
TData = TypeVar("TData")
TOperation = TypeVar("TOperation", bound=str)
TRetExtInfo = TypeVar("TRetExtInfo")


class WSAPIRequest(TypedDict, Generic[TParams, TOperation]):
    """A request frame for one operation (§4)."""

    reqId: str
    """Request id: unique per connection, at most 36 characters."""

    header: WSAPIRequestHeaderV5
    """Timestamp; receive window and referer."""

    op: TOperation
    """The operation."""

    args: list[TParams]
    """Exactly one parameter object."""


class WSAPIResponse(TypedDict, Generic[TData, TOperation, TRetExtInfo]):
    """The reply to one operation (§5), as the client returns it."""

    wsKey: str
    """The connection it came from (added by the client)."""

    reqId: NotRequired[str]
    """Echo of the request id (present only when one was sent)."""

    retCode: int
    """0 when accepted; otherwise an error code."""

    retMsg: str
    """\"OK" on success, otherwise the error text."""

    op: TOperation
    """Echo of the operation."""

    data: TData
    """The result; {} on errors."""

    retExtInfo: TRetExtInfo
    """{} for single operations; item statuses for batches."""

    header: NotRequired[WSAPIResponseHeaderV5]
    """Rate-limit and timing headers."""

    connId: str
    """Connection id."""

    meta: WSAPIResponseMeta
    """Round trip and parsed headers (added by the client)."""
