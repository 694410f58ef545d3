# Generated from ws_api.yaml, ws_streams.yaml, rest_api.yaml (sha256 95f76c9f1769faa46527bbfced197b6a559c0ec9c81bf65148990df76bd58e50) by codegen. DO NOT EDIT: change the spec or codegen/templates, then run `make generate`.
"""The operations of the Bybit V5 WebSocket trade API: their names, type maps and typed call surface.

``WSAPISender`` has one ``send_ws_api_request`` overload per operation, so the operation string
decides the parameter and result types; ``WSAPIMethods`` has one method per operation. The
hand-written runtime implements only ``_send_ws_api_request`` and ``get_ws_client``.
"""

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Mapping, Sequence
from typing import Any, Final, Literal, TypeAlias, overload

from .envelope import WS_KEY_MAP, WSAPIResponse, WSAPIWsKey
from .models import (
    AmendBatchArgsV5,
    AmendOrderParamsV5,
    BatchAmendOrderListV5,
    BatchAmendOrderParamsV5,
    BatchCancelOrderListV5,
    BatchCancelOrderParamsV5,
    BatchCreateOrderListV5,
    BatchOrderParamsV5,
    BatchOrdersRetExtInfoV5,
    CancelBatchArgsV5,
    CancelOrderParamsV5,
    CategoryV5,
    CreateBatchArgsV5,
    EmptyRetExtInfoV5,
    OrderParamsV5,
    OrderResultV5,
)

__all__ = [
    "OrderAmendBatchResponse",
    "OrderAmendResponse",
    "OrderCancelBatchResponse",
    "OrderCancelResponse",
    "OrderCreateBatchResponse",
    "OrderCreateResponse",
    "WS_API_METHODS",
    "WS_API_OPERATIONS",
    "WS_API_REQUEST_PARAM_MAP",
    "WS_API_RESPONSE_DATA_MAP",
    "WS_API_RET_EXT_INFO_MAP",
    "WSAPIAnyResponse",
    "WSAPIBatchResponse",
    "WSAPIMethods",
    "WSAPIOperation",
    "WSAPISender",
]

WSAPIOperation: TypeAlias = Literal[
    "order.create",
    "order.amend",
    "order.cancel",
    "order.create-batch",
    "order.amend-batch",
    "order.cancel-batch",
]
"""Every operation of the WS API."""

WS_API_OPERATIONS: Final[tuple[WSAPIOperation, ...]] = (
    "order.create",
    "order.amend",
    "order.cancel",
    "order.create-batch",
    "order.amend-batch",
    "order.cancel-batch",
)
"""The operations, in spec order."""

WS_API_METHODS: Final[Mapping[WSAPIOperation, str]] = {
    "order.create": "submit_new_order",
    "order.amend": "amend_order",
    "order.cancel": "cancel_order",
    "order.create-batch": "batch_submit_orders",
    "order.amend-batch": "batch_amend_order",
    "order.cancel-batch": "batch_cancel_order",
}
"""The method of each operation on ``WSAPIMethods`` (``WebsocketAPIClient``)."""

WS_API_REQUEST_PARAM_MAP: Final[Mapping[WSAPIOperation, type]] = {
    "order.create": OrderParamsV5,
    "order.amend": AmendOrderParamsV5,
    "order.cancel": CancelOrderParamsV5,
    "order.create-batch": CreateBatchArgsV5,
    "order.amend-batch": AmendBatchArgsV5,
    "order.cancel-batch": CancelBatchArgsV5,
}
"""The params ``TypedDict`` of each operation (the Node SDK's ``WsAPITopicRequestParamMap``)."""

WS_API_RESPONSE_DATA_MAP: Final[Mapping[WSAPIOperation, type]] = {
    "order.create": OrderResultV5,
    "order.amend": OrderResultV5,
    "order.cancel": OrderResultV5,
    "order.create-batch": BatchCreateOrderListV5,
    "order.amend-batch": BatchAmendOrderListV5,
    "order.cancel-batch": BatchCancelOrderListV5,
}
"""The ``data`` ``TypedDict`` of each operation's reply."""

WS_API_RET_EXT_INFO_MAP: Final[Mapping[WSAPIOperation, type]] = {
    "order.create": EmptyRetExtInfoV5,
    "order.amend": EmptyRetExtInfoV5,
    "order.cancel": EmptyRetExtInfoV5,
    "order.create-batch": BatchOrdersRetExtInfoV5,
    "order.amend-batch": BatchOrdersRetExtInfoV5,
    "order.cancel-batch": BatchOrdersRetExtInfoV5,
}
"""The ``retExtInfo`` ``TypedDict`` of each operation's reply."""

