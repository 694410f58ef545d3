"""Events and logging: one logger per module, named for it, so users can filter by module."""

from __future__ import annotations

import ast
import asyncio
import importlib
import logging
from pathlib import Path

import pytest

from bybit_wsapi import (
    BybitWSError,
    ConfigurationError,
    ConnectionEvent,
    OpenEvent,
    ReconnectEvent,
    WebsocketAPIClient,
    WSAPIError,
)
from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET, LocalServer

from .conftest import FAST, order

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
        ws.on("message", print)  # type: ignore[call-overload]
    assert str(caught.value) == (
        "unknown event 'message'; use one of open, authenticated, reconnect, reconnected, close, "
        "response, exception, update"
    )


@pytest.mark.anyio
async def test_each_event_payload_has_the_keys_its_type_declares(server: LocalServer) -> None:
    seen: dict[str, list[object]] = {}
    reconnected = asyncio.Event()
    client = WebsocketAPIClient(
        key=DEMO_API_KEY,
        secret=DEMO_API_SECRET,
        ws_url=server.url,
        attach_event_listeners=False,
        **FAST,
    )
    ws = client.get_ws_client()
    for name in ("open", "authenticated", "reconnect", "reconnected", "close"):
        ws.on(name, lambda payload, name=name: seen.setdefault(name, []).append(payload))
    ws.on("response", lambda reply: seen.setdefault("response", []).append(reply))
    ws.on("exception", lambda error: seen.setdefault("exception", []).append(error))
    ws.on("reconnected", lambda _: reconnected.set())
    async with client:
        await client.submit_new_order(order("ok"))
        server.faults.reject_orders = 10001
        with pytest.raises(WSAPIError):
            await client.submit_new_order(order("rejected"))
        server.faults.reject_orders = None
        await server.drop_connections()
        await reconnected.wait()
    keys = {
        name: [set(p) for p in payloads]
        for name, payloads in seen.items()
        if name not in ("response", "exception")
    }
    assert keys["open"] == [set(OpenEvent.__required_keys__)] * 2
    assert keys["reconnect"] == [set(ReconnectEvent.__required_keys__)]
    for name in ("authenticated", "reconnected", "close"):
        assert keys[name] and all(k == set(ConnectionEvent.__required_keys__) for k in keys[name])
    (reply,) = seen["response"]
    assert isinstance(reply, dict) and reply["op"] == "order.create" and "meta" in reply
    assert [type(e) for e in seen["exception"]] == [WSAPIError]
    assert all(isinstance(e, BybitWSError) for e in seen["exception"])
