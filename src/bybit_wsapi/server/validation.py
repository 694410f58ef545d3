"""Request parameter checks compiled from the spec's tables (pure: no I/O).

Every rule comes from ``bybit_wsapi_generated.tables``: this module knows the rule *kinds*
(``string``, ``decimal``, ``enum``, ...), never a field name or an enum value. A check returns
``None`` when the value is valid, else one message naming the field path, e.g.
``request[2].side: 'buy' is not one of Buy, Sell``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from typing import Final

from bybit_wsapi_generated.tables import OBJECT_RULES, FieldRule, ObjectRule

__all__ = ["DECIMAL_RE", "ParamsValidator", "describe"]

DECIMAL_RE: Final = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
"""A plain decimal number: optional minus, digits, optional fraction; no exponent or spaces."""

_REPR_MAX = 60

Path = tuple[str | int, ...]
Problem = tuple[Path, str]
"""Where (keys and list indexes, outermost first) and what."""

Check = Callable[[object, str | None], Problem | None]
"""A compiled rule: ``check(value, category)``; category feeds ``required_for_categories``."""


def describe(value: object) -> str:
    """A short description of a JSON value for error messages: its JSON type and its repr."""
    kind = _json_type(value)
    text = repr(value)
    if len(text) > _REPR_MAX:
        text = text[: _REPR_MAX - 3] + "..."
    return kind if value is None else f"{kind} {text}"


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def format_path(path: Path) -> str:
    """``("request", 2, "side")`` as ``request[2].side``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


class ParamsValidator:
    """The checks of every object type in the tables, compiled once.

    ``check(type_name, value, category)`` validates one object (``args[0]`` of a request) and
    returns ``None`` or ``"<path>: <problem>"``.
    """

    def __init__(self, object_rules: Mapping[str, ObjectRule] = OBJECT_RULES) -> None:
        self.object_rules = object_rules
        self._compiled: dict[str, Check] = {}
        self._fields: dict[str, dict[str, Check]] = {}
        for name in object_rules:
            self._object_check(name)

    def check(self, type_name: str, value: object, category: str | None) -> str | None:
        """Validate ``value`` against the object type ``type_name``."""
        problem = self._compiled[type_name](value, category)
        if problem is None:
            return None
        path, message = problem
        return f"{format_path(path)}: {message}" if path else message

    def check_field(self, type_name: str, key: str, value: object) -> str | None:
        """Validate one key of an object type; keys the type does not have pass."""
        check = self._fields[type_name].get(key)
        problem = None if check is None else check(value, None)
        if problem is None:
            return None
        path, message = problem
        return f"{format_path(path)}: {message}" if path else message

    def _object_check(self, name: str) -> Check:
        compiled = self._compiled.get(name)
        if compiled is not None:
            return compiled
        rule = self.object_rules[name]
        field_checks = {key: self._field_check(f) for key, f in rule["fields"].items()}
        self._fields[name] = field_checks
        required = tuple(key for key, f in rule["fields"].items() if f["required"])
        by_category = tuple(
            (key, frozenset(f["required_for_categories"]))
            for key, f in rule["fields"].items()
            if "required_for_categories" in f and not f["required"]
        )
        require_any = rule["require_any"]
        known = tuple(field_checks)

        def check(value: object, category: str | None) -> Problem | None:
            if not isinstance(value, dict):
                return (), f"expected an object, got {describe(value)}"
            for key in required:
                if key not in value:
                    return (key,), "missing required parameter"
            for key, item in value.items():
                field_check = field_checks.get(key)
                if field_check is None:
                    return (key,), _unknown_key(key, known)
                problem = field_check(item, category)
                if problem is not None:
                    return (key, *problem[0]), problem[1]
            for key, categories in by_category:
                if category in categories and key not in value:
                    return (key,), f"required for category {category}"
            for group in require_any:
                if not any(key in value for key in group):
                    return (), f"one of {', '.join(group)} is required"
            return None

        self._compiled[name] = check
        return check

    def _field_check(self, rule: FieldRule) -> Check:
        check = self._value_check(rule)
        if not rule.get("nullable", False):
            return check

        def nullable(value: object, category: str | None) -> Problem | None:
            return None if value is None else check(value, category)

        return nullable

    def _value_check(self, rule: FieldRule) -> Check:
        kind = rule["type"]
        if kind == "string":
            return _string_check(rule)
        if kind == "decimal":
            return _decimal_check
        if kind == "integer":
            return _integer_check
        if kind == "number":
            return _number_check
        if kind == "boolean":
            return _boolean_check
        if kind == "enum":
            return _enum_check(rule.get("values", ()))
        if kind == "object":
            name = rule.get("object")
            if name is None:
                raise ValueError("an object field without an 'object' type name")
            return self._lazy_object_check(name)
        if kind == "array":
            items = rule.get("items")
            if items is None:
                raise ValueError("an array field without an 'items' rule")
            return _array_check(rule, self._field_check(items))
        return _any_check

    def _lazy_object_check(self, name: str) -> Check:
        if name not in self.object_rules:
            raise ValueError(f"unknown object type {name!r} in the tables")

        def check(value: object, category: str | None) -> Problem | None:
            return self._compiled[name](value, category)

        return check


