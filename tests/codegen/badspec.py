"""Bad trade specs and the two ways every case is checked: ``load_spec`` and the CLI.

Each case is a small mutation of the real ``ws_api.yaml``. Expected lines are computed from the
mutated text (where the offending key ends up), so the cases survive unrelated edits of the
spec while still pinning the exact ``file:line: dotted.path: message`` text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

import codegen

from .helpers import copy_generated, run_cli, snapshot


@dataclass(frozen=True)
class BadSpec:
    id: str
    content: bytes | None
    """The file's bytes; ``None``: there is no file."""
    expected: Callable[[str, str], list[str]]
    """(the spec file as named, its text) -> every problem, in order."""

    @property
    def text(self) -> str:
        return "" if self.content is None else self.content.decode("utf-8", errors="replace")


def case(id: str, text: str, expected: Callable[[str, str], list[str]]) -> BadSpec:
    return BadSpec(id, text.encode("utf-8"), expected)


def _write(bad: BadSpec, folder: Path) -> Path:
    path = folder / "ws_api.yaml"
    if bad.content is not None:
        path.write_bytes(bad.content)
    return path


def check_load_spec(bad: BadSpec, tmp_path: Path) -> None:
    """``load_spec`` lists exactly the expected problems, each naming the file."""
    path = _write(bad, tmp_path)
    with pytest.raises(codegen.InvalidSpecError) as caught:
        codegen.load_spec(path)
    problems = [str(p) for p in caught.value.errors]
    assert problems == bad.expected(str(path), bad.text)
    assert str(caught.value) == "\n".join(problems)
    assert all(p.file == str(path) for p in caught.value.errors)


def check_cli(bad: BadSpec, tmp_path: Path) -> None:
    """``python -m codegen`` prints exactly the problems and a count, and writes nothing."""
    _write(bad, tmp_path)
    out = copy_generated(tmp_path / "out" / "bybit_wsapi_generated").parent
    before = snapshot(out)
    run = run_cli("--spec", "ws_api.yaml", "--out", "out/bybit_wsapi_generated", cwd=tmp_path)
    expected = bad.expected("ws_api.yaml", bad.text)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert run.stderr.splitlines() == [
        *expected,
        f"{len(expected)} error(s) in the spec; nothing was written",
    ]
    assert run.stdout == ""
    assert snapshot(out) == before
