"""codegen.source: YAML the spec loader refuses (syntax, duplicate keys, aliases, merge keys)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .badspec import BadSpec, case, check_cli, check_load_spec
from .helpers import SPEC_TEXT, line_of, replace_once

S = SPEC_TEXT

CASES = [
    case(
        "malformed-yaml",
        replace_once(S, "values: [Buy, Sell]\n", "values: [Buy, Sell\n"),
        lambda f, t: [
            f"{f}:{line_of(t, chr(10) + '  OrderTypeV5:')}: malformed YAML: "
            "expected ',' or ']', but got ':'"
        ],
    ),
    case("empty-file", "", lambda f, t: [f"{f}: the file is empty"]),
    case(
        "only-comments",
        "".join(line for line in S.splitlines(keepends=True) if line.startswith("#")),
        lambda f, t: [f"{f}: the file is empty"],
    ),
    case(
        "duplicate-operation",
        replace_once(S, "\n  order.amend:\n", "\n  order.create:\n"),
        lambda f, t: [
            f"{f}:{line_of(t, chr(10) + '  order.create:', 2)}: operations.order.create: "
            f"duplicate key 'order.create' (first defined on line {line_of(t, chr(10) + '  order.create:')})"
        ],
    ),
    case(
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
    case(
        "nul-character",
        replace_once(S, "Order side.", "Order\x00 side."),
        lambda f, t: [
            f"{f}:{line_of(t, 'Order' + chr(0))}: malformed YAML: "
            "unacceptable character #x0000: special characters are not allowed"
        ],
    ),
    case(
        "recursive-alias",
        replace_once(S, "values: [Buy, Sell]", "values: &sides [Buy, *sides]"),
        lambda f, t: [
            f"{f}:{line_of(t, '*sides')}: enums.OrderSideV5.values[1]: "
            "recursive YAML alias (an anchor inside itself)"
        ],
    ),
    case(
        "unreadable-tagged-scalar",
        replace_once(S, "values: [Buy, Sell]", "values: [Buy, !!int Sell]"),
        lambda f, t: [
            f"{f}:{line_of(t, '!!int Sell')}: enums.OrderSideV5.values[1]: malformed YAML: "
            "cannot read 'Sell' as !!int (invalid literal for int() with base 10: 'Sell')"
        ],
    ),
]


@pytest.mark.parametrize("bad", CASES, ids=[c.id for c in CASES])
def test_load_spec_reports_exactly(bad: BadSpec, tmp_path: Path) -> None:
    check_load_spec(bad, tmp_path)


@pytest.mark.parametrize("bad", CASES, ids=[c.id for c in CASES])
def test_cli_reports_exactly_and_writes_nothing(bad: BadSpec, tmp_path: Path) -> None:
    check_cli(bad, tmp_path)
