"""``examples/follow_order.py`` follows its order to Filled, async and sync (local server)."""

from __future__ import annotations

import importlib.util
import io
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "follow_order.py"
FILLED = re.compile(r"follow-[0-9a-f]{12} Filled filled 0\.001 avg [\d.]+ fees [\d.]+ \(1 fills\)")


def load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("example_follow_order", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.anyio
async def test_the_example_follows_its_order_to_filled() -> None:
    out = io.StringIO()
    assert await load().run(out=out) == 0, out.getvalue()
    assert FILLED.fullmatch(out.getvalue().strip()), out.getvalue()


def test_the_sync_example_follows_its_order_to_filled() -> None:
    out = io.StringIO()
    assert load().run_blocking(out=out) == 0, out.getvalue()
    assert FILLED.fullmatch(out.getvalue().strip()), out.getvalue()
