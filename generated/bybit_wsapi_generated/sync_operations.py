# Generated from ws_api.yaml, ws_streams.yaml, rest_api.yaml (sha256 95f76c9f1769faa46527bbfced197b6a559c0ec9c81bf65148990df76bd58e50) by codegen. DO NOT EDIT: change the spec or codegen/templates, then run `make generate`.
"""The blocking call surface of the Bybit V5 WebSocket trade API, for threaded code.

``WSAPISyncSender`` has one ``send_ws_api_request`` overload per operation, returning the reply
itself once it has settled; ``WSAPISyncMethods`` has one blocking method per operation. They
mirror ``WSAPISender`` and ``WSAPIMethods`` call for call. The sync runtime
(``bybit_wsapi.sync``) implements only ``_send_ws_api_request`` and ``get_ws_client``.
"""

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any, Literal, overload

from .envelope import WS_KEY_MAP, WSAPIWsKey
from .models import (
    AmendBatchArgsV5,
    AmendOrderParamsV5,
    BatchAmendOrderParamsV5,
    BatchCancelOrderParamsV5,
    BatchOrderParamsV5,
    CancelBatchArgsV5,
    CancelOrderParamsV5,
    CategoryV5,
    CreateBatchArgsV5,
    OrderParamsV5,
)
from .operations import (
    OrderAmendBatchResponse,
    OrderAmendResponse,
    OrderCancelBatchResponse,
    OrderCancelResponse,
    OrderCreateBatchResponse,
    OrderCreateResponse,
    WSAPIOperation,
)

__all__ = [
    "WSAPISyncMethods",
    "WSAPISyncSender",
]


