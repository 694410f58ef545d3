"""Checks of the REST endpoints: the ``rest:`` section."""

from __future__ import annotations

import re
from typing import Literal, cast

from .checks import describe, join
from .ir import ObjectType, RestEndpoint
from .source import YamlMap
from .streams import ACCESS
from .typedefs import TypeChecks

__all__ = ["HTTP_METHODS", "RestChecks"]

HTTP_METHODS = ("GET", "POST")
_PATH_RE = re.compile(r"^(/[a-z0-9][a-z0-9-]*)+$")
_REQUIRED = ("http_method", "method", "doc", "access", "params", "result")
_OPTIONAL = ("page_size", "rate_limit", "time_window_days", "require_any_for_categories")
_PAGE_PARAMS = ("limit", "cursor")
_PAGE_RESULT = ("list", "nextPageCursor")
_WINDOW_PARAMS = ("startTime", "endTime")


class RestChecks(TypeChecks):
    """The REST endpoints, keyed by path, and the keys their rules name."""

    def __init__(self, file: str) -> None:
        super().__init__(file)
        self.rest: dict[str, RestEndpoint] = {}

    def check_rest(self, root: YamlMap) -> None:
        endpoints = self.mapping(root["rest"], "rest", root, "rest")
        for path_key, raw in (endpoints or {}).items():
            assert endpoints is not None
            path = f"rest.{path_key}"
            if not _PATH_RE.match(path_key):
                self.error(path, f"'{path_key}' is not a URL path (e.g. /v5/order/realtime)",
                           endpoints, path_key)  # fmt: skip
                continue
            if path_key in self.rest:
                self.error(path, f"'{path_key}' is defined twice", endpoints, path_key)
                continue
            m = self.mapping(raw, path, endpoints, path_key)
            if m is None or not self.keys(m, path, _REQUIRED, _OPTIONAL):
                continue
            endpoint = self.check_endpoint(path_key, m, path)
            if endpoint is not None:
                self.rest[path_key] = endpoint

    def check_endpoint(self, url: str, m: YamlMap, path: str) -> RestEndpoint | None:
        http_method = self.choice(m, "http_method", path, HTTP_METHODS, "HTTP method")
        access = self.choice(m, "access", path, ACCESS, "access")
        doc = self.text(m, "doc", path)
        if not self.method_name(m["method"], f"{path}.method", m, "method", f"endpoint '{url}'"):
            return None
        params = self.lookup_type(m["params"], f"{path}.params", m, "params")
        result = self.lookup_type(m["result"], f"{path}.result", m, "result")
        if None in (http_method, access, doc, params, result):
            return None
        assert params is not None and result is not None and doc is not None
        page = self.page_size(m, path, params, result)
        rate_limit, window = (
            self.count(m, "rate_limit", path),
            self.count(m, "time_window_days", path),
        )
        if window is not None and not self.has_fields(
            params, _WINDOW_PARAMS, m, "time_window_days", path
        ):
            return None
        groups = self.category_groups(m, path, params)
        if page is None or groups is None:
            return None
        if ("rate_limit" in m and rate_limit is None) or (
            "time_window_days" in m and window is None
        ):
            return None
        return RestEndpoint(
            url, cast(Literal["GET", "POST"], http_method), m["method"], doc,
            cast(Literal["public", "private"], access), params.name, result.name, page[0],
            page[1], rate_limit, window, groups,
        )  # fmt: skip

    def count(self, m: YamlMap, key: str, path: str) -> int | None:
        """``m[key]``, an integer >= 1 when given (``null`` is an error too)."""
        if key in m and m[key] is None:
            self.error(join(path, key), "expected an integer >= 1, got nothing (null)", m, key)
        return self.integer(m, key, path, 1)

    def page_size(
        self, m: YamlMap, path: str, params: ObjectType, result: ObjectType
    ) -> tuple[int | None, int | None] | None:
        """(max, default) of ``page_size``; ``(None, None)`` for an endpoint without pages."""
        if "page_size" not in m:
            return None, None
        sub = f"{path}.page_size"
        pm = self.mapping(m["page_size"], sub, m, "page_size")
        if pm is None or not self.keys(pm, sub, ("max", "default"), ()):
            return None
        high, default = self.count(pm, "max", sub), self.count(pm, "default", sub)
        if high is None or default is None:
            return None
        if default > high:
            self.error(f"{sub}.default", f"{default} is over max ({high})", pm, "default")
            return None
        if not self.has_fields(params, _PAGE_PARAMS, m, "page_size", path):
            return None
        if not self.has_fields(result, _PAGE_RESULT, m, "page_size", path):
            return None
        return high, default

    def has_fields(
        self, t: ObjectType, names: tuple[str, ...], m: YamlMap, key: str, path: str
    ) -> bool:
        missing = [n for n in names if t.field(n) is None]
        if missing:
            self.error(join(path, key), f"{key} needs the field '{missing[0]}' in {t.name}", m, key)
        return not missing

    def category_groups(
        self, m: YamlMap, path: str, params: ObjectType
    ) -> tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] | None:
        key = "require_any_for_categories"
        if key not in m:
            return ()
        sub = f"{path}.{key}"
        cm = self.mapping(m[key], sub, m, key)
        if cm is None:
            return None
        category = params.field("category")
        allowed = (
            tuple(str(v) for v in self.enums[category.type.name].values)
            if category is not None and category.type.kind == "enum"
            else ()
        )
        result = []
        for name, raw in cm.items():
            if name not in allowed:
                self.error(
                    f"{sub}.{name}",
                    f"unknown category '{name}' of {params.name}; use one of "
                    f"{', '.join(allowed) or '(none: it has no category enum)'}",
                    cm,
                    name,
                )
                return None
            wrapped = YamlMap(cm.key_lines[name])  # located at the category's key
            wrapped["require_any"] = raw
            wrapped.key_lines["require_any"] = cm.key_lines[name]
            groups = self.check_require_any(
                wrapped, f"{sub}.{name}", {f.name for f in params.fields}
            )
            if groups is None:
                return None
            if not groups:
                self.error(
                    f"{sub}.{name}", f"expected groups of keys, got {describe(raw)}", cm, name
                )
                return None
            result.append((name, groups))
        return tuple(result)
