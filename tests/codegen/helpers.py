"""Paths and small helpers shared by the generator tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import codegen
from codegen.spec import parse_spec

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "schema" / "ws_api.yaml"
GENERATED = ROOT / "generated" / "bybit_wsapi_generated"
SPEC_TEXT = SPEC.read_text(encoding="utf-8")


def run_codegen(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """``python -m codegen ARGS`` in a subprocess, from ``cwd`` (the repo's codegen either way)."""
    pythonpath = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "codegen", *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": pythonpath},
        capture_output=True,
        text=True,
        check=False,
    )


def run_codegen_many(
    jobs: Mapping[str, Sequence[str]], cwd: Mapping[str, Path] | None = None, workers: int = 4
) -> dict[str, subprocess.CompletedProcess[str]]:
    """Independent ``python -m codegen`` runs, a few at a time: ``{key: run}`` for ``{key: args}``.

    ``cwd`` gives a key's working folder (the repository by default).
    """
    folders = cwd or {}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {
            key: pool.submit(run_codegen, *args, cwd=folders.get(key, ROOT))
            for key, args in jobs.items()
        }
        return {key: future.result() for key, future in futures.items()}


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
