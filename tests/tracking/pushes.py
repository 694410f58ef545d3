"""Order and execution pushes, replies and errors as Bybit sends them (for tracker tests)."""

from __future__ import annotations

from typing import Any

from bybit_wsapi.errors import (
    RequestNotSentError,
    RequestOutcomeUnknownError,
    WSAPIError,
)


def order(
    link: str, status: str, *, oid: str = "", updated: int = 1, **fields: Any
) -> dict[str, Any]:
    return {
        "category": "linear",
        "symbol": "BTCUSDT",
        "orderId": oid or f"id-{link}",
        "orderLinkId": link,
        "orderStatus": status,
        "cumExecQty": "0",
        "cumExecValue": "0",
        "cumExecFee": "0",
        "avgPrice": "",
        "updatedTime": str(updated),
        **fields,
    }


def order_push(*orders: dict[str, Any]) -> dict[str, Any]:
    return {"id": "m", "topic": "order", "creationTime": 1, "data": list(orders)}


def fill(link: str, exec_id: str, qty: str, price: str, fee: str = "0.01") -> dict[str, Any]:
    return {
        "category": "linear",
        "symbol": "BTCUSDT",
        "orderId": f"id-{link}",
        "orderLinkId": link,
        "execId": exec_id,
        "execQty": qty,
        "execPrice": price,
        "execFee": fee,
        "feeCurrency": "USDT",
        "isMaker": False,
        "execTime": "5",
    }


def execution_push(*fills: dict[str, Any]) -> dict[str, Any]:
    return {"id": "e", "topic": "execution", "creationTime": 1, "data": list(fills)}


def ack(link: str, op: str = "order.create") -> dict[str, Any]:
    return {"op": op, "retCode": 0, "data": {"orderId": f"id-{link}", "orderLinkId": link}}


def params(link: str) -> dict[str, Any]:
    return {"category": "linear", "symbol": "BTCUSDT", "orderLinkId": link}


def rejected(link: str, code: int = 10001, op: str = "order.create") -> WSAPIError:
    return WSAPIError(
        ret_code=code, ret_msg="refused", op=op, req_id="r1", response={}, params=params(link)
    )


def unknown(link: str, op: str = "order.create") -> RequestOutcomeUnknownError:
    return RequestOutcomeUnknownError("lost", op=op, req_id="r1", params=params(link))


def not_sent(link: str) -> RequestNotSentError:
    return RequestNotSentError("not sent", op="order.create", req_id="r1", params=params(link))
