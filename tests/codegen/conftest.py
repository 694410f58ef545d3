"""Session fixtures: the spec is loaded and the package rendered once for every generator test."""

from __future__ import annotations

from collections.abc import Mapping

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
