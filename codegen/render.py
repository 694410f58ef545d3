"""Render the generated package: a mapping of file name to source, nothing written here."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

import jinja2

from .errors import GenerationError
from .ir import Field, Operation, Spec, Topic, TopicVariant, TypeRef
from .models import render_models
from .names import (
    CONTROL_OPS,
    ENVELOPE_NAMES,
    OPERATION_NAMES,
    REST_NAMES,
    STREAM_NAMES,
    SUBSCRIPTION_NAMES,
    SYNC_OPERATION_NAMES,
    SYNC_SUBSCRIPTION_NAMES,
    TABLE_NAMES,
    response_alias_name,
)
from .operations import ACTIONS
from .pytext import (
    LINE_LENGTH,
    annotation,
    docstring,
    doctext,
    literal,
    literal_or_never,
    py_type,
    type_params,
)
from .surface import stream_method
from .topics import PUSH_KINDS

__all__ = ["GENERATED_MARKER", "PINNED_TOOLS", "header_line", "render_package"]

GENERATED_MARKER = "# Generated from "
"""Every generated file starts with this."""
PINNED_TOOLS = ("datamodel-code-generator", "jinja2", "ruff")
"""Tools whose version shapes the output; each must match its exact pin in pyproject.toml."""
TEMPLATES = {
    "envelope.py": "envelope.py.jinja",
    "operations.py": "operations.py.jinja",
    "sync_operations.py": "sync_operations.py.jinja",
    "tables.py": "tables.py.jinja",
    "streams.py": "streams.py.jinja",
    "rest.py": "rest.py.jinja",
    "subscriptions.py": "subscriptions.py.jinja",
    "sync_subscriptions.py": "sync_subscriptions.py.jinja",
    "__init__.py": "__init__.py.jinja",
}
"""Each generated module written by a template (``models.py`` comes from :mod:`.models`)."""


INTERNAL = ("tables", "streams", "rest")
"""Modules of plain-data tables: imported from their module, not re-exported by the package."""


def header_line(spec: Spec) -> str:
    """The first line of every generated file."""
    return (
        f"{GENERATED_MARKER}{spec.file_name} (sha256 {spec.sha256}) by codegen."
        " DO NOT EDIT: change the spec or codegen/templates, then run `make generate`."
    )


def response_alias(op: Operation) -> str:
    """``order.create-batch`` -> ``OrderCreateBatchResponse``."""
    return response_alias_name(op.op)


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
    if f.placeholders:
        rule["placeholders"] = f.placeholders
    return rule


def variant_values(topic: Topic, variant: TopicVariant, spec: Spec) -> dict[str, Any]:
    """The allowed values of each parameter of a variant: its own list, else its enum's."""
    values: dict[str, Any] = {}
    for p in topic.params:
        allowed = variant.allowed(p.name) or (spec.enum(p.enum).values if p.enum else ())
        if allowed:
            values[p.name] = allowed
    return values


