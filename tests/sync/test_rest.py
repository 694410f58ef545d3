"""The blocking ``RestClient`` against the local server's REST: queries, page walks, errors, exit."""

from __future__ import annotations

import asyncio
import signal
import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from bybit_wsapi.errors import ConfigurationError
from bybit_wsapi.rest import RestAPIError, RestHTTPError, RestPagesLeftError
from bybit_wsapi.server import (
    DEMO_API_KEY,
    DEMO_API_SECRET,
    LocalServer,
    ServerConfig,
    ServerThread,
)
from bybit_wsapi.sync import RestClient

from ..orders import cancel, create

LINKS = [f"o{n}" for n in range(4)]
BTC: dict[str, Any] = {"category": "linear", "symbol": "BTCUSDT"}


def _seed(server: LocalServer) -> None:
    """Four orders one ms apart, two cancelled, one market order filled; then 10 s later."""
    account, now = server.accounts[DEMO_API_KEY], server.clock.now_ms()
    for at, link in enumerate(LINKS):
        assert account.apply("create", "linear", create(link), now + at)[0].code == 0
    for link in LINKS[:2]:
        assert account.apply("cancel", "linear", cancel(link), now + 100)[0].code == 0
    market = create("m", orderType="Market", qty="1")
    del market["price"]
    assert account.apply("create", "linear", market, now + 101)[0].code == 0


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    handle = ServerThread(ServerConfig(rate_limit=False, manual_clock=True)).start()
    try:
        handle.call(_seed)
        handle.step(10_000)
        yield handle
    finally:
        handle.stop()


@pytest.fixture
def rest(server: ServerThread) -> Iterator[RestClient]:
    with RestClient(key=DEMO_API_KEY, secret=DEMO_API_SECRET, base_url=_http(server)) as client:
        yield client


def _http(server: ServerThread) -> str:
    return server.base_url.replace("ws://", "http://")


def _links(page: Any) -> list[str]:
    return [row["orderLinkId"] for row in page["list"]]


def _alive(name: str) -> bool:
    return any(t.name == name for t in threading.enumerate())


def test_every_query_returns_the_servers_rows(server: ServerThread, rest: RestClient) -> None:
    assert _links(rest.get_open_orders(**BTC)) == ["o3", "o2"]
    assert _links(rest.get_open_orders(**BTC, orderLinkId="o0"))[0] == "o0"  # closed, by id
    assert _links(rest.get_order_history(**BTC)) == ["m", "o1", "o0"]
    fills = rest.get_executions(**BTC)["list"]
    logged = server.call(lambda s: len(s.accounts[DEMO_API_KEY].executions))
    assert len(fills) == logged > 1 and {row["orderLinkId"] for row in fills} == {"m"}
    clock = rest.get_server_time()
    assert int(clock["timeNano"]) // 1_000_000_000 == int(clock["timeSecond"]) > 0
    assert rest.get("/v5/order/realtime", {**BTC, "limit": 1})["list"][0]["orderLinkId"] == "o3"


def test_sync_time_and_the_offset_sign_what_follows(rest: RestClient) -> None:
    offset = rest.sync_time()
    assert rest.get_time_offset_ms() == offset
    assert _links(rest.get_open_orders(**BTC))  # signed with the offset: accepted
    rest.set_time_offset_ms(offset - 60_000)
    with pytest.raises(RestAPIError, match="10002") as late:
        rest.get_open_orders(**BTC)
    assert late.value.ret_code == 10002 and rest.get_time_offset_ms() == offset - 60_000


def test_page_walks_block_page_by_page(server: ServerThread, rest: RestClient) -> None:
    assert [_links(p) for p in rest.open_order_pages(**BTC, limit=1)] == [["o3"], ["o2"]]
    closed = list(rest.order_history_pages(**BTC, limit=2))
    assert [_links(p) for p in closed] == [["m", "o1"], ["o0"]]
    fills = [row for page in rest.execution_pages(**BTC, limit=1) for row in page["list"]]
    assert len(fills) == server.call(lambda s: len(s.accounts[DEMO_API_KEY].executions)) > 1
    walk = rest.open_order_pages(**BTC, limit=1)
    assert _links(next(walk)) == ["o3"]
    walk.close()  # left early: its async walk is closed on the loop
    assert next(walk, None) is None


