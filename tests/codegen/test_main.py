"""``python -m codegen``: what it prints, its exit codes, and what it writes or refuses to.

Every run but one is in-process (:func:`run_cli`); the one subprocess proves the real entry
point, and that a fresh interpreter with another hash seed generates the same bytes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from .helpers import GENERATED, ROOT, copy_generated, run_cli, snapshot

pytestmark = pytest.mark.usefixtures("reuse_build")

STALE_MODULE = f"# Generated from ws_api.yaml (sha256 {'0' * 64}) by codegen.\nX = 1\n"
"""A module the generator wrote for an older spec: it carries the marker line."""
UP_TO_DATE = "generated/bybit_wsapi_generated is up to date with schema/ws_api.yaml, schema/ws_streams.yaml, schema/rest_api.yaml\n"


def _modify(pkg: Path) -> str:
    with (pkg / "models.py").open("a", encoding="utf-8") as f:
        f.write("# a hand edit\n")
    return f"{pkg / 'models.py'}: differs from what the spec generates"


def _add_stale(pkg: Path) -> str:
    (pkg / "old_module.py").write_text(STALE_MODULE, encoding="utf-8")
    return f"{pkg / 'old_module.py'}: not generated from the spec (stale file)"


def _remove(pkg: Path) -> str:
    (pkg / "streams.py").unlink()
    return f"{pkg / 'streams.py'}: missing"


DAMAGE: dict[str, Callable[[Path], str]] = {
    "modified": _modify,
    "stale": _add_stale,
    "missing": _remove,
}
"""One kind of drift each; returns the line --check must print for it."""


def test_the_real_entry_point_checks_the_repository_with_another_hash_seed() -> None:
    pythonpath = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-m", "codegen", "--check"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": pythonpath, "PYTHONHASHSEED": "12345"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, UP_TO_DATE, "")


def test_check_passes_on_the_repository() -> None:
    run = run_cli("--check")
    assert (run.returncode, run.stdout, run.stderr) == (0, UP_TO_DATE, "")


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_check_fails_and_names_the_file(damage: str, tmp_path: Path) -> None:
    pkg = copy_generated(tmp_path / "bybit_wsapi_generated")
    expected = DAMAGE[damage](pkg)
    before = snapshot(pkg)
    run = run_cli("--check", "--out", str(pkg))
    assert run.returncode == 1
    assert run.stderr.splitlines() == [
        expected,
        "generated code is out of date: run `make generate`",
    ]
    assert run.stdout == ""
    assert snapshot(pkg) == before, "--check must not write"


def test_regenerating_removes_stale_files_and_leaves_no_staging_folder(
    tmp_path: Path, built: Mapping[str, str]
) -> None:
    pkg = copy_generated(tmp_path / "bybit_wsapi_generated")
    _add_stale(pkg)
    (pkg / "__pycache__").mkdir()
    (pkg / "__pycache__" / "old_module.cpython-311.pyc").write_bytes(b"\x00bytecode")
    run = run_cli("--out", str(pkg))
    assert run.returncode == 0, run.stderr
    assert run.stdout == (
        f"generated {pkg} ({len(built)} files) from schema/ws_api.yaml, schema/ws_streams.yaml, schema/rest_api.yaml\n"
    )
    assert snapshot(pkg) == {name: text.encode() for name, text in built.items()}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bybit_wsapi_generated"]


def test_generator_refuses_to_replace_hand_written_files(tmp_path: Path) -> None:
    pkg = copy_generated(tmp_path / "bybit_wsapi_generated")
    (pkg / "notes.txt").write_text('"""Written by a person."""\n', encoding="utf-8")
    _add_stale(pkg)
    before = snapshot(pkg)
    run = run_cli("--out", str(pkg))
    assert run.returncode == 1
    assert run.stderr == (
        f"error: refusing to replace {pkg}: it holds files not written by codegen (notes.txt)\n"
    )
    assert snapshot(pkg) == before, "nothing may be deleted or written"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bybit_wsapi_generated"]


def test_generator_refuses_a_file_as_output_folder(tmp_path: Path) -> None:
    pkg = tmp_path / "bybit_wsapi_generated"
    pkg.write_text("not a folder\n", encoding="utf-8")
    run = run_cli("--out", str(pkg))
    assert (run.returncode, run.stderr) == (1, f"error: {pkg} is not a folder\n")
    assert pkg.read_text(encoding="utf-8") == "not a folder\n"


def test_the_repository_package_is_untouched_by_these_tests() -> None:
    assert run_cli("--check", "--out", str(GENERATED)).returncode == 0
