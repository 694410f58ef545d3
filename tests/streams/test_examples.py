"""The examples run against an in-process local server and end as they should."""

from __future__ import annotations

import importlib.util
import io
import sys
from pathlib import Path
from types import ModuleType

import pytest

pytestmark = pytest.mark.anyio

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


async def test_market_data_prints_book_tops_and_trades() -> None:
    out = io.StringIO()
    assert await load("market_data").run(updates=5, out=out) == 0
    lines = out.getvalue().splitlines()
    tops = [line for line in lines if line.startswith("book u=")]
    assert len(tops) == 5 and all(" bid " in t and " ask " in t and "spread" in t for t in tops)


async def test_order_bot_follows_its_order_to_filled() -> None:
    out = io.StringIO()
    assert await load("order_bot").run(out=out) == 0, out.getvalue()
    text = out.getvalue()
    assert text.startswith("accepted ") and "fill 0.001 @ " in text
    assert text.splitlines()[-1] == "order Filled cum 0.001"
