"""The generated package, at runtime, says exactly what the spec says.

Everything expected here is read from the spec (``codegen.load_spec``) or from the spec's raw
YAML; nothing is copied from the generated files.
"""

from __future__ import annotations

import ast
import inspect
import re
import typing
from collections.abc import Awaitable, Mapping, Sequence
from typing import Any, Literal, NotRequired

import bybit_wsapi_generated as generated
import pytest
import yaml
from bybit_wsapi_generated import envelope, models, operations, streams, subscriptions, tables

import codegen
from codegen.names import CONTROL_OPS, RESERVED_OPS
from codegen.spec import Field, ObjectType, Operation, Spec, TypeRef

from .helpers import GENERATED, REST, SPEC, SPECS, STREAMS

SPEC_MODEL: Spec = codegen.load_spec(*SPECS)
RAW: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
RAW_STREAMS: dict[str, Any] = yaml.safe_load(STREAMS.read_text(encoding="utf-8"))
RAW_REST: dict[str, Any] = yaml.safe_load(REST.read_text(encoding="utf-8"))
for _section in ("enums", "types"):
    RAW[_section] = {**RAW[_section], **RAW_STREAMS[_section], **RAW_REST[_section]}
PRIMITIVES: dict[str, type] = {
    "string": str,
    "decimal": str,
    "integer": int,
    "number": float,
    "boolean": bool,
    "json": Any,
}


def test_the_package_under_test_is_the_repositorys() -> None:
    assert generated.__file__ is not None
    assert (GENERATED / "__init__.py").samefile(generated.__file__)


def test_the_loaded_spec_covers_the_raw_yaml() -> None:
    """The parsed spec the other tests compare with lost nothing of the YAML."""
    assert [e.name for e in SPEC_MODEL.enums] == list(RAW["enums"])
    assert [t.name for t in SPEC_MODEL.types] == list(RAW["types"])
    assert [op.op for op in SPEC_MODEL.operations] == list(RAW["operations"])
    for name, raw in RAW["enums"].items():
        assert SPEC_MODEL.enum(name).values == tuple(raw["values"])
    for name, raw in RAW["types"].items():
        own = list(raw.get("fields") or {})
        fields = [f.name for f in SPEC_MODEL.type(name).fields]
        if "extends" in raw:
            assert set(own) <= set(fields), name
            assert set(raw.get("omit", [])).isdisjoint(fields), name
        else:
            assert fields == own, name


# -- models ---------------------------------------------------------------------------------


def _model(name: str) -> Any:
    return getattr(models, name)


def _hint(ref: TypeRef) -> object:
    """The runtime annotation a field of this type should have."""
    if ref.kind == "primitive":
        return PRIMITIVES[ref.name]
    if ref.kind in ("enum", "object"):
        return _model(ref.name)
    assert ref.kind in ("array", "map") and ref.items is not None
    if ref.kind == "map":
        return dict[str, _hint(ref.items)]  # type: ignore[misc]
    return list[_hint(ref.items)]  # type: ignore[misc]


def _field_hint(f: Field) -> object:
    hint = _hint(f.type)
    if f.placeholders:
        hint = hint | Literal[f.placeholders]  # type: ignore[operator]
    return hint | None if f.nullable else hint  # type: ignore[operator]


@pytest.mark.parametrize("t", SPEC_MODEL.types, ids=lambda t: t.name)
def test_typed_dict_keys_match_the_spec(t: ObjectType) -> None:
    td = _model(t.name)
    assert typing.is_typeddict(td)
    assert td.__required_keys__ == frozenset(f.name for f in t.fields if f.required)
    assert td.__optional_keys__ == frozenset(f.name for f in t.fields if not f.required)
    assert list(td.__annotations__) == [f.name for f in t.fields]


