"""The spec as frozen dataclasses, loaded from YAML and validated.

:func:`load_spec` checks everything the generator and the local server rely on and reports every
problem at once, each with the file, the line and the path inside the spec. The format itself is
documented in ``schema/README.md``.
"""

from __future__ import annotations

import difflib
import hashlib
import keyword
import re
from collections.abc import Container, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from .errors import InvalidSpecError, SpecProblem
from .source import YamlMap, load_yaml

__all__ = [
    "ACTIONS",
    "GENERICS",
    "PRIMITIVES",
    "Batch",
    "EnumDef",
    "Field",
    "Frame",
    "ObjectType",
    "Operation",
    "Spec",
    "TypeRef",
    "load_spec",
    "parse_spec",
    "response_alias_name",
]

FORMAT_VERSION = 1
PRIMITIVES = ("string", "decimal", "integer", "number", "boolean")
"""Field types: ``decimal`` is a number sent as a JSON string (prices, quantities)."""
GENERICS = ("operation", "params", "data", "ret_ext_info")
"""Type parameters the envelope frames may use."""
ACTIONS = ("create", "amend", "cancel")
"""What an operation does to orders; the local server simulates these."""
RESERVED_OPS = ("auth", "ping", "pong")
RESERVED_METHODS = ("get_ws_client", "send_ws_api_request")
RESERVED_NAMES = (
    "WSAPIOperation",
    "WS_API_OPERATIONS",
    "WS_API_METHODS",
    "WS_API_REQUEST_PARAM_MAP",
    "WS_API_RESPONSE_DATA_MAP",
    "WS_API_RET_EXT_INFO_MAP",
    "WS_KEY_MAP",
    "WsKey",
    "WSAPISender",
    "WSAPIMethods",
    "SPEC_SHA256",
    # defined by the tables module (all of them land in the package namespace)
    "API_PATH",
    "CATEGORY_FIELD",
    "FieldRule",
    "OBJECT_RULES",
    "ObjectRule",
    "OPERATION_RULES",
    "OperationRule",
    "REQUEST_FRAME_RULE",
    # imported or defined next to the spec's names in the generated modules
    "ABC",
    "Any",
    "Awaitable",
    "Final",
    "Generic",
    "Literal",
    "Mapping",
    "NotRequired",
    "Required",
    "TypeAlias",
    "TypedDict",
    "TypeVar",
    "TData",
    "TOperation",
    "TParams",
    "TRetExtInfo",
)
"""Names the generated package defines or imports itself; a spec type or enum may not take them."""
_OP_RE = re.compile(r"^[a-z][a-z0-9]*([._-][a-z0-9]+)*$")
_METHOD_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_TYPE_NAME_RE = re.compile(r"^[A-Z][A-Za-z0-9_]*$")
_FIELD_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class TypeRef:
    """The type of a field."""

    kind: Literal["primitive", "enum", "object", "array", "generic"]
    name: str = ""
    """Primitive name, enum or object type name, or generic parameter; empty for arrays."""
    items: TypeRef | None = None
    """Item type of an array."""


@dataclass(frozen=True)
class Field:
    """One key of an object type."""

    name: str
    type: TypeRef
    description: str
    required: bool = False
    nullable: bool = False
    max_length: int | None = None
    pattern: str | None = None
    min_items: int | None = None
    max_items: int | None = None
    required_for_categories: tuple[str, ...] = ()
    """The key is required when the request's category is one of these."""
    source: Literal["wire", "client"] = "wire"
    """``client``: added by the SDK to what it returns, never sent on the wire."""


@dataclass(frozen=True)
class EnumDef:
    """A named set of allowed values, rendered as a ``Literal`` alias."""

    name: str
    description: str
    kind: Literal["string", "integer"]
    values: tuple[str | int, ...]


@dataclass(frozen=True)
class ObjectType:
    """A named object, rendered as a ``TypedDict``."""

    name: str
    description: str
    fields: tuple[Field, ...]
    require_any: tuple[tuple[str, ...], ...] = ()
    """Groups of keys of which at least one must be present."""

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


@dataclass(frozen=True)
class Frame:
    """A generic envelope frame (request or response)."""

    name: str
    description: str
    fields: tuple[Field, ...]

    @property
    def generics(self) -> tuple[str, ...]:
        """The type parameters the frame uses, in field order."""
        found: list[str] = []
        for f in self.fields:
            ref: TypeRef | None = f.type
            while ref is not None:
                if ref.kind == "generic" and ref.name not in found:
                    found.append(ref.name)
                ref = ref.items
        return tuple(found)


