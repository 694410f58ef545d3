"""The validator compiled from the tables (pure, no sockets)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from bybit_wsapi_generated.tables import OPERATION_RULES, ObjectRule

from bybit_wsapi.server.validation import DECIMAL_RE, ParamsValidator, describe

VALIDATOR = ParamsValidator()

ORDER = {
    "category": "linear",
    "symbol": "BTCUSDT",
    "side": "Buy",
    "orderType": "Limit",
    "qty": "0.1",
    "price": "30000",
}


def check(type_name: str, value: Any, category: str | None = "linear") -> str | None:
    return VALIDATOR.check(type_name, value, category)


def test_every_operation_params_type_compiles() -> None:
    for rule in OPERATION_RULES.values():
        assert check(rule["params"], {}) is not None  # something is required


def test_a_full_order_passes() -> None:
    full = {
        **ORDER,
        "isLeverage": 0,
        "timeInForce": "PostOnly",
        "positionIdx": 1,
        "orderLinkId": "my-id_1",
        "reduceOnly": False,
        "takeProfit": "31000.5",
        "triggerDirection": 2,
        "bboLevel": "3",
        "smpType": "None",
    }
    assert check("OrderParamsV5", full) is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"qty": 1}, 'qty: expected a decimal string such as "0.5", got int 1'),
        ({"qty": 0.5}, 'qty: expected a decimal string such as "0.5", got float 0.5'),
        ({"qty": "1e3"}, "qty: expected a decimal string"),
        ({"qty": " 1"}, "qty: expected a decimal string"),
        ({"qty": "NaN"}, "qty: expected a decimal string"),
        ({"qty": ""}, "qty: expected a decimal string"),
        ({"qty": None}, 'qty: expected a decimal string such as "0.5", got null'),
        ({"side": "buy"}, "side: 'buy' is not one of Buy, Sell"),
        ({"side": ["Buy"]}, "side: list ['Buy'] is not one of Buy, Sell"),
        ({"positionIdx": "1"}, "positionIdx: '1' is not one of 0, 1, 2"),
        ({"positionIdx": True}, "positionIdx: True is not one of 0, 1, 2"),
        ({"positionIdx": 1.0}, "positionIdx: 1.0 is not one of 0, 1, 2"),
        ({"bboLevel": 1}, "bboLevel: 1 is not one of 1, 2, 3, 4, 5"),
        ({"reduceOnly": 1}, "reduceOnly: expected true or false, got int 1"),
        ({"reduceOnly": "true"}, "reduceOnly: expected true or false, got string 'true'"),
        ({"symbol": "btcusdt"}, "symbol: string 'btcusdt' does not match ^[A-Z0-9][A-Z0-9-]*$"),
        ({"symbol": "BTC\n"}, "symbol: string 'BTC\\n' does not match"),
        ({"symbol": "B" * 65}, "symbol: longer than 64 characters (65)"),
        ({"orderLinkId": "x" * 37}, "orderLinkId: longer than 36 characters (37)"),
        ({"orderLinkId": "a b"}, "orderLinkId: string 'a b' does not match"),
        ({"orderLinkId": ""}, "orderLinkId: string '' does not match"),
        (
            {"price": {"v": 1}},
            "price: expected a decimal string such as \"0.5\", got object {'v': 1}",
        ),
        ({"foo": 1}, "foo: unknown parameter"),
        ({"orderlinkid": "x"}, "orderlinkid: unknown parameter (did you mean 'orderLinkId'?)"),
    ],
)
def test_order_problems(change: Mapping[str, Any], message: str) -> None:
    result = check("OrderParamsV5", {**ORDER, **change})
    assert result is not None
    assert result.startswith(message), result


def test_missing_required_keys_in_table_order() -> None:
    assert check("OrderParamsV5", {}) == "category: missing required parameter"
    assert check("OrderParamsV5", {"category": "linear", "symbol": "X"}) == (
        "side: missing required parameter"
    )


def test_required_for_categories_uses_the_request_category() -> None:
    option = {**ORDER, "category": "option"}
    assert check("OrderParamsV5", option, "option") == "orderLinkId: required for category option"
    assert check("OrderParamsV5", {**option, "orderLinkId": "o1"}, "option") is None
    item = {k: v for k, v in ORDER.items() if k != "category"}
    assert (
        check("BatchOrderParamsV5", item, "option") == "orderLinkId: required for category option"
    )
    assert check("BatchOrderParamsV5", item, "linear") is None


def test_require_any() -> None:
    base = {"category": "linear", "symbol": "BTCUSDT"}
    assert check("CancelOrderParamsV5", base) == "one of orderId, orderLinkId is required"
    assert check("CancelOrderParamsV5", {**base, "orderId": "x"}) is None
    assert check("CancelOrderParamsV5", {**base, "orderLinkId": "x"}) is None


def test_batches_name_the_item() -> None:
    item = {k: v for k, v in ORDER.items() if k != "category"}
    batch = {"category": "linear", "request": [item, item, {**item, "side": "buy"}]}
    assert check("CreateBatchArgsV5", batch) == "request[2].side: 'buy' is not one of Buy, Sell"
    assert check("CreateBatchArgsV5", {"category": "linear", "request": []}) == (
        "request: expected at least 1 item(s), got 0"
    )
    assert check("CreateBatchArgsV5", {"category": "linear", "request": {}}) == (
        "request: expected a list, got object {}"
    )
    assert check("CreateBatchArgsV5", {"category": "linear", "request": [1]}) == (
        "request[0]: expected an object, got int 1"
    )
    # Batch items do not take category.
    assert check("CreateBatchArgsV5", {"category": "linear", "request": [ORDER]}) == (
        "request[0].category: unknown parameter"
    )


def test_not_an_object() -> None:
    assert check("OrderParamsV5", [1]) == "expected an object, got list [1]"


# A synthetic table exercising every rule kind, including ones the spec does not use yet.
SYNTHETIC: Mapping[str, ObjectRule] = {
    "Outer": {
        "fields": {
            "n": {"type": "number", "required": False},
            "i": {"type": "integer", "required": False},
            "maybe": {"type": "string", "required": False, "nullable": True},
            "inner": {"type": "object", "object": "Inner", "required": False},
            "few": {
                "type": "array",
                "items": {"type": "integer", "required": True},
                "required": False,
                "max_items": 2,
            },
            "anything": {"type": "any", "required": False},
        },
        "require_any": (),
    },
    "Inner": {
        "fields": {"flag": {"type": "boolean", "required": True}},
        "require_any": (),
    },
}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"n": 1.5, "i": 3, "maybe": None, "few": [1, 2], "anything": [{}]}, None),
        ({"n": True}, "n: expected a number, got bool True"),
        ({"n": "1"}, "n: expected a number, got string '1'"),
        ({"i": 1.0}, "i: expected an integer, got float 1.0"),
        ({"i": False}, "i: expected an integer, got bool False"),
        ({"maybe": 3}, "maybe: expected a string, got int 3"),
        ({"inner": {"flag": True}}, None),
        ({"inner": {}}, "inner.flag: missing required parameter"),
        ({"inner": {"flag": 0}}, "inner.flag: expected true or false, got int 0"),
        ({"few": [1, 2, 3]}, "few: expected at most 2 item(s), got 3"),
        ({"few": [1, "2"]}, "few[1]: expected an integer, got string '2'"),
    ],
)
def test_every_rule_kind(value: object, message: str | None) -> None:
    assert ParamsValidator(SYNTHETIC).check("Outer", value, None) == message


def test_an_unknown_object_reference_fails_at_compile_time() -> None:
    broken: Mapping[str, ObjectRule] = {
        "A": {
            "fields": {"x": {"type": "object", "object": "Nope", "required": True}},
            "require_any": (),
        }
    }
    with pytest.raises(ValueError, match="Nope"):
        ParamsValidator(broken)


def test_check_field() -> None:
    assert VALIDATOR.check_field("WSAPIRequestHeaderV5", "Referer", "b") is None
    assert (
        VALIDATOR.check_field("WSAPIRequestHeaderV5", "Referer", 1)
        == "expected a string, got int 1"
    )
    assert VALIDATOR.check_field("WSAPIRequestHeaderV5", "Unknown", 1) is None


def test_describe_truncates() -> None:
    assert describe("x" * 1000).endswith("...")
    assert len(describe("x" * 1000)) < 80
    assert describe(None) == "null"


@pytest.mark.parametrize("text", ["0", "1", "0.5", "-2.25", "30000", "007"])
def test_decimal_accepts(text: str) -> None:
    assert DECIMAL_RE.fullmatch(text)


@pytest.mark.parametrize("text", ["", ".5", "5.", "1e5", "+1", "1,5", "0x1", "inf", "1 "])
def test_decimal_rejects(text: str) -> None:
    assert not DECIMAL_RE.fullmatch(text)