def test_walk_errors_are_the_async_ones(rest: RestClient) -> None:
    seen: list[str] = []
    with pytest.raises(RestPagesLeftError) as left:
        for page in rest.order_history_pages(**BTC, limit=1, max_pages=2):
            seen += _links(page)
    assert seen == ["m", "o1"] and left.value.pages == 2
    rest_of_it = rest.order_history_pages(**BTC, limit=1, cursor=left.value.cursor)
    assert [link for page in rest_of_it for link in _links(page)] == ["o0"]
    with pytest.raises(ConfigurationError, match="max_pages must be at least 1"):
        next(rest.execution_pages(**BTC, max_pages=0))
    with pytest.raises(RestAPIError, match="symbol, baseCoin or settleCoin") as refused:
        rest.get_open_orders(category="linear")
    assert refused.value.ret_code == 10001


def test_a_bad_secret_and_no_server_raise_the_async_errors(server: ServerThread) -> None:
    bad = RestClient(key=DEMO_API_KEY, secret="wrong", base_url=_http(server))
    with bad, pytest.raises(RestAPIError, match="10004"):
        bad.get_executions(**BTC)
    with (
        RestClient(key=DEMO_API_KEY, secret=DEMO_API_SECRET, base_url="http://127.0.0.1:9") as gone,
        pytest.raises(RestHTTPError, match="no response"),
    ):
        gone.get_server_time()


def test_close_leaves_no_thread_and_later_calls_say_so(server: ServerThread) -> None:
    client = RestClient(key=DEMO_API_KEY, secret=DEMO_API_SECRET, base_url=_http(server))
    name = client._loop.name
    assert _alive(name) and repr(client).startswith("<bybit_wsapi.sync.RestClient key=")
    assert DEMO_API_SECRET not in repr(client)
    client.get_server_time()
    client.close()
    client.close()  # idempotent
    assert not _alive(name) and client._rest._http.is_closed
    calls: list[Callable[[], object]] = [
        lambda: client.get_open_orders(**BTC),
        client.sync_time,
        lambda: next(client.execution_pages(**BTC)),
    ]
    for call in calls:
        with pytest.raises(RestHTTPError, match="the RestClient is closed"):
            call()


def test_bad_options_raise_and_leave_no_thread() -> None:
    before = {t.name for t in threading.enumerate()}
    with pytest.raises(ConfigurationError, match="key"):
        RestClient(key="")
    with pytest.raises(ConfigurationError, match="recv_window_ms"):
        RestClient(key="k", secret="s", recv_window_ms=0)
    assert {t.name for t in threading.enumerate()} <= before


class _Stalled(httpx.AsyncBaseTransport):
    """Answers nothing until released; says when a request arrived and when it was cancelled."""

    def __init__(self) -> None:
        self.arrived, self.cancelled = threading.Event(), threading.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.arrived.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            self.cancelled.set()
            raise
        raise AssertionError("unreachable")


def test_ctrl_c_cancels_the_query_and_the_client_carries_on() -> None:
    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        pytest.skip("SIGINT is handled by something else here")
    stalled = _Stalled()

    def press_ctrl_c() -> None:
        assert stalled.arrived.wait(10)
        signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)

    with RestClient(key=DEMO_API_KEY, secret=DEMO_API_SECRET, transport=stalled) as client:
        presser = threading.Thread(target=press_ctrl_c)
        presser.start()
        with pytest.raises(KeyboardInterrupt):
            list(client.execution_pages(**BTC))
        presser.join()
        assert stalled.cancelled.wait(10)  # the request in flight was cancelled on the loop
        stalled.arrived.clear()
        presser = threading.Thread(target=press_ctrl_c)
        presser.start()
        with pytest.raises(KeyboardInterrupt):
            client.get_server_time()  # usable after the first Ctrl-C
        presser.join()
