"""Repository-wide gates: mypy --strict and ruff, as `make check` runs them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import mypy.api
import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_strict_is_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the pyproject config (mypy_path = "src:generated") is cwd-relative
    out, err, status = mypy.api.run(
        [
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--no-pretty",
            "src",
            "generated",
            "codegen",
        ]
    )
    assert status == 0, f"mypy --strict src generated codegen:\n{out}{err}"


@pytest.mark.parametrize(
    "command", [["check", "."], ["format", "--check", "."]], ids=["check", "format"]
)
def test_ruff_is_clean(command: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ruff", *command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, f"ruff {' '.join(command)}:\n{done.stdout}{done.stderr}"
