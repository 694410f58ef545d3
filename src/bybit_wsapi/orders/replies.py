"""Trade replies and failed requests, one item per order (a batch is one item per order).

A batch reply's ``data.list[i]`` and ``retExtInfo.list[i]`` follow request order (reference
§6.4): a non-zero ``code`` is that item's rejection, carried as a ``WSAPIError`` of the batch
operation with the item's parameters. A failed batch (outcome unknown, rejected as a whole, not
sent) fails each of its items the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from ..errors import RequestError, WSAPIError

__all__ = ["BATCH_OPS", "ORDER_OPS", "Item", "error_items", "reply_items"]

ORDER_OPS: Final[frozenset[str]] = frozenset({"order.create", "order.amend", "order.cancel"})
BATCH_OPS: Final[Mapping[str, str]] = {
    "order.create-batch": "order.create",
    "order.amend-batch": "order.amend",
    "order.cancel-batch": "order.cancel",
}
"""Each batch operation and the single operation of its items."""
_IDS: Final = ("orderLinkId", "orderId", "category", "symbol")


@dataclass(frozen=True, slots=True)
class Item:
    """One order's part of a reply or failure: its single ``op``, its parameters (with the
    ids the reply added) and its error (``None``: accepted)."""

    op: str
    params: Mapping[str, Any]
    error: RequestError | None = None


def reply_items(reply: Mapping[str, Any], params: Mapping[str, Any] | None = None) -> list[Item]:
    """The items of a successful reply (``retCode`` 0); ``params`` are the request's when the
    caller has them (a late reply carries them in ``meta.params``)."""
    op = reply.get("op")
    data = reply.get("data")
    if not isinstance(op, str) or not isinstance(data, Mapping):
        return []
    if op in ORDER_OPS:
        return [Item(op, _merged(params or {}, data))]
    single = BATCH_OPS.get(op)
    results = data.get("list")
    if single is None or not isinstance(results, Sequence):
        return []
    if params is None:
        meta = reply.get("meta")
        late = meta.get("params") if isinstance(meta, Mapping) else None
        params = late if isinstance(late, Mapping) else {}
    requested = _requested(params)
    ext = reply.get("retExtInfo")
    statuses = ext.get("list") if isinstance(ext, Mapping) else None
    statuses = statuses if isinstance(statuses, Sequence) else ()
    items = []
    for index, result in enumerate(results):
        if not isinstance(result, Mapping):
            continue
        asked = requested[index] if index < len(requested) else {}
        item = _merged({"category": params.get("category"), **asked}, result)
        status = statuses[index] if index < len(statuses) else None
        code = status.get("code") if isinstance(status, Mapping) else 0
        error = None
        if isinstance(code, int) and code != 0 and isinstance(status, Mapping):
            error = WSAPIError(
                ret_code=code,
                ret_msg=str(status.get("msg", "")),
                op=op,
                req_id=reply.get("reqId") if isinstance(reply.get("reqId"), str) else None,
                response=reply,
                params=item,
            )
        items.append(Item(single, item, error))
    return items


def error_items(error: RequestError) -> list[Item]:
    """The items a failed request concerns (none unless it is an order operation)."""
    params = error.params or {}
    if error.op in ORDER_OPS:
        return [Item(error.op, params, error)]
    single = BATCH_OPS.get(error.op)
    if single is None:
        return []
    category = params.get("category")
    return [Item(single, {"category": category, **item}, error) for item in _requested(params)]


def _requested(params: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    items = params.get("request")
    if not isinstance(items, Sequence):
        return []
    return [item if isinstance(item, Mapping) else {} for item in items]


def _merged(params: Mapping[str, Any], result: Mapping[str, Any]) -> dict[str, Any]:
    """``params`` with the ids the reply filled in (a failed item's empty ``orderId`` is not)."""
    merged = {key: value for key, value in params.items() if value is not None}
    for key in _IDS:
        value = result.get(key)
        if isinstance(value, str) and value:
            merged[key] = value
    return merged
