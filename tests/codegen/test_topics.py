"""codegen.topics: bad stream specs give exact, located messages; the real one loads.

Each case mutates ``ws_streams.yaml`` (or, for cross-file checks, adds to it) and expects every
problem as ``file:line: dotted.path: message``, with the line computed from the mutated text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

import codegen

from .helpers import STREAMS_TEXT, line_of, replace_once, run_cli, write_specs

S = STREAMS_TEXT


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    expected: Callable[[str, str], list[str]]
    """(the streams file as named, its text) -> every problem, in order."""


def _case(id: str, *edit: str, nth: int = 1) -> Case:
    """``edit`` is (old, new, at, where, message): ``old`` -> ``new`` in the streams spec, and
    the one problem expected, at ``where`` on the line of ``at``."""
    old, new, at, where, message = edit
    return Case(
        id,
        replace_once(S, old, new),
        lambda f, t: [f"{f}:{line_of(t, at, nth)}: {where}: {message}"],
    )


CASES = [
    _case(
        "pattern-not-starting-with-the-family",
        'pattern: "orderbook.{depth}.{symbol}"', 'pattern: "book.{depth}.{symbol}"',
        'pattern: "book', "topics.orderbook.pattern",
        "str 'book.{depth}.{symbol}' must start with the family 'orderbook'",
    ),
    _case(
        "pattern-with-an-unknown-placeholder",
        'pattern: "orderbook.{depth}.{symbol}"', 'pattern: "orderbook.{levels}.{symbol}"',
        'pattern: "orderbook.{levels}', "topics.orderbook.pattern",
        "'{levels}' is not a parameter; parameters: symbol, depth",
    ),
    _case(
        "pattern-without-a-parameter",
        'pattern: "orderbook.{depth}.{symbol}"', 'pattern: "orderbook.50.{symbol}"',
        'pattern: "orderbook.50', "topics.orderbook.pattern",
        "'orderbook.50.{symbol}' must use '{depth}' exactly once",
    ),
    _case(
        "pattern-with-a-bad-character",
        'pattern: "publicTrade.{symbol}"', 'pattern: "publicTrade.{symbol}*"',
        'pattern: "publicTrade.{symbol}*', "topics.publicTrade.pattern",
        "'publicTrade.{symbol}*' may hold only letters, digits, '.', '-', '_' and {name}",
    ),
    _case(
        "pattern-with-a-placeholder-inside-a-part",
        'pattern: "orderbook.{depth}.{symbol}"', 'pattern: "orderbook.{depth}x.{symbol}"',
        'pattern: "orderbook.{depth}x', "topics.orderbook.pattern",
        "'orderbook.{depth}x.{symbol}': '{depth}x' mixes text and a placeholder; a placeholder "
        "is a whole '.'-separated part (e.g. orderbook.{depth}.{symbol})",
    ),
    _case(
        "unknown-enum-in-a-message-field",
        "S: {enum: OrderSideV5, required: true, description: Taker side.}",
        "S: {enum: OrderSide, required: true, description: Taker side.}",
        "S: {enum: OrderSide,", "types.PublicTradeV5.fields.S.enum",
        "unknown enum 'OrderSide' (did you mean 'OrderSideV5'?)",
    ),
    _case(
        "unknown-enum-of-a-parameter",
        "interval: {enum: KlineIntervalV5, description: The interval.}",
        "interval: {enum: KlineInterval, description: The interval.}",
        "interval: {enum: KlineInterval,", "topics.kline.params.interval.enum",
        "unknown enum 'KlineInterval' (did you mean 'KlineIntervalV5'?)",
    ),
    _case(
        "unknown-dialect",
        "dialect: public_spot\n", "dialect: public_spt\n",
        "dialect: public_spt", "streams.v5_spot_public.dialect",
        "unknown dialect 'public_spt' (did you mean 'public_spot'?)",
    ),
    _case(
        "ws-key-of-the-trade-api",
        "ws_key: v5Private\n", "ws_key: v5PrivateTrade\n",
        "ws_key: v5PrivateTrade", "streams.v5_private.ws_key",
        "'v5PrivateTrade' is already used by the trade API (api.ws_key)",
    ),
    _case(
        "ws-key-used-twice",
        "ws_key: v5InversePublic\n", "ws_key: v5LinearPublic\n",
        "ws_key: v5LinearPublic", "streams.v5_inverse_public.ws_key",
        "'v5LinearPublic' is already used by stream 'v5_linear_public'", nth=2,
    ),
    _case(
        "unknown-access",
        "    access: public\n    category: spot\n", "    access: pubic\n    category: spot\n",
        "access: pubic", "streams.v5_spot_public.access",
        "unknown access str 'pubic'; use one of public, private",
    ),
    _case(
        "two-private-streams",
        "    access: public\n    category: spot\n", "    access: private\n",
        "access: private", "streams.v5_private.access",
        "v5_spot_public is already the private stream", nth=2,
    ),
    _case(
        "public-stream-without-category",
        "    category: inverse\n", "",
        "\n  v5_inverse_public:", "streams.v5_inverse_public",
        "a public stream needs the 'category' it serves",
    ),
    _case(
        "a-batch-over-bybits-limit",
        "    subscribe_batch: 10\n", "    subscribe_batch: 20\n",
        "subscribe_batch: 20", "streams.v5_spot_public.subscribe_batch",
        "20 is over max_args_per_request (10): the server would refuse the frames",
    ),
    _case(
        "unknown-category-in-a-variant",
        "      - categories: [linear, inverse]\n\n  order:",
        "      - categories: [linear, futures]\n\n  order:",
        "categories: [linear, futures]", "topics.allLiquidation.variants[0].categories",
        "unknown category 'futures'; the streams serve spot, linear, inverse, option",
    ),
    _case(
        "a-category-in-two-variants",
        "      - categories: [option]\n        values: {depth: [25, 100]}",
        "      - categories: [option, spot]\n        values: {depth: [25, 100]}",
        "categories: [option, spot]", "topics.orderbook.variants[1].categories",
        "'spot' is already in variants[0]",
    ),
    _case(
        "depth-of-the-wrong-type",
        "values: {depth: [25, 100]}", 'values: {depth: [25, "100"]}',
        'values: {depth: [25, "100"]}', "topics.orderbook.variants[1].values.depth",
        "expected a non-empty list of integer values, got a list",
    ),
    _case(
        "value-outside-the-parameters-enum",
        "    message: KlineMessageV5\n    push: [snapshot]\n    variants:\n      - categories: [linear, inverse, spot]\n",
        "    message: KlineMessageV5\n    push: [snapshot]\n    variants:\n      - categories: [linear, inverse, spot]\n        values: {interval: [\"1\", \"2\"]}\n",
        'values: {interval: ["1", "2"]}', "topics.kline.variants[0].values.interval",
        "'2' is not a value of KlineIntervalV5",
    ),
    _case(
        "values-for-an-unknown-parameter",
        "values: {depth: [25, 100]}", "values: {dept: [25, 100]}",
        "values: {dept:", "topics.orderbook.variants[1].values.dept",
        "'dept' is not a parameter (did you mean 'depth'?)",
    ),
    _case(
        "dangling-message",
        "    message: KlineMessageV5\n", "    message: KlineMsgV5\n",
        "message: KlineMsgV5", "topics.kline.variants[0].message",
        "dangling reference 'KlineMsgV5': no such type (did you mean 'KlineMessageV5'?)",
    ),
    _case(
        "method-of-an-operation",
        "method: stream_orders\n", "method: cancel_order\n",
        "method: cancel_order", "topics.order.method",
        "duplicate method name 'cancel_order' (already used by order.cancel)",
    ),
    _case(
        "push-kind-of-a-private-topic-on-a-public-one",
        "      - categories: [linear, inverse, spot, option]\n",
        "      - categories: [linear, inverse, spot, option]\n        push: [update]\n",
        "push: [update]", "topics.publicTrade.variants[0].push",
        "expected a list of snapshot, delta for a public topic, got a list",
    ),
    _case(
        "categorised-variant-without-the-category-placeholder",
        '{pattern: "order.{category}", categories: [spot, linear, inverse, option]}',
        '{pattern: "order.{category}"}',
        '{pattern: "order.{category}"}', "topics.order.variants[1]",
        "a private variant has categories exactly when its pattern has {category}",
    ),
    _case(
        "an-example-frame-that-is-not-json",
        """pong: '{"args":["1672916271846"],"op":"pong"}'""",
        """pong: '{"args":["1672916271846"],"op":pong}'""",
        '"op":pong}', "dialects.public_option.examples.pong",
        "not JSON: Expecting value: line 1 column 32 (char 31)",
    ),
    _case(
        "placeholders-on-a-field-without-an-enum",
        "rpiMatchedQty: {type: decimal, description:",
        'rpiMatchedQty: {type: decimal, placeholders: [""], description:',
        "rpiMatchedQty: {type: decimal, placeholders", "types.OrderV5.fields.rpiMatchedQty.placeholders",
        "placeholders apply only to enum fields",
    ),
    _case(
        "a-placeholder-that-is-already-a-value",
        'placeholders: [UNKNOWN], description: Market or Limit.}',
        'placeholders: [Limit], description: Market or Limit.}',
        "placeholders: [Limit]", "types.OrderV5.fields.orderType.placeholders",
        "'Limit' is already a value of OrderTypeV5",
    ),
    _case(
        "categorised-variant-whose-pattern-lacks-the-placeholder",
        '{pattern: "order.{category}", categories: [spot, linear, inverse, option]}',
        '{pattern: "order.all", categories: [spot, linear, inverse, option]}',
        '{pattern: "order.all"', "topics.order.variants[1].pattern",
        "'order.all' must use '{category}' exactly once",
    ),
    _case(
        "an-enum-defined-in-both-files",
        "  PushTypeV5:\n", "  OrderSideV5:\n    description: Again.\n    values: [Buy, Sell]\n  PushTypeV5:\n",
        "\n  OrderSideV5:", "enums.OrderSideV5",
        "'OrderSideV5' is already defined in {api}",
    ),
]  # fmt: skip


def _load(case: Case, folder: Path) -> list[str]:
    write_specs(folder, streams=case.text)
    with pytest.raises(codegen.InvalidSpecError) as caught:
        codegen.load_spec(folder / "ws_api.yaml", folder / "ws_streams.yaml")
    return [str(p) for p in caught.value.errors]


def test_the_real_streams_spec_loads(spec_model: codegen.spec.Spec) -> None:
    assert [t.family for t in spec_model.topics][:2] == ["orderbook", "publicTrade"]
    assert [s.attribute for s in spec_model.streams][-1] == "v5_private"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_load_spec_reports_exactly(case: Case, tmp_path: Path) -> None:
    streams = str(tmp_path / "ws_streams.yaml")
    expected = [
        line.replace("{api}", str(tmp_path / "ws_api.yaml"))
        for line in case.expected(streams, case.text)
    ]
    assert _load(case, tmp_path) == expected


def test_the_cli_reports_a_streams_error_and_writes_nothing(tmp_path: Path) -> None:
    case = CASES[0]
    specs = write_specs(tmp_path / "spec", streams=case.text)
    run = run_cli(*specs, "--out", str(tmp_path / "out"))
    expected = case.expected(str(tmp_path / "spec" / "ws_streams.yaml"), case.text)
    assert run.returncode == 1
    assert run.stderr.splitlines() == [*expected, "1 error(s) in the spec; nothing was written"]
    assert not (tmp_path / "out").exists()


def test_a_streams_file_may_not_redefine_the_trade_api(tmp_path: Path) -> None:
    write_specs(tmp_path, streams=S.replace("format: 1\n", "format: 1\napi: {}\n", 1))
    with pytest.raises(codegen.InvalidSpecError) as caught:
        codegen.load_spec(tmp_path / "ws_api.yaml", tmp_path / "ws_streams.yaml")
    [problem] = caught.value.errors
    assert problem.path == "api"
    assert problem.message.startswith("unknown key 'api'; allowed: format, enums, types,")
