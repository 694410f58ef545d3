# Generated from ws_api.yaml, ws_streams.yaml, rest_api.yaml (sha256 95f76c9f1769faa46527bbfced197b6a559c0ec9c81bf65148990df76bd58e50) by codegen. DO NOT EDIT: change the spec or codegen/templates, then run `make generate`.
"""Envelope frames of the Bybit V5 WebSocket trade API (/v5/trade), generic in operation and payload."""

from typing import Final, Generic, Literal, NotRequired, TypeAlias, TypedDict, TypeVar

from .models import WSAPIRequestHeaderV5, WSAPIResponseHeaderV5, WSAPIResponseMeta

__all__ = [
    "StreamWsKey",
    "WS_KEY_MAP",
    "WSAPIRequest",
    "WSAPIResponse",
    "WSAPIWsKey",
    "WsKey",
]

WSAPIWsKey: TypeAlias = Literal["v5PrivateTrade"]
"""Name of the connection the WS API (trade) runs on."""

StreamWsKey: TypeAlias = Literal[
    "v5SpotPublic", "v5LinearPublic", "v5InversePublic", "v5OptionPublic", "v5Private"
]
"""Names of the stream connections (one per public category, one private)."""

WsKey: TypeAlias = WSAPIWsKey | StreamWsKey
"""Name of any connection of the client (the Node SDK's ``WsKey``)."""


class WS_KEY_MAP:  # noqa: N801 - named as in the Node SDK
    """Connection names, as the Node SDK's ``WS_KEY_MAP``."""

    v5_private_trade: Final[Literal["v5PrivateTrade"]] = "v5PrivateTrade"
    """The WS API (trade) connection, ``/v5/trade``."""
    v5_spot_public: Final[Literal["v5SpotPublic"]] = "v5SpotPublic"
    """Public spot market data. (``/v5/public/spot``)"""
    v5_linear_public: Final[Literal["v5LinearPublic"]] = "v5LinearPublic"
    """Public market data of USDT/USDC perpetuals and futures. (``/v5/public/linear``)"""
    v5_inverse_public: Final[Literal["v5InversePublic"]] = "v5InversePublic"
    """Public market data of inverse contracts. (``/v5/public/inverse``)"""
    v5_option_public: Final[Literal["v5OptionPublic"]] = "v5OptionPublic"
    """Public market data of USDT/USDC options. (``/v5/public/option``)"""
    v5_private: Final[Literal["v5Private"]] = "v5Private"
    """Private account streams of every category (auth first). (``/v5/private``)"""


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