class WSAPISyncSender(ABC):
    """Sends WS API requests and blocks for the reply; the operation decides the types."""

    @overload
    def send_ws_api_request(
        self,
        ws_key: WSAPIWsKey,
        operation: Literal["order.create"],
        params: OrderParamsV5,
        *,
        timeout: float | None = None,
    ) -> OrderCreateResponse: ...

    @overload
    def send_ws_api_request(
        self,
        ws_key: WSAPIWsKey,
        operation: Literal["order.amend"],
        params: AmendOrderParamsV5,
        *,
        timeout: float | None = None,
    ) -> OrderAmendResponse: ...

    @overload
    def send_ws_api_request(
        self,
        ws_key: WSAPIWsKey,
        operation: Literal["order.cancel"],
        params: CancelOrderParamsV5,
        *,
        timeout: float | None = None,
    ) -> OrderCancelResponse: ...

    @overload
    def send_ws_api_request(
        self,
        ws_key: WSAPIWsKey,
        operation: Literal["order.create-batch"],
        params: CreateBatchArgsV5,
        *,
        timeout: float | None = None,
    ) -> OrderCreateBatchResponse: ...

    @overload
    def send_ws_api_request(
        self,
        ws_key: WSAPIWsKey,
        operation: Literal["order.amend-batch"],
        params: AmendBatchArgsV5,
        *,
        timeout: float | None = None,
    ) -> OrderAmendBatchResponse: ...

    @overload
    def send_ws_api_request(
        self,
        ws_key: WSAPIWsKey,
        operation: Literal["order.cancel-batch"],
        params: CancelBatchArgsV5,
        *,
        timeout: float | None = None,
    ) -> OrderCancelBatchResponse: ...

    def send_ws_api_request(
        self,
        ws_key: WSAPIWsKey,
        operation: WSAPIOperation,
        params: Mapping[str, Any],
        *,
        timeout: float | None = None,
    ) -> Any:
        """Send one request and block until its reply (or its error) arrives.

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
    ) -> Any:
        """Send one request and return its reply once settled (the sync runtime's raw send)."""


class WSAPISyncMethods(ABC):
    """One blocking method per operation, each sent through ``get_ws_client()``."""

    @abstractmethod
    def get_ws_client(self) -> WSAPISyncSender:
        """The client the methods send through."""

    def submit_new_order(
        self, params: OrderParamsV5, *, timeout: float | None = None
    ) -> OrderCreateResponse:
        """Place an order (REST equivalent POST /v5/order/create).

        Sends ``order.create``, blocks until it settles and returns its reply, whose ``data`` is
        a ``OrderResultV5``. ``timeout`` is in seconds; ``None`` uses the client default.
        """
        return self.get_ws_client().send_ws_api_request(
            WS_KEY_MAP.v5_private_trade,
            "order.create",
            params,
            timeout=timeout,
        )

    def amend_order(
        self, params: AmendOrderParamsV5, *, timeout: float | None = None
    ) -> OrderAmendResponse:
        """Amend an open order by orderId or orderLinkId (REST equivalent POST /v5/order/amend).

        Sends ``order.amend``, blocks until it settles and returns its reply, whose ``data`` is a
        ``OrderResultV5``. ``timeout`` is in seconds; ``None`` uses the client default.
        """
        return self.get_ws_client().send_ws_api_request(
            WS_KEY_MAP.v5_private_trade,
            "order.amend",
            params,
            timeout=timeout,
        )

    def cancel_order(
        self, params: CancelOrderParamsV5, *, timeout: float | None = None
    ) -> OrderCancelResponse:
        """Cancel an open order by orderId or orderLinkId (REST equivalent POST /v5/order/cancel).

        Sends ``order.cancel``, blocks until it settles and returns its reply, whose ``data`` is
        a ``OrderResultV5``. ``timeout`` is in seconds; ``None`` uses the client default.
        """
        return self.get_ws_client().send_ws_api_request(
            WS_KEY_MAP.v5_private_trade,
            "order.cancel",
            params,
            timeout=timeout,
        )

    def batch_submit_orders(
        self,
        category: CategoryV5,
        orders: Sequence[BatchOrderParamsV5],
        *,
        timeout: float | None = None,
    ) -> OrderCreateBatchResponse:
        """Place up to 20 orders (spot 10) in one request; each item succeeds or fails on its own.

        Sends ``order.create-batch``, blocks until it settles and returns its reply, whose
        ``data`` is a ``BatchCreateOrderListV5``. ``timeout`` is in seconds; ``None`` uses the
        client default.
        """
        return self.get_ws_client().send_ws_api_request(
            WS_KEY_MAP.v5_private_trade,
            "order.create-batch",
            {"category": category, "request": list(orders)},
            timeout=timeout,
        )

    def batch_amend_order(
        self,
        category: CategoryV5,
        orders: Sequence[BatchAmendOrderParamsV5],
        *,
        timeout: float | None = None,
    ) -> OrderAmendBatchResponse:
        """Amend up to 20 orders (spot 10) in one request; each item succeeds or fails on its own.

        Sends ``order.amend-batch``, blocks until it settles and returns its reply, whose
        ``data`` is a ``BatchAmendOrderListV5``. ``timeout`` is in seconds; ``None`` uses the
        client default.
        """
        return self.get_ws_client().send_ws_api_request(
            WS_KEY_MAP.v5_private_trade,
            "order.amend-batch",
            {"category": category, "request": list(orders)},
            timeout=timeout,
        )

    def batch_cancel_order(
        self,
        category: CategoryV5,
        orders: Sequence[BatchCancelOrderParamsV5],
        *,
        timeout: float | None = None,
    ) -> OrderCancelBatchResponse:
        """Cancel up to 20 orders (spot 10) in one request; each item succeeds or fails on its own.

        Sends ``order.cancel-batch``, blocks until it settles and returns its reply, whose
        ``data`` is a ``BatchCancelOrderListV5``. ``timeout`` is in seconds; ``None`` uses the
        client default.
        """
        return self.get_ws_client().send_ws_api_request(
            WS_KEY_MAP.v5_private_trade,
            "order.cancel-batch",
            {"category": category, "request": list(orders)},
            timeout=timeout,
        )
