"""The sync surface is the async one, call for call, and grows with the spec by itself."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest
from bybit_wsapi_generated.streams import STREAM_METHODS

import bybit_wsapi
import bybit_wsapi.rest
from bybit_wsapi import WS_API_METHODS, StreamMethods, WSAPIMethods, WSAPISender, sync
from bybit_wsapi.sync import SyncStreamMethods, WSAPISyncMethods, WSAPISyncSender

CASES = Path(__file__).resolve().parents[1] / "typing" / "cases"


@pytest.mark.parametrize("method", sorted(WS_API_METHODS.values()))
def test_each_method_has_the_async_signature_without_await(method: str) -> None:
    blocking, awaited = getattr(WSAPISyncMethods, method), getattr(WSAPIMethods, method)
    assert not inspect.iscoroutinefunction(blocking)
    assert inspect.iscoroutinefunction(awaited)
    assert inspect.signature(blocking) == inspect.signature(awaited)
    assert getattr(sync.WebsocketAPIClient, method) is blocking


@pytest.mark.parametrize("method", sorted(STREAM_METHODS.values()))
def test_each_stream_method_takes_the_async_parameters(method: str) -> None:
    blocking, awaited = getattr(SyncStreamMethods, method), getattr(StreamMethods, method)
    assert inspect.signature(blocking).parameters == inspect.signature(awaited).parameters
    assert getattr(sync.WebsocketClient, method) is blocking


def test_the_raw_send_has_the_async_overloads() -> None:
    ours, theirs = WSAPISyncSender.send_ws_api_request, WSAPISender.send_ws_api_request
    assert inspect.signature(ours).parameters == inspect.signature(theirs).parameters
    assert issubclass(sync.WebsocketClient, WSAPISyncSender)


@pytest.mark.parametrize(
    ("blocking", "awaited"),
    [
        (sync.WebsocketAPIClient, bybit_wsapi.WebsocketAPIClient),
        (sync.WebsocketClient, bybit_wsapi.WebsocketClient),
    ],
)
def test_the_constructors_take_the_same_options(blocking: type, awaited: type) -> None:
    assert inspect.signature(blocking) == inspect.signature(awaited)
    public = {n for n in dir(awaited) if not n.startswith("_")}
    assert public <= {n for n in dir(blocking) if not n.startswith("_")}


def _calls(path: Path, name: str) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == name
    ]


def test_the_typing_corpus_covers_every_sync_method_and_operation() -> None:
    case = CASES / "pass_sync.py"
    assert [m for m in WS_API_METHODS.values() if not _calls(case, m)] == []
    sent = {
        call.args[1].value
        for call in _calls(case, "send_ws_api_request")
        if isinstance(call.args[1], ast.Constant)
    }
    assert sent == set(WS_API_METHODS)


def test_the_rest_client_is_the_async_one_without_await() -> None:
    blocking, awaited = sync.RestClient, bybit_wsapi.rest.RestClient
    assert inspect.signature(blocking) == inspect.signature(awaited)
    public = {n for n in dir(awaited) if not n.startswith("_")}
    assert {"get_executions", "execution_pages", "sync_time", "close"} <= public
    assert public <= {n for n in dir(blocking) if not n.startswith("_")}
    for name in sorted(public):
        ours, theirs = getattr(blocking, name), getattr(awaited, name)
        if callable(theirs):
            assert not inspect.iscoroutinefunction(ours), name
            assert inspect.signature(ours).parameters == inspect.signature(theirs).parameters
