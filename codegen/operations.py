"""Checks of the trade API: the ``api:``, ``envelope:`` and ``operations:`` sections."""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterator, Mapping

from .checks import METHOD_RE, describe, is_identifier
from .ir import Batch, Field, Frame, ObjectType, Operation
from .names import RESERVED_NAMES, RESERVED_OPS, response_alias_name
from .source import YamlMap
from .typedefs import TypeChecks

__all__ = ["ACTIONS", "OperationChecks"]

ACTIONS = ("create", "amend", "cancel")
"""What an operation does to orders; the local server simulates these."""
_OP_RE = re.compile(r"^[a-z][a-z0-9]*([._-][a-z0-9]+)*$")


class OperationChecks(TypeChecks):
    """The trade API's connection, envelope frames and operations."""

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
            if attribute is not None and not is_identifier(attribute):
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
        if not self.method_name(method, f"{path}.method", m, "method", op):
            return None
        doc = self.text(m, "doc", path)
        params, data, ext = (
            self.lookup_type(m[k], f"{path}.{k}", m, k) for k in ("params", "data", "ret_ext_info")
        )
        action = m.get("action")
        if action is not None and action not in ACTIONS:
            self.error(
                f"{path}.action",
                f"unknown action {describe(action)}; use one of {', '.join(ACTIONS)}",
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
        for sub in nested_fields(f, self.types):
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
            if not METHOD_RE.match(arg) or keyword.iskeyword(arg) or arg in ("self", "timeout"):
                self.error(
                    f"{path}.method_args.{arg}", f"'{arg}' is not a usable argument name", args, arg
                )
                return None
            if not isinstance(target, str) or params.field(target) is None:
                self.error(
                    f"{path}.method_args.{arg}",
                    f"{describe(target)} is not a field of {params.name}",
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
                f"{describe(items)} is not a list-of-objects field of {params.name}",
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


def nested_fields(f: Field, types: Mapping[str, ObjectType | None]) -> Iterator[Field]:
    """``f`` and, for a list of objects, the fields of its items."""
    yield f
    ref = f.type.items if f.type.kind == "array" else None
    item_type = types.get(ref.name) if ref is not None and ref.kind == "object" else None
    if item_type is not None:
        yield from item_type.fields
