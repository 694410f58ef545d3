"""The add-an-operation workflow of schema/README.md, end to end on a copy of the spec.

Add types and an operation to the YAML, regenerate into a temporary package, and the new method,
overload, alias and tables exist at runtime and type-check, with nothing hand-written changed.
"""

from __future__ import annotations

import hashlib
import importlib
from pathlib import Path
from typing import Any

import pytest

import codegen
from codegen.output import compare_package

from .helpers import (
    GENERATED,
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
  CancelAllOrdersParamsV5:
    description: "Parameters of order.cancel-all: a category and, optionally, one symbol."
    fields:
      category: {enum: CategoryV5, required: true, description: Product type.}
      symbol: {from: OrderParamsV5, required: false}

  CancelAllOrdersResultV5:
    description: data of order.cancel-all.
    fields:
      list: {array: {ref: OrderResultV5}, required: true, description: The cancelled orders.}

"""

NEW_OPERATION = """
  order.cancel-all:
    method: cancel_all_orders
    doc: Cancel every open order of a category, or of one symbol.
    params: CancelAllOrdersParamsV5
    data: CancelAllOrdersResultV5
    ret_ext_info: EmptyRetExtInfoV5
"""

CASE = '''\
"""The new operation, through its method and through send_ws_api_request."""

from typing import Literal, assert_type

from bybit_wsapi_generated import (
    WS_KEY_MAP,
    CancelAllOrdersResultV5,
    EmptyRetExtInfoV5,
    OrderCancelAllResponse,
    OrderCancelResponse,
    WSAPIMethods,
    WSAPISender,
)
from bybit_wsapi_generated.sync_operations import WSAPISyncMethods, WSAPISyncSender


async def new_method(client: WSAPIMethods) -> None:
    r = await client.cancel_all_orders({"category": "linear"})
    assert_type(r, OrderCancelAllResponse)
    assert_type(r["data"], CancelAllOrdersResultV5)
    assert_type(r["data"]["list"][0]["orderId"], str)
    assert_type(r["op"], Literal["order.cancel-all"])
    assert_type(r["retExtInfo"], EmptyRetExtInfoV5)
    assert_type(r["meta"]["serverTimeMs"], int | None)
    one = await client.cancel_all_orders({"category": "spot", "symbol": "BTCUSDT"}, timeout=1.0)
    assert_type(one, OrderCancelAllResponse)
    await client.cancel_all_orders({"category": "futures"})  # type: ignore[typeddict-item]
    await client.cancel_all_orders({"category": "spot", "side": "Buy"})  # type: ignore[typeddict-unknown-key]


async def new_overload(ws: WSAPISender) -> None:
    r = await ws.send_ws_api_request(
        WS_KEY_MAP.v5_private_trade, "order.cancel-all", {"category": "inverse"}
    )
    assert_type(r, OrderCancelAllResponse)
    assert_type(r["data"]["list"][0]["orderLinkId"], str)
    old = await ws.send_ws_api_request(
        WS_KEY_MAP.v5_private_trade,
        "order.cancel",
        {"category": "linear", "symbol": "BTCUSDT", "orderId": "1"},
    )
    assert_type(old, OrderCancelResponse)
    await ws.send_ws_api_request(  # type: ignore[call-overload]
        WS_KEY_MAP.v5_private_trade, "order.cancel-all", {"symbol": "BTCUSDT"}
    )


def new_sync_method(client: WSAPISyncMethods, ws: WSAPISyncSender) -> None:
    r = client.cancel_all_orders({"category": "linear"}, timeout=1.0)
    assert_type(r, OrderCancelAllResponse)
    sent = ws.send_ws_api_request(WS_KEY_MAP.v5_private_trade, "order.cancel-all", {"category": "spot"})
    assert_type(sent, OrderCancelAllResponse)
    client.cancel_all_orders({"category": "futures"})  # type: ignore[typeddict-item]
'''


def _probe(pkg: Path) -> dict[str, Any]:
    """What the new package holds at runtime, imported under another name."""
    with imported(pkg, "added_operation") as g:
        return {
            "file": g.__file__,
            "sha256": g.SPEC_SHA256,
            "methods": dict(g.WS_API_METHODS),
            "operations": list(g.WS_API_OPERATIONS),
            "has_method": callable(getattr(g.WSAPIMethods, "cancel_all_orders", None)),
            "has_sync_method": callable(
                getattr(
                    importlib.import_module(f"{g.__name__}.sync_operations").WSAPISyncMethods,
                    "cancel_all_orders",
                    None,
                )
            ),
            "alias": str(g.OrderCancelAllResponse),
            "required": sorted(g.CancelAllOrdersParamsV5.__required_keys__),
            "optional": sorted(g.CancelAllOrdersParamsV5.__optional_keys__),
            "params": g.WS_API_REQUEST_PARAM_MAP["order.cancel-all"].__name__,
            "data": g.WS_API_RESPONSE_DATA_MAP["order.cancel-all"].__name__,
            "rule": g.tables.OPERATION_RULES["order.cancel-all"],
            "symbol_rule": g.tables.OBJECT_RULES["CancelAllOrdersParamsV5"]["fields"]["symbol"],
        }


@pytest.fixture(scope="module")
def workflow(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Edit a copy of the spec, regenerate into a temporary package, then check and import it."""
    base = tmp_path_factory.mktemp("add-operation")
    text = replace_once(SPEC_TEXT, "\ntypes:\n", "\ntypes:\n" + NEW_TYPES)
    assert text.rstrip().endswith("rate_limit: {linear: 10, inverse: 10, option: 10, spot: 20}")
    specs = write_specs(base / "spec", text.rstrip("\n") + "\n" + NEW_OPERATION, STREAMS_TEXT)
    pkg = base / "pkg" / "bybit_wsapi_generated"
    repo_before = snapshot(GENERATED)

    generated = run_cli(*specs, "--out", str(pkg))
    assert generated.returncode == 0, generated.stderr
    files = codegen.build(*specs[1::2])
    return {
        "base": base,
        "spec": base / "spec",
        "pkg": pkg,
        "checks": {"new": compare_package(files, pkg), "repo": compare_package(files, GENERATED)},
        "runtime": _probe(pkg),
        "repo_unchanged": snapshot(GENERATED) == repo_before,
    }


def test_the_new_package_is_what_was_imported(workflow: dict[str, Any]) -> None:
    runtime = workflow["runtime"]
    assert isinstance(runtime, dict)
    pkg = workflow["pkg"]
    assert isinstance(pkg, Path)
    assert Path(runtime["file"]).samefile(pkg / "__init__.py")
    spec = workflow["spec"]
    assert isinstance(spec, Path)
    files = [spec / "ws_api.yaml", spec / "ws_streams.yaml"]
    assert runtime["sha256"] == hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest()


def test_runtime_has_the_new_operation(workflow: dict[str, Any]) -> None:
    runtime = workflow["runtime"]
    assert isinstance(runtime, dict)
    assert runtime["operations"][-1] == "order.cancel-all"
    assert runtime["methods"]["order.cancel-all"] == "cancel_all_orders"
    assert len(runtime["methods"]) == len(runtime["operations"]) == 7
    assert runtime["has_method"] is True
    assert runtime["has_sync_method"] is True
    assert runtime["alias"].endswith(
        "WSAPIResponse[added_operation.models.CancelAllOrdersResultV5, "
        "typing.Literal['order.cancel-all'], added_operation.models.EmptyRetExtInfoV5]"
    )
    assert runtime["required"] == ["category"]
    assert runtime["optional"] == ["symbol"]
    assert (runtime["params"], runtime["data"]) == (
        "CancelAllOrdersParamsV5",
        "CancelAllOrdersResultV5",
    )


def test_tables_describe_the_new_operation(workflow: dict[str, Any]) -> None:
    runtime = workflow["runtime"]
    assert isinstance(runtime, dict)
    assert runtime["rule"] == {
        "method": "cancel_all_orders",
        "params": "CancelAllOrdersParamsV5",
        "action": None,
        "batch_items": None,
        "batch_max_items": {},
        "rate_limit": {},
    }
    # copied with from: (pattern and max_length included), but optional here
    assert runtime["symbol_rule"] == {
        "type": "string",
        "required": False,
        "max_length": 64,
        "pattern": "^[A-Z0-9][A-Z0-9-]*$",
    }


def test_the_new_package_matches_and_the_repositorys_is_stale(workflow: dict[str, Any]) -> None:
    checks = workflow["checks"]
    assert checks["new"] == []
    assert checks["repo"] == [
        f"{GENERATED / p.name}: differs from what the spec generates"
        for p in sorted(GENERATED.glob("*.py"))
    ]
    assert workflow["repo_unchanged"] is True


def test_the_new_operation_type_checks(
    workflow: dict[str, Any], tmp_path: Path, mypy_cache: Path
) -> None:
    out, status = mypy_strict(CASE, workflow["pkg"], tmp_path, mypy_cache)
    assert status == 0, out
    assert "no issues found in 1 source file" in out, out


def test_the_case_would_fail_against_the_repositorys_package(
    tmp_path: Path, mypy_cache: Path
) -> None:
    """The control: the same case does not type-check without the new operation."""
    out, status = mypy_strict(CASE, GENERATED, tmp_path, mypy_cache)
    assert status == 1
    assert 'Module "bybit_wsapi_generated" has no attribute "OrderCancelAllResponse"' in out
