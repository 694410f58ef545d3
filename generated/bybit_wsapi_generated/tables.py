# Generated from ws_api.yaml (sha256 b1817f5c653ace52dd5f060f998c1398a0152e803d522ab05175dfb4f46e6d54) by codegen. DO NOT EDIT: change the spec or codegen/templates, then run `make generate`.
"""The spec as plain data, for validating requests at runtime.

The local server checks every request against these tables, so no field or enum list is
written twice: both these tables and the ``TypedDict`` models come from ws_api.yaml.
"""

from collections.abc import Mapping
from typing import Final, Literal, NotRequired, TypedDict

__all__ = [
    "API_PATH",
    "CATEGORY_FIELD",
    "FieldRule",
    "OBJECT_RULES",
    "ObjectRule",
    "OPERATION_RULES",
    "OperationRule",
    "REQUEST_FRAME_RULE",
]


class FieldRule(TypedDict):
    """How the value of one key is checked."""

    type: Literal[
        "string", "decimal", "integer", "number", "boolean", "enum", "object", "array", "any"
    ]
    """``decimal``: a number sent as a JSON string; ``any``: a generic envelope slot."""
    required: bool
    nullable: NotRequired[bool]
    values: NotRequired[tuple[str | int, ...]]
    """The allowed values of an enum."""
    object: NotRequired[str]
    """The ``OBJECT_RULES`` entry of an object."""
    items: NotRequired["FieldRule"]
    """The rule of each item of an array."""
    max_length: NotRequired[int]
    pattern: NotRequired[str]
    min_items: NotRequired[int]
    max_items: NotRequired[int]
    required_for_categories: NotRequired[tuple[str, ...]]
    """The key is required when the request's category is one of these."""


class ObjectRule(TypedDict):
    """How an object is checked: its keys (no others allowed) and at-least-one-of groups."""

    fields: Mapping[str, FieldRule]
    require_any: tuple[tuple[str, ...], ...]


class OperationRule(TypedDict):
    """What the server needs to know about an operation."""

    method: str
    params: str
    """The ``OBJECT_RULES`` entry of ``args[0]``."""
    action: Literal["create", "amend", "cancel"] | None
    batch_items: str | None
    """The params key holding the items of a batch operation."""
    batch_max_items: Mapping[str, int]
    """Item cap per category (``default``: any other)."""
    rate_limit: Mapping[str, int]
    """Requests per second per category (``default``: any other)."""


API_PATH: Final = "/v5/trade"
"""The WebSocket path of the API."""

CATEGORY_FIELD: Final = "category"
"""The params key naming the product type."""

