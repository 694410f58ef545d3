"""Render the generated package: a mapping of file name to source, nothing written here."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import tomllib
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

import jinja2

from .models import GenerationError, render_models
from .spec import ACTIONS, Field, Operation, Spec, TypeRef, response_alias_name

__all__ = ["GENERATED_MARKER", "PINNED_TOOLS", "header_line", "render_package"]

GENERATED_MARKER = "# Generated from "
"""Every generated file starts with this."""
PINNED_TOOLS = ("datamodel-code-generator", "jinja2", "ruff")
"""Tools whose version shapes the output; each must match its exact pin in pyproject.toml."""
LINE_LENGTH = 100
OPERATION_NAMES = (
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
)
"""Fixed names defined by the operations template."""
TABLE_NAMES = (
    "API_PATH",
    "CATEGORY_FIELD",
    "FieldRule",
    "OBJECT_RULES",
    "ObjectRule",
    "OPERATION_RULES",
    "OperationRule",
    "REQUEST_FRAME_RULE",
)
"""Names defined by the tables template."""
_PY_PRIMITIVES = {
    "string": "str",
    "decimal": "str",
    "integer": "int",
    "number": "float",
    "boolean": "bool",
}
_TYPEVARS = {
    "params": "TParams",
    "data": "TData",
    "operation": "TOperation",
    "ret_ext_info": "TRetExtInfo",
}
"""Type parameter of each generic, in the order they appear in ``Frame[...]``."""


def header_line(spec: Spec) -> str:
    """The first line of every generated file."""
    return (
        f"{GENERATED_MARKER}{spec.file_name} (sha256 {spec.sha256}) by codegen."
        " DO NOT EDIT: change the spec or codegen/templates, then run `make generate`."
    )


def py_type(ref: TypeRef) -> str:
    """The Python annotation of a field type."""
    if ref.kind == "primitive":
        return _PY_PRIMITIVES[ref.name]
    if ref.kind == "array":
        assert ref.items is not None
        return f"list[{py_type(ref.items)}]"
    if ref.kind == "generic":
        return _TYPEVARS[ref.name]
    return ref.name


def annotation(f: Field) -> str:
    """The annotation of a TypedDict key, ``NotRequired`` when optional."""
    text = py_type(f.type) + (" | None" if f.nullable else "")
    return text if f.required else f"NotRequired[{text}]"


def type_params(generics: tuple[str, ...]) -> list[str]:
    """TypeVar names of a frame, in the canonical order (params, data, operation, ret_ext_info)."""
    return [tv for g, tv in _TYPEVARS.items() if g in generics]


def response_alias(op: Operation) -> str:
    """``order.create-batch`` -> ``OrderCreateBatchResponse``."""
    return response_alias_name(op.op)


def docstring(text: str, indent: int = 0) -> str:
    """A triple-quoted docstring of ``text``, wrapped to the line length, safe for any text.

    Paragraphs are separated by blank lines; the first line sits right after the quotes.
    """
    pad = " " * indent
    body = text.strip().replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if body.startswith('"'):
        body = "\\" + body
    if body.endswith('"'):
        body = body[:-1] + '\\"'
    if "\n" not in body and len(pad) + len(body) + 6 <= LINE_LENGTH:
        return f'"""{body}"""'
    lines: list[str] = []
    for paragraph in body.split("\n\n"):
        lines.extend(
            textwrap.wrap(
                paragraph, LINE_LENGTH - indent - 3, break_long_words=False, break_on_hyphens=False
            )
        )
        lines.append("")
    lines[-1] = '"""'
    return '"""' + "\n".join(
        [lines[0], *(f"{pad}{line}" if line else "" for line in lines[1:-1]), pad + lines[-1]]
    )