@pytest.mark.parametrize("t", SPEC_MODEL.types, ids=lambda t: t.name)
def test_typed_dict_value_types_match_the_spec(t: ObjectType) -> None:
    hints = typing.get_type_hints(_model(t.name), include_extras=True)
    for f in t.fields:
        expected = _field_hint(f)
        assert hints[f.name] == (expected if f.required else NotRequired[expected]), f.name


@pytest.mark.parametrize("enum", SPEC_MODEL.enums, ids=lambda e: e.name)
def test_enum_literal_values_match_the_spec_in_order(enum: codegen.spec.EnumDef) -> None:
    alias = _model(enum.name)
    assert typing.get_origin(alias) is Literal
    assert typing.get_args(alias) == enum.values
    want = str if enum.kind == "string" else int
    assert all(type(v) is want for v in typing.get_args(alias))


def test_models_define_nothing_the_spec_does_not() -> None:
    # pytest may rewrite the module (it is in a plugin's distribution) and add "@py_…" names
    public = {n for n in vars(models) if n.isidentifier() and not n.startswith("_")}
    imported = {"Any", "Literal", "NotRequired", "TypeAlias", "TypedDict"}
    assert public - imported == {e.name for e in SPEC_MODEL.enums} | {
        t.name for t in SPEC_MODEL.types
    }


# -- envelope -------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["request", "response"])
def test_envelope_frames_match_the_spec(which: str) -> None:
    frame = getattr(SPEC_MODEL, which)
    td = getattr(envelope, frame.name)
    assert td.__required_keys__ == frozenset(f.name for f in frame.fields if f.required)
    assert td.__optional_keys__ == frozenset(f.name for f in frame.fields if not f.required)
    assert list(td.__annotations__) == [f.name for f in frame.fields]
    typevars = {
        "params": "TParams",
        "data": "TData",
        "operation": "TOperation",
        "ret_ext_info": "TRetExtInfo",
    }
    assert [p.__name__ for p in td.__parameters__] == [
        name for generic, name in typevars.items() if generic in frame.generics
    ]


def test_ws_key_map_holds_the_trade_key_and_every_stream() -> None:
    api = RAW["api"]["ws_key"]
    streams = RAW_STREAMS["streams"]
    keys = {a: v for a, v in vars(envelope.WS_KEY_MAP).items() if not a.startswith("_")}
    assert keys == {api["attribute"]: api["value"]} | {a: s["ws_key"] for a, s in streams.items()}
    assert typing.get_args(envelope.WSAPIWsKey) == (api["value"],)
    assert typing.get_args(envelope.StreamWsKey) == tuple(s["ws_key"] for s in streams.values())
    assert envelope.WsKey == envelope.WSAPIWsKey | envelope.StreamWsKey


def test_ws_key_map_has_the_node_sdk_names() -> None:
    """Issue 12: these names and values are fixed (Node's WS_KEY_MAP, PEP 8 attribute names)."""
    assert envelope.WS_KEY_MAP.v5_private_trade == "v5PrivateTrade"
    assert envelope.WS_KEY_MAP.v5_spot_public == "v5SpotPublic"
    assert envelope.WS_KEY_MAP.v5_linear_public == "v5LinearPublic"
    assert envelope.WS_KEY_MAP.v5_inverse_public == "v5InversePublic"
    assert envelope.WS_KEY_MAP.v5_option_public == "v5OptionPublic"
    assert envelope.WS_KEY_MAP.v5_private == "v5Private"


# -- operations -----------------------------------------------------------------------------


def _pascal(op: str) -> str:
    """``order.create-batch`` -> ``OrderCreateBatch``."""
    return "".join(word[0].upper() + word[1:] for word in re.split("[._-]", op))


def test_operation_names_and_methods_match_the_spec() -> None:
    ops = SPEC_MODEL.operations
    assert tuple(op.op for op in ops) == operations.WS_API_OPERATIONS
    assert typing.get_args(operations.WSAPIOperation) == tuple(op.op for op in ops)
    assert dict(operations.WS_API_METHODS) == {op.op: op.method for op in ops}
    assert list(operations.WS_API_METHODS) == [op.op for op in ops]