@dataclass(frozen=True)
class Batch:
    """How a batch operation carries its items."""

    items: str
    """The params key holding the list of items."""
    max_items: tuple[tuple[str, int], ...]
    """Item cap per category (``default`` for any other)."""


@dataclass(frozen=True)
class Operation:
    """One WS API operation."""

    op: str
    method: str
    doc: str
    params: str
    data: str
    ret_ext_info: str
    action: str | None = None
    method_args: tuple[tuple[str, str], ...] = ()
    """Python argument name -> params key; empty when the method takes the params object."""
    batch: Batch | None = None
    rate_limit: tuple[tuple[str, int], ...] = ()
    """Requests per second per category (``default`` for any other)."""


@dataclass(frozen=True)
class Spec:
    """A validated spec."""

    file_name: str
    sha256: str
    title: str
    path: str
    ws_key_attribute: str
    ws_key_value: str
    category_field: str
    enums: tuple[EnumDef, ...]
    types: tuple[ObjectType, ...]
    request: Frame
    response: Frame
    operations: tuple[Operation, ...]
    _index: dict[str, EnumDef | ObjectType] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._index.update({e.name: e for e in self.enums})
        self._index.update({t.name: t for t in self.types})

    def enum(self, name: str) -> EnumDef:
        found = self._index[name]
        assert isinstance(found, EnumDef)
        return found

    def type(self, name: str) -> ObjectType:
        found = self._index[name]
        assert isinstance(found, ObjectType)
        return found


