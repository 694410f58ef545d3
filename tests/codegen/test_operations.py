"""codegen.operations: bad operations give exact, located messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from .badspec import BadSpec, case, check_cli, check_load_spec
from .helpers import SPEC_TEXT, line_of, replace_once

S = SPEC_TEXT
OP_KEYS = "method, doc, params, data, ret_ext_info, action, method_args, batch, rate_limit"


def _method_case(name: str) -> BadSpec:
    return case(
        f"method-{name}",
        replace_once(S, "method: submit_new_order", f"method: {name}"),
        lambda f, t: [
            f"{f}:{line_of(t, f'method: {name}')}: operations.order.create.method: "
            f"str '{name}' is not a valid method name (a snake_case Python identifier)"
        ],
    )


CASES = [
    case(
        "duplicate-method",
        replace_once(S, "method: amend_order", "method: submit_new_order"),
        lambda f, t: [
            f"{f}:{line_of(t, 'method: submit_new_order', 2)}: operations.order.amend.method: "
            "duplicate method name 'submit_new_order' (already used by order.create)"
        ],
    ),
    case(
        "dangling-params",
        replace_once(S, "params: OrderParamsV5", "params: NoSuchType"),
        lambda f, t: [
            f"{f}:{line_of(t, 'params: NoSuchType')}: operations.order.create.params: "
            "dangling reference 'NoSuchType': no such type"
        ],
    ),
    _method_case("submit-order"),
    _method_case("class"),
    _method_case("2fast"),
    case(
        "unknown-operation-key",
        replace_once(
            S, "    action: create\n    params: Order", "    acton: create\n    params: Order"
        ),
        lambda f, t: [
            f"{f}:{line_of(t, 'acton: create')}: operations.order.create.acton: unknown key 'acton' "
            f"(did you mean 'action'?); allowed: {OP_KEYS}"
        ],
    ),
    case(
        "method-args-miss-a-required-field",
        replace_once(
            S,
            "method_args: {category: category, orders: request}\n    doc: Place",
            "method_args: {orders: request}\n    doc: Place",
        ),
        lambda f, t: [
            f"{f}:{line_of(t, 'method_args: {orders: request}')}: "
            "operations.order.create-batch.method_args: "
            "required field 'category' of CreateBatchArgsV5 has no argument"
        ],
    ),
    case(
        "rate-limit-for-an-unknown-category",
        replace_once(
            S,
            "rate_limit: {linear: 10, inverse: 10, option: 10, spot: 10}",
            "rate_limit: {linear: 10, inverse: 10, option: 10, spot: 10, futures: 5}",
        ),
        lambda f, t: [
            f"{f}:{line_of(t, 'futures: 5')}: operations.order.amend.rate_limit.futures: "
            "unknown category 'futures'; use one of linear, inverse, spot, option, default"
        ],
    ),
    case(
        "operation-without-doc",
        replace_once(S, "    doc: Place an order (REST equivalent POST /v5/order/create).\n", ""),
        lambda f, t: [
            f"{f}:{line_of(t, chr(10) + '  order.create:')}: operations.order.create: "
            "missing key 'doc'"
        ],
    ),
    case(
        "reply-alias-taken-by-a-type",
        S.replace("OrderResultV5", "OrderCreateResponse"),
        lambda f, t: [
            f"{f}:{line_of(t, chr(10) + '  order.create:')}: operations.order.create: its reply "
            "alias 'OrderCreateResponse' is already taken by a type or enum; rename one of them"
        ],
    ),
    case(
        "two-operations-one-reply-alias",
        replace_once(S, "\n  order.cancel-batch:", "\n  order.amend_batch:"),
        lambda f, t: [
            f"{f}:{line_of(t, chr(10) + '  order.amend_batch:')}: operations.order.amend_batch: "
            "its reply alias 'OrderAmendBatchResponse' is already taken by operation "
            "'order.amend-batch'; rename one of them"
        ],
    ),
]


@pytest.mark.parametrize("bad", CASES, ids=[c.id for c in CASES])
def test_load_spec_reports_exactly(bad: BadSpec, tmp_path: Path) -> None:
    check_load_spec(bad, tmp_path)


@pytest.mark.parametrize("bad", CASES, ids=[c.id for c in CASES])
def test_cli_reports_exactly_and_writes_nothing(bad: BadSpec, tmp_path: Path) -> None:
    check_cli(bad, tmp_path)
