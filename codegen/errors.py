"""Every error the generator reports: spec problems (located), tool failures, unsafe output."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["GenerationError", "InvalidSpecError", "SpecProblem", "UnsafeOutputError"]


@dataclass(frozen=True)
class SpecProblem:
    """One problem found in a spec file.

    ``str()`` gives ``schema/ws_api.yaml:57: types.OrderParamsV5.fields.side: unknown enum 'Sides'``.
    """

    file: str
    """The spec file as the user named it."""
    path: str
    """Dotted path inside the file (``""`` for the whole file)."""
    message: str
    line: int | None = None
    """1-based line of the offending node, when known."""

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class InvalidSpecError(Exception):
    """The spec cannot be used; ``errors`` lists every problem found."""

    def __init__(self, errors: Sequence[SpecProblem]) -> None:
        self.errors = tuple(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


class GenerationError(Exception):
    """A tool under the generator failed on a spec that passed validation."""


class UnsafeOutputError(Exception):
    """The output folder holds files the generator did not write; it is left untouched."""
