"""Generic checks of raw YAML values, shared by every part of the spec checker.

Each check records a located :class:`SpecProblem` instead of raising, so one run reports every
problem of the spec at once.
"""

from __future__ import annotations

import difflib
import keyword
import re
from collections.abc import Iterable
from typing import Any

from .errors import SpecProblem
from .ir import EnumDef, ObjectType
from .names import RESERVED_METHODS
from .source import YamlMap

__all__ = ["YamlChecks", "describe", "did_you_mean", "is_identifier", "join"]

METHOD_RE = re.compile(r"^[a-z][a-z0-9_]*$")
"""A snake_case Python name: methods and their arguments."""


class YamlChecks:
    """Error collection and the typed accessors every section of the spec uses.

    It also holds the state the sections share: what is defined so far, and where.
    """

    def __init__(self, file: str) -> None:
        self.file = file
        """The spec file being checked (errors name it)."""
        self.errors: list[SpecProblem] = []
        self.enums: dict[str, EnumDef] = {}
        self.raw_types: dict[str, tuple[YamlMap, str]] = {}
        self.types: dict[str, ObjectType | None] = {}
        self.invalid: set[str] = set()
        """Enums and types that are declared but have errors: references to them are not errors."""
        self.defined_in: dict[str, str] = {}
        """The file each enum and type name is defined in."""
        self.frame_names: set[str] = set()
        self.methods: dict[str, str] = {}
        """Generated method name -> what it belongs to (an operation or a topic family)."""

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
        self.error(path, f"expected a mapping, got {describe(value)}", parent, key)
        return None

    def keys(self, m: YamlMap, path: str, required: Iterable[str], optional: Iterable[str]) -> bool:
        """Check that ``m`` has every required key and nothing unknown."""
        required = tuple(required)
        allowed = (*required, *optional)
        ok = True
        for k in m:
            if k not in allowed:
                hint = did_you_mean(k, allowed)
                self.error(
                    join(path, k), f"unknown key '{k}'{hint}; allowed: {', '.join(allowed)}", m, k
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
                join(path, key), f"expected a non-empty string, got {describe(value)}", m, key
            )
            return None
        return value.strip()

    def integer(self, m: YamlMap, key: str, path: str, minimum: int) -> int | None:
        value = m.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.error(
                join(path, key), f"expected an integer >= {minimum}, got {describe(value)}", m, key
            )
            return None
        return value

    def flag(self, m: YamlMap, key: str, path: str) -> bool:
        value = m.get(key, False)
        if not isinstance(value, bool):
            self.error(join(path, key), f"expected true or false, got {describe(value)}", m, key)
            return False
        return value

    def name_list(self, value: Any, path: str, parent: YamlMap, key: str) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(path, f"expected a list of names, got {describe(value)}", parent, key)
            return []
        return list(value)

    def choice(
        self, m: YamlMap, key: str, path: str, allowed: tuple[str, ...], what: str
    ) -> str | None:
        """``m[key]``, which must be one of ``allowed``."""
        value = m.get(key)
        if value not in allowed:
            self.error(
                join(path, key),
                f"unknown {what} {describe(value)}; use one of {', '.join(allowed)}",
                m,
                key,
            )
            return None
        assert isinstance(value, str)
        return value

    def method_name(self, value: Any, path: str, parent: YamlMap, key: str, owner: str) -> bool:
        """A valid, unused generated method name; records ``owner`` as its user."""
        if not isinstance(value, str) or not METHOD_RE.match(value) or keyword.iskeyword(value):
            self.error(
                path,
                f"{describe(value)} is not a valid method name (a snake_case Python identifier)",
                parent,
                key,
            )
            return False
        if value in RESERVED_METHODS:
            self.error(path, f"'{value}' is reserved by the generated base class", parent, key)
            return False
        if value in self.methods:
            self.error(
                path,
                f"duplicate method name '{value}' (already used by {self.methods[value]})",
                parent,
                key,
            )
            return False
        self.methods[value] = owner
        return True


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
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


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def is_identifier(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name)


def describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, YamlMap):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{type(value).__name__} {value!r}"
