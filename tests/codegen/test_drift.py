"""generated/ is exactly what the spec generates, generation is deterministic, and the output
folder is replaced safely: stale files go, hand-written files stop the generator.

Every ``python -m codegen`` run renders for about a second, so the command-line scenarios are
prepared and started together by one module fixture and each test then checks its own run.
"""

from __future__ import annotations

import filecmp
import hashlib
import re
import shutil
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import bybit_wsapi_generated
import pytest

import codegen
from codegen.output import UnsafeOutputError, compare_package, write_package

from .helpers import GENERATED, ROOT, SPEC, copy_generated, run_codegen_many, snapshot

SPEC_SHA256 = hashlib.sha256(SPEC.read_bytes()).hexdigest()
STALE_MODULE = f"# Generated from ws_api.yaml (sha256 {'0' * 64}) by codegen.\nX = 1\n"
"""A module the generator wrote for an older spec: it carries the marker line."""
HAND_WRITTEN = '"""Written by a person."""\n'


def _modify(pkg: Path) -> str:
    with (pkg / "models.py").open("a", encoding="utf-8") as f:
        f.write("# a hand edit\n")
    return f"{pkg / 'models.py'}: differs from what the spec generates"


def _add_stale(pkg: Path) -> str:
    (pkg / "old_module.py").write_text(STALE_MODULE, encoding="utf-8")
    return f"{pkg / 'old_module.py'}: not generated from the spec (stale file)"


def _remove(pkg: Path) -> str:
    (pkg / "tables.py").unlink()
    return f"{pkg / 'tables.py'}: missing"


DAMAGE: dict[str, Callable[[Path], str]] = {
    "modified": _modify,
    "stale": _add_stale,
    "missing": _remove,
}
"""One kind of drift each; returns the line --check must print for it."""


@dataclass(frozen=True)
class Scenario:
    pkg: Path
    """The --out folder."""
    before: Mapping[str, bytes | None]
    """Its contents before the run."""
    expected: str
    """What the run should report."""
    done: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Scenario]:
    base = tmp_path_factory.mktemp("drift")
    prepared: dict[str, tuple[Path, str, list[str]]] = {}
    for name in ("first", "second"):
        prepared[name] = (base / name / "out", "", ["--out", str(base / name / "out")])
    prepared["check-repo"] = (GENERATED, "", ["--check"])
    for name, damage in DAMAGE.items():
        pkg = copy_generated(base / name / "bybit_wsapi_generated")
        prepared[f"check-{name}"] = (pkg, damage(pkg), ["--check", "--out", str(pkg)])
    pkg = copy_generated(base / "stale-removal" / "bybit_wsapi_generated")
    _add_stale(pkg)
    (pkg / "__pycache__").mkdir()
    (pkg / "__pycache__" / "old_module.cpython-311.pyc").write_bytes(b"\x00bytecode")
    prepared["regenerate-stale"] = (pkg, "", ["--out", str(pkg)])
    pkg = copy_generated(base / "hand-written" / "bybit_wsapi_generated")
    (pkg / "notes.txt").write_text(HAND_WRITTEN, encoding="utf-8")
    _add_stale(pkg)
    prepared["refuse"] = (pkg, "", ["--out", str(pkg)])
    pkg = base / "a-file" / "bybit_wsapi_generated"
    pkg.parent.mkdir()
    pkg.write_text("not a folder\n", encoding="utf-8")
    prepared["refuse-file"] = (pkg, "", ["--out", str(pkg)])

    befores = {key: snapshot(pkg) if pkg.is_dir() else {} for key, (pkg, _, _) in prepared.items()}
    done = run_codegen_many({key: args for key, (_, _, args) in prepared.items()})
    return {
        key: Scenario(pkg, befores[key], expected, done[key])
        for key, (pkg, expected, _) in prepared.items()
    }


@pytest.fixture(scope="module")
def built() -> Mapping[str, str]:
    """What the spec generates, rendered in memory once for this module."""
    return codegen.build(SPEC)


def _same_tree(a: Path, b: Path) -> list[str]:
    """Names that differ between two flat folders (missing, extra or changed bytes)."""
    names = sorted(
        {p.name for p in a.iterdir() if p.is_file()} | {p.name for p in b.iterdir() if p.is_file()}
    )
    _, mismatch, errors = filecmp.cmpfiles(a, b, names, shallow=False)
    return sorted(mismatch + errors)


def _without_caches(files: Mapping[str, bytes | None]) -> dict[str, bytes | None]:
    return {k: v for k, v in files.items() if "__pycache__" not in k}


# -- regenerating ----------------------------------------------------------------------------


def test_regenerating_gives_byte_identical_files(runs: dict[str, Scenario]) -> None:
    first = runs["first"]
    assert first.done.returncode == 0, first.done.stderr
    assert _same_tree(first.pkg, GENERATED) == []


def test_generating_twice_gives_identical_output(runs: dict[str, Scenario]) -> None:
    first, second = runs["first"], runs["second"]
    assert second.done.returncode == 0, second.done.stderr
    assert snapshot(first.pkg) == snapshot(second.pkg)
    assert len(snapshot(first.pkg)) == 6


def test_output_does_not_depend_on_where_the_spec_lives(
    tmp_path: Path, built: Mapping[str, str]
) -> None:
    elsewhere = tmp_path / "some" / "other" / "place" / "ws_api.yaml"
    elsewhere.parent.mkdir(parents=True)
    shutil.copyfile(SPEC, elsewhere)
    assert codegen.build(elsewhere) == built
    assert {name: text.encode() for name, text in built.items()} == snapshot(GENERATED)


# -- python -m codegen --check ---------------------------------------------------------------


