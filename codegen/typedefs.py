"""Checks of object types and their fields: the ``types:`` section (and envelope fields)."""

from __future__ import annotations

import keyword
import re
from collections.abc import Container
from dataclasses import replace
from typing import Any

from .checks import describe, did_you_mean
from .enums import EnumChecks
from .ir import Field, ObjectType, TypeRef
from .source import YamlMap

__all__ = ["PRIMITIVES", "TypeChecks"]

PRIMITIVES = ("string", "decimal", "integer", "number", "boolean", "json")
"""Field types: ``decimal`` is a number sent as a JSON string (prices, quantities)."""
GENERICS = ("operation", "params", "data", "ret_ext_info")
"""Type parameters the envelope frames may use."""
_FIELD_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


class TypeChecks(EnumChecks):
    """Object types, resolved into flat field lists, and the fields they hold."""

    def __init__(self, file: str) -> None:
        super().__init__(file)
        self.resolving: list[str] = []

    # -- object types --------------------------------------------------------------------------

    def collect_types(self, root: YamlMap) -> None:
        types = self.mapping(root["types"], "types", root, "types")
        if types is None:
            return
        for name, raw in types.items():
            path = f"types.{name}"
            if self.defined_elsewhere(name, path, types):
                continue
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
                self.defined_in[name] = self.file
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
                        f"'{omitted}' is not a field of {m['extends']}{did_you_mean(omitted, fields)}",
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
                f"expected a list of lists of field names, got {describe(raw)}",
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
            self.error(path, f"expected a type name, got {describe(name)}", parent, key)
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
                f"dangling reference '{name}': no such type{did_you_mean(name, self.raw_types)}",
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
        kinds = ("type", "enum", "ref", "array", "map", "generic", "from")
        constraint_keys = (
            "required", "nullable", "description", "max_length", "pattern",
            "min_items", "max_items", "required_for_categories", "source", "placeholders",
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
        if kind in ("array", "map"):
            items = self.mapping(value, sub, m, kind)
            if items is None:
                return None
            item_kinds = ("type", "enum", "ref", "array", "map", "generic")
            if not self.keys(items, sub, (), item_kinds):
                return None
            given = [k for k in item_kinds if k in items]
            if len(given) != 1:
                self.error(sub, f"give exactly one of {', '.join(item_kinds)}", items)
                return None
            inner = self.check_type_ref(items, given[0], sub, allow_generic)
            return (
                None
                if inner is None
                else TypeRef("array" if kind == "array" else "map", items=inner)
            )
        if not isinstance(value, str):
            self.error(sub, f"expected a name, got {describe(value)}", m, kind)
            return None
        if kind == "type":
            if value not in PRIMITIVES:
                hint = did_you_mean(value, PRIMITIVES)
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
                    else did_you_mean(value, self.enums)
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
                    f"source must be 'wire' or 'client', got {describe(source)}",
                    m,
                    "source",
                )
                return None
            changes["source"] = source
        if "placeholders" in m:
            placeholders = self.check_placeholders(f, m, path)
            if placeholders is None:
                return None
            changes["placeholders"] = placeholders
        if any(v is None for k, v in changes.items() if k in ("description",)):
            return None
        return replace(f, **changes)
