"""The add-a-REST-endpoint workflow of schema/README.md, end to end on a copy of the spec.

Add the query and result types and a ``rest:`` entry to ``rest_api.yaml``, regenerate into a
temporary package, and the endpoint table, the ``RestPath``/``RestMethod`` literals and the
typed models exist at runtime and type-check, with nothing hand-written changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args

import pytest

from .helpers import (
    GENERATED,
    REST_TEXT,
    SPEC_TEXT,
    STREAMS_TEXT,
    imported,
    replace_once,
    run_cli,
    snapshot,
    write_specs,
)
from .typecheck import mypy_strict

NEW_TYPES = """\
  PositionListParamsV5:
    description: Query of GET /v5/position/list.
    fields:
      category: {enum: CategoryV5, required: true, description: Product type.}
      symbol: {from: OpenOrdersParamsV5}
      settleCoin: {from: OpenOrdersParamsV5}
      limit: {type: integer, description: Page size.}
      cursor: {from: OpenOrdersParamsV5}

  PositionListResultV5:
    description: result of position/list.
    fields:
      category: {from: OrderListResultV5}
      list: {array: {ref: PositionV5}, required: true, description: The positions.}
      nextPageCursor: {from: OrderListResultV5}

"""

NEW_ENDPOINT = """
  /v5/position/list:
    http_method: GET
    method: get_positions
    doc: Positions of one category.
    access: private
    params: PositionListParamsV5
    result: PositionListResultV5
    page_size: {max: 200, default: 20}
    rate_limit: 50
    require_any_for_categories: {linear: [[symbol, settleCoin]]}
"""

CASE = '''\
"""The new endpoint: its table entry, literals and models."""

from typing import assert_type

from bybit_wsapi_generated import PositionListParamsV5, PositionListResultV5, PositionV5
from bybit_wsapi_generated.rest import REST_ENDPOINTS, REST_PATHS, RestPath, RestQueries


async def new_method(rest: RestQueries) -> None:
    assert_type(await rest.get_positions(category="linear", symbol="X"), PositionListResultV5)
    await rest.get_positions(category="linear", orderId="1")  # type: ignore[call-arg]


def new_endpoint(page: PositionListResultV5) -> None:
    assert_type(REST_PATHS["get_positions"], RestPath)
    assert_type(REST_ENDPOINTS["/v5/position/list"]["page_max"], int | None)
    assert_type(page["list"], list[PositionV5])
    ok: PositionListParamsV5 = {"category": "linear", "settleCoin": "USDT", "limit": 200}
    bad: PositionListParamsV5 = {"category": "futures"}  # type: ignore[typeddict-item]
    odd: PositionListParamsV5 = {"category": "linear", "orderId": "1"}  # type: ignore[typeddict-unknown-key]
    REST_PATHS["get_position"]  # type: ignore[index]
'''


@pytest.fixture(scope="module")
def workflow(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("add-rest-endpoint")
    rest = replace_once(REST_TEXT, "\ntypes:\n", "\ntypes:\n" + NEW_TYPES)
    rest = replace_once(rest, "\nrest:\n", "\nrest:\n" + NEW_ENDPOINT)
    specs = write_specs(base / "spec", SPEC_TEXT, STREAMS_TEXT, rest)
    pkg = base / "pkg" / "bybit_wsapi_generated"
    repo_before = snapshot(GENERATED)
    generated = run_cli(*specs, "--out", str(pkg))
    assert generated.returncode == 0, generated.stderr
    with imported(pkg, "added_rest") as g:
        runtime = {
            "paths": list(g.rest.REST_ENDPOINTS),
            "literal": list(get_args(g.rest.RestPath)),
            "methods": list(get_args(g.rest.RestMethod)),
            "rule": g.rest.REST_ENDPOINTS["/v5/position/list"],
            "route": g.rest.REST_PATHS["get_positions"],
            "object_rule": sorted(g.tables.OBJECT_RULES["PositionListParamsV5"]["fields"]),
            "required": sorted(g.PositionListParamsV5.__required_keys__),
            "exported": "PositionListResultV5" in g.__all__,
            "has_method": callable(getattr(g.rest.RestQueries, "get_positions", None)),
        }
    return {"pkg": pkg, "runtime": runtime, "repo_unchanged": snapshot(GENERATED) == repo_before}


def test_the_table_holds_the_new_endpoint(workflow: dict[str, Any]) -> None:
    runtime = workflow["runtime"]
    assert runtime["paths"][0] == "/v5/position/list"
    assert runtime["literal"] == runtime["paths"]
    assert runtime["methods"][0] == "get_positions"
    assert runtime["rule"] == {
        "http_method": "GET",
        "method": "get_positions",
        "access": "private",
        "params": "PositionListParamsV5",
        "result": "PositionListResultV5",
        "page_max": 200,
        "page_default": 20,
        "rate_limit": 50,
        "time_window_days": None,
        "require_any_for_categories": {"linear": (("symbol", "settleCoin"),)},
    }
    assert runtime["route"] == "/v5/position/list"
    assert runtime["object_rule"] == ["category", "cursor", "limit", "settleCoin", "symbol"]
    assert runtime["required"] == ["category"]
    assert runtime["exported"] is True
    assert runtime["has_method"] is True
    assert workflow["repo_unchanged"] is True


def test_the_new_endpoint_type_checks(
    workflow: dict[str, Any], tmp_path: Path, mypy_cache: Path
) -> None:
    out, status = mypy_strict(CASE, workflow["pkg"], tmp_path, mypy_cache)
    assert status == 0, out
    assert "no issues found in 1 source file" in out, out


def test_the_case_would_fail_against_the_repositorys_package(
    tmp_path: Path, mypy_cache: Path
) -> None:
    """The control: without the new endpoint the same case does not type-check."""
    out, status = mypy_strict(CASE, GENERATED, tmp_path, mypy_cache)
    assert status == 1
    assert 'Module "bybit_wsapi_generated" has no attribute "PositionListParamsV5"' in out