def test_type_maps_match_the_spec() -> None:
    ops = SPEC_MODEL.operations
    assert dict(operations.WS_API_REQUEST_PARAM_MAP) == {op.op: _model(op.params) for op in ops}
    assert dict(operations.WS_API_RESPONSE_DATA_MAP) == {op.op: _model(op.data) for op in ops}
    assert dict(operations.WS_API_RET_EXT_INFO_MAP) == {
        op.op: _model(op.ret_ext_info) for op in ops
    }


@pytest.mark.parametrize("op", SPEC_MODEL.operations, ids=lambda op: op.op)
def test_response_alias_of_each_operation(op: Operation) -> None:
    alias = getattr(operations, f"{_pascal(op.op)}Response")
    assert typing.get_origin(alias) is envelope.WSAPIResponse
    assert typing.get_args(alias) == (
        _model(op.data),
        Literal[op.op],
        _model(op.ret_ext_info),
    )


@pytest.mark.parametrize("op", SPEC_MODEL.operations, ids=lambda op: op.op)
def test_method_signature_of_each_operation(op: Operation) -> None:
    method = getattr(operations.WSAPIMethods, op.method)
    assert inspect.iscoroutinefunction(method)
    params = SPEC_MODEL.type(op.params)
    signature = inspect.signature(method)
    expected: list[tuple[str, object]] = [("self", inspect.Parameter.empty)]
    if op.method_args:
        for arg, key in op.method_args:
            f = params.field(key)
            assert f is not None
            if f.type.kind == "array" and f.type.items is not None:  # any sequence will do
                expected.append((arg, Sequence[_hint(f.type.items)]))  # type: ignore[misc]
            else:
                expected.append((arg, _hint(f.type)))
    else:
        expected.append(("params", _model(params.name)))
    expected.append(("timeout", float | None))
    assert [(p.name, p.annotation) for p in signature.parameters.values()] == expected
    assert signature.parameters["timeout"].kind is inspect.Parameter.KEYWORD_ONLY
    assert signature.parameters["timeout"].default is None
    assert signature.return_annotation is getattr(operations, f"{_pascal(op.op)}Response")
    assert method.__doc__ is not None
    assert method.__doc__.startswith(op.doc)


class _Recorder(operations.WSAPISender):
    def __init__(self) -> None:
        self.calls: list[tuple[object, ...]] = []

    def _send_ws_api_request(
        self, ws_key: Any, operation: Any, params: Mapping[str, Any], timeout: float | None
    ) -> Awaitable[Any]:
        self.calls.append((ws_key, operation, dict(params), timeout))

        async def reply() -> dict[str, Any]:
            return {"op": operation, "retCode": 0}

        return reply()


class _Client(operations.WSAPIMethods):
    def __init__(self, sender: _Recorder) -> None:
        self.sender = sender

    def get_ws_client(self) -> operations.WSAPISender:
        return self.sender


@pytest.mark.anyio
@pytest.mark.parametrize("op", SPEC_MODEL.operations, ids=lambda op: op.op)
async def test_each_method_sends_its_operation(op: Operation) -> None:
    sender = _Recorder()
    method = getattr(_Client(sender), op.method)
    sent: dict[str, object]
    if op.method_args:
        items = op.batch.items if op.batch else None  # batch items go as a list, from a tuple
        args = {arg: (f"<{key}>",) if key == items else f"<{key}>" for arg, key in op.method_args}
        reply = await method(**args, timeout=2.5)
        sent = {key: [f"<{key}>"] if key == items else f"<{key}>" for _, key in op.method_args}
    else:
        sent = {"marker": object()}
        reply = await method(sent, timeout=2.5)
    assert reply == {"op": op.op, "retCode": 0}
    assert sender.calls == [(RAW["api"]["ws_key"]["value"], op.op, sent, 2.5)]


