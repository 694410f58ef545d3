"""codegen.output: the package folder is replaced all at once, or compared byte for byte."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from codegen.errors import UnsafeOutputError
from codegen.output import compare_package, write_package

from .helpers import copy_generated, snapshot

HAND_WRITTEN = '"""Written by a person."""\n'


def test_an_undamaged_copy_passes_the_comparison(tmp_path: Path, built: Mapping[str, str]) -> None:
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


def test_write_replaces_the_folder_with_exactly_the_files(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    write_package({"a.py": "# Generated from x\n", "b.py": "# Generated from x\nB = 1\n"}, pkg)
    write_package({"b.py": "# Generated from y\n"}, pkg)
    assert snapshot(pkg) == {"b.py": b"# Generated from y\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"], "no staging folder is left"


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


def test_write_package_accepts_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--out .`` used to crash deriving a staging folder from an empty name."""
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    monkeypatch.chdir(pkg)
    write_package({"a.py": "# Generated from x\n"}, Path("."))
    assert sorted(p.name for p in pkg.iterdir()) == ["a.py"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]
