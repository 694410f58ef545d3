"""The README's main command: the demo runs against the local server and exits 0."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest

from bybit_wsapi import ConfigurationError
from bybit_wsapi.demo import run_demo


@pytest.mark.anyio
async def test_demo_tours_every_operation_and_catches_an_api_error() -> None:
    out = io.StringIO()
    assert await run_demo(out=out) == 0
    text = out.getvalue()
    for step in (
        "submit_new_order",
        "amend_order",
        "cancel_order",
        "batch_submit_orders",
        "batch_cancel_order",
    ):
        assert f"  {step} " in text
    assert text.count(" ok  rtt ") == 5
    assert "item 3 failed: code 110072" in text
    assert "WSAPIError caught: retCode 110010" in text


@pytest.mark.anyio
async def test_demo_on_testnet_needs_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BYBIT_API_KEY", raising=False)
    monkeypatch.delenv("BYBIT_API_SECRET", raising=False)
    with pytest.raises(ConfigurationError, match="BYBIT_API_KEY"):
        await run_demo(testnet=True, out=io.StringIO())


def test_demo_command_exits_zero() -> None:
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    done = subprocess.run(
        [sys.executable, "-m", "bybit_wsapi", "demo"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "against the local server at ws://127.0.0.1:" in done.stdout
    assert done.stderr == ""