# -- tables ---------------------------------------------------------------------------------


def _type_rule(ref: TypeRef) -> dict[str, Any]:
    if ref.kind == "primitive":
        return {"type": "any" if ref.name == "json" else ref.name}
    if ref.kind == "enum":
        return {"type": "enum", "values": SPEC_MODEL.enum(ref.name).values}
    if ref.kind == "object":
        return {"type": "object", "object": ref.name}
    if ref.kind == "generic":
        return {"type": "any"}
    assert ref.items is not None
    return {"type": ref.kind, "items": {**_type_rule(ref.items), "required": True}}


def _rule(f: Field) -> dict[str, Any]:
    rule = {**_type_rule(f.type), "required": f.required}
    if f.nullable:
        rule["nullable"] = True
    for key in ("max_length", "pattern", "min_items", "max_items"):
        if getattr(f, key) is not None:
            rule[key] = getattr(f, key)
    if f.required_for_categories:
        rule["required_for_categories"] = f.required_for_categories
    if f.placeholders:
        rule["placeholders"] = f.placeholders
    return rule


def test_object_rules_cover_every_type() -> None:
    assert list(tables.OBJECT_RULES) == [t.name for t in SPEC_MODEL.types]


@pytest.mark.parametrize("t", SPEC_MODEL.types, ids=lambda t: t.name)
def test_object_rules_hold_the_wire_fields_and_their_constraints(t: ObjectType) -> None:
    rule = tables.OBJECT_RULES[t.name]
    wire = [f for f in t.fields if f.source == "wire"]
    assert list(rule["fields"]) == [f.name for f in wire]
    for f in wire:
        assert rule["fields"][f.name] == _rule(f), f.name
    assert rule["require_any"] == t.require_any


def test_constraints_reach_the_tables_from_the_yaml() -> None:
    """Spot checks straight from the raw YAML, including fields copied with ``from:``."""
    raw_symbol = RAW["types"]["OrderParamsV5"]["fields"]["symbol"]
    raw_link = RAW["types"]["OrderParamsV5"]["fields"]["orderLinkId"]
    for name in ("OrderParamsV5", "AmendOrderParamsV5", "CancelOrderParamsV5"):
        symbol = tables.OBJECT_RULES[name]["fields"]["symbol"]
        assert symbol.get("pattern") == raw_symbol["pattern"]
        assert symbol.get("max_length") == raw_symbol["max_length"]
        assert symbol["required"] is True
    link = tables.OBJECT_RULES["OrderParamsV5"]["fields"]["orderLinkId"]
    assert link.get("required_for_categories") == tuple(raw_link["required_for_categories"])
    assert link.get("max_length") == raw_link["max_length"]
    assert "category" not in tables.OBJECT_RULES["BatchOrderParamsV5"]["fields"]
    assert tables.OBJECT_RULES["AmendOrderParamsV5"]["require_any"] == tuple(
        tuple(group) for group in RAW["types"]["AmendOrderParamsV5"]["require_any"]
    )


def test_request_frame_rule_matches_the_spec() -> None:
    rule = tables.REQUEST_FRAME_RULE
    assert list(rule["fields"]) == [f.name for f in SPEC_MODEL.request.fields]
    for f in SPEC_MODEL.request.fields:
        assert rule["fields"][f.name] == _rule(f), f.name
    assert RAW["api"]["path"] == tables.API_PATH
    assert RAW["api"]["category_field"] == tables.CATEGORY_FIELD


def test_client_only_fields_never_reach_the_tables() -> None:
    client_only = {f.name for f in SPEC_MODEL.response.fields if f.source == "client"}
    assert client_only, "the spec marks wsKey and meta as added by the client"
    assert client_only.isdisjoint(tables.REQUEST_FRAME_RULE["fields"])


