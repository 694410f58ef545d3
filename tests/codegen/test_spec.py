"""codegen.spec: loading one or more files; files that cannot be read; no mutation crashes it."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import codegen
from codegen.spec import parse_spec

from .badspec import BadSpec, case, check_cli, check_load_spec
from .helpers import SPEC_TEXT, SPECS, check_loads_or_lists_problems

S = SPEC_TEXT
_NON_UTF8 = S.encode("utf-8").replace(b"Order side.", b"Order s\xe9de.", 1)

CASES = [
    case(
        "root-is-a-list",
        "-\n" + textwrap.indent(S, "  "),
        lambda f, t: [f"{f}: expected a mapping, got a list"],
    ),
    case(
        "root-is-a-scalar",
        "Bybit V5 WebSocket trade API\n",
        lambda f, t: [f"{f}: expected a mapping, got str 'Bybit V5 WebSocket trade API'"],
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
]


def test_the_real_spec_loads() -> None:
    """The control for every case: without the mutation there is no error."""
    spec = parse_spec(S, "ws_api.yaml")
    assert [op.op for op in spec.operations][:1] == ["order.create"]


def test_the_trade_spec_alone_loads_without_streams() -> None:
    spec = codegen.load_spec(SPECS[0])
    assert (spec.file_name, spec.topics, spec.streams) == ("ws_api.yaml", (), ())


def test_both_files_load_as_one_spec() -> None:
    spec = codegen.load_spec(*SPECS)
    assert spec.file_name == "ws_api.yaml, ws_streams.yaml, rest_api.yaml"
    assert spec.enum("OrderSideV5").values == ("Buy", "Sell")  # from ws_api.yaml
    assert spec.type("OrderV5").field("side") is not None  # from ws_streams.yaml


@pytest.mark.parametrize("bad", CASES, ids=[c.id for c in CASES])
def test_load_spec_reports_exactly(bad: BadSpec, tmp_path: Path) -> None:
    check_load_spec(bad, tmp_path)


@pytest.mark.parametrize("bad", CASES, ids=[c.id for c in CASES])
def test_cli_reports_exactly_and_writes_nothing(bad: BadSpec, tmp_path: Path) -> None:
    check_cli(bad, tmp_path)


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