OrderCreateResponse: TypeAlias = WSAPIResponse[
    OrderResultV5, Literal["order.create"], EmptyRetExtInfoV5
]
"""The reply to ``order.create``."""

OrderAmendResponse: TypeAlias = WSAPIResponse[
    OrderResultV5, Literal["order.amend"], EmptyRetExtInfoV5
]
"""The reply to ``order.amend``."""

OrderCancelResponse: TypeAlias = WSAPIResponse[
    OrderResultV5, Literal["order.cancel"], EmptyRetExtInfoV5
]
"""The reply to ``order.cancel``."""

OrderCreateBatchResponse: TypeAlias = WSAPIResponse[
    BatchCreateOrderListV5, Literal["order.create-batch"], BatchOrdersRetExtInfoV5
]
"""The reply to ``order.create-batch``."""

OrderAmendBatchResponse: TypeAlias = WSAPIResponse[
    BatchAmendOrderListV5, Literal["order.amend-batch"], BatchOrdersRetExtInfoV5
]
"""The reply to ``order.amend-batch``."""

OrderCancelBatchResponse: TypeAlias = WSAPIResponse[
    BatchCancelOrderListV5, Literal["order.cancel-batch"], BatchOrdersRetExtInfoV5
]
"""The reply to ``order.cancel-batch``."""

WSAPIAnyResponse: TypeAlias = (
    OrderCreateResponse
    | OrderAmendResponse
    | OrderCancelResponse
    | OrderCreateBatchResponse
    | OrderAmendBatchResponse
    | OrderCancelBatchResponse
)
"""The reply to any operation (the ``response`` event's payload); ``op`` tells them apart."""

WSAPIBatchResponse: TypeAlias = (
    OrderCreateBatchResponse | OrderAmendBatchResponse | OrderCancelBatchResponse
)
"""The reply to any batch operation (what ``failed_items`` reads)."""


class WSAPISender(ABC):
    """Sends WS API requests; the operation decides the parameter and result types."""

    @overload
    def send_ws_api_request(
        self,
        ws_key: WSAPIWsKey,
        operation: Literal["order.create"],
        params: OrderParamsV5,
        *,
        timeout: float | None = None,
    ) -> Awaitable[OrderCreateResponse]: ...

    @overload
    def send_ws_api_request(
        self,
        ws_key: WSAPIWsKey,
        operation: Literal["order.amend"],
        params: AmendOrderParamsV5,
        *,
        timeout: float | None = None,
    ) -> Awaitable[OrderAmendResponse]: ...

    @overload
    def send_ws_api_request(
        self,
        ws_key: WSAPIWsKey,
        operation: Literal["order.cancel"],
        params: CancelOrderParamsV5,
        *,
        timeout: float | None = None,
    ) -> Awaitable[OrderCancelResponse]: ...

    @overload
    def send_ws_api_request(
        self,
        ws_key: WSAPIWsKey,
        operation: Literal["order.create-batch"],
        params: CreateBatchArgsV5,
        *,
        timeout: float | None = None,
    ) -> Awaitable[OrderCreateBatchResponse]: ...

    @overload
    def send_ws_api_request(
        self,
        ws_key: WSAPIWsKey,
        operation: Literal["order.amend-batch"],
        params: AmendBatchArgsV5,
        *,
        timeout: float | None = None,
    ) -> Awaitable[OrderAmendBatchResponse]: ...

    @overload
    def send_ws_api_request(
        self,
        ws_key: WSAPIWsKey,
        operation: Literal["order.cancel-batch"],
        params: CancelBatchArgsV5,
        *,
        timeout: float | None = None,
    ) -> Awaitable[OrderCancelBatchResponse]: ...

    def send_ws_api_request(
        self,
        ws_key: WSAPIWsKey,
        operation: WSAPIOperation,
        params: Mapping[str, Any],
        *,
        timeout: float | None = None,
    ) -> Awaitable[Any]:
        """Send one request now; await the result for its reply.

        Args:
            ws_key: The connection, ``WS_KEY_MAP.v5_private_trade``.
            operation: The operation, e.g. ``"order.create"``.
            params: Its parameters (the single object of ``args``).
            timeout: Seconds to wait for the reply; ``None`` uses the client default.
        """
        return self._send_ws_api_request(ws_key, operation, params, timeout)

    @abstractmethod
    def _send_ws_api_request(
        self,
        ws_key: WSAPIWsKey,
        operation: WSAPIOperation,
        params: Mapping[str, Any],
        timeout: float | None,
    ) -> Awaitable[Any]:
        """Start one request and return an awaitable of its reply (the runtime's raw send)."""


