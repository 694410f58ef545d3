"""codegen.rest: the real REST spec loads into the table; bad ones give exact, located messages.

Each case mutates ``rest_api.yaml`` (checked in memory after both WebSocket files) and expects
every problem as ``file:line: dotted.path: message``, the line computed from the mutated text.
"""

from __future__ import annotations

from typing import Any, get_args

import pytest
import yaml
from bybit_wsapi_generated import rest, tables
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import codegen
from codegen.spec import parse_specs

from .helpers import REST_TEXT, SPEC_TEXT, STREAMS_TEXT, line_of, replace_once

FILE = "rest_api.yaml"
RAW: dict[str, Any] = yaml.safe_load(REST_TEXT)
REALTIME = """  /v5/order/realtime:
    http_method: GET
    method: get_open_orders
"""


def _problems(text: str) -> list[str]:
    sources = [(SPEC_TEXT, "ws_api.yaml"), (STREAMS_TEXT, "ws_streams.yaml"), (text, FILE)]
    with pytest.raises(codegen.InvalidSpecError) as caught:
        parse_specs(sources)
    return [str(p) for p in caught.value.errors]


def test_the_table_is_the_rest_section() -> None:
    assert list(rest.REST_ENDPOINTS) == list(RAW["rest"]) == list(get_args(rest.RestPath))
    for path, raw in RAW["rest"].items():
        rule = rest.REST_ENDPOINTS[path]
        assert rest.REST_PATHS[rule["method"]] == path
        assert (rule["http_method"], rule["method"], rule["access"]) == (
            raw["http_method"], raw["method"], raw["access"],
        )  # fmt: skip
        assert (rule["params"], rule["result"]) == (raw["params"], raw["result"])
        page = raw.get("page_size", {})
        assert (rule["page_max"], rule["page_default"]) == (page.get("max"), page.get("default"))
        assert rule["rate_limit"] == raw.get("rate_limit")
        assert rule["time_window_days"] == raw.get("time_window_days")
        groups = raw.get("require_any_for_categories", {})
        assert rule["require_any_for_categories"] == {
            c: tuple(tuple(g) for g in gs) for c, gs in groups.items()
        }
        assert rule["params"] in tables.OBJECT_RULES and rule["result"] in tables.OBJECT_RULES
    assert list(get_args(rest.RestMethod)) == list(rest.REST_PATHS)


def test_the_rest_items_reuse_the_stream_items() -> None:
    """Defined once: REST's order and execution are the streams' minus what REST leaves out."""
    fields = {name: set(tables.OBJECT_RULES[name]["fields"]) for name in tables.OBJECT_RULES}
    assert fields["OrderV5"] - fields["RestOrderV5"] == {
        "category", "closedPnl", "brokerOrderPrice", "feeCurrency",
    }  # fmt: skip
    assert fields["RestOrderV5"] - fields["OrderV5"] == {"basePrice", "extraFees"}
    assert fields["ExecutionV5"] - fields["RestExecutionV5"] == {
        "category", "isLeverage", "execPnl", "marketUnit",
    }  # fmt: skip
    assert fields["RestExecutionV5"] - fields["ExecutionV5"] == {"execFeeV2"}
    order, execution = tables.OBJECT_RULES["RestOrderV5"], tables.OBJECT_RULES["OrderV5"]
    assert order["fields"]["orderStatus"] == execution["fields"]["orderStatus"]


