"""Checks of the stream sockets: the ``dialects:`` and ``streams:`` sections."""

from __future__ import annotations

import json
from typing import Any, Literal, cast

from .checks import describe, did_you_mean, is_identifier
from .ir import Dialect, Stream
from .source import YamlMap
from .typedefs import TypeChecks

__all__ = ["ACCESS", "StreamChecks"]

ACCESS = ("public", "private")


class StreamChecks(TypeChecks):
    """Stream sockets (wsKeys) and the dialects of their acks and pongs."""

    def __init__(self, file: str) -> None:
        super().__init__(file)
        self.dialects: dict[str, Dialect] = {}
        self.streams: dict[str, Stream] = {}
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
        required = ("ws_key", "description", "path", "access", "dialect", "subscribe_batch")
        optional = ("category", "max_args_per_request", "max_args_chars", "max_topics")
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
        private = [s.attribute for s in self.streams.values() if s.access == "private"]
        if access == "private" and private:
            self.error(f"{path}.access", f"{private[0]} is already the private stream", m, "access")
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
        limits = {k: self.integer(m, k, path, 1) for k in optional[1:]}
        batch = self.integer(m, "subscribe_batch", path, 1)
        if any(k in m and v is None for k, v in limits.items()):
            return None
        cap = limits["max_args_per_request"]
        if batch is not None and cap is not None and batch > cap:
            self.error(
                f"{path}.subscribe_batch",
                f"{batch} is over max_args_per_request ({cap}): the server would refuse the frames",
                m,
                "subscribe_batch",
            )
            return None
        if ws_key is None or description is None or url_path is None or access is None:
            return None
        if batch is None:
            return None
        return Stream(
            attribute, ws_key, description, url_path, cast(Literal["public", "private"], access),
            category, dialect, batch, limits["max_args_per_request"], limits["max_args_chars"],
            limits["max_topics"],
        )  # fmt: skip
