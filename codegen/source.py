"""Read a YAML file into plain values that remember the line each key came from.

PyYAML silently keeps the last of two equal keys; a spec must not, so mappings are built here
from the composed node tree, which also gives every value a path and a line for error messages.
"""

from __future__ import annotations

from typing import Any

import yaml

from .errors import InvalidSpecError, SpecProblem

__all__ = ["YamlMap", "load_yaml"]


class YamlMap(dict[str, Any]):
    """A YAML mapping: a dict whose keys are strings, plus the line of each key."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        """1-based line where the mapping starts."""
        self.key_lines: dict[str, int] = {}
        """1-based line of each key."""


class _Builder:
    def __init__(self, file: str, loader: yaml.SafeLoader | yaml.CSafeLoader) -> None:
        self.file = file
        self.loader = loader
        self.errors: list[SpecProblem] = []
        self.active: set[int] = set()
        """Ids of the collection nodes being built: an alias to one of them is a cycle."""
        self.built: set[int] = set()
        """Ids of the collection nodes built: meeting one again means an alias."""

    def build(self, node: yaml.Node, path: str) -> Any:
        line = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
            if id(node) in self.active:
                self.errors.append(
                    SpecProblem(
                        self.file, path, "recursive YAML alias (an anchor inside itself)", line
                    )
                )
                return None
            if id(node) in self.built:  # expanding aliases of aliases grows exponentially
                self.errors.append(
                    SpecProblem(
                        self.file,
                        path,
                        "YAML aliases of mappings or lists are not supported; write it out "
                        "(or use from:/extends:)",
                        line,
                    )
                )
                return None
            self.built.add(id(node))
            self.active.add(id(node))
            try:
                return self._build_collection(node, path, line)
            finally:
                self.active.discard(id(node))
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.YAMLError:
            raise
        except Exception as exc:  # PyYAML's scalar constructors raise ValueError, IndexError, ...
            tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
            self.errors.append(
                SpecProblem(
                    self.file,
                    path,
                    f"malformed YAML: cannot read {node.value!r} as {tag} ({exc})",
                    line,
                )
            )
            return None

    def _build_collection(
        self, node: yaml.MappingNode | yaml.SequenceNode, path: str, line: int
    ) -> Any:
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, f"{path}[{i}]") for i, item in enumerate(node.value)]
        result = YamlMap(line)
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.errors.append(
                    SpecProblem(
                        self.file,
                        path,
                        "merge keys ('<<') are not supported; write the keys out (or use from:/extends:)",
                        key_line,
                    )
                )
                continue
            key = self.build(key_node, path)
            if not isinstance(key, str):
                self.errors.append(
                    SpecProblem(self.file, path, f"key {key!r} is not a string; quote it", key_line)
                )
                continue
            child = f"{path}.{key}" if path else key
            if key in result:
                first = result.key_lines[key]
                self.errors.append(
                    SpecProblem(
                        self.file,
                        child,
                        f"duplicate key '{key}' (first defined on line {first})",
                        key_line,
                    )
                )
                continue
            value = self.build(value_node, child)
            if isinstance(value, YamlMap):
                # A nested mapping is reported at the key that names it, not at its first key.
                value.line = key_line
            result[key] = value
            result.key_lines[key] = key_line
        return result


_FAST_LOADER: type[yaml.CSafeLoader] | None = getattr(yaml, "CSafeLoader", None)
"""libyaml's parser, when PyYAML was built with it: ten times faster on the spec. Text it
rejects is read again by the pure-Python loader, whose messages name the problem best."""


class _FastLoaderError(Exception):
    """The fast loader failed on YAML syntax: read the text again with the pure loader."""


def load_yaml(text: str, file: str) -> Any:
    """Parse ``text`` (the contents of ``file``) into dicts (``YamlMap``), lists and scalars.

    Raises:
        InvalidSpecError: the text is not valid YAML, is empty, or repeats a key in a mapping.
    """
    if _FAST_LOADER is not None:
        try:
            return _load(text, file, _FAST_LOADER(text))
        except _FastLoaderError:
            pass
    try:
        loader = yaml.SafeLoader(text)
    except yaml.reader.ReaderError as exc:  # raised at once for a non-printable character
        at = text.count("\n", 0, exc.position) + 1
        raise InvalidSpecError(
            [SpecProblem(file, "", f"malformed YAML: {_reader_problem(exc)}", at)]
        ) from None
    return _load(text, file, loader)


def _load(text: str, file: str, loader: yaml.SafeLoader | yaml.CSafeLoader) -> Any:
    fast = not isinstance(loader, yaml.SafeLoader)
    try:
        node = loader.get_single_node()
        if node is None:
            raise InvalidSpecError([SpecProblem(file, "", "the file is empty")])
        builder = _Builder(file, loader)
        value = builder.build(node, "")
    except yaml.YAMLError as exc:
        if fast:
            raise _FastLoaderError from exc
        if isinstance(exc, yaml.MarkedYAMLError):
            mark = exc.problem_mark or exc.context_mark
            line = None if mark is None else mark.line + 1
            problem = exc.problem or exc.context or "invalid YAML"
            raise InvalidSpecError(
                [SpecProblem(file, "", f"malformed YAML: {problem}", line)]
            ) from None
        raise InvalidSpecError([SpecProblem(file, "", f"malformed YAML: {exc}")]) from None
    finally:
        loader.dispose()
    if builder.errors:
        raise InvalidSpecError(builder.errors)
    return value


def _reader_problem(exc: yaml.reader.ReaderError) -> str:
    char = exc.character
    code = ord(char) if isinstance(char, str) else char
    return f"unacceptable character #x{code:04x}: {exc.reason}"