@pytest.mark.parametrize("op", SPEC_MODEL.operations, ids=lambda op: op.op)
def test_operation_rules_match_the_spec(op: Operation) -> None:
    raw = RAW["operations"][op.op]
    assert tables.OPERATION_RULES[op.op] == {
        "method": raw["method"],
        "params": raw["params"],
        "action": raw.get("action"),
        "batch_items": raw["batch"]["items"] if "batch" in raw else None,
        "batch_max_items": raw["batch"]["max_items"] if "batch" in raw else {},
        "rate_limit": raw.get("rate_limit", {}),
    }


def test_operation_rules_cover_every_operation_in_order() -> None:
    assert list(tables.OPERATION_RULES) == list(RAW["operations"])


def test_the_tables_hold_the_actions_and_control_ops_codegen_checks_the_spec_against() -> None:
    """The runtime's ``wire`` takes these from the tables: one source, codegen's own lists."""
    assert typing.get_args(tables.Action) == codegen.spec.ACTIONS
    ops = {name: getattr(tables, name) for name in dir(tables) if name.startswith("OP_")}
    assert ops == CONTROL_OPS
    assert set(ops.values()) == set(RESERVED_OPS)  # the ops no spec operation may be named


# -- the package as a whole -----------------------------------------------------------------

ALLOWED_IMPORTS = {"typing", "abc", "collections.abc"}


@pytest.mark.parametrize("path", sorted(GENERATED.glob("*.py")), ids=lambda p: p.name)
def test_generated_modules_import_only_the_standard_library(path: Any) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = {alias.name for alias in node.names}
            assert names <= ALLOWED_IMPORTS, f"{path.name}:{node.lineno} imports {names}"
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                assert node.module in ALLOWED_IMPORTS, f"{path.name}:{node.lineno}: {node.module}"
            else:
                assert node.level == 1 and node.module in {
                    "models",
                    "envelope",
                    "operations",
                    "tables",
                    "streams",
                    "rest",
                    "subscriptions",
                }, f"{path.name}:{node.lineno}: relative import {node.module}"
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id not in {"__import__", "exec", "eval"}, path.name


FIXED_PUBLIC_NAMES = {
    "SPEC_SHA256",
    "WS_KEY_MAP",
    "WsKey",
    "WSAPIWsKey",
    "StreamWsKey",
    "Subscription",
    "StreamMethods",
    "WSAPIOperation",
    "WS_API_OPERATIONS",
    "WS_API_METHODS",
    "WS_API_REQUEST_PARAM_MAP",
    "WS_API_RESPONSE_DATA_MAP",
    "WS_API_RET_EXT_INFO_MAP",
    "WSAPISender",
    "WSAPIMethods",
    "WSAPIAnyResponse",
    "WSAPIBatchResponse",
}
"""The call surface every spec gets (see schema/README.md)."""


def test_dunder_all_lists_every_public_name_once_and_sorted() -> None:
    """The spec's names plus the call surface. The validation tables stay internal (import them
    from ``bybit_wsapi_generated.tables``), so ``bybit_wsapi`` does not re-export them."""
    names = generated.__all__
    assert names == sorted(set(names))
    for name in names:
        assert hasattr(generated, name), name
    assert set(names) == (
        {e.name for e in SPEC_MODEL.enums}
        | {t.name for t in SPEC_MODEL.types}
        | {SPEC_MODEL.request.name, SPEC_MODEL.response.name}
        | {f"{_pascal(op.op)}Response" for op in SPEC_MODEL.operations}
        | FIXED_PUBLIC_NAMES
    )
    assert set(tables.__all__).isdisjoint(names)
    assert set(streams.__all__).isdisjoint(names)
    for module in (envelope, operations, subscriptions):
        assert set(module.__all__) <= set(names), module.__name__


def test_bybit_wsapi_re_exports_the_generated_names() -> None:
    import bybit_wsapi

    missing = [n for n in generated.__all__ if n not in bybit_wsapi.__all__]
    assert missing == []
    for name in generated.__all__:
        assert getattr(bybit_wsapi, name) is getattr(generated, name), name
