"""Write the generated package, or compare it with what is on disk.

Writing is all or nothing: the files go to a sibling temporary folder that then replaces the old
package, so stale files never survive and a failure never leaves half-written output.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from .errors import UnsafeOutputError
from .render import GENERATED_MARKER

__all__ = ["UnsafeOutputError", "compare_package", "write_package"]


def _foreign_files(out: Path) -> list[str]:
    """Files under ``out`` that do not carry the generated-file marker."""
    foreign = []
    for path in sorted(out.rglob("*")):
        if path.is_dir() or path.name == "py.typed" or "__pycache__" in path.parts:
            continue
        try:
            first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        except (OSError, UnicodeDecodeError):
            first = ""
        if not first.startswith(GENERATED_MARKER):
            foreign.append(str(path.relative_to(out)))
    return foreign


def write_package(files: Mapping[str, str], out: Path) -> None:
    """Replace the folder ``out`` with exactly ``files``.

    Raises:
        UnsafeOutputError: ``out`` exists and holds files that were not generated.
    """
    out = Path(os.path.abspath(out))  # "." and ".." have no name to derive the staging folder from
    if not out.name:
        raise UnsafeOutputError(f"{out} cannot be replaced; name a package folder")
    if out.exists():
        if not out.is_dir():
            raise UnsafeOutputError(f"{out} is not a folder")
        foreign = _foreign_files(out)
        if foreign:
            raise UnsafeOutputError(
                f"refusing to replace {out}: it holds files not written by codegen ({', '.join(foreign[:3])})"
            )
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.with_name(f".{out.name}.new")
    retired = out.with_name(f".{out.name}.old")
    for leftover in (staging, retired):
        shutil.rmtree(leftover, ignore_errors=True)
    staging.mkdir()
    try:
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8", newline="\n")
        if out.exists():
            out.rename(retired)
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if retired.exists() and not out.exists():
            retired.rename(out)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def compare_package(files: Mapping[str, str], out: Path) -> list[str]:
    """How ``out`` differs from ``files``: one line per missing, extra or changed file."""
    problems = []
    on_disk = {
        str(p.relative_to(out))
        for p in (out.rglob("*") if out.is_dir() else ())
        if p.is_file() and "__pycache__" not in p.parts
    }
    for name in sorted(on_disk | set(files)):
        if name not in files:
            problems.append(f"{out / name}: not generated from the spec (stale file)")
        elif name not in on_disk:
            problems.append(f"{out / name}: missing")
        elif (out / name).read_bytes() != files[name].encode("utf-8"):
            problems.append(f"{out / name}: differs from what the spec generates")
    return problems