class WSAPIMethods(ABC):
    """One typed method per operation, each sent through ``get_ws_client()``."""

    @abstractmethod
    def get_ws_client(self) -> WSAPISender:
        """The client the methods send through."""

    async def submit_new_order(
        self, params: OrderParamsV5, *, timeout: float | None = None
    ) -> OrderCreateResponse:
        """Place an order (REST equivalent POST /v5/order/create).

        Sends ``order.create`` and returns its reply, whose ``data`` is a ``OrderResultV5``.
        ``timeout`` is in seconds; ``None`` uses the client default.
        """
        return await self.get_ws_client().send_ws_api_request(
            WS_KEY_MAP.v5_private_trade,
            "order.create",
            params,
            timeout=timeout,
        )

    async def amend_order(
        self, params: AmendOrderParamsV5, *, timeout: float | None = None
    ) -> OrderAmendResponse:
        """Amend an open order by orderId or orderLinkId (REST equivalent POST /v5/order/amend).

        Sends ``order.amend`` and returns its reply, whose ``data`` is a ``OrderResultV5``.
        ``timeout`` is in seconds; ``None`` uses the client default.
        """
        return await self.get_ws_client().send_ws_api_request(
            WS_KEY_MAP.v5_private_trade,
            "order.amend",
            params,
            timeout=timeout,
        )

    async def cancel_order(
        self, params: CancelOrderParamsV5, *, timeout: float | None = None
    ) -> OrderCancelResponse:
        """Cancel an open order by orderId or orderLinkId (REST equivalent POST /v5/order/cancel).

        Sends ``order.cancel`` and returns its reply, whose ``data`` is a ``OrderResultV5``.
        ``timeout`` is in seconds; ``None`` uses the client default.
        """
        return await self.get_ws_client().send_ws_api_request(
            WS_KEY_MAP.v5_private_trade,
            "order.cancel",
            params,
            timeout=timeout,
        )

    async def batch_submit_orders(
        self,
        category: CategoryV5,
        orders: Sequence[BatchOrderParamsV5],
        *,
        timeout: float | None = None,
    ) -> OrderCreateBatchResponse:
        """Place up to 20 orders (spot 10) in one request; each item succeeds or fails on its own.

        Sends ``order.create-batch`` and returns its reply, whose ``data`` is a
        ``BatchCreateOrderListV5``. ``timeout`` is in seconds; ``None`` uses the client default.
        """
        return await self.get_ws_client().send_ws_api_request(
            WS_KEY_MAP.v5_private_trade,
            "order.create-batch",
            {"category": category, "request": list(orders)},
            timeout=timeout,
        )

    async def batch_amend_order(
        self,
        category: CategoryV5,
        orders: Sequence[BatchAmendOrderParamsV5],
        *,
        timeout: float | None = None,
    ) -> OrderAmendBatchResponse:
        """Amend up to 20 orders (spot 10) in one request; each item succeeds or fails on its own.

        Sends ``order.amend-batch`` and returns its reply, whose ``data`` is a
        ``BatchAmendOrderListV5``. ``timeout`` is in seconds; ``None`` uses the client default.
        """
        return await self.get_ws_client().send_ws_api_request(
            WS_KEY_MAP.v5_private_trade,
            "order.amend-batch",
            {"category": category, "request": list(orders)},
            timeout=timeout,
        )

    async def batch_cancel_order(
        self,
        category: CategoryV5,
        orders: Sequence[BatchCancelOrderParamsV5],
        *,
        timeout: float | None = None,
    ) -> OrderCancelBatchResponse:
        """Cancel up to 20 orders (spot 10) in one request; each item succeeds or fails on its own.

        Sends ``order.cancel-batch`` and returns its reply, whose ``data`` is a
        ``BatchCancelOrderListV5``. ``timeout`` is in seconds; ``None`` uses the client default.
        """
        return await self.get_ws_client().send_ws_api_request(
            WS_KEY_MAP.v5_private_trade,
            "order.cancel-batch",
            {"category": category, "request": list(orders)},
            timeout=timeout,
        )
