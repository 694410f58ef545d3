"""Checks of the streams: the ``dialects:``, ``streams:`` and ``topics:`` sections."""

from __future__ import annotations

import json
import re
from typing import Any, Literal, cast

from .checks import describe, did_you_mean, is_identifier, join
from .ir import Dialect, Stream, Topic, TopicParam, TopicVariant
from .source import YamlMap
from .typedefs import TypeChecks

__all__ = ["ACCESS", "PUSH_KINDS", "TopicChecks"]

ACCESS = ("public", "private")
PUSH_KINDS = {"public": ("snapshot", "delta"), "private": ("update",)}
"""How a topic's messages relate: snapshot replaces, delta merges, update is a private event."""
_FAMILY_RE = re.compile(r"^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)*$")
_PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")
_LITERAL_RE = re.compile(r"^[A-Za-z0-9._-]*$")


class TopicChecks(TypeChecks):
    """Stream sockets, their dialects, and the topic families routed to them."""

    def __init__(self, file: str) -> None:
        super().__init__(file)
        self.dialects: dict[str, Dialect] = {}
        self.streams: dict[str, Stream] = {}
        self.topics: dict[str, Topic] = {}
        self.broken_dialects: set[str] = set()
        self.streams_incomplete = False
        """A stream had errors: what topics say about categories cannot be checked."""
        self.reserved_keys: dict[str, str] = {}
        """wsKey attribute or value -> what uses it (the trade API's key counts)."""

    # -- dialects ------------------------------------------------------------------------------

    def check_dialects(self, root: YamlMap) -> None:
        dialects = self.mapping(root["dialects"], "dialects", root, "dialects")
        for name, raw in (dialects or {}).items():
            assert dialects is not None
            path = f"dialects.{name}"
            self.broken_dialects.add(name)  # until it has passed every check below
            m = self.mapping(raw, path, dialects, name)
            optional = ("success_ret_msg", "topic_lists", "examples")
            if m is None or not self.keys(m, path, ("description", "ack", "pong"), optional):
                continue
            description = self.text(m, "description", path)
            ack, pong = self.matcher(m, "ack", path), self.matcher(m, "pong", path)
            success = m.get("success_ret_msg")
            if success is not None and not isinstance(success, str):
                self.error(
                    f"{path}.success_ret_msg",
                    f"expected a string, got {describe(success)}",
                    m,
                    "success_ret_msg",
                )
                continue
            lists_ok, lists = self.topic_lists(m, path)
            examples = self.examples(m, path)
            if description is None or ack is None or pong is None or examples is None:
                continue
            if lists_ok:
                self.dialects[name] = Dialect(
                    name, description, ack, pong, success, lists, examples
                )
                self.broken_dialects.discard(name)

    def matcher(self, m: YamlMap, key: str, path: str) -> tuple[str, tuple[str, ...]] | None:
        """``{field: [values]}``: the one field and values that identify a kind of frame."""
        sub = f"{path}.{key}"
        mm = self.mapping(m[key], sub, m, key)
        if mm is None:
            return None
        values = list(mm.values())
        if len(mm) != 1 or not isinstance(values[0], list) or not values[0]:
            self.error(sub, "expected one field with a list of values, e.g. {op: [pong]}", m, key)
            return None
        if not all(isinstance(v, str) for v in values[0]):
            self.error(sub, f"expected string values, got {describe(values[0])}", m, key)
            return None
        return next(iter(mm)), tuple(values[0])

    def topic_lists(self, m: YamlMap, path: str) -> tuple[bool, tuple[str, str] | None]:
        """(valid, the success and fail keys if given)."""
        if "topic_lists" not in m:
            return True, None
        sub = f"{path}.topic_lists"
        tm = self.mapping(m["topic_lists"], sub, m, "topic_lists")
        if tm is None or not self.keys(tm, sub, ("success", "fail"), ()):
            return False, None
        success, fail = self.text(tm, "success", sub), self.text(tm, "fail", sub)
        return (False, None) if success is None or fail is None else (True, (success, fail))

    def examples(self, m: YamlMap, path: str) -> tuple[tuple[str, str], ...] | None:
        sub = f"{path}.examples"
        em = self.mapping(m.get("examples", YamlMap(m.line)), sub, m, "examples")
        if em is None:
            return None
        result = []
        for name, text in em.items():
            try:
                parsed = json.loads(text) if isinstance(text, str) else None
            except ValueError as exc:
                self.error(f"{sub}.{name}", f"not JSON: {exc}", em, name)
                return None
            if not isinstance(parsed, dict):
                self.error(
                    f"{sub}.{name}", f"expected a JSON object, got {describe(text)}", em, name
                )
                return None
            result.append((name, text))
        return tuple(result)

    # -- streams -------------------------------------------------------------------------------

    def check_streams(self, root: YamlMap) -> None:
        streams = self.mapping(root["streams"], "streams", root, "streams")
        for attribute, raw in (streams or {}).items():
            assert streams is not None
            path = f"streams.{attribute}"
            if not is_identifier(attribute) or attribute in self.reserved_keys:
                why = (
                    f"is already used by {self.reserved_keys[attribute]}"
                    if attribute in self.reserved_keys
                    else "is not a Python identifier"
                )
                self.error(path, f"'{attribute}' {why}", streams, attribute)
                self.streams_incomplete = True
                continue
            stream = self.check_stream(attribute, raw, path, streams)
            if stream is None:
                self.streams_incomplete = True
            else:
                self.reserved_keys[attribute] = f"stream '{attribute}'"
                self.reserved_keys[stream.ws_key] = f"stream '{attribute}'"
                self.streams[attribute] = stream

    def check_stream(self, attribute: str, raw: Any, path: str, parent: YamlMap) -> Stream | None:
        m = self.mapping(raw, path, parent, attribute)
        required = ("ws_key", "description", "path", "access", "dialect", "max_args_per_request")
        optional = ("category", "max_args_chars", "max_topics")
        if m is None or not self.keys(m, path, required, optional):
            return None
        ws_key, description = self.text(m, "ws_key", path), self.text(m, "description", path)
        url_path = self.text(m, "path", path)
        access = self.choice(m, "access", path, ACCESS, "access")
        category = self.text(m, "category", path, required=False)
        if ws_key is not None and ws_key in self.reserved_keys:
            self.error(
                f"{path}.ws_key", f"'{ws_key}' is already used by {self.reserved_keys[ws_key]}", m,
                "ws_key",
            )  # fmt: skip
            return None
        if url_path is not None and not url_path.startswith("/"):
            self.error(f"{path}.path", f"'{url_path}' must start with '/'", m, "path")
            return None
        if access == "public" and category is None:
            self.error(path, "a public stream needs the 'category' it serves", m)
            return None
        if access == "private" and "category" in m:
            self.error(f"{path}.category", "a private stream serves every category", m, "category")
            return None
        taken = [s.attribute for s in self.streams.values() if s.category == category]
        if category is not None and taken:
            self.error(
                f"{path}.category", f"'{category}' is already served by {taken[0]}", m, "category"
            )
            return None
        dialect = m["dialect"]
        if dialect in self.broken_dialects:
            return None
        if dialect not in self.dialects:
            what = f"'{dialect}'" if isinstance(dialect, str) else describe(dialect)
            hint = did_you_mean(str(dialect), self.dialects)
            self.error(f"{path}.dialect", f"unknown dialect {what}{hint}", m, "dialect")
            return None
        limits = {k: self.integer(m, k, path, 1) for k in ("max_args_chars", "max_topics")}
        per_request = self.integer(m, "max_args_per_request", path, 1)
        if any(k in m and v is None for k, v in limits.items()):
            return None
        if ws_key is None or description is None or url_path is None or access is None:
            return None
        if per_request is None:
            return None
        return Stream(
            attribute, ws_key, description, url_path, cast(Literal["public", "private"], access),
            category, dialect, per_request, limits["max_args_chars"], limits["max_topics"],
        )  # fmt: skip

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
