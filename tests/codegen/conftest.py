"""Session fixtures: the spec is loaded and the package rendered once for every generator test."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

import codegen
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
