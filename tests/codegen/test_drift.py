"""generated/ is exactly what the spec generates, and generating is deterministic.

The package is rendered once per session (the ``built`` fixture); one subprocess run (in
``test_main``) shows a fresh interpreter with another hash seed writes the same bytes.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Mapping
from pathlib import Path

import bybit_wsapi_generated
import pytest

import codegen
from codegen.output import compare_package

from .helpers import GENERATED, ROOT, SPECS, snapshot

SPEC_SHA256 = hashlib.sha256(b"".join(p.read_bytes() for p in SPECS)).hexdigest()
GENERATED_FILES = sorted(p.name for p in GENERATED.iterdir() if p.is_file())


def test_the_repository_holds_exactly_what_the_spec_generates(built: Mapping[str, str]) -> None:
    assert compare_package(built, GENERATED) == []
    on_disk = {k: v for k, v in snapshot(GENERATED).items() if "__pycache__" not in k}
    assert {name: text.encode() for name, text in built.items()} == on_disk


def test_rendering_twice_gives_identical_output(built: Mapping[str, str]) -> None:
    assert codegen.build(*SPECS) == built


def test_output_does_not_depend_on_where_the_spec_lives(
    tmp_path: Path, built: Mapping[str, str]
) -> None:
    elsewhere = tmp_path / "some" / "other" / "place"
    elsewhere.mkdir(parents=True)
    copies = [Path(shutil.copy(p, elsewhere / p.name)) for p in SPECS]
    assert codegen.build(*copies) == built


def test_generated_folder_holds_exactly_the_expected_files() -> None:
    assert GENERATED_FILES == [
        "__init__.py",
        "envelope.py",
        "models.py",
        "operations.py",
        "py.typed",
        "rest.py",
        "streams.py",
        "subscriptions.py",
        "sync_operations.py",
        "sync_subscriptions.py",
        "tables.py",
    ]


@pytest.mark.parametrize("name", [n for n in GENERATED_FILES if n.endswith(".py")])
def test_every_module_starts_with_the_marker_and_the_spec_hash(name: str) -> None:
    first_line = (GENERATED / name).read_text(encoding="utf-8").split("\n", 1)[0]
    assert first_line == (
        f"# Generated from ws_api.yaml, ws_streams.yaml, rest_api.yaml (sha256 {SPEC_SHA256}) by codegen."
        " DO NOT EDIT: change the spec or codegen/templates, then run `make generate`."
    )


def test_spec_sha256_constant_is_the_hash_of_the_spec_files() -> None:
    assert bybit_wsapi_generated.SPEC_SHA256 == SPEC_SHA256


_DATE_OR_TIME = re.compile(r"\b(19|20)\d\d-[01]\d-[0-3]\d\b|\b[0-2]\d:[0-5]\d:[0-5]\d\b")


@pytest.mark.parametrize("name", GENERATED_FILES)
def test_no_absolute_paths_or_timestamps_in_generated_files(name: str) -> None:
    text = (GENERATED / name).read_text(encoding="utf-8")
    for path in {str(ROOT), f"{Path.home()}/", "/tmp/", "/home/", "/root/", "C:\\"}:
        assert path not in text, f"{name} contains the absolute path {path}"
    assert not re.search(r"^#\s*(timestamp|filename):", text, re.MULTILINE), name
    assert not _DATE_OR_TIME.search(text), f"{name} contains a date or time"
