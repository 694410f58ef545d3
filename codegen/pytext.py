"""Python source text from the spec: annotations, literals and safe docstrings."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from .ir import Field, TypeRef

__all__ = [
    "LINE_LENGTH",
    "annotation",
    "docstring",
    "doctext",
    "literal",
    "literal_or_never",
    "py_type",
    "type_params",
]

LINE_LENGTH = 100
PY_PRIMITIVES = {
    "string": "str",
    "decimal": "str",
    "integer": "int",
    "number": "float",
    "boolean": "bool",
    "json": "Any",
}
TYPEVARS = {
    "params": "TParams",
    "data": "TData",
    "operation": "TOperation",
    "ret_ext_info": "TRetExtInfo",
}
"""Type parameter of each generic, in the order they appear in ``Frame[...]``."""


def py_type(ref: TypeRef) -> str:
    """The Python annotation of a field type."""
    if ref.kind == "primitive":
        return PY_PRIMITIVES[ref.name]
    if ref.kind in ("array", "map"):
        assert ref.items is not None
        inner = py_type(ref.items)
        return f"list[{inner}]" if ref.kind == "array" else f"dict[str, {inner}]"
    if ref.kind == "generic":
        return TYPEVARS[ref.name]
    return ref.name


def literal(values: Iterable[str | int]) -> str:
    """``Literal[...]`` of ``values``, in their order."""
    return f"Literal[{', '.join(repr(v) for v in values)}]"


def literal_or_never(values: Iterable[str | int]) -> str:
    """``Literal[...]`` of ``values``, or ``Never`` when there are none."""
    values = list(values)
    return literal(values) if values else "Never"


def annotation(f: Field) -> str:
    """The annotation of a TypedDict key, ``NotRequired`` when optional."""
    text = py_type(f.type)
    if f.placeholders:
        text += f" | {literal(f.placeholders)}"
    if f.nullable:
        text += " | None"
    return text if f.required else f"NotRequired[{text}]"


def type_params(generics: tuple[str, ...]) -> list[str]:
    """TypeVar names of a frame, in the canonical order (params, data, operation, ret_ext_info)."""
    return [tv for g, tv in TYPEVARS.items() if g in generics]


def docstring(text: str, indent: int = 0) -> str:
    """A triple-quoted docstring of ``text``, wrapped to the line length, safe for any text.

    Paragraphs are separated by blank lines; the first line sits right after the quotes.
    """
    pad = " " * indent
    body = text.strip().replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if body.startswith('"'):
        body = "\\" + body
    if body.endswith('"'):
        body = body[:-1] + '\\"'
    if "\n" not in body and len(pad) + len(body) + 6 <= LINE_LENGTH:
        return f'"""{body}"""'
    lines: list[str] = []
    for paragraph in body.split("\n\n"):
        lines.extend(
            textwrap.wrap(
                paragraph, LINE_LENGTH - indent - 3, break_long_words=False, break_on_hyphens=False
            )
        )
        lines.append("")
    lines[-1] = '"""'
    return '"""' + "\n".join(
        [lines[0], *(f"{pad}{line}" if line else "" for line in lines[1:-1]), pad + lines[-1]]
    )


def doctext(text: str) -> str:
    """``text`` made safe inside a docstring (no escapes, no closing quotes), on one line."""
    return " ".join(text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').split())
