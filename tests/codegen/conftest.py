"""Session fixtures: the spec is loaded and the package rendered once for every generator test."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

import codegen
import codegen.__main__
from codegen.ir import Spec

from .helpers import SPECS


@pytest.fixture(scope="session")
def built() -> Mapping[str, str]:
    """What the repository's spec generates, rendered in memory once."""
    return codegen.build(*SPECS)


@pytest.fixture(scope="session")
def spec_model() -> Spec:
    return codegen.load_spec(*SPECS)


@pytest.fixture(scope="session")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One mypy cache for every typing check of a temporary package."""
    return tmp_path_factory.mktemp("mypy-cache")


@pytest.fixture
def reuse_build(built: Mapping[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """``python -m codegen`` on the default spec files returns the session's rendering.

    For tests of what the command does with a rendering (compare, write, refuse), not of the
    rendering itself, which ``test_drift`` checks.
    """
    real = codegen.__main__.build
    defaults = tuple(str(p) for p in codegen.DEFAULT_SPECS)

    def build(*specs: Path | str) -> Mapping[str, str]:
        return built if tuple(str(p) for p in specs) == defaults else real(*specs)

    monkeypatch.setattr(codegen.__main__, "build", build)