def _unknown_key(key: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, known, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown parameter{hint}"


def _string_check(rule: FieldRule) -> Check:
    max_length = rule.get("max_length")
    pattern_text = rule.get("pattern")
    pattern = re.compile(pattern_text) if pattern_text is not None else None

    def check(value: object, category: str | None) -> Problem | None:
        if not isinstance(value, str):
            return (), f"expected a string, got {describe(value)}"
        if max_length is not None and len(value) > max_length:
            return (), f"longer than {max_length} characters ({len(value)})"
        if pattern is not None and pattern.fullmatch(value) is None:
            return (), f"{describe(value)} does not match {pattern_text}"
        return None

    return check


def _decimal_check(value: object, category: str | None) -> Problem | None:
    if isinstance(value, str) and DECIMAL_RE.fullmatch(value) is not None:
        return None
    return (), f'expected a decimal string such as "0.5", got {describe(value)}'


def _integer_check(value: object, category: str | None) -> Problem | None:
    if type(value) is int:
        return None
    return (), f"expected an integer, got {describe(value)}"


def _number_check(value: object, category: str | None) -> Problem | None:
    if type(value) is int or type(value) is float:
        return None
    return (), f"expected a number, got {describe(value)}"


def _boolean_check(value: object, category: str | None) -> Problem | None:
    if type(value) is bool:
        return None
    return (), f"expected true or false, got {describe(value)}"


def _enum_check(values: tuple[str | int, ...]) -> Check:
    # (type, value) pairs: True == 1 and 1.0 == 1 in Python, but not in JSON.
    allowed = frozenset((type(v), v) for v in values)
    listing = ", ".join(str(v) for v in values)

    def check(value: object, category: str | None) -> Problem | None:
        kind = type(value)
        if (kind is str or kind is int) and (kind, value) in allowed:
            return None
        shown = repr(value) if isinstance(value, str | int | float) else describe(value)
        if len(shown) > _REPR_MAX:
            shown = shown[: _REPR_MAX - 3] + "..."
        return (), f"{shown} is not one of {listing}"

    return check


def _array_check(rule: FieldRule, item_check: Check) -> Check:
    min_items = rule.get("min_items")
    max_items = rule.get("max_items")

    def check(value: object, category: str | None) -> Problem | None:
        if not isinstance(value, list):
            return (), f"expected a list, got {describe(value)}"
        if min_items is not None and len(value) < min_items:
            return (), f"expected at least {min_items} item(s), got {len(value)}"
        if max_items is not None and len(value) > max_items:
            return (), f"expected at most {max_items} item(s), got {len(value)}"
        for index, item in enumerate(value):
            problem = item_check(item, category)
            if problem is not None:
                return (index, *problem[0]), problem[1]
        return None

    return check


def _any_check(value: object, category: str | None) -> Problem | None:
    return None
