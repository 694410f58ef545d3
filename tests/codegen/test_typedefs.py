"""codegen.enums and codegen.typedefs: bad enums, types and fields give exact, located messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from .badspec import BadSpec, case, check_cli, check_load_spec
from .helpers import SPEC_TEXT, line_of, replace_once

S = SPEC_TEXT

CASES = [
    case(
        "dangling-ref-in-a-field",
        replace_once(S, "{array: {ref: BatchOrderParamsV5}", "{array: {ref: BatchOrderParamV5}"),
        lambda f, t: [
            f"{f}:{line_of(t, 'ref: BatchOrderParamV5')}: "
            "types.CreateBatchArgsV5.fields.request.array.ref: dangling reference "
            "'BatchOrderParamV5': no such type (did you mean 'BatchOrderParamsV5'?)"
        ],
    ),
    case(
        "unknown-primitive",
        replace_once(
            S,
            "type: string\n        required: true\n        pattern",
            "type: strin\n        required: true\n        pattern",
        ),
        lambda f, t: [
            f"{f}:{line_of(t, 'type: strin' + chr(10))}: types.OrderParamsV5.fields.symbol.type: "
            "unknown type 'strin' (did you mean 'string'?); use one of string, decimal, integer, "
            "number, boolean, json, or enum:/ref:/array:"
        ],
    ),
    case(
        "unknown-enum",
        replace_once(S, "side: {enum: OrderSideV5,", "side: {enum: Sides,"),
        lambda f, t: [
            f"{f}:{line_of(t, 'side: {enum: Sides')}: types.OrderParamsV5.fields.side.enum: "
            "unknown enum 'Sides' (did you mean 'OrderSideV5'?)"
        ],
    ),
    case(
        "circular-extends",
        replace_once(
            replace_once(
                S, "    extends: OrderParamsV5\n", "    extends: BatchAmendOrderParamsV5\n"
            ),
            "    extends: AmendOrderParamsV5\n",
            "    extends: BatchOrderParamsV5\n",
        ),
        lambda f, t: [
            f"{f}:{line_of(t, chr(10) + '  BatchOrderParamsV5:')}: types.BatchOrderParamsV5: "
            "circular type definition: "
            "BatchOrderParamsV5 -> BatchAmendOrderParamsV5 -> BatchOrderParamsV5"
        ],
    ),
    case(
        "omit-a-field-the-base-lacks",
        replace_once(S, "omit: [category, orderFilter]", "omit: [category, orderFilter, price]"),
        lambda f, t: [
            f"{f}:{line_of(t, 'omit: [category, orderFilter, price]')}: "
            "types.BatchCancelOrderParamsV5.omit: 'price' is not a field of CancelOrderParamsV5"
        ],
    ),
    case(
        "omit-from-a-base-without-fields",
        replace_once(
            S,
            "    extends: BatchAmendOrderResultV5\n",
            "    extends: EmptyRetExtInfoV5\n    omit: [orderId]\n",
        ),
        lambda f, t: [
            f"{f}:{line_of(t, 'omit: [orderId]')}: types.BatchCancelOrderResultV5.omit: "
            "'orderId' is not a field of EmptyRetExtInfoV5"
        ],
    ),
    case(
        "enum-with-duplicate-values",
        replace_once(S, "values: [Buy, Sell]", "values: [Buy, Sell, Buy]"),
        lambda f, t: [
            f"{f}:{line_of(t, 'values: [Buy, Sell, Buy]')}: enums.OrderSideV5.values: "
            "duplicate value(s): Buy"
        ],
    ),
    case(
        "type-named-like-a-generated-import",
        S.replace("OrderResultV5", "Literal"),
        lambda f, t: [
            f"{f}:{line_of(t, chr(10) + '  Literal:')}: types.Literal: "
            "'Literal' is reserved for the generated module"
        ],
    ),
    case(
        "field-error-in-a-shared-base-is-reported-once",
        replace_once(
            S,
            "orderId: {type: string, description: Order id.",
            "orderId: {type: strng, description: Order id.",
        ),
        lambda f, t: [
            f"{f}:{line_of(t, 'type: strng')}: types.AmendOrderParamsV5.fields.orderId.type: "
            "unknown type 'strng' (did you mean 'string'?); use one of string, decimal, integer, "
            "number, boolean, json, or enum:/ref:/array:"
        ],
    ),
]


@pytest.mark.parametrize("bad", CASES, ids=[c.id for c in CASES])
def test_load_spec_reports_exactly(bad: BadSpec, tmp_path: Path) -> None:
    check_load_spec(bad, tmp_path)


@pytest.mark.parametrize("bad", CASES, ids=[c.id for c in CASES])
def test_cli_reports_exactly_and_writes_nothing(bad: BadSpec, tmp_path: Path) -> None:
    check_cli(bad, tmp_path)
