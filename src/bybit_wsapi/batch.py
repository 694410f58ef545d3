"""Which items of a batch reply failed (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bybit_wsapi_generated import BatchOrdersRetExtInfoV5, WSAPIBatchResponse

__all__ = ["BatchItemFailure", "failed_items"]


@dataclass(frozen=True, slots=True)
class BatchItemFailure:
    """One failed item of a batch: its index in the request, its code and message, its result."""

    index: int
    code: int
    msg: str
    result: Mapping[str, Any]
    """The item's ``data.list`` entry (``orderId`` is empty for a failed create)."""


def failed_items(response: WSAPIBatchResponse) -> list[BatchItemFailure]:
    """The items of a batch reply whose ``retExtInfo.list[i].code`` is not 0, in request order.

    The top-level ``retCode`` of a batch is 0 even when items fail, so check this::

        r = await client.batch_submit_orders("linear", orders)
        for failure in failed_items(r):
            print(orders[failure.index]["orderLinkId"], failure.code, failure.msg)
    """
    ext: BatchOrdersRetExtInfoV5 = response["retExtInfo"]
    results: Sequence[Mapping[str, Any]] = response["data"].get("list", [])
    return [
        BatchItemFailure(i, status["code"], status["msg"], results[i] if i < len(results) else {})
        for i, status in enumerate(ext.get("list", []))
        if status["code"] != 0
    ]
