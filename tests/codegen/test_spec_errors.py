"""Bad specs give exact, located messages and never a traceback or a partial write.

Each case is a small mutation of the real spec. Expected lines are computed from the mutated
text (where the offending key ends up), so the cases survive unrelated edits of the spec while
still pinning the exact ``file:line: dotted.path: message`` text.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import codegen
from codegen.spec import parse_spec

from .helpers import (
    SPEC_TEXT,
    check_loads_or_lists_problems,
    copy_generated,
    line_of,
    replace_once,
    run_cli,
    snapshot,
)

S = SPEC_TEXT
OP_KEYS = "method, doc, params, data, ret_ext_info, action, method_args, batch, rate_limit"


@dataclass(frozen=True)
class BadSpec:
    id: str
    content: bytes | None
    """The file's bytes; ``None``: there is no file."""
    expected: Callable[[str, str], list[str]]
    """(the spec file as named, its text) -> every problem, in order."""

    @property
    def text(self) -> str:
        return "" if self.content is None else self.content.decode("utf-8", errors="replace")


def _case(id: str, text: str, expected: Callable[[str, str], list[str]]) -> BadSpec:
    return BadSpec(id, text.encode("utf-8"), expected)


def _method_case(name: str) -> BadSpec:
    return _case(
        f"method-{name}",
        replace_once(S, "method: submit_new_order", f"method: {name}"),
        lambda f, t: [
            f"{f}:{line_of(t, f'method: {name}')}: operations.order.create.method: "
            f"str '{name}' is not a valid method name (a snake_case Python identifier)"
        ],
    )


_NON_UTF8 = S.encode("utf-8").replace(b"Order side.", b"Order s\xe9de.", 1)

