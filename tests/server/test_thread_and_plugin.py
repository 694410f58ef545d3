"""The thread runner and the pytest plugin, from sync code (no async plugin needed)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from bybit_wsapi.server import DEMO_API_KEY, ServerConfig, ServerThread, run_server_in_thread

from .helpers import TIMEOUT, auth_frame, limit_order, order_frame


def sync_call(ws: ClientConnection, frame: Any) -> Any:
    ws.send(json.dumps(frame))
    return json.loads(ws.recv(timeout=TIMEOUT))


def test_thread_runner() -> None:
    with run_server_in_thread(ServerConfig(rate_limit=False)) as handle:
        assert handle.url.startswith("ws://127.0.0.1:")
        with connect(handle.url) as ws:
            assert sync_call(ws, auth_frame())["retCode"] == 0
            assert handle.connection_count == 1
            reply = sync_call(ws, order_frame("order.create", limit_order("T"), req_id="t"))
            assert reply["retCode"] == 0
            (order,) = handle.orders(DEMO_API_KEY)
            assert order["orderLinkId"] == "T"
            assert [(r.op, r.req_id) for r in handle.received] == [("order.create", "t")]
            assert handle.wait_received(1) == handle.received
            handle.faults.restarting = True
            assert sync_call(ws, order_frame("order.create", limit_order()))["retCode"] == 10019
            with connect(handle.url):
                handle.wait_connections(2)
            handle.wait_connections(1)
            handle.drop_connections()
            with pytest.raises(ConnectionClosed):
                ws.recv(timeout=TIMEOUT)
        assert handle.connection_count == 0
        assert handle.running
    assert not handle.running
    handle.stop()  # idempotent


def test_start_twice_is_refused() -> None:
    with run_server_in_thread() as handle, pytest.raises(RuntimeError):
        handle.start()


def test_start_reports_failures() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(OSError):
            run_server_in_thread(ServerConfig(port=port)).start()


def test_fixture(bybit_ws_server: ServerThread) -> None:
    with connect(bybit_ws_server.url) as ws:
        assert sync_call(ws, auth_frame())["retCode"] == 0
        for _ in range(12):  # rate limits are off
            assert sync_call(ws, order_frame("order.create", limit_order()))["retCode"] == 0
    assert len(bybit_ws_server.orders(DEMO_API_KEY)) == 12


def test_factory(bybit_ws_server_factory: Any) -> None:
    first = bybit_ws_server_factory(ServerConfig(accounts={"k": "s"}))
    second = bybit_ws_server_factory()
    assert first.url != second.url
    with connect(first.url) as ws:
        assert sync_call(ws, auth_frame("k", "s"))["retCode"] == 0


def run_python(*argv: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *argv], cwd=cwd, capture_output=True, text=True, timeout=60, check=False
    )


def test_plugin_module_is_import_light() -> None:
    # The plugin adds nothing heavy to `import bybit_wsapi` (the server loads on first use).
    code = (
        "import sys, bybit_wsapi; before = set(sys.modules);"
        "import bybit_wsapi.server.pytest_plugin, bybit_wsapi.server;"
        "added = set(sys.modules) - before;"
        "print(sorted(m for m in added if m.startswith(('websockets', 'bybit_wsapi'))))"
    )
    result = run_python("-c", code)
    expected = [
        "bybit_wsapi.server",
        "bybit_wsapi.server.config",
        "bybit_wsapi.server.faults",
        "bybit_wsapi.server.pytest_plugin",
        "bybit_wsapi.server.rest_options",  # a dataclass: the REST mock's switches
    ]
    assert result.stdout.strip() == str(expected), result.stderr


def test_plugin_in_a_user_suite_without_async_plugins(tmp_path: Path) -> None:
    (tmp_path / "test_user.py").write_text(
        textwrap.dedent(
            """
            import json
            from websockets.sync.client import connect
            from bybit_wsapi.auth import sign_auth
            from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET, ServerConfig
            import time

            def auth(ws, key=DEMO_API_KEY, secret=DEMO_API_SECRET):
                expires = int(time.time() * 1000) + 10_000
                ws.send(json.dumps({"op": "auth", "args": [key, expires, sign_auth(secret, expires)]}))
                return json.loads(ws.recv(timeout=5))

            def test_demo(bybit_ws_server):
                with connect(bybit_ws_server.url) as ws:
                    assert auth(ws)["retCode"] == 0
                bybit_ws_server.faults.reject_auth = True
                with connect(bybit_ws_server.url) as ws:
                    assert auth(ws)["retCode"] == 10004

            def test_custom(bybit_ws_server_factory):
                handle = bybit_ws_server_factory(ServerConfig(accounts={"mine": "secret"}))
                with connect(handle.url) as ws:
                    assert auth(ws, "mine", "secret")["retCode"] == 0

            def test_market(bybit_ws_market):
                server = bybit_ws_market
                with connect(server.base_url + "/v5/public/linear") as book, \
                        connect(server.base_url + "/v5/private") as private, \
                        connect(server.url) as trade:
                    book.send('{"op":"subscribe","args":["orderbook.50.BTCUSDT"]}')
                    assert json.loads(book.recv(timeout=5))["success"]
                    first = json.loads(book.recv(timeout=5))["data"]["u"]
                    server.step(100)  # the manual clock: five 20 ms steps
                    assert json.loads(book.recv(timeout=5))["data"]["u"] == first + 1
                    assert auth(private)["success"]
                    private.send('{"op":"subscribe","args":["order"]}')
                    assert json.loads(private.recv(timeout=5))["success"]
                    assert auth(trade)["retCode"] == 0
                    params = {"category": "linear", "symbol": "BTCUSDT", "side": "Buy",
                              "orderType": "Market", "qty": "0.01"}
                    header = {"X-BAPI-TIMESTAMP": str(int(time.time() * 1000))}
                    trade.send(json.dumps({"op": "order.create", "header": header,
                                           "args": [params]}))
                    assert json.loads(trade.recv(timeout=5))["retCode"] == 0
                    statuses = [json.loads(private.recv(timeout=5))["data"][0]["orderStatus"]
                                for _ in range(2)]
                    assert statuses == ["New", "Filled"]
                assert server.orders(DEMO_API_KEY)[0]["cumExecQty"] == "0.010"
                assert server.wallet(DEMO_API_KEY)["USDT"] != "1000000"
                best = server.call(lambda s: s.market.listing("linear", "BTCUSDT").book.best("Buy"))
                assert best == server.market.listing("linear", "BTCUSDT").book.best("Buy")
                position = server.accounts[DEMO_API_KEY].positions["linear", "BTCUSDT"]
                assert str(position.size) == "0.010"
            """
        )
    )
    result = run_python(
        *("-m", "pytest", "-p", "no:anyio", "-p", "no:cacheprovider", "-W", "error", "-q"),
        cwd=tmp_path,
    )
    assert "3 passed" in result.stdout, result.stdout + result.stderr