def doctext(text: str) -> str:
    """``text`` made safe inside a docstring (no escapes, no closing quotes), on one line."""
    return " ".join(text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').split())


def method_params(op: Operation, spec: Spec) -> str:
    """The parameter list of an operation's method, after ``self``."""
    params = spec.type(op.params)
    if not op.method_args:
        return f"params: {op.params}"
    parts = []
    for arg, key in op.method_args:
        f = params.field(key)
        assert f is not None
        if f.type.kind == "array":  # any sequence will do; params_expr makes it a list
            assert f.type.items is not None
            parts.append(f"{arg}: Sequence[{py_type(f.type.items)}]")
        else:
            parts.append(f"{arg}: {py_type(f.type)}")
    return ", ".join(parts)


def params_expr(op: Operation) -> str:
    """The expression that builds the params object inside an operation's method."""
    if not op.method_args:
        return "params"
    items = op.batch.items if op.batch else None
    return (
        "{"
        + ", ".join(
            f'"{key}": {f"list({arg})" if key == items else arg}' for arg, key in op.method_args
        )
        + "}"
    )


def field_rule(f: Field, spec: Spec) -> dict[str, Any]:
    """A field as data for the runtime validator (see the ``tables`` template)."""
    rule = _type_rule(f.type, spec)
    rule["required"] = f.required
    if f.nullable:
        rule["nullable"] = True
    for key in ("max_length", "pattern", "min_items", "max_items"):
        value = getattr(f, key)
        if value is not None:
            rule[key] = value
    if f.required_for_categories:
        rule["required_for_categories"] = f.required_for_categories
    return rule


def _type_rule(ref: TypeRef, spec: Spec) -> dict[str, Any]:
    if ref.kind == "primitive":
        return {"type": ref.name}
    if ref.kind == "enum":
        return {"type": "enum", "values": spec.enum(ref.name).values}
    if ref.kind == "object":
        return {"type": "object", "object": ref.name}
    if ref.kind == "array":
        assert ref.items is not None
        return {"type": "array", "items": {**_type_rule(ref.items, spec), "required": True}}
    return {"type": "any"}


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters.update(
        annotation=annotation,
        docstring=docstring,
        doctext=doctext,
        py_type=py_type,
        pyrepr=repr,
        response_alias=response_alias,
    )
    env.globals.update(
        field_rule=field_rule,
        method_params=method_params,
        params_expr=params_expr,
        type_params=type_params,
    )
    return env


def check_tool_versions(pyproject: Path) -> None:
    """Fail unless every tool in :data:`PINNED_TOOLS` is installed at its exact pin.

    Raises:
        GenerationError: naming the tool, both versions and the install command.
    """
    try:
        project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
        requirements = [r for reqs in project["optional-dependencies"].values() for r in reqs]
    except (OSError, KeyError, ValueError) as exc:
        raise GenerationError(f"cannot read the tool pins from {pyproject}: {exc}") from exc
    for tool in PINNED_TOOLS:
        pin = next(
            (r.split("==", 1)[1] for r in requirements if r.lower().startswith(f"{tool}==")), None
        )
        if pin is None:
            raise GenerationError(f"{pyproject} does not pin {tool} exactly ({tool}==X.Y.Z)")
        try:
            installed = metadata.version(tool)
        except metadata.PackageNotFoundError:
            installed = "not installed"
        if installed != pin:
            raise GenerationError(
                f"{tool} {installed} found, but the generated code is pinned to {tool}=={pin}: "
                "run `pip install -e '.[codegen]'` (or `make venv`) first"
            )


def format_source(source: str, name: str) -> str:
    """Format with the pinned ruff, so output never depends on what is on PATH."""
    command = [
        sys.executable, "-m", "ruff", "format", "--isolated", "--quiet",
        f"--line-length={LINE_LENGTH}", "--target-version=py311", f"--stdin-filename={name}", "-",
    ]  # fmt: skip
    try:
        done = subprocess.run(command, input=source, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise GenerationError(f"cannot run ruff: {exc}") from exc
    if done.returncode != 0:
        raise GenerationError(f"ruff could not format {name}: {done.stderr.strip()}")
    return done.stdout


def _named_types(refs: Iterable[TypeRef]) -> list[str]:
    """Sorted names of the enums and object types among ``refs`` (looking into arrays)."""
    names: set[str] = set()
    for ref in refs:
        inner = ref
        while inner.kind == "array" and inner.items is not None:
            inner = inner.items
        if inner.kind in ("enum", "object"):
            names.add(inner.name)
    return sorted(names)


def _operation_imports(spec: Spec) -> list[str]:
    names = {n for op in spec.operations for n in (op.params, op.data, op.ret_ext_info)}
    for op in spec.operations:
        params = spec.type(op.params)
        names.update(
            _named_types(f.type for f in params.fields if f.name in dict(op.method_args).values())
        )
    return sorted(names)


def render_package(spec: Spec) -> Mapping[str, str]:
    """Every file of the generated package, formatted: ``{file name: contents}``."""
    header = header_line(spec)
    env = _environment()
    exports = {
        "envelope": ["WS_KEY_MAP", "WsKey", spec.request.name, spec.response.name],
        "models": [e.name for e in spec.enums] + [t.name for t in spec.types],
        "operations": [
            *OPERATION_NAMES,
            *(response_alias(op) for op in spec.operations),
        ],
    }
    context = {
        "spec": spec,
        "header": header,
        "exports": {**exports, "tables": list(TABLE_NAMES)},
        "all_names": sorted(["SPEC_SHA256", *(n for names in exports.values() for n in names)]),
        "envelope_imports": _named_types(
            f.type for frame in (spec.request, spec.response) for f in frame.fields
        ),
        "operation_imports": _operation_imports(spec),
        "actions": ACTIONS,
        "dict": dict,
    }
    files = {
        "models.py": render_models(spec, header),
        "envelope.py": env.get_template("envelope.py.jinja").render(context),
        "operations.py": env.get_template("operations.py.jinja").render(context),
        "tables.py": env.get_template("tables.py.jinja").render(context),
        "__init__.py": env.get_template("__init__.py.jinja").render(context),
    }
    result = {name: format_source(source, name) for name, source in files.items()}
    result["py.typed"] = ""
    return dict(sorted(result.items()))
