"""Enums and object types -> TypedDict source, through datamodel-code-generator.

The spec is handed over as an in-memory OpenAPI document (``components/schemas`` only, so no
junk root model appears); every warning the library emits is treated as an error.
"""

from __future__ import annotations

import warnings
from typing import Any

from datamodel_code_generator import InputFileType, LiteralType, PythonVersion, generate
from datamodel_code_generator.enums import DataModelType
from datamodel_code_generator.format import Formatter

from .errors import GenerationError
from .ir import Field, Spec, TypeRef

__all__ = ["GenerationError", "render_models", "to_openapi"]

_SCHEMA_TYPES = {
    "string": "string",
    "decimal": "string",
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
}


def to_openapi(spec: Spec) -> dict[str, Any]:
    """The spec's enums and object types as an OpenAPI 3.1 document."""
    schemas: dict[str, Any] = {}
    for enum in spec.enums:
        schemas[enum.name] = {
            "type": enum.kind,
            "enum": list(enum.values),
            "description": enum.description,
        }
    for obj in spec.types:
        schemas[obj.name] = {
            "type": "object",
            "description": obj.description,
            "additionalProperties": False,
            "required": [f.name for f in obj.fields if f.required],
            "properties": {f.name: _field_schema(f) for f in obj.fields},
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": spec.title, "version": str(1)},
        "paths": {},
        "components": {"schemas": schemas},
    }


def _type_schema(ref: TypeRef) -> dict[str, Any]:
    if ref.kind == "primitive":
        return {"type": _SCHEMA_TYPES[ref.name]} if ref.name in _SCHEMA_TYPES else {}
    if ref.kind in ("enum", "object"):
        return {"$ref": f"#/components/schemas/{ref.name}"}
    if ref.kind == "array" and ref.items is not None:
        return {"type": "array", "items": _type_schema(ref.items)}
    if ref.kind == "map" and ref.items is not None:
        return {"type": "object", "additionalProperties": _type_schema(ref.items)}
    raise GenerationError(f"type {ref} cannot appear in a model")


def _field_schema(f: Field) -> dict[str, Any]:
    schema = _type_schema(f.type)
    if f.placeholders:
        kind = "integer" if isinstance(f.placeholders[0], int) else "string"
        schema = {"anyOf": [schema, {"type": kind, "enum": list(f.placeholders)}]}
    if f.nullable:
        schema = {"anyOf": [schema, {"type": "null"}]}
    schema["description"] = f.description
    return schema


def render_models(spec: Spec, header: str) -> str:
    """Python source of every enum (``Literal`` alias) and object type (``TypedDict``)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            source = generate(
                to_openapi(spec),
                input_file_type=InputFileType.OpenAPI,
                output_model_type=DataModelType.TypingTypedDict,
                target_python_version=PythonVersion.PY_311,
                enum_field_as_literal=LiteralType.All,
                use_standard_collections=True,
                use_union_operator=True,
                use_double_quotes=True,
                disable_timestamp=True,
                disable_future_imports=True,
                use_closed_typed_dict=False,
                strict_refs=True,
                use_field_description=True,
                use_schema_description=True,
                keep_model_order=True,
                formatters=[Formatter.BUILTIN],
                custom_file_header=header,
            )
    except Exception as exc:  # the library raises many unrelated types; report them uniformly
        raise GenerationError(
            f"datamodel-code-generator failed: {type(exc).__name__}: {exc}"
        ) from exc
    if not isinstance(source, str):
        raise GenerationError("datamodel-code-generator returned several modules; expected one")
    return source