OBJECT_RULES: Final[Mapping[str, ObjectRule]] = {
    "OrderParamsV5": {
        "fields": {
            "category": {
                "type": "enum",
                "values": ("linear", "inverse", "spot", "option"),
                "required": True,
            },
            "symbol": {
                "type": "string",
                "required": True,
                "max_length": 64,
                "pattern": "^[A-Z0-9][A-Z0-9-]*$",
            },
            "isLeverage": {"type": "enum", "values": (0, 1), "required": False},
            "side": {"type": "enum", "values": ("Buy", "Sell"), "required": True},
            "orderType": {"type": "enum", "values": ("Market", "Limit"), "required": True},
            "qty": {"type": "decimal", "required": True},
            "marketUnit": {"type": "enum", "values": ("baseCoin", "quoteCoin"), "required": False},
            "slippageToleranceType": {
                "type": "enum",
                "values": ("TickSize", "Percent"),
                "required": False,
            },
            "slippageTolerance": {"type": "decimal", "required": False},
            "price": {"type": "decimal", "required": False},
            "triggerDirection": {"type": "enum", "values": (1, 2), "required": False},
            "orderFilter": {
                "type": "enum",
                "values": ("Order", "tpslOrder", "StopOrder"),
                "required": False,
            },
            "triggerPrice": {"type": "decimal", "required": False},
            "triggerBy": {
                "type": "enum",
                "values": ("LastPrice", "IndexPrice", "MarkPrice"),
                "required": False,
            },
            "orderIv": {"type": "decimal", "required": False},
            "timeInForce": {
                "type": "enum",
                "values": ("GTC", "IOC", "FOK", "PostOnly", "RPI"),
                "required": False,
            },
            "positionIdx": {"type": "enum", "values": (0, 1, 2), "required": False},
            "orderLinkId": {
                "type": "string",
                "required": False,
                "max_length": 36,
                "pattern": "^[A-Za-z0-9_-]+$",
                "required_for_categories": ("option",),
            },
            "takeProfit": {"type": "decimal", "required": False},
            "stopLoss": {"type": "decimal", "required": False},
            "tpTriggerBy": {
                "type": "enum",
                "values": ("LastPrice", "IndexPrice", "MarkPrice"),
                "required": False,
            },
            "slTriggerBy": {
                "type": "enum",
                "values": ("LastPrice", "IndexPrice", "MarkPrice"),
                "required": False,
            },
            "reduceOnly": {"type": "boolean", "required": False},
            "closeOnTrigger": {"type": "boolean", "required": False},
            "smpType": {
                "type": "enum",
                "values": ("None", "CancelMaker", "CancelTaker", "CancelBoth"),
                "required": False,
            },
            "mmp": {"type": "boolean", "required": False},
            "tpslMode": {"type": "enum", "values": ("Full", "Partial"), "required": False},
            "tpLimitPrice": {"type": "decimal", "required": False},
            "slLimitPrice": {"type": "decimal", "required": False},
            "tpOrderType": {"type": "enum", "values": ("Market", "Limit"), "required": False},
            "slOrderType": {"type": "enum", "values": ("Market", "Limit"), "required": False},
            "bboSideType": {"type": "enum", "values": ("Queue", "Counterparty"), "required": False},
            "bboLevel": {"type": "enum", "values": ("1", "2", "3", "4", "5"), "required": False},
            "rpiTakerAccess": {"type": "boolean", "required": False},
        },
        "require_any": (),
    },
    "AmendOrderParamsV5": {
        "fields": {
            "category": {
                "type": "enum",
                "values": ("linear", "inverse", "spot", "option"),
                "required": True,
            },
            "symbol": {
                "type": "string",
                "required": True,
                "max_length": 64,
                "pattern": "^[A-Z0-9][A-Z0-9-]*$",
            },
            "orderId": {"type": "string", "required": False},
            "orderLinkId": {"type": "string", "required": False, "max_length": 36},
            "orderIv": {"type": "decimal", "required": False},
            "triggerPrice": {"type": "decimal", "required": False},
            "qty": {"type": "decimal", "required": False},
            "price": {"type": "decimal", "required": False},
            "tpslMode": {"type": "enum", "values": ("Full", "Partial"), "required": False},
            "takeProfit": {"type": "decimal", "required": False},
            "stopLoss": {"type": "decimal", "required": False},
            "tpTriggerBy": {
                "type": "enum",
                "values": ("LastPrice", "IndexPrice", "MarkPrice"),
                "required": False,
            },
            "slTriggerBy": {
                "type": "enum",
                "values": ("LastPrice", "IndexPrice", "MarkPrice"),
                "required": False,
            },
            "triggerBy": {
                "type": "enum",
                "values": ("LastPrice", "IndexPrice", "MarkPrice"),
                "required": False,
            },
            "tpLimitPrice": {"type": "decimal", "required": False},
            "slLimitPrice": {"type": "decimal", "required": False},
        },
        "require_any": (("orderId", "orderLinkId"),),
    },
    "CancelOrderParamsV5": {
        "fields": {
            "category": {
                "type": "enum",
                "values": ("linear", "inverse", "spot", "option"),
                "required": True,
            },
            "symbol": {
                "type": "string",
                "required": True,
                "max_length": 64,
                "pattern": "^[A-Z0-9][A-Z0-9-]*$",
            },
            "orderId": {"type": "string", "required": False},
            "orderLinkId": {"type": "string", "required": False, "max_length": 36},
            "orderFilter": {
                "type": "enum",
                "values": ("Order", "tpslOrder", "StopOrder"),
                "required": False,
            },
        },
        "require_any": (("orderId", "orderLinkId"),),
    },
    "BatchOrderParamsV5": {
        "fields": {
            "symbol": {
                "type": "string",
                "required": True,
                "max_length": 64,
                "pattern": "^[A-Z0-9][A-Z0-9-]*$",
            },
            "isLeverage": {"type": "enum", "values": (0, 1), "required": False},
            "side": {"type": "enum", "values": ("Buy", "Sell"), "required": True},
            "orderType": {"type": "enum", "values": ("Market", "Limit"), "required": True},
            "qty": {"type": "decimal", "required": True},
            "marketUnit": {"type": "enum", "values": ("baseCoin", "quoteCoin"), "required": False},
            "price": {"type": "decimal", "required": False},
            "triggerDirection": {"type": "enum", "values": (1, 2), "required": False},
            "orderFilter": {
                "type": "enum",
                "values": ("Order", "tpslOrder", "StopOrder"),
                "required": False,
            },
            "triggerPrice": {"type": "decimal", "required": False},
            "triggerBy": {
                "type": "enum",
                "values": ("LastPrice", "IndexPrice", "MarkPrice"),
                "required": False,
            },
            "orderIv": {"type": "decimal", "required": False},
            "timeInForce": {
                "type": "enum",
                "values": ("GTC", "IOC", "FOK", "PostOnly", "RPI"),
                "required": False,
            },
            "positionIdx": {"type": "enum", "values": (0, 1, 2), "required": False},
            "orderLinkId": {
                "type": "string",
                "required": False,
                "max_length": 36,
                "pattern": "^[A-Za-z0-9_-]+$",
                "required_for_categories": ("option",),
            },
            "takeProfit": {"type": "decimal", "required": False},
            "stopLoss": {"type": "decimal", "required": False},
            "tpTriggerBy": {
                "type": "enum",
                "values": ("LastPrice", "IndexPrice", "MarkPrice"),
                "required": False,
            },
            "slTriggerBy": {
                "type": "enum",
                "values": ("LastPrice", "IndexPrice", "MarkPrice"),
                "required": False,
            },
            "reduceOnly": {"type": "boolean", "required": False},
            "closeOnTrigger": {"type": "boolean", "required": False},
            "smpType": {
                "type": "enum",
                "values": ("None", "CancelMaker", "CancelTaker", "CancelBoth"),
                "required": False,
            },
            "mmp": {"type": "boolean", "required": False},
            "tpslMode": {"type": "enum", "values": ("Full", "Partial"), "required": False},
            "tpLimitPrice": {"type": "decimal", "required": False},
            "slLimitPrice": {"type": "decimal", "required": False},
            "tpOrderType": {"type": "enum", "values": ("Market", "Limit"), "required": False},
            "slOrderType": {"type": "enum", "values": ("Market", "Limit"), "required": False},
        },
        "require_any": (),
    },
    "BatchAmendOrderParamsV5": {
        "fields": {
            "symbol": {
                "type": "string",
                "required": True,
                "max_length": 64,
                "pattern": "^[A-Z0-9][A-Z0-9-]*$",
            },
            "orderId": {"type": "string", "required": False},
            "orderLinkId": {"type": "string", "required": False, "max_length": 36},
            "orderIv": {"type": "decimal", "required": False},
            "triggerPrice": {"type": "decimal", "required": False},
            "qty": {"type": "decimal", "required": False},
            "price": {"type": "decimal", "required": False},
            "tpslMode": {"type": "enum", "values": ("Full", "Partial"), "required": False},
            "takeProfit": {"type": "decimal", "required": False},
            "stopLoss": {"type": "decimal", "required": False},
            "tpTriggerBy": {
                "type": "enum",
                "values": ("LastPrice", "IndexPrice", "MarkPrice"),
                "required": False,
            },
            "slTriggerBy": {
                "type": "enum",
                "values": ("LastPrice", "IndexPrice", "MarkPrice"),
                "required": False,
            },
            "triggerBy": {
                "type": "enum",
                "values": ("LastPrice", "IndexPrice", "MarkPrice"),
                "required": False,
            },
            "tpLimitPrice": {"type": "decimal", "required": False},
            "slLimitPrice": {"type": "decimal", "required": False},
        },
        "require_any": (),
    },
    "BatchCancelOrderParamsV5": {
        "fields": {
            "symbol": {
                "type": "string",
                "required": True,
                "max_length": 64,
                "pattern": "^[A-Z0-9][A-Z0-9-]*$",
            },
            "orderId": {"type": "string", "required": False},
            "orderLinkId": {"type": "string", "required": False, "max_length": 36},
        },
        "require_any": (),
    },
    "CreateBatchArgsV5": {
        "fields": {
            "category": {
                "type": "enum",
                "values": ("linear", "inverse", "spot", "option"),
                "required": True,
            },
            "request": {
                "type": "array",
                "items": {"type": "object", "object": "BatchOrderParamsV5", "required": True},
                "required": True,
                "min_items": 1,
            },
        },
        "require_any": (),
    },
    "AmendBatchArgsV5": {
        "fields": {
            "category": {
                "type": "enum",
                "values": ("linear", "inverse", "spot", "option"),
                "required": True,
            },
            "request": {
                "type": "array",
                "items": {"type": "object", "object": "BatchAmendOrderParamsV5", "required": True},
                "required": True,
                "min_items": 1,
            },
        },
        "require_any": (),
    },
    "CancelBatchArgsV5": {
        "fields": {
            "category": {
                "type": "enum",
                "values": ("linear", "inverse", "spot", "option"),
                "required": True,
            },
            "request": {
                "type": "array",
                "items": {"type": "object", "object": "BatchCancelOrderParamsV5", "required": True},
                "required": True,
                "min_items": 1,
            },
        },
        "require_any": (),
    },
    "OrderResultV5": {
        "fields": {
            "orderId": {"type": "string", "required": True},
            "orderLinkId": {"type": "string", "required": True},
        },
        "require_any": (),
    },
    "BatchCreateOrderResultV5": {
        "fields": {
            "category": {
                "type": "enum",
                "values": ("linear", "inverse", "spot", "option"),
                "required": True,
            },
            "symbol": {"type": "string", "required": True},
            "orderId": {"type": "string", "required": True},
            "orderLinkId": {"type": "string", "required": True},
            "createAt": {"type": "string", "required": True},
        },
        "require_any": (),
    },
    "BatchAmendOrderResultV5": {
        "fields": {
            "category": {
                "type": "enum",
                "values": ("linear", "inverse", "spot", "option"),
                "required": True,
            },
            "symbol": {"type": "string", "required": True},
            "orderId": {"type": "string", "required": True},
            "orderLinkId": {"type": "string", "required": True},
        },
        "require_any": (),
    },
    "BatchCancelOrderResultV5": {
        "fields": {
            "category": {
                "type": "enum",
                "values": ("linear", "inverse", "spot", "option"),
                "required": True,
            },
            "symbol": {"type": "string", "required": True},
            "orderId": {"type": "string", "required": True},
            "orderLinkId": {"type": "string", "required": True},
        },
        "require_any": (),
    },
    "BatchCreateOrderListV5": {
        "fields": {
            "list": {
                "type": "array",
                "items": {"type": "object", "object": "BatchCreateOrderResultV5", "required": True},
                "required": True,
            },
        },
        "require_any": (),
    },
    "BatchAmendOrderListV5": {
        "fields": {
            "list": {
                "type": "array",
                "items": {"type": "object", "object": "BatchAmendOrderResultV5", "required": True},
                "required": True,
            },
        },
        "require_any": (),
    },
    "BatchCancelOrderListV5": {
        "fields": {
            "list": {
                "type": "array",
                "items": {"type": "object", "object": "BatchCancelOrderResultV5", "required": True},
                "required": True,
            },
        },
        "require_any": (),
    },
    "BatchItemStatusV5": {
        "fields": {
            "code": {"type": "integer", "required": True},
            "msg": {"type": "string", "required": True},
        },
        "require_any": (),
    },
    "BatchOrdersRetExtInfoV5": {
        "fields": {
            "list": {
                "type": "array",
                "items": {"type": "object", "object": "BatchItemStatusV5", "required": True},
                "required": True,
            },
        },
        "require_any": (),
    },
    "EmptyRetExtInfoV5": {
        "fields": {},
        "require_any": (),
    },
    "WSAPIRequestHeaderV5": {
        "fields": {
            "X-BAPI-TIMESTAMP": {"type": "string", "required": True},
            "X-BAPI-RECV-WINDOW": {"type": "string", "required": False},
            "Referer": {"type": "string", "required": False},
        },
        "require_any": (),
    },
    "WSAPIResponseHeaderV5": {
        "fields": {
            "X-Bapi-Limit": {"type": "string", "required": True},
            "X-Bapi-Limit-Status": {"type": "string", "required": True},
            "X-Bapi-Limit-Reset-Timestamp": {"type": "string", "required": True},
            "Traceid": {"type": "string", "required": True},
            "Timenow": {"type": "string", "required": True},
        },
        "require_any": (),
    },
    "WSAPIResponseMeta": {
        "fields": {
            "rttMs": {"type": "number", "required": True},
            "serverTimeMs": {"type": "integer", "required": True, "nullable": True},
            "rateLimit": {"type": "integer", "required": True, "nullable": True},
            "rateLimitRemaining": {"type": "integer", "required": True, "nullable": True},
            "rateLimitResetMs": {"type": "integer", "required": True, "nullable": True},
            "traceId": {"type": "string", "required": True, "nullable": True},
        },
        "require_any": (),
    },
}
"""Every object type of the spec, by name."""