def _type_rule(ref: TypeRef, spec: Spec) -> dict[str, Any]:
    if ref.kind == "primitive":
        return {"type": "any" if ref.name == "json" else ref.name}
    if ref.kind == "enum":
        return {"type": "enum", "values": spec.enum(ref.name).values}
    if ref.kind == "object":
        return {"type": "object", "object": ref.name}
    if ref.kind in ("array", "map"):
        assert ref.items is not None
        return {"type": ref.kind, "items": {**_type_rule(ref.items, spec), "required": True}}
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
        literal=literal,
        literal_or_never=literal_or_never,
        py_type=py_type,
        pyrepr=repr,
        response_alias=response_alias,
    )
    env.globals.update(
        field_rule=field_rule,
        method_params=method_params,
        params_expr=params_expr,
        type_params=type_params,
        variant_values=variant_values,
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


def format_sources(sources: Mapping[str, str]) -> dict[str, str]:
    """Format every module with the pinned ruff (one run), so output never depends on PATH."""
    with tempfile.TemporaryDirectory(prefix="codegen-") as folder:
        for name, source in sources.items():
            (Path(folder) / name).write_text(source, encoding="utf-8", newline="\n")
        command = [
            sys.executable, "-m", "ruff", "format", "--isolated", "--quiet", "--no-cache",
            f"--line-length={LINE_LENGTH}", "--target-version=py311", folder,
        ]  # fmt: skip
        try:
            done = subprocess.run(command, capture_output=True, text=True, check=False)
        except OSError as exc:
            raise GenerationError(f"cannot run ruff: {exc}") from exc
        if done.returncode != 0:
            raise GenerationError(
                f"ruff could not format the generated modules: {done.stderr.strip()}"
            )
        return {name: (Path(folder) / name).read_text(encoding="utf-8") for name in sources}


def _named_types(refs: Iterable[TypeRef]) -> list[str]:
    """Sorted names of the enums and object types among ``refs`` (looking into arrays)."""
    names: set[str] = set()
    for ref in refs:
        inner = ref
        while inner.kind in ("array", "map") and inner.items is not None:
            inner = inner.items
        if inner.kind in ("enum", "object"):
            names.add(inner.name)
    return sorted(names)


def _operation_imports(spec: Spec, *, results: bool = True) -> list[str]:
    """Model names the operation surface needs: params, method argument types, and (with
    ``results``) the reply types."""
    names = {op.params for op in spec.operations}
    if results:
        names.update(n for op in spec.operations for n in (op.data, op.ret_ext_info))
    for op in spec.operations:
        params = spec.type(op.params)
        names.update(
            _named_types(f.type for f in params.fields if f.name in dict(op.method_args).values())
        )
    return sorted(names)


def _subscription_imports(spec: Spec) -> list[str]:
    names = {m for t in spec.topics for m in t.messages}
    names.update(p.enum for t in spec.topics for p in t.params if p.enum)
    return sorted(names)


def render_package(spec: Spec) -> Mapping[str, str]:
    """Every file of the generated package, formatted: ``{file name: contents}``."""
    header = header_line(spec)
    env = _environment()
    exports = {
        "envelope": [*ENVELOPE_NAMES, spec.request.name, spec.response.name],
        "models": [e.name for e in spec.enums] + [t.name for t in spec.types],
        "operations": [*OPERATION_NAMES, *(response_alias(op) for op in spec.operations)],
        "tables": list(TABLE_NAMES),
        "streams": list(STREAM_NAMES),
        "rest": list(REST_NAMES),
        "subscriptions": list(SUBSCRIPTION_NAMES),
    }
    context = {
        "spec": spec,
        "header": header,
        "exports": exports,
        "all_names": sorted(
            [
                "SPEC_SHA256",
                *(n for m, names in exports.items() if m not in INTERNAL for n in names),
            ]
        ),
        "envelope_imports": _named_types(
            f.type for frame in (spec.request, spec.response) for f in frame.fields
        ),
        "operation_imports": _operation_imports(spec),
        "sync_imports": _operation_imports(spec, results=False),
        "sync_names": list(SYNC_OPERATION_NAMES),
        "sync_subscription_names": list(SYNC_SUBSCRIPTION_NAMES),
        "subscription_imports": _subscription_imports(spec),
        "rest_imports": sorted(
            {e.result for e in spec.rest}
            | {e.params for e in spec.rest if spec.type(e.params).fields}
        ),
        "stream_methods": [stream_method(t, spec) for t in spec.topics],
        "push_kinds": [k for kinds in PUSH_KINDS.values() for k in kinds],
        "actions": ACTIONS,
        "control_ops": CONTROL_OPS,
        "dict": dict,
    }
    files = {"models.py": render_models(spec, header)}
    files.update({name: env.get_template(t).render(context) for name, t in TEMPLATES.items()})
    result = format_sources(files)
    result["py.typed"] = ""
    return dict(sorted(result.items()))
