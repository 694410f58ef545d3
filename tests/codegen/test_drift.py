"""generated/ is exactly what the spec generates, and generation is deterministic."""

from __future__ import annotations

import filecmp
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GENERATED = ROOT / "generated" / "bybit_wsapi_generated"


def _generate(out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "codegen", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def _same_tree(a: Path, b: Path) -> list[str]:
    """Names that differ between two flat folders (missing, extra or changed bytes)."""
    names = sorted({p.name for p in a.iterdir() if p.is_file()} | {p.name for p in b.iterdir() if p.is_file()})
    _, mismatch, errors = filecmp.cmpfiles(a, b, names, shallow=False)
    return sorted(mismatch + errors)


def test_regenerating_gives_byte_identical_files(tmp_path: Path) -> None:
    done = _generate(tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert _same_tree(tmp_path / "out", GENERATED) == []


def test_generating_twice_gives_identical_output(tmp_path: Path) -> None:
    for name in ("first", "second"):
        assert _generate(tmp_path / name).returncode == 0
    assert _same_tree(tmp_path / "first", tmp_path / "second") == []