CASES = [
    _case(
        "malformed-yaml",
        replace_once(S, "values: [Buy, Sell]\n", "values: [Buy, Sell\n"),
        lambda f, t: [
            f"{f}:{line_of(t, chr(10) + '  OrderTypeV5:')}: malformed YAML: "
            "expected ',' or ']', but got ':'"
        ],
    ),
    _case("empty-file", "", lambda f, t: [f"{f}: the file is empty"]),
    _case(
        "only-comments",
        "".join(line for line in S.splitlines(keepends=True) if line.startswith("#")),
        lambda f, t: [f"{f}: the file is empty"],
    ),
    _case(
        "root-is-a-list",
        "-\n" + textwrap.indent(S, "  "),
        lambda f, t: [f"{f}: expected a mapping, got a list"],
    ),
    _case(
        "root-is-a-scalar",
        "Bybit V5 WebSocket trade API\n",
        lambda f, t: [f"{f}: expected a mapping, got str 'Bybit V5 WebSocket trade API'"],
    ),
    _case(
        "duplicate-operation",
        replace_once(S, "\n  order.amend:\n", "\n  order.create:\n"),
        lambda f, t: [
            f"{f}:{line_of(t, chr(10) + '  order.create:', 2)}: operations.order.create: "
            f"duplicate key 'order.create' (first defined on line {line_of(t, chr(10) + '  order.create:')})"
        ],
    ),
    _case(
        "duplicate-method",
        replace_once(S, "method: amend_order", "method: submit_new_order"),
        lambda f, t: [
            f"{f}:{line_of(t, 'method: submit_new_order', 2)}: operations.order.amend.method: "
            "duplicate method name 'submit_new_order' (already used by order.create)"
        ],
    ),
    _case(
        "dangling-params",
        replace_once(S, "params: OrderParamsV5", "params: NoSuchType"),
        lambda f, t: [
            f"{f}:{line_of(t, 'params: NoSuchType')}: operations.order.create.params: "
            "dangling reference 'NoSuchType': no such type"
        ],
    ),
    _case(
        "dangling-ref-in-a-field",
        replace_once(S, "{array: {ref: BatchOrderParamsV5}", "{array: {ref: BatchOrderParamV5}"),
        lambda f, t: [
            f"{f}:{line_of(t, 'ref: BatchOrderParamV5')}: "
            "types.CreateBatchArgsV5.fields.request.array.ref: dangling reference "
            "'BatchOrderParamV5': no such type (did you mean 'BatchOrderParamsV5'?)"
        ],
    ),
    _case(
        "unknown-primitive",
        replace_once(
            S,
            "type: string\n        required: true\n        pattern",
            "type: strin\n        required: true\n        pattern",
        ),
        lambda f, t: [
            f"{f}:{line_of(t, 'type: strin' + chr(10))}: types.OrderParamsV5.fields.symbol.type: "
            "unknown type 'strin' (did you mean 'string'?); use one of string, decimal, integer, "
            "number, boolean, or enum:/ref:/array:"
        ],
    ),
    _case(
        "unknown-enum",
        replace_once(S, "side: {enum: OrderSideV5,", "side: {enum: Sides,"),
        lambda f, t: [
            f"{f}:{line_of(t, 'side: {enum: Sides')}: types.OrderParamsV5.fields.side.enum: "
            "unknown enum 'Sides' (did you mean 'OrderSideV5'?)"
        ],
    ),
    _method_case("submit-order"),
    _method_case("class"),
    _method_case("2fast"),
    _case(
        "unknown-operation-key",
        replace_once(
            S, "    action: create\n    params: Order", "    acton: create\n    params: Order"
        ),
        lambda f, t: [
            f"{f}:{line_of(t, 'acton: create')}: operations.order.create.acton: unknown key 'acton' "
            f"(did you mean 'action'?); allowed: {OP_KEYS}"
        ],
    ),
    _case(
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
    _case(
        "omit-a-field-the-base-lacks",
        replace_once(S, "omit: [category, orderFilter]", "omit: [category, orderFilter, price]"),
        lambda f, t: [
            f"{f}:{line_of(t, 'omit: [category, orderFilter, price]')}: "
            "types.BatchCancelOrderParamsV5.omit: 'price' is not a field of CancelOrderParamsV5"
        ],
    ),
    _case(
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
    _case(
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
    _case(
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
    _case(
        "enum-with-duplicate-values",
        replace_once(S, "values: [Buy, Sell]", "values: [Buy, Sell, Buy]"),
        lambda f, t: [
            f"{f}:{line_of(t, 'values: [Buy, Sell, Buy]')}: enums.OrderSideV5.values: "
            "duplicate value(s): Buy"
        ],
    ),
    BadSpec(
        "not-utf8",
        _NON_UTF8,
        lambda f, t: [
            f"{f}: not UTF-8 text (invalid continuation byte at byte {_NON_UTF8.index(0xE9)})"
        ],
    ),
    BadSpec(
        "missing-file", None, lambda f, t: [f"{f}: cannot read the spec: No such file or directory"]
    ),
    _case(
        "operation-without-doc",
        replace_once(S, "    doc: Place an order (REST equivalent POST /v5/order/create).\n", ""),
        lambda f, t: [
            f"{f}:{line_of(t, chr(10) + '  order.create:')}: operations.order.create: "
            "missing key 'doc'"
        ],
    ),
    # -- found while writing these tests: each used to crash, pass, or report a second error --
    _case(
        "merge-key",
        replace_once(
            S,
            "    action: create\n    params: Order",
            "    <<: {action: create}\n    params: Order",
        ),
        lambda f, t: [
            f"{f}:{line_of(t, '<<: {action')}: operations.order.create: merge keys ('<<') are not "
            "supported; write the keys out (or use from:/extends:)"
        ],
    ),
    _case(
        "nul-character",
        replace_once(S, "Order side.", "Order\x00 side."),
        lambda f, t: [
            f"{f}:{line_of(t, 'Order' + chr(0))}: malformed YAML: "
            "unacceptable character #x0000: special characters are not allowed"
        ],
    ),
    _case(
        "recursive-alias",
        replace_once(S, "values: [Buy, Sell]", "values: &sides [Buy, *sides]"),
        lambda f, t: [
            f"{f}:{line_of(t, '*sides')}: enums.OrderSideV5.values[1]: "
            "recursive YAML alias (an anchor inside itself)"
        ],
    ),
    _case(
        "unreadable-tagged-scalar",
        replace_once(S, "values: [Buy, Sell]", "values: [Buy, !!int Sell]"),
        lambda f, t: [
            f"{f}:{line_of(t, '!!int Sell')}: enums.OrderSideV5.values[1]: malformed YAML: "
            "cannot read 'Sell' as !!int (invalid literal for int() with base 10: 'Sell')"
        ],
    ),
    _case(
        "type-named-like-a-generated-import",
        S.replace("OrderResultV5", "Literal"),
        lambda f, t: [
            f"{f}:{line_of(t, chr(10) + '  Literal:')}: types.Literal: "
            "'Literal' is reserved for the generated module"
        ],
    ),
    _case(
        "reply-alias-taken-by-a-type",
        S.replace("OrderResultV5", "OrderCreateResponse"),
        lambda f, t: [
            f"{f}:{line_of(t, chr(10) + '  order.create:')}: operations.order.create: its reply "
            "alias 'OrderCreateResponse' is already taken by a type or enum; rename one of them"
        ],
    ),
    _case(
        "two-operations-one-reply-alias",
        replace_once(S, "\n  order.cancel-batch:", "\n  order.amend_batch:"),
        lambda f, t: [
            f"{f}:{line_of(t, chr(10) + '  order.amend_batch:')}: operations.order.amend_batch: "
            "its reply alias 'OrderAmendBatchResponse' is already taken by operation "
            "'order.amend-batch'; rename one of them"
        ],
    ),
    _case(
        "field-error-in-a-shared-base-is-reported-once",
        replace_once(
            S,
            "orderId: {type: string, description: Order id.",
            "orderId: {type: strng, description: Order id.",
        ),
        lambda f, t: [
            f"{f}:{line_of(t, 'type: strng')}: types.AmendOrderParamsV5.fields.orderId.type: "
            "unknown type 'strng' (did you mean 'string'?); use one of string, decimal, integer, "
            "number, boolean, or enum:/ref:/array:"
        ],
    ),
]


def _write(case: BadSpec, folder: Path) -> Path:
    path = folder / "ws_api.yaml"
    if case.content is not None:
        path.write_bytes(case.content)
    return path


def test_the_real_spec_loads() -> None:
    """The control for every case below: without the mutation there is no error."""
    spec = parse_spec(S, "ws_api.yaml")
    assert [op.op for op in spec.operations][:1] == ["order.create"]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_load_spec_reports_exactly(case: BadSpec, tmp_path: Path) -> None:
    path = _write(case, tmp_path)
    with pytest.raises(codegen.InvalidSpecError) as caught:
        codegen.load_spec(path)
    problems = [str(p) for p in caught.value.errors]
    assert problems == case.expected(str(path), case.text)
    assert str(caught.value) == "\n".join(problems)
    assert all(p.file == str(path) for p in caught.value.errors)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_cli_reports_exactly_and_writes_nothing(case: BadSpec, tmp_path: Path) -> None:
    _write(case, tmp_path)
    out = copy_generated(tmp_path / "out" / "bybit_wsapi_generated").parent
    before = snapshot(out)
    run = run_cli("--spec", "ws_api.yaml", "--out", "out/bybit_wsapi_generated", cwd=tmp_path)
    expected = case.expected("ws_api.yaml", case.text)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert run.stderr.splitlines() == [
        *expected,
        f"{len(expected)} error(s) in the spec; nothing was written",
    ]
    assert run.stdout == ""
    assert snapshot(out) == before
    assert "bybit_wsapi_generated/models.py" in before


# -- no mutation of the real spec crashes the loader -------------------------------------------

LINES = S.splitlines(keepends=True)
_YAML_CHARS = [*":{}[],-&*!|>'\"#%@`?\t\n\x00\\", " ", "\ufeff", "\x85", "\u2028"]


@st.composite
def mutated_spec(draw: st.DrawFn) -> str:
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "replace", "truncate"]))
        i = draw(st.integers(0, len(lines) - 1))
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "replace" and lines[i]:
            at = draw(st.integers(0, len(lines[i]) - 1))
            char = draw(
                st.one_of(st.sampled_from(_YAML_CHARS), st.characters(exclude_categories=["Cs"]))
            )
            lines[i] = lines[i][:at] + char + lines[i][at + 1 :]
        elif kind == "truncate":
            text = "".join(lines)
            cut = draw(st.integers(0, len(text)))
            lines = text[:cut].splitlines(keepends=True)
        if not lines:
            break
    return "".join(lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_spec())
def test_a_mutated_spec_loads_or_lists_located_problems(text: str) -> None:
    check_loads_or_lists_problems(text, "mutated/ws_api.yaml")