REQUEST_FRAME_RULE: Final[ObjectRule] = {
    "fields": {
        "reqId": {"type": "string", "required": True, "max_length": 36},
        "header": {"type": "object", "object": "WSAPIRequestHeaderV5", "required": True},
        "op": {"type": "any", "required": True},
        "args": {
            "type": "array",
            "items": {"type": "any", "required": True},
            "required": True,
            "min_items": 1,
            "max_items": 1,
        },
    },
    "require_any": (),
}
"""The request frame (``WSAPIRequest``); ``any`` slots are checked per operation."""

OPERATION_RULES: Final[Mapping[str, OperationRule]] = {
    "order.create": {
        "method": "submit_new_order",
        "params": "OrderParamsV5",
        "action": "create",
        "batch_items": None,
        "batch_max_items": {},
        "rate_limit": {"linear": 10, "inverse": 10, "option": 10, "spot": 20},
    },
    "order.amend": {
        "method": "amend_order",
        "params": "AmendOrderParamsV5",
        "action": "amend",
        "batch_items": None,
        "batch_max_items": {},
        "rate_limit": {"linear": 10, "inverse": 10, "option": 10, "spot": 10},
    },
    "order.cancel": {
        "method": "cancel_order",
        "params": "CancelOrderParamsV5",
        "action": "cancel",
        "batch_items": None,
        "batch_max_items": {},
        "rate_limit": {"linear": 10, "inverse": 10, "option": 10, "spot": 20},
    },
    "order.create-batch": {
        "method": "batch_submit_orders",
        "params": "CreateBatchArgsV5",
        "action": "create",
        "batch_items": "request",
        "batch_max_items": {"linear": 20, "inverse": 20, "option": 20, "spot": 10},
        "rate_limit": {"linear": 10, "inverse": 10, "option": 10, "spot": 20},
    },
    "order.amend-batch": {
        "method": "batch_amend_order",
        "params": "AmendBatchArgsV5",
        "action": "amend",
        "batch_items": "request",
        "batch_max_items": {"linear": 20, "inverse": 20, "option": 20, "spot": 10},
        "rate_limit": {"linear": 10, "inverse": 10, "option": 10, "spot": 20},
    },
    "order.cancel-batch": {
        "method": "batch_cancel_order",
        "params": "CancelBatchArgsV5",
        "action": "cancel",
        "batch_items": "request",
        "batch_max_items": {"linear": 20, "inverse": 20, "option": 20, "spot": 10},
        "rate_limit": {"linear": 10, "inverse": 10, "option": 10, "spot": 20},
    },
}
"""Every operation, by name."""