def load_spec(path: str | Path) -> Spec:
    """Read and validate the spec at ``path``.

    Raises:
        InvalidSpecError: with every problem found; nothing is partially loaded.
    """
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise InvalidSpecError(
            [SpecProblem(name, "", f"cannot read the spec: {exc.strerror}")]
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidSpecError(
            [SpecProblem(name, "", f"not UTF-8 text ({exc.reason} at byte {exc.start})")]
        ) from None
    return parse_spec(text, name)


def parse_spec(text: str, file: str) -> Spec:
    """Validate spec ``text``; ``file`` names it in error messages."""
    data = load_yaml(text, file)
    checker = _Checker(file, hashlib.sha256(text.encode("utf-8")).hexdigest())
    spec = checker.check(data)
    if checker.errors or spec is None:
        raise InvalidSpecError(checker.errors)
    return spec


def _did_you_mean(name: str, candidates: Iterable[str]) -> str:
    names = list(candidates)
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    if not close:
        # A spec name is often a word with a prefix and suffix around it: 'Sides' -> 'OrderSideV5'.
        stem = name.lower().removesuffix("s")
        if len(stem) >= 3:
            containing = [c for c in names if stem in c.lower()]
            ratio = {
                c: difflib.SequenceMatcher(None, name.lower(), c.lower()).ratio()
                for c in containing
            }
            close = sorted(containing, key=lambda c: -ratio[c])[:1]
    return f" (did you mean '{close[0]}'?)" if close else ""


def response_alias_name(op: str) -> str:
    """The generated alias of an operation's reply: ``order.create-batch`` -> ``OrderCreateBatchResponse``."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[._-]", op)) + "Response"


class _Checker:
    """Walks the raw YAML values, collecting errors instead of stopping at the first."""

    def __init__(self, file: str, sha256: str) -> None:
        self.file = file
        self.sha256 = sha256
        self.errors: list[SpecProblem] = []
        self.enums: dict[str, EnumDef] = {}
        self.raw_types: dict[str, tuple[YamlMap, str]] = {}
        self.types: dict[str, ObjectType | None] = {}
        self.resolving: list[str] = []
        self.invalid: set[str] = set()
        """Enums and types that are declared but have errors: references to them are not errors."""
        self.frame_names: set[str] = set()

    # -- helpers -------------------------------------------------------------------------------

    def error(
        self, path: str, message: str, where: YamlMap | None = None, key: str | None = None
    ) -> None:
        line = None
        if where is not None:
            line = where.key_lines.get(key, where.line) if key is not None else where.line
        self.errors.append(SpecProblem(self.file, path, message, line))

    def mapping(
        self, value: Any, path: str, parent: YamlMap | None, key: str | None
    ) -> YamlMap | None:
        if isinstance(value, YamlMap):
            return value
        self.error(path, f"expected a mapping, got {_describe(value)}", parent, key)
        return None

    def keys(self, m: YamlMap, path: str, required: Iterable[str], optional: Iterable[str]) -> bool:
        """Check that ``m`` has every required key and nothing unknown."""
        required = tuple(required)
        allowed = (*required, *optional)
        ok = True
        for k in m:
            if k not in allowed:
                hint = _did_you_mean(k, allowed)
                self.error(
                    _join(path, k), f"unknown key '{k}'{hint}; allowed: {', '.join(allowed)}", m, k
                )
                ok = False
        for k in required:
            if k not in m:
                self.error(path, f"missing key '{k}'", m)
                ok = False
        return ok

    def text(self, m: YamlMap, key: str, path: str, *, required: bool = True) -> str | None:
        if key not in m:
            if required:
                self.error(path, f"missing key '{key}'", m)
            return None
        value = m[key]
        if not isinstance(value, str) or not value.strip():
            self.error(
                _join(path, key), f"expected a non-empty string, got {_describe(value)}", m, key
            )
            return None
        return value.strip()

    def integer(self, m: YamlMap, key: str, path: str, minimum: int) -> int | None:
        value = m.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.error(
                _join(path, key),
                f"expected an integer >= {minimum}, got {_describe(value)}",
                m,
                key,
            )
            return None
        return value

    def flag(self, m: YamlMap, key: str, path: str) -> bool:
        value = m.get(key, False)
        if not isinstance(value, bool):
            self.error(_join(path, key), f"expected true or false, got {_describe(value)}", m, key)
            return False
        return value

    def name_list(self, value: Any, path: str, parent: YamlMap, key: str) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(path, f"expected a list of names, got {_describe(value)}", parent, key)
            return []
        return list(value)

    # -- top level -----------------------------------------------------------------------------

    def check(self, data: Any) -> Spec | None:
        root = self.mapping(data, "", None, None)
        if root is None:
            return None
        if not self.keys(
            root, "", ("format", "api", "enums", "types", "envelope", "operations"), ()
        ):
            return None
        if isinstance(root["format"], bool) or root["format"] != FORMAT_VERSION:
            self.error(
                "format",
                f"unsupported format {root['format']!r}; this generator reads {FORMAT_VERSION}",
                root,
                "format",
            )
            return None
        api = self.check_api(root)
        self.check_enums(root)
        self.collect_types(root)
        for name in self.raw_types:
            self.resolve_type(name)
        request, response = self.check_envelope(root)
        operations = self.check_operations(root, api[3] if api else None)
        if self.errors or api is None or request is None or response is None:
            return None
        types = tuple(t for t in self.types.values() if t is not None)
        return Spec(
            file_name=Path(self.file).name,
            sha256=self.sha256,
            title=api[0],
            path=api[1],
            ws_key_attribute=api[2][0],
            ws_key_value=api[2][1],
            category_field=api[3],
            enums=tuple(self.enums.values()),
            types=types,
            request=request,
            response=response,
            operations=operations,
        )

    def check_api(self, root: YamlMap) -> tuple[str, str, tuple[str, str], str] | None:
        api = self.mapping(root["api"], "api", root, "api")
        if api is None or not self.keys(
            api, "api", ("title", "path", "ws_key", "category_field"), ()
        ):
            return None
        title = self.text(api, "title", "api")
        path = self.text(api, "path", "api")
        category_field = self.text(api, "category_field", "api")
        ws_key = self.mapping(api["ws_key"], "api.ws_key", api, "ws_key")
        key: tuple[str, str] | None = None
        if ws_key is not None and self.keys(ws_key, "api.ws_key", ("attribute", "value"), ()):
            attribute = self.text(ws_key, "attribute", "api.ws_key")
            value = self.text(ws_key, "value", "api.ws_key")
            if attribute is not None and not _is_identifier(attribute):
                self.error(
                    "api.ws_key.attribute",
                    f"'{attribute}' is not a Python identifier",
                    ws_key,
                    "attribute",
                )
            elif attribute is not None and value is not None:
                key = (attribute, value)
        if path is not None and not path.startswith("/"):
            self.error("api.path", f"'{path}' must start with '/'", api, "path")
        if title is None or path is None or key is None or category_field is None:
            return None
        return title, path, key, category_field

    # -- enums ---------------------------------------------------------------------------------

    def check_enums(self, root: YamlMap) -> None:
        enums = self.mapping(root["enums"], "enums", root, "enums")
        if enums is None:
            return
        for name, raw in enums.items():
            path = f"enums.{name}"
            self.invalid.add(name)  # until it has passed every check below
            if not self.check_type_name(name, path, enums):
                continue
            m = self.mapping(raw, path, enums, name)
            if m is None or not self.keys(m, path, ("values", "description"), ("type",)):
                continue
            description = self.text(m, "description", path)
            kind = m.get("type", "string")
            if kind not in ("string", "integer"):
                self.error(
                    f"{path}.type",
                    f"enum type must be 'string' or 'integer', got {_describe(kind)}",
                    m,
                    "type",
                )
                continue
            values = m["values"]
            if not isinstance(values, list) or not values:
                self.error(
                    f"{path}.values",
                    f"expected a non-empty list, got {_describe(values)}",
                    m,
                    "values",
                )
                continue
            want: type = str if kind == "string" else int
            bad = [v for v in values if isinstance(v, bool) or not isinstance(v, want)]
            if bad:
                self.error(
                    f"{path}.values",
                    f'{_describe(bad[0])} is not a {kind} value (quote values such as "1" or "on")',
                    m,
                    "values",
                )
                continue
            dupes = sorted({str(v) for v in values if values.count(v) > 1})
            if dupes:
                self.error(f"{path}.values", f"duplicate value(s): {', '.join(dupes)}", m, "values")
                continue
            if description is not None:
                self.enums[name] = EnumDef(name, description, kind, tuple(values))
                self.invalid.discard(name)

    def check_type_name(self, name: str, path: str, parent: YamlMap) -> bool:
        if not _TYPE_NAME_RE.match(name) or keyword.iskeyword(name):
            self.error(
                path, f"'{name}' is not a valid type name (PascalCase identifier)", parent, name
            )
            return False
        if name in RESERVED_NAMES:
            self.error(path, f"'{name}' is reserved for the generated module", parent, name)
            return False
        return True

    # -- object types --------------------------------------------------------------------------

    def collect_types(self, root: YamlMap) -> None:
        types = self.mapping(root["types"], "types", root, "types")
        if types is None:
            return
        for name, raw in types.items():
            path = f"types.{name}"
            if name not in self.enums:
                self.invalid.add(name)  # until it is collected below
            if not self.check_type_name(name, path, types):
                continue
            if name in self.enums:
                self.error(path, f"'{name}' is already an enum", types, name)
                continue
            m = self.mapping(raw, path, types, name)
            if m is not None and self.keys(
                m, path, ("description",), ("extends", "omit", "fields", "require_any")
            ):
                self.raw_types[name] = (m, path)
                self.invalid.discard(name)

    def resolve_type(self, name: str) -> ObjectType | None:
        """Resolve ``extends``/``omit``/``from`` into a flat field list (memoised)."""
        if name in self.types:
            return self.types[name]
        if name in self.resolving:
            cycle = " -> ".join([*self.resolving[self.resolving.index(name) :], name])
            m, path = self.raw_types[name]
            self.error(path, f"circular type definition: {cycle}", m)
            self.types[name] = None
            return None
        self.resolving.append(name)
        try:
            result = self._resolve_type(name)
        finally:
            self.resolving.pop()
        self.types[name] = result
        return result

    def _resolve_type(self, name: str) -> ObjectType | None:
        m, path = self.raw_types[name]
        description = self.text(m, "description", path)
        fields: dict[str, Field] = {}
        failed: set[str] = set()  # fields with errors of their own: they exist for require_any
        ok = description is not None
        base: ObjectType | None = None
        if "extends" in m:
            base = self.lookup_type(m["extends"], f"{path}.extends", m, "extends")
            if base is None:
                ok = False
            else:
                fields.update((f.name, f) for f in base.fields)
        if "omit" in m:
            if "extends" not in m:
                self.error(f"{path}.omit", "'omit' needs 'extends'", m, "omit")
                ok = False
            for omitted in self.name_list(m["omit"], f"{path}.omit", m, "omit"):
                if base is not None and omitted not in fields:
                    self.error(
                        f"{path}.omit",
                        f"'{omitted}' is not a field of {m['extends']}{_did_you_mean(omitted, fields)}",
                        m,
                        "omit",
                    )
                    ok = False
                fields.pop(omitted, None)
        raw_fields = m.get("fields")
        fm = (
            YamlMap(m.line)
            if raw_fields is None
            else self.mapping(raw_fields, f"{path}.fields", m, "fields")
        )
        if fm is None:
            return None
        for field_name, raw_field in fm.items():
            parsed = self.check_field(
                field_name, raw_field, f"{path}.fields.{field_name}", fm, allow_generic=False
            )
            if parsed is None:
                ok = False
                failed.add(field_name)
            else:
                fields[field_name] = parsed
        # Without its base the type's fields are unknown: do not report require_any against them.
        known = None if "extends" in m and base is None else {*fields, *failed}
        require_any = self.check_require_any(m, path, known)
        if not ok or require_any is None or description is None:
            return None
        return ObjectType(name, description, tuple(fields.values()), require_any)

    def check_require_any(
        self, m: YamlMap, path: str, fields: Container[str] | None
    ) -> tuple[tuple[str, ...], ...] | None:
        """The ``require_any`` groups; ``fields`` is ``None`` when the type's fields are unknown."""
        raw = m.get("require_any", [])
        if not isinstance(raw, list):
            self.error(
                f"{path}.require_any",
                f"expected a list of lists of field names, got {_describe(raw)}",
                m,
                "require_any",
            )
            return None
        groups: list[tuple[str, ...]] = []
        for i, group in enumerate(raw):
            before = len(self.errors)
            names = self.name_list(group, f"{path}.require_any[{i}]", m, "require_any")
            if len(self.errors) > before:
                return None
            missing = [n for n in names if fields is not None and n not in fields]
            if len(names) < 2 or missing:
                what = (
                    f"unknown field '{missing[0]}'"
                    if missing
                    else "a group needs at least two fields"
                )
                self.error(f"{path}.require_any[{i}]", what, m, "require_any")
                return None
            groups.append(tuple(names))
        return tuple(groups)

    def lookup_type(self, name: Any, path: str, parent: YamlMap, key: str) -> ObjectType | None:
        if not isinstance(name, str):
            self.error(path, f"expected a type name, got {_describe(name)}", parent, key)
            return None
        if name in self.enums:
            self.error(
                path,
                f"'{name}' is an enum, not an object type (use 'enum: {name}' on a field)",
                parent,
                key,
            )
            return None
        if name in self.invalid:
            return None
        if name not in self.raw_types:
            self.error(
                path,
                f"dangling reference '{name}': no such type{_did_you_mean(name, self.raw_types)}",
                parent,
                key,
            )
            return None
        return self.resolve_type(name)

    def check_field(
        self, name: str, raw: Any, path: str, parent: YamlMap, *, allow_generic: bool
    ) -> Field | None:
        if not _FIELD_NAME_RE.match(name) or keyword.iskeyword(name):
            self.error(path, f"'{name}' is not a valid field name", parent, name)
            return None
        m = self.mapping(raw, path, parent, name)
        if m is None:
            return None
        kinds = ("type", "enum", "ref", "array", "generic", "from")
        constraint_keys = (
            "required", "nullable", "description", "max_length", "pattern",
            "min_items", "max_items", "required_for_categories", "source",
        )  # fmt: skip
        if not self.keys(m, path, (), (*kinds, *constraint_keys)):
            return None
        given = [k for k in kinds if k in m]
        if len(given) != 1:
            self.error(
                path,
                f"give exactly one of {', '.join(kinds)} (got {', '.join(given) or 'none'})",
                m,
            )
            return None
        if given[0] == "from":
            base = self.lookup_type(m["from"], f"{path}.from", m, "from")
            inherited = None if base is None else base.field(name)
            if base is not None and inherited is None:
                self.error(f"{path}.from", f"{base.name} has no field '{name}'", m, "from")
            if inherited is None:
                return None
            return self.apply_constraints(inherited, m, path)
        ref = self.check_type_ref(m, given[0], path, allow_generic)
        description = self.text(m, "description", path)
        if ref is None or description is None:
            return None
        return self.apply_constraints(Field(name, ref, description), m, path)

    def check_type_ref(
        self, m: YamlMap, kind: str, path: str, allow_generic: bool
    ) -> TypeRef | None:
        value = m[kind]
        sub = f"{path}.{kind}"
        if kind == "array":
            items = self.mapping(value, sub, m, kind)
            if items is None:
                return None
            item_kinds = ("type", "enum", "ref", "array", "generic")
            if not self.keys(items, sub, (), item_kinds):
                return None
            given = [k for k in item_kinds if k in items]
            if len(given) != 1:
                self.error(sub, f"give exactly one of {', '.join(item_kinds)}", items)
                return None
            inner = self.check_type_ref(items, given[0], sub, allow_generic)
            return None if inner is None else TypeRef("array", items=inner)
        if not isinstance(value, str):
            self.error(sub, f"expected a name, got {_describe(value)}", m, kind)
            return None
        if kind == "type":
            if value not in PRIMITIVES:
                hint = _did_you_mean(value, PRIMITIVES)
                self.error(
                    sub,
                    f"unknown type '{value}'{hint}; use one of {', '.join(PRIMITIVES)}, or enum:/ref:/array:",
                    m,
                    kind,
                )
                return None
            return TypeRef("primitive", value)
        if kind == "enum":
            if value in self.invalid:
                return None
            if value not in self.enums:
                extra = (
                    " (it is an object type: use ref:)"
                    if value in self.raw_types
                    else _did_you_mean(value, self.enums)
                )
                self.error(sub, f"unknown enum '{value}'{extra}", m, kind)
                return None
            return TypeRef("enum", value)
        if kind == "ref":
            return (
                None if self.lookup_type(value, sub, m, kind) is None else TypeRef("object", value)
            )
        if not allow_generic:
            self.error(sub, "generic: is only allowed in the envelope", m, kind)
            return None
        if value not in GENERICS:
            self.error(sub, f"unknown generic '{value}'; use one of {', '.join(GENERICS)}", m, kind)
            return None
        return TypeRef("generic", value)

    def apply_constraints(self, f: Field, m: YamlMap, path: str) -> Field | None:
        changes: dict[str, Any] = {}
        for key in ("required", "nullable"):
            if key in m:
                changes[key] = self.flag(m, key, path)
        if "description" in m:
            changes["description"] = self.text(m, "description", path)
        base_kind = f.type.name if f.type.kind == "primitive" else f.type.kind
        for key, minimum in (("max_length", 1), ("min_items", 0), ("max_items", 1)):
            if key not in m:
                continue
            allowed_kind = ("string", "decimal") if key == "max_length" else ("array",)
            if base_kind not in allowed_kind:
                self.error(
                    f"{path}.{key}",
                    f"{key} applies only to {' or '.join(allowed_kind)} fields",
                    m,
                    key,
                )
                return None
            changes[key] = self.integer(m, key, path, minimum)
        if "pattern" in m:
            pattern = self.text(m, "pattern", path)
            if base_kind != "string":
                self.error(f"{path}.pattern", "pattern applies only to string fields", m, "pattern")
                return None
            try:
                re.compile(pattern or "")
            except re.error as exc:
                self.error(f"{path}.pattern", f"invalid regular expression: {exc}", m, "pattern")
                return None
            changes["pattern"] = pattern
        if "required_for_categories" in m:
            names = self.name_list(
                m["required_for_categories"],
                f"{path}.required_for_categories",
                m,
                "required_for_categories",
            )
            changes["required_for_categories"] = tuple(names)
        if "source" in m:
            source = m["source"]
            if source not in ("wire", "client"):
                self.error(
                    f"{path}.source",
                    f"source must be 'wire' or 'client', got {_describe(source)}",
                    m,
                    "source",
                )
                return None
            changes["source"] = source
        if any(v is None for k, v in changes.items() if k in ("description",)):
            return None
        return replace(f, **changes)

    # -- envelope ------------------------------------------------------------------------------

    def check_envelope(self, root: YamlMap) -> tuple[Frame | None, Frame | None]:
        env = self.mapping(root["envelope"], "envelope", root, "envelope")
        if env is None or not self.keys(env, "envelope", ("request", "response"), ()):
            return None, None
        return self.check_frame(env, "request"), self.check_frame(env, "response")

    def check_frame(self, env: YamlMap, which: str) -> Frame | None:
        path = f"envelope.{which}"
        m = self.mapping(env[which], path, env, which)
        if m is None or not self.keys(m, path, ("name", "description", "fields"), ()):
            return None
        name = self.text(m, "name", path)
        description = self.text(m, "description", path)
        fm = self.mapping(m["fields"], f"{path}.fields", m, "fields")
        if name is None or description is None or fm is None:
            return None
        if (
            not self.check_type_name(name, f"{path}.name", m)
            or name in self.raw_types
            or name in self.enums
        ):
            if name in self.raw_types or name in self.enums:
                self.error(
                    f"{path}.name", f"'{name}' is already defined under types or enums", m, "name"
                )
            return None
        self.frame_names.add(name)
        fields = [
            self.check_field(n, raw, f"{path}.fields.{n}", fm, allow_generic=True)
            for n, raw in fm.items()
        ]
        if any(f is None for f in fields):
            return None
        frame = Frame(name, description, tuple(f for f in fields if f is not None))
        for required in (
            ("operation", "params") if which == "request" else ("operation", "data", "ret_ext_info")
        ):
            if required not in frame.generics:
                self.error(
                    f"{path}.fields", f"the {which} frame must use 'generic: {required}'", fm
                )
                return None
        return frame

    # -- operations ----------------------------------------------------------------------------

    def check_operations(self, root: YamlMap, category_field: str | None) -> tuple[Operation, ...]:
        ops = self.mapping(root["operations"], "operations", root, "operations")
        if ops is None:
            return ()
        if not ops:
            self.error("operations", "the spec defines no operations", root, "operations")
        result: list[Operation] = []
        methods: dict[str, str] = {}
        aliases: dict[str, str] = {}  # generated reply alias -> its operation
        for op, raw in ops.items():
            path = f"operations.{op}"
            if not _OP_RE.match(op) or op in RESERVED_OPS:
                why = (
                    "is reserved by the protocol"
                    if op in RESERVED_OPS
                    else "is not a valid operation name (e.g. order.create)"
                )
                self.error(path, f"'{op}' {why}", ops, op)
                continue
            alias = response_alias_name(op)
            taken = self.alias_owner(alias, aliases)
            if taken is not None:
                self.error(
                    path,
                    f"its reply alias '{alias}' is already taken by {taken}; rename one of them",
                    ops,
                    op,
                )
                continue
            aliases[alias] = op
            m = self.mapping(raw, path, ops, op)
            if m is None:
                continue
            required = ("method", "doc", "params", "data", "ret_ext_info")
            if not self.keys(m, path, required, ("action", "method_args", "batch", "rate_limit")):
                continue
            operation = self.check_operation(op, m, path, category_field)
            if operation is None:
                continue
            if operation.method in methods:
                self.error(
                    f"{path}.method",
                    f"duplicate method name '{operation.method}' (already used by {methods[operation.method]})",
                    m,
                    "method",
                )
                continue
            methods[operation.method] = op
            result.append(operation)
        return tuple(result)

    def alias_owner(self, alias: str, aliases: Mapping[str, str]) -> str | None:
        """What already uses the name ``alias`` in the generated package, if anything."""
        if alias in aliases:
            return f"operation '{aliases[alias]}'"
        if alias in self.raw_types or alias in self.enums or alias in self.invalid:
            return "a type or enum"
        if alias in self.frame_names:
            return "an envelope frame"
        if alias in RESERVED_NAMES:
            return "the generated module"
        return None

    def check_operation(
        self, op: str, m: YamlMap, path: str, category_field: str | None
    ) -> Operation | None:
        method = m["method"]
        if not isinstance(method, str) or not _METHOD_RE.match(method) or keyword.iskeyword(method):
            self.error(
                f"{path}.method",
                f"{_describe(method)} is not a valid method name (a snake_case Python identifier)",
                m,
                "method",
            )
            return None
        if method in RESERVED_METHODS:
            self.error(
                f"{path}.method", f"'{method}' is reserved by the generated base class", m, "method"
            )
            return None
        doc = self.text(m, "doc", path)
        params, data, ext = (
            self.lookup_type(m[k], f"{path}.{k}", m, k) for k in ("params", "data", "ret_ext_info")
        )
        action = m.get("action")
        if action is not None and action not in ACTIONS:
            self.error(
                f"{path}.action",
                f"unknown action {_describe(action)}; use one of {', '.join(ACTIONS)}",
                m,
                "action",
            )
            return None
        if doc is None or params is None or data is None or ext is None:
            return None
        categories = self.categories(params, category_field)
        method_args = self.check_method_args(m, path, params)
        batch = self.check_batch(m, path, params, categories)
        rate_limit = self.check_per_category(m, "rate_limit", path, categories)
        for f in params.fields:
            self.check_category_list(f, params, path, categories, m)
        if method_args is None or rate_limit is None or ("batch" in m and batch is None):
            return None
        return Operation(
            op,
            method,
            doc,
            params.name,
            data.name,
            ext.name,
            action,
            method_args,
            batch,
            rate_limit,
        )

    def categories(self, params: ObjectType, category_field: str | None) -> tuple[str, ...]:
        f = params.field(category_field) if category_field else None
        if f is None or f.type.kind != "enum":
            return ()
        return tuple(str(v) for v in self.enums[f.type.name].values)

    def check_category_list(
        self, f: Field, t: ObjectType, path: str, categories: tuple[str, ...], m: YamlMap
    ) -> None:
        for sub in _nested_fields(f, self.types):
            unknown = [c for c in sub.required_for_categories if c not in categories]
            if unknown:
                self.error(
                    f"{path}.params",
                    f"{sub.name}.required_for_categories: unknown category '{unknown[0]}'",
                    m,
                    "params",
                )

    def check_method_args(
        self, m: YamlMap, path: str, params: ObjectType
    ) -> tuple[tuple[str, str], ...] | None:
        if "method_args" not in m:
            return ()
        args = self.mapping(m["method_args"], f"{path}.method_args", m, "method_args")
        if args is None:
            return None
        result: list[tuple[str, str]] = []
        for arg, target in args.items():
            if not _METHOD_RE.match(arg) or keyword.iskeyword(arg) or arg in ("self", "timeout"):
                self.error(
                    f"{path}.method_args.{arg}", f"'{arg}' is not a usable argument name", args, arg
                )
                return None
            if not isinstance(target, str) or params.field(target) is None:
                self.error(
                    f"{path}.method_args.{arg}",
                    f"{_describe(target)} is not a field of {params.name}",
                    args,
                    arg,
                )
                return None
            result.append((arg, target))
        covered = {t for _, t in result}
        missing = [f.name for f in params.fields if f.required and f.name not in covered]
        if missing:
            self.error(
                f"{path}.method_args",
                f"required field '{missing[0]}' of {params.name} has no argument",
                m,
                "method_args",
            )
            return None
        return tuple(result)

    def check_batch(
        self, m: YamlMap, path: str, params: ObjectType, categories: tuple[str, ...]
    ) -> Batch | None:
        if "batch" not in m:
            return None
        bm = self.mapping(m["batch"], f"{path}.batch", m, "batch")
        if bm is None or not self.keys(bm, f"{path}.batch", ("items", "max_items"), ()):
            return None
        items = bm["items"]
        f = params.field(items) if isinstance(items, str) else None
        if (
            f is None
            or f.type.kind != "array"
            or f.type.items is None
            or f.type.items.kind != "object"
        ):
            self.error(
                f"{path}.batch.items",
                f"{_describe(items)} is not a list-of-objects field of {params.name}",
                bm,
                "items",
            )
            return None
        caps = self.check_per_category(bm, "max_items", f"{path}.batch", categories)
        return None if caps is None else Batch(items, caps)

    def check_per_category(
        self, m: YamlMap, key: str, path: str, categories: tuple[str, ...]
    ) -> tuple[tuple[str, int], ...] | None:
        if key not in m:
            return ()
        sub = f"{path}.{key}"
        pm = self.mapping(m[key], sub, m, key)
        if pm is None:
            return None
        allowed = (*categories, "default")
        result: list[tuple[str, int]] = []
        for category, value in pm.items():
            if category not in allowed:
                self.error(
                    f"{sub}.{category}",
                    f"unknown category '{category}'; use one of {', '.join(allowed)}",
                    pm,
                    category,
                )
                return None
            number = self.integer(pm, category, sub, 1)
            if number is None:
                if value is None:
                    self.error(f"{sub}.{category}", "expected an integer >= 1", pm, category)
                return None
            result.append((category, number))
        return tuple(result)


def _nested_fields(f: Field, types: Mapping[str, ObjectType | None]) -> Iterator[Field]:
    """``f`` and, for a list of objects, the fields of its items."""
    yield f
    ref = f.type.items if f.type.kind == "array" else None
    item_type = types.get(ref.name) if ref is not None and ref.kind == "object" else None
    if item_type is not None:
        yield from item_type.fields


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _is_identifier(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name)


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, YamlMap):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{type(value).__name__} {value!r}"
