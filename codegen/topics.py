"""Checks of the topic families: the ``topics:`` section."""

from __future__ import annotations

import re
from typing import Any, Literal, cast

from .checks import describe, did_you_mean, is_identifier, join
from .ir import Topic, TopicParam, TopicVariant
from .source import YamlMap
from .streams import ACCESS, StreamChecks

__all__ = ["PUSH_KINDS", "TopicChecks"]

PUSH_KINDS = {"public": ("snapshot", "delta"), "private": ("update",)}
"""How a topic's messages relate: snapshot replaces, delta merges, update is a private event."""
_FAMILY_RE = re.compile(r"^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)*$")
_PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")
_LITERAL_RE = re.compile(r"^[A-Za-z0-9._-]*$")
_WHOLE_RE = re.compile(r"^\{[^{}]*\}$")


class TopicChecks(StreamChecks):
    """The topic families and the streams they are routed to."""

    def __init__(self, file: str) -> None:
        super().__init__(file)
        self.topics: dict[str, Topic] = {}

    # -- topics --------------------------------------------------------------------------------

    def check_topics(self, root: YamlMap) -> None:
        topics = self.mapping(root["topics"], "topics", root, "topics")
        for family, raw in (topics or {}).items():
            assert topics is not None
            path = f"topics.{family}"
            if not _FAMILY_RE.match(family):
                self.error(
                    path, f"'{family}' is not a valid topic family (e.g. publicTrade, execution.fast)",
                    topics, family,
                )  # fmt: skip
                continue
            m = self.mapping(raw, path, topics, family)
            required = ("access", "method", "doc", "pattern")
            optional = ("params", "message", "push", "variants")
            if m is None or not self.keys(m, path, required, optional):
                continue
            topic = self.check_topic(family, m, path)
            if topic is not None:
                self.topics[family] = topic

    def check_topic(self, family: str, m: YamlMap, path: str) -> Topic | None:
        access = self.choice(m, "access", path, ACCESS, "access")
        doc = self.text(m, "doc", path)
        if not self.method_name(m["method"], f"{path}.method", m, "method", f"topic '{family}'"):
            return None
        params = self.topic_params(m, path)
        pattern = m["pattern"]
        if access is None or doc is None or params is None:
            return None
        private = any(s.access == "private" for s in self.streams.values())
        if access == "private" and not private and not self.streams_incomplete:
            self.error(f"{path}.access", "no private stream is defined", m, "access")
            return None
        names = tuple(p.name for p in params)
        if not self.check_pattern(pattern, family, names, path=f"{path}.pattern", m=m):
            return None
        raw_variants = m.get("variants", [YamlMap(m.line)])
        if not isinstance(raw_variants, list) or not raw_variants:
            self.error(
                f"{path}.variants", f"expected a non-empty list, got {describe(raw_variants)}", m,
                "variants",
            )  # fmt: skip
            return None
        seen: dict[str, int] = {}
        variants = []
        for i, raw in enumerate(raw_variants):
            variant = self.check_variant(raw, i, family, params=params, topic=m, seen=seen)
            if variant is None:
                return None
            variants.append(variant)
        if access == "private" and sum(1 for v in variants if not v.categories) > 1:
            self.error(f"{path}.variants", "only one variant may have no categories", m, "variants")
            return None
        access_ = cast(Literal["public", "private"], access)
        return Topic(family, access_, m["method"], doc, params, tuple(variants))

    def topic_params(self, m: YamlMap, path: str) -> tuple[TopicParam, ...] | None:
        sub = f"{path}.params"
        pm = self.mapping(m.get("params", YamlMap(m.line)), sub, m, "params")
        if pm is None:
            return None
        params = []
        for name, raw in pm.items():
            at = f"{sub}.{name}"
            if not is_identifier(name) or name in ("self", "category"):
                self.error(at, f"'{name}' cannot be a method argument", pm, name)
                return None
            pmm = self.mapping(raw, at, pm, name)
            if pmm is None or not self.keys(pmm, at, ("description",), ("type", "enum")):
                return None
            description = self.text(pmm, "description", at)
            if ("type" in pmm) == ("enum" in pmm):
                self.error(at, "give exactly one of type (string or integer) and enum", pmm)
                return None
            kind = self.param_kind(pmm, at)
            if kind is None or description is None:
                return None
            params.append(TopicParam(name, kind[0], description, kind[1]))
        return tuple(params)

    def param_kind(self, m: YamlMap, path: str) -> tuple[Literal["string", "integer"], str] | None:
        """(value kind, enum name or "") of a topic parameter."""
        if "type" in m:
            kind = self.choice(m, "type", path, ("string", "integer"), "parameter type")
            return None if kind is None else (cast(Literal["string", "integer"], kind), "")
        name = m["enum"]
        if not isinstance(name, str) or name not in self.enums:
            what = f"'{name}'" if isinstance(name, str) else describe(name)
            hint = did_you_mean(str(name), self.enums)
            self.error(f"{path}.enum", f"unknown enum {what}{hint}", m, "enum")
            return None
        return self.enums[name].kind, name

    def check_pattern(
        self, pattern: Any, family: str, params: tuple[str, ...], *, path: str, m: YamlMap
    ) -> bool:
        """The pattern starts with the family and uses each of ``params`` exactly once."""
        if not isinstance(pattern, str) or not (
            pattern == family or pattern.startswith(f"{family}.")
        ):
            self.error(
                path, f"{describe(pattern)} must start with the family '{family}'", m, "pattern"
            )
            return False
        used = _PLACEHOLDER_RE.findall(pattern)
        literal = _PLACEHOLDER_RE.sub("", pattern)
        if not _LITERAL_RE.match(literal):
            self.error(path, f"'{pattern}' may hold only letters, digits, '.', '-', '_' and {{name}}", m, "pattern")  # fmt: skip
            return False
        split = [part for part in pattern.split(".") if "{" in part and not _WHOLE_RE.match(part)]
        if split:
            self.error(
                path,
                f"'{pattern}': '{split[0]}' mixes text and a placeholder; a placeholder is a "
                "whole '.'-separated part (e.g. orderbook.{depth}.{symbol})",
                m,
                "pattern",
            )
            return False
        unknown = [u for u in used if u not in params]
        if unknown:
            self.error(
                path,
                f"'{{{unknown[0]}}}' is not a parameter{did_you_mean(unknown[0], params)}; "
                f"parameters: {', '.join(params) or 'none'}",
                m,
                "pattern",
            )
            return False
        unused = [p for p in params if used.count(p) != 1]
        if unused:
            self.error(path, f"'{pattern}' must use '{{{unused[0]}}}' exactly once", m, "pattern")
            return False
        return True

    def check_variant(
        self, raw: Any, i: int, family: str, *, params: tuple[TopicParam, ...], topic: YamlMap,
        seen: dict[str, int],
    ) -> TopicVariant | None:  # fmt: skip
        access, path = topic["access"], f"topics.{family}"
        sub = f"{path}.variants[{i}]"
        m = self.mapping(raw, sub, topic, "variants")
        optional = ("categories", "pattern", "values", "message", "push")
        if m is None or not self.keys(m, sub, (), optional):
            return None
        categories = tuple(self.name_list(m.get("categories", []), f"{sub}.categories", m, "categories"))  # fmt: skip
        if not self.check_categories(categories, access, sub, m, seen=seen, i=i):
            return None
        pattern = m.get("pattern", topic["pattern"])
        if "pattern" in m:
            names = tuple(p.name for p in params)
            if access == "public":
                self.error(
                    f"{sub}.pattern", "public variants use the topic's pattern", m, "pattern"
                )
                return None
            if not self.check_pattern(
                pattern, family, (*names, "category"), path=f"{sub}.pattern", m=m
            ):
                return None
        if access == "private" and bool(categories) != ("{category}" in pattern):
            self.error(
                sub, "a private variant has categories exactly when its pattern has {category}", m
            )
            return None
        message = self.variant_key(m, topic, "message", sub)
        push = self.variant_key(m, topic, "push", sub)
        if message is None or push is None:
            return None
        base = self.lookup_type(message, join(sub, "message"), m if "message" in m else topic, "message")  # fmt: skip
        kinds = self.check_push(push, access, m if "push" in m else topic, sub)
        values = self.check_values(m, params, sub)
        if base is None or kinds is None or values is None:
            return None
        return TopicVariant(categories, pattern, base.name, kinds, values)

    def check_categories(
        self, categories: tuple[str, ...], access: str, sub: str, m: YamlMap, *,
        seen: dict[str, int], i: int,
    ) -> bool:  # fmt: skip
        if access == "public" and not categories:
            self.error(sub, "a public variant needs the categories it serves", m)
            return False
        public = [s.category for s in self.streams.values() if s.category is not None]
        for category in categories:
            if category not in public and self.streams_incomplete:
                return False  # the stream serving it may be the one with errors
            if category not in public:
                self.error(
                    f"{sub}.categories",
                    f"unknown category '{category}'; the streams serve {', '.join(public)}",
                    m,
                    "categories",
                )
                return False
            if category in seen:
                self.error(
                    f"{sub}.categories",
                    f"'{category}' is already in variants[{seen[category]}]",
                    m,
                    "categories",
                )
                return False
            seen[category] = i
        return True

    def variant_key(self, m: YamlMap, topic: YamlMap, key: str, sub: str) -> Any:
        if key in m:
            return m[key]
        if key in topic:
            return topic[key]
        self.error(sub, f"missing key '{key}' (give it here or on the topic)", m)
        return None

    def check_push(self, push: Any, access: str, m: YamlMap, path: str) -> tuple[str, ...] | None:
        allowed = PUSH_KINDS[access]
        if not isinstance(push, list) or not push or any(p not in allowed for p in push):
            self.error(
                f"{path}.push",
                f"expected a list of {', '.join(allowed)} for a {access} topic, got {describe(push)}",
                m,
                "push",
            )
            return None
        return tuple(push)

    def check_values(
        self, m: YamlMap, params: tuple[TopicParam, ...], sub: str
    ) -> tuple[tuple[str, tuple[str | int, ...]], ...] | None:
        vm = self.mapping(m.get("values", YamlMap(m.line)), f"{sub}.values", m, "values")
        if vm is None:
            return None
        by_name = {p.name: p for p in params}
        result = []
        for name, raw in vm.items():
            at = f"{sub}.values.{name}"
            param = by_name.get(name)
            if param is None:
                self.error(
                    at, f"'{name}' is not a parameter{did_you_mean(name, by_name)}", vm, name
                )
                return None
            want: type = str if param.kind == "string" else int
            allowed = self.enums[param.enum].values if param.enum else None
            if (
                not isinstance(raw, list)
                or not raw
                or any(isinstance(v, bool) or not isinstance(v, want) for v in raw)
            ):
                self.error(at, f"expected a non-empty list of {param.kind} values, got {describe(raw)}", vm, name)  # fmt: skip
                return None
            bad = [v for v in raw if allowed is not None and v not in allowed]
            if bad:
                self.error(at, f"{bad[0]!r} is not a value of {param.enum}", vm, name)
                return None
            result.append((name, tuple(raw)))
        return tuple(result)
