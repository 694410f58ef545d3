"""Events and logging: one logger per module, named for it, so users can filter by module."""

from __future__ import annotations

import ast
import importlib
import logging
from pathlib import Path

import pytest

from bybit_wsapi import ConfigurationError, WebsocketAPIClient
from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET, LocalServer

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "bybit_wsapi"
MODULES = sorted(
    ".".join(("bybit_wsapi", *path.relative_to(PACKAGE).with_suffix("").parts))
    for path in PACKAGE.rglob("*.py")
    if path.name not in ("__init__.py", "__main__.py")
)


def _logger_names(module: str) -> list[str]:
    """What each ``getLogger(...)`` call of ``module`` is given, as source text."""
    path = PACKAGE.joinpath(*module.split(".")[1:]).with_suffix(".py")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        ast.unparse(node.args[0]) if node.args else ""
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "getLogger"
    ]


@pytest.mark.parametrize("module", MODULES)
def test_every_module_logs_under_its_own_name(module: str) -> None:
    for argument in _logger_names(module):
        assert argument == "__name__" or argument.startswith("f'{__name__}."), argument
    loggers = [
        value
        for value in vars(importlib.import_module(module)).values()
        if isinstance(value, logging.Logger)
    ]
    assert [logger.name for logger in loggers] == [module] * len(loggers)


def test_the_modules_that_log_are_the_expected_ones() -> None:
    logging_modules = {module for module in MODULES if _logger_names(module)}
    assert {
        "bybit_wsapi.client",
        "bybit_wsapi.connection",
        "bybit_wsapi.events",
        "bybit_wsapi.server.app",
    } <= logging_modules


@pytest.mark.anyio
async def test_default_listeners_log_on_the_client_logger(
    server: LocalServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bybit_wsapi")
    async with WebsocketAPIClient(key=DEMO_API_KEY, secret=DEMO_API_SECRET, ws_url=server.url):
        pass
    events = [(r.name, r.getMessage().split(":")[0]) for r in caplog.records]
    assert ("bybit_wsapi.client", "connection open") in events
    assert ("bybit_wsapi.client", "authenticated") in events
    assert ("bybit_wsapi.client", "connection closed") in events


def test_an_unknown_event_is_refused_naming_the_events() -> None:
    ws = WebsocketAPIClient(key="k", secret="s").get_ws_client()
    with pytest.raises(ConfigurationError) as caught:
        ws.on("update", print)  # type: ignore[call-overload]
    assert str(caught.value) == (
        "unknown event 'update'; use one of open, authenticated, reconnect, reconnected, close, "
        "response, exception"
    )
