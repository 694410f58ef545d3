"""Load and validate the spec: one or more YAML files -> the intermediate model (:mod:`.ir`).

:func:`load_spec` checks everything the generator and the local server rely on and reports every
problem at once, each with the file, the line and the path inside the spec. The first file is the
trade API (``ws_api.yaml``); later files (``ws_streams.yaml``, ``rest_api.yaml``) add enums,
types, stream sockets, topics and REST endpoints, and may use what earlier files define. The format is documented in
``schema/README.md``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .errors import InvalidSpecError, SpecProblem
from .ir import Batch, EnumDef, Field, Frame, ObjectType, Operation, Spec, TypeRef
from .names import response_alias_name
from .operations import ACTIONS, OperationChecks
from .rest import RestChecks
from .source import YamlMap, load_yaml
from .topics import TopicChecks
from .typedefs import GENERICS, PRIMITIVES

__all__ = [
    "ACTIONS",
    "DEFAULT_SPECS",
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
    "parse_specs",
    "response_alias_name",
]

FORMAT_VERSION = 1
DEFAULT_SPECS = (
    Path("schema/ws_api.yaml"),
    Path("schema/ws_streams.yaml"),
    Path("schema/rest_api.yaml"),
)
"""The spec files ``python -m codegen`` reads by default, in order."""
_API_KEYS = ("format", "api", "enums", "types", "envelope", "operations")
_STREAM_KEYS = ("dialects", "streams", "topics", "rest")


def load_spec(path: str | Path, *more: str | Path) -> Spec:
    """Read and validate the spec at ``path`` (the trade API), extended by the files ``more``.

    Raises:
        InvalidSpecError: with every problem found; nothing is partially loaded.
    """
    sources = []
    for p in (path, *more):
        name = str(p)
        try:
            raw = Path(p).read_bytes()
        except OSError as exc:
            raise InvalidSpecError(
                [SpecProblem(name, "", f"cannot read the spec: {exc.strerror}")]
            ) from None
        try:
            sources.append((raw.decode("utf-8"), name))
        except UnicodeDecodeError as exc:
            raise InvalidSpecError(
                [SpecProblem(name, "", f"not UTF-8 text ({exc.reason} at byte {exc.start})")]
            ) from None
    return parse_specs(sources)


def parse_spec(text: str, file: str) -> Spec:
    """Validate spec ``text`` (one file); ``file`` names it in error messages."""
    return parse_specs([(text, file)])


def parse_specs(sources: Sequence[tuple[str, str]]) -> Spec:
    """Validate the spec files ``[(text, file name), ...]``: the trade API first."""
    roots = [(load_yaml(text, file), file) for text, file in sources]
    digest = hashlib.sha256(b"".join(text.encode("utf-8") for text, _ in sources)).hexdigest()
    checker = _Checker(sources[0][1])
    spec = checker.check(roots, digest)
    if checker.errors or spec is None:
        raise InvalidSpecError(checker.errors)
    return spec


class _Checker(OperationChecks, TopicChecks, RestChecks):
    """Walks the raw YAML values of every file, collecting errors instead of stopping."""

    def check(self, roots: Sequence[tuple[Any, str]], sha256: str) -> Spec | None:
        api = request = response = None
        operations: tuple[Operation, ...] = ()
        for i, (data, file) in enumerate(roots):
            self.file = file
            root = self.mapping(data, "", None, None)
            if root is None:
                return None
            required = _API_KEYS if i == 0 else ("format",)
            optional = _STREAM_KEYS if i == 0 else ("enums", "types", *_STREAM_KEYS)
            if not self.keys(root, "", required, optional) or not self.check_format(root):
                return None
            if i == 0:
                api = self.check_api(root)
                if api is not None:
                    self.reserved_keys[api[2][0]] = "the trade API (api.ws_key)"
                    self.reserved_keys[api[2][1]] = "the trade API (api.ws_key)"
            self.check_types_of(root)
            if i == 0:
                request, response = self.check_envelope(root)
                operations = self.check_operations(root, api[3] if api else None)
            for key, check in (
                ("dialects", self.check_dialects),
                ("streams", self.check_streams),
                ("topics", self.check_topics),
                ("rest", self.check_rest),
            ):
                if key in root:
                    check(root)
        self.file = roots[0][1]
        if self.errors or api is None or request is None or response is None:
            return None
        return Spec(
            file_name=", ".join(Path(file).name for _, file in roots),
            sha256=sha256,
            title=api[0],
            path=api[1],
            ws_key_attribute=api[2][0],
            ws_key_value=api[2][1],
            category_field=api[3],
            enums=tuple(self.enums.values()),
            types=tuple(t for t in self.types.values() if t is not None),
            request=request,
            response=response,
            operations=operations,
            dialects=tuple(self.dialects.values()),
            streams=tuple(self.streams.values()),
            topics=tuple(self.topics.values()),
            rest=tuple(self.rest.values()),
        )

    def check_format(self, root: YamlMap) -> bool:
        if isinstance(root["format"], bool) or root["format"] != FORMAT_VERSION:
            self.error(
                "format",
                f"unsupported format {root['format']!r}; this generator reads {FORMAT_VERSION}",
                root,
                "format",
            )
            return False
        return True

    def check_types_of(self, root: YamlMap) -> None:
        """Enums and types of one file, resolved before the next file is read."""
        if "enums" in root:
            self.check_enums(root)
        if "types" in root:
            before = set(self.raw_types)
            self.collect_types(root)
            for name in [n for n in self.raw_types if n not in before]:
                self.resolve_type(name)