def test_check_passes_on_the_repository(runs: dict[str, Scenario]) -> None:
    done = runs["check-repo"].done
    assert done.returncode == 0, done.stderr
    assert done.stdout == "generated/bybit_wsapi_generated is up to date with schema/ws_api.yaml\n"
    assert done.stderr == ""


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_check_fails_and_names_the_file(runs: dict[str, Scenario], damage: str) -> None:
    run = runs[f"check-{damage}"]
    assert run.done.returncode == 1
    assert "Traceback" not in run.done.stderr
    assert run.done.stderr.splitlines() == [
        run.expected,
        "generated code is out of date: run `make generate`",
    ]
    assert run.done.stdout == ""
    assert snapshot(run.pkg) == run.before, "--check must not write"


def test_an_undamaged_copy_passes_the_same_comparison(
    tmp_path: Path, built: Mapping[str, str]
) -> None:
    """The failures above come from the damage, not from copying the folder."""
    assert compare_package(built, copy_generated(tmp_path / "pkg")) == []


def test_compare_is_byte_exact(tmp_path: Path, built: Mapping[str, str]) -> None:
    """CRLF line endings or a stray byte are drift, even where text-mode reading hides them."""
    pkg = copy_generated(tmp_path / "pkg")
    envelope = pkg / "envelope.py"
    envelope.write_bytes(envelope.read_bytes().replace(b"\n", b"\r\n"))
    (pkg / "tables.py").write_bytes((pkg / "tables.py").read_bytes() + b"\xff")
    assert compare_package(built, pkg) == [
        f"{envelope}: differs from what the spec generates",
        f"{pkg / 'tables.py'}: differs from what the spec generates",
    ]


# -- python -m codegen (writing) -------------------------------------------------------------


def test_regenerating_removes_stale_generated_files(runs: dict[str, Scenario]) -> None:
    run = runs["regenerate-stale"]
    assert run.done.returncode == 0, run.done.stderr
    assert "old_module.py" in run.before
    assert _without_caches(snapshot(run.pkg)) == _without_caches(snapshot(GENERATED))
    assert sorted(p.name for p in run.pkg.parent.iterdir()) == ["bybit_wsapi_generated"], (
        "no staging folder may be left behind"
    )


def test_generator_refuses_to_replace_hand_written_files(runs: dict[str, Scenario]) -> None:
    run = runs["refuse"]
    assert run.done.returncode == 1
    assert run.done.stderr == (
        f"error: refusing to replace {run.pkg}: it holds files not written by codegen (notes.txt)\n"
    )
    assert snapshot(run.pkg) == run.before, "nothing may be deleted or written"
    assert sorted(p.name for p in run.pkg.parent.iterdir()) == ["bybit_wsapi_generated"]


@pytest.mark.parametrize("hand_written", ["helpers.py", "sub/extra.py", "data.bin"])
def test_writer_refuses_any_file_without_the_marker(tmp_path: Path, hand_written: str) -> None:
    pkg = copy_generated(tmp_path / "bybit_wsapi_generated")
    target = pkg / hand_written
    target.parent.mkdir(exist_ok=True)
    target.write_bytes(b"\x89PNG\xff" if hand_written.endswith(".bin") else HAND_WRITTEN.encode())
    before = snapshot(pkg)
    with pytest.raises(UnsafeOutputError) as caught:
        write_package({"x.py": "# Generated from x\n"}, pkg)
    assert str(caught.value) == (
        f"refusing to replace {pkg}: it holds files not written by codegen ({hand_written})"
    )
    assert snapshot(pkg) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bybit_wsapi_generated"]


def test_generator_refuses_a_file_as_output_folder(runs: dict[str, Scenario]) -> None:
    run = runs["refuse-file"]
    assert run.done.returncode == 1
    assert run.done.stderr == f"error: {run.pkg} is not a folder\n"
    assert run.pkg.read_text(encoding="utf-8") == "not a folder\n"


# -- what every generated file carries -------------------------------------------------------

GENERATED_FILES = sorted(p.name for p in GENERATED.iterdir() if p.is_file())


def test_generated_folder_holds_exactly_the_expected_files() -> None:
    assert GENERATED_FILES == [
        "__init__.py",
        "envelope.py",
        "models.py",
        "operations.py",
        "py.typed",
        "tables.py",
    ]


@pytest.mark.parametrize("name", [n for n in GENERATED_FILES if n.endswith(".py")])
def test_every_module_starts_with_the_marker_and_the_spec_hash(name: str) -> None:
    first_line = (GENERATED / name).read_text(encoding="utf-8").split("\n", 1)[0]
    assert first_line == (
        f"# Generated from ws_api.yaml (sha256 {SPEC_SHA256}) by codegen."
        " DO NOT EDIT: change the spec or codegen/templates, then run `make generate`."
    )


def test_spec_sha256_constant_is_the_hash_of_the_spec() -> None:
    assert bybit_wsapi_generated.SPEC_SHA256 == SPEC_SHA256


_DATE_OR_TIME = re.compile(r"\b(19|20)\d\d-[01]\d-[0-3]\d\b|\b[0-2]\d:[0-5]\d:[0-5]\d\b")


@pytest.mark.parametrize("name", GENERATED_FILES)
def test_no_absolute_paths_or_timestamps_in_generated_files(name: str) -> None:
    text = (GENERATED / name).read_text(encoding="utf-8")
    for path in {str(ROOT), f"{Path.home()}/", "/tmp/", "/home/", "/root/", "C:\\"}:
        assert path not in text, f"{name} contains the absolute path {path}"
    assert not re.search(r"^#\s*(timestamp|filename):", text, re.MULTILINE), name
    assert not _DATE_OR_TIME.search(text), f"{name} contains a date or time"
