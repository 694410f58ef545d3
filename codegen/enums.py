"""Checks of enums and of the names the spec defines: the ``enums:`` section."""

from __future__ import annotations

import keyword
import re

from .checks import YamlChecks, describe
from .ir import EnumDef, Field
from .names import RESERVED_NAMES
from .source import YamlMap

__all__ = ["EnumChecks"]

_TYPE_NAME_RE = re.compile(r"^[A-Z][A-Za-z0-9_]*$")


class EnumChecks(YamlChecks):
    """Enums, type and enum names, and the enum values a field may also take."""

    # -- enums ---------------------------------------------------------------------------------

    def check_enums(self, root: YamlMap) -> None:
        enums = self.mapping(root["enums"], "enums", root, "enums")
        if enums is None:
            return
        for name, raw in enums.items():
            path = f"enums.{name}"
            if self.defined_elsewhere(name, path, enums):
                continue
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
                    f"enum type must be 'string' or 'integer', got {describe(kind)}",
                    m,
                    "type",
                )
                continue
            values = m["values"]
            if not isinstance(values, list) or not values:
                self.error(
                    f"{path}.values",
                    f"expected a non-empty list, got {describe(values)}",
                    m,
                    "values",
                )
                continue
            want: type = str if kind == "string" else int
            bad = [v for v in values if isinstance(v, bool) or not isinstance(v, want)]
            if bad:
                self.error(
                    f"{path}.values",
                    f'{describe(bad[0])} is not a {kind} value (quote values such as "1" or "on")',
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
                self.defined_in[name] = self.file
                self.invalid.discard(name)

    def defined_elsewhere(self, name: str, path: str, parent: YamlMap) -> bool:
        """``name`` is already an enum or type of an earlier spec file (reported)."""
        other = self.defined_in.get(name)
        if other is None or other == self.file:
            return False
        self.error(path, f"'{name}' is already defined in {other}", parent, name)
        return True

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

    def check_placeholders(self, f: Field, m: YamlMap, path: str) -> tuple[str | int, ...] | None:
        """Extra "not set" values of an enum field (``""``, ``UNKNOWN``), not among the enum's."""
        sub = f"{path}.placeholders"
        if f.type.kind != "enum":
            self.error(sub, "placeholders apply only to enum fields", m, "placeholders")
            return None
        enum = self.enums[f.type.name]
        want: type = str if enum.kind == "string" else int
        raw = m["placeholders"]
        if (
            not isinstance(raw, list)
            or not raw
            or any(isinstance(v, bool) or not isinstance(v, want) for v in raw)
        ):
            self.error(
                sub, f"expected a non-empty list of {enum.kind} values, got {describe(raw)}", m,
                "placeholders",
            )  # fmt: skip
            return None
        taken = [v for v in raw if v in enum.values]
        if taken:
            self.error(sub, f"{taken[0]!r} is already a value of {enum.name}", m, "placeholders")
            return None
        return tuple(raw)