CASES = [
    ("not-a-path", "  /v5/order/realtime:\n", "  v5/order/realtime:\n", "  v5/order", 1,
     "rest.v5/order/realtime", "'v5/order/realtime' is not a URL path (e.g. /v5/order/realtime)"),
    ("unknown-key", "    rate_limit: 50\n    require_any", "    rate_limits: 50\n    require_any",
     "rate_limits", 1, "rest./v5/order/realtime.rate_limits",
     "unknown key 'rate_limits' (did you mean 'rate_limit'?); allowed: http_method, method, doc, "
     "access, params, result, page_size, rate_limit, time_window_days, require_any_for_categories"),
    ("bad-http-method", REALTIME, REALTIME.replace("GET", "FETCH"), "FETCH", 1,
     "rest./v5/order/realtime.http_method", "unknown HTTP method str 'FETCH'; use one of GET, POST"),
    ("method-taken", REALTIME, REALTIME.replace("get_open_orders", "get_executions"),
     "method: get_executions", 2, "rest./v5/execution/list.method",
     "duplicate method name 'get_executions' (already used by endpoint '/v5/order/realtime')"),
    ("dangling-result", "    result: ServerTimeResultV5\n", "    result: ServerTime\n",
     "result: ServerTime", 1, "rest./v5/market/time.result",
     "dangling reference 'ServerTime': no such type (did you mean 'ServerTimeResultV5'?)"),
    ("default-over-max", "page_size: {max: 100, default: 50}", "page_size: {max: 100, default: 500}",
     "page_size: {max: 100", 1, "rest./v5/execution/list.page_size.default",
     "500 is over max (100)"),
    ("null-rate-limit", "    rate_limit: 50\n    require_any", "    rate_limit:\n    require_any",
     "    rate_limit:\n    require_any", 1, "rest./v5/order/realtime.rate_limit",
     "expected an integer >= 1, got nothing (null)"),
    ("null-page-max", "page_size: {max: 100, default: 50}", "page_size: {max: null, default: 50}",
     "page_size: {max: null", 1, "rest./v5/execution/list.page_size.max",
     "expected an integer >= 1, got nothing (null)"),
    ("pages-without-a-cursor", "      cursor: {from: OpenOrdersParamsV5}\n\n  ServerTime", "\n  ServerTime",
     "    page_size: {max: 100", 1, "rest./v5/execution/list.page_size",
     "page_size needs the field 'cursor' in ExecutionListParamsV5"),
    ("window-without-times", "    result: ServerTimeResultV5\n",
     "    result: ServerTimeResultV5\n    time_window_days: 7\n", "    time_window_days: 7\n", 3,
     "rest./v5/market/time.time_window_days",
     "time_window_days needs the field 'startTime' in ServerTimeParamsV5"),
    ("unknown-category", "{linear: [[symbol,", "{futures: [[symbol,", "require_any_for", 1,
     "rest./v5/order/realtime.require_any_for_categories.futures",
     "unknown category 'futures' of OpenOrdersParamsV5; use one of linear, inverse, spot, option"),
    ("unknown-key-in-a-group", "[[symbol, baseCoin, settleCoin]]", "[[symbol, baseCoins]]",
     "require_any_for", 1,
     "rest./v5/order/realtime.require_any_for_categories.linear.require_any[0]",
     "unknown field 'baseCoins'"),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_load_spec_reports_exactly(case: tuple[str, str, str, str, int, str, str]) -> None:
    _, old, new, at, nth, where, message = case
    text = replace_once(REST_TEXT, old, new)
    assert _problems(text) == [f"{FILE}:{line_of(text, at, nth)}: {where}: {message}"]


def test_a_type_may_not_take_a_name_of_the_rest_table() -> None:
    text = replace_once(REST_TEXT, "  ServerTimeParamsV5:\n", "  REST_PATHS:\n")
    text = text.replace("params: ServerTimeParamsV5", "params: REST_PATHS")
    assert _problems(text) == [
        f"{FILE}:{line_of(text, '  REST_PATHS:')}: types.REST_PATHS: "
        "'REST_PATHS' is reserved for the generated module"
    ]


def test_the_table_is_imported_from_its_module() -> None:
    """Like ``tables`` and ``streams``: plain data, not re-exported by the package."""
    import bybit_wsapi_generated

    assert set(rest.__all__).isdisjoint(bybit_wsapi_generated.__all__)
    assert "RestOrderV5" in bybit_wsapi_generated.__all__


def test_the_rest_client_has_a_method_for_each_endpoint() -> None:
    from bybit_wsapi.rest import RestClient

    missing = [name for name in rest.REST_PATHS if not callable(getattr(RestClient, name, None))]
    assert missing == []


_LINES = REST_TEXT.splitlines(keepends=True)


@st.composite
def _mutated_rest(draw: st.DrawFn) -> str:
    lines = list(_LINES)
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["delete", "duplicate", "replace"]))
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif lines[i]:
            at = draw(st.integers(0, len(lines[i]) - 1))
            char = draw(st.sampled_from([*":{}[],-'\"#0 \n", "null", "[]", "{}", "x"]))
            lines[i] = lines[i][:at] + char + lines[i][at + 1 :]
        if not lines:
            break
    return "".join(lines)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mutated_rest())
def test_a_mutated_rest_spec_loads_or_lists_located_problems(text: str) -> None:
    sources = [(SPEC_TEXT, "ws_api.yaml"), (STREAMS_TEXT, "ws_streams.yaml"), (text, FILE)]
    try:
        parse_specs(sources)
    except codegen.InvalidSpecError as exc:
        assert exc.errors
        for problem in exc.errors:
            assert str(problem).startswith(f"{FILE}:"), str(problem)
            assert problem.message
