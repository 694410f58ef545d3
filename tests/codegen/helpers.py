"""Paths and small helpers shared by the generator tests.

The generator runs in-process here (``run_cli`` calls ``codegen.__main__.main``): a subprocess
costs an interpreter start and the imports each time, and only ``test_main`` needs one.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import codegen
from codegen.__main__ import main
from codegen.spec import parse_spec

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "schema" / "ws_api.yaml"
STREAMS = ROOT / "schema" / "ws_streams.yaml"
REST = ROOT / "schema" / "rest_api.yaml"
SPECS = (SPEC, STREAMS, REST)
GENERATED = ROOT / "generated" / "bybit_wsapi_generated"
SPEC_TEXT = SPEC.read_text(encoding="utf-8")
STREAMS_TEXT = STREAMS.read_text(encoding="utf-8")
REST_TEXT = REST.read_text(encoding="utf-8")


@dataclass(frozen=True)
class Run:
    """The outcome of one ``python -m codegen`` run."""

    returncode: int
    stdout: str
    stderr: str


def run_cli(*args: str, cwd: Path = ROOT) -> Run:
    """``python -m codegen ARGS`` from ``cwd``, in this process."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return Run(code, out.getvalue(), err.getvalue())


def write_specs(
    folder: Path, api: str = SPEC_TEXT, streams: str = STREAMS_TEXT, rest: str | None = None
) -> list[str]:
    """The trade API and streams spec files (and ``rest_api.yaml`` when ``rest`` is given) in
    ``folder``; the ``--spec`` arguments naming them."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = {"ws_api.yaml": api, "ws_streams.yaml": streams, "rest_api.yaml": rest}
    args = []
    for name, text in texts.items():
        if text is not None:
            (folder / name).write_text(text, encoding="utf-8")
            args += ["--spec", str(folder / name)]
    return args


def import_package(pkg: Path, name: str) -> ModuleType:
    """Import the generated package at ``pkg`` under another ``name`` (beside the real one)."""
    spec = importlib.util.spec_from_file_location(
        name, pkg / "__init__.py", submodule_search_locations=[str(pkg)]
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@contextlib.contextmanager
def imported(pkg: Path, name: str) -> Iterator[ModuleType]:
    """:func:`import_package`, forgotten again afterwards."""
    try:
        yield import_package(pkg, name)
    finally:
        for key in [k for k in sys.modules if k == name or k.startswith(f"{name}.")]:
            del sys.modules[key]


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file (its bytes) and folder (``None``) under ``folder``, by relative path."""
    return {
        p.relative_to(folder).as_posix(): None if p.is_dir() else p.read_bytes()
        for p in sorted(folder.rglob("*"))
    }


def copy_generated(dest: Path) -> Path:
    """A copy of generated/bybit_wsapi_generated at ``dest`` (without bytecode caches)."""
    shutil.copytree(GENERATED, dest, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def replace_once(text: str, old: str, new: str) -> str:
    """``text`` with its only occurrence of ``old`` replaced (fails loudly if the spec changed)."""
    assert text.count(old) == 1, f"expected exactly one {old!r} in the spec"
    return text.replace(old, new)


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line of the ``nth`` occurrence of ``needle`` (after any newlines it starts with)."""
    at = -1
    for _ in range(nth):
        at = text.index(needle, at + 1)
    at += len(needle) - len(needle.lstrip("\n"))
    return text.count("\n", 0, at) + 1


def check_loads_or_lists_problems(text: str, name: str) -> None:
    """A spec text either loads or fails with problems that each name the file and say what."""
    try:
        parse_spec(text, name)
    except codegen.InvalidSpecError as exc:
        assert exc.errors, "an InvalidSpecError must list at least one problem"
        for problem in exc.errors:
            assert str(problem).startswith(f"{name}:"), str(problem)
            assert problem.message
