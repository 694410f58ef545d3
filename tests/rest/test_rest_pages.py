"""Walking every page of the three queries against the local server (more rows than a page)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bybit_wsapi.errors import ConfigurationError
from bybit_wsapi.orders import OrderTracker
from bybit_wsapi.rest import RestAPIError, RestClient, RestPagesLeftError
from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET, LocalServer, ServerConfig

from ..orders import cancel, create

pytestmark = pytest.mark.anyio
LINKS = [f"o{n}" for n in range(7)]
BTC: dict[str, Any] = {"category": "linear", "symbol": "BTCUSDT"}


@pytest.fixture
async def server() -> AsyncIterator[LocalServer]:
    async with LocalServer(ServerConfig(rate_limit=False, manual_clock=True)) as running:
        account, now = running.accounts[DEMO_API_KEY], running.clock.now_ms()
        for at, link in enumerate(LINKS):  # one ms apart: newest first is o6 ... o0
            assert account.apply("create", "linear", create(link), now + at)[0].code == 0
        for link in LINKS[:5]:
            assert account.apply("cancel", "linear", cancel(link), now + 1000)[0].code == 0
        market = create("m", orderType="Market", qty="1")
        del market["price"]
        assert account.apply("create", "linear", market, now + 1001)[0].code == 0
        running.clock.advance(10_000)
        yield running


@pytest.fixture
async def rest(server: LocalServer) -> AsyncIterator[RestClient]:
    http = server.base_url.replace("ws://", "http://")
    async with RestClient(key=DEMO_API_KEY, secret=DEMO_API_SECRET, base_url=http) as client:
        yield client


async def test_every_page_of_open_orders_history_and_executions(
    server: LocalServer, rest: RestClient
) -> None:
    pages = [page async for page in rest.open_order_pages(**BTC, limit=1)]
    assert [[o["orderLinkId"] for o in page["list"]] for page in pages] == [["o6"], ["o5"]]
    assert [bool(page["nextPageCursor"]) for page in pages] == [True, False]
    closed = [p async for p in rest.order_history_pages(**BTC, limit=2)]
    assert [len(page["list"]) for page in closed] == [2, 2, 2]  # 5 cancels and the filled "m"
    assert [o["orderLinkId"] for p in closed for o in p["list"]] == ["m", *reversed(LINKS[:5])]
    fills = [row async for page in rest.execution_pages(**BTC, limit=3) for row in page["list"]]
    logged = list(server.accounts[DEMO_API_KEY].executions.newest_first(server.clock.now_ms()))
    assert len(fills) == len(logged) > 3
    assert [row["execId"] for row in fills] == [entry.item["execId"] for entry in logged]


async def test_exactly_one_page_and_an_empty_one(rest: RestClient) -> None:
    whole = [page async for page in rest.open_order_pages(**BTC, limit=2)]
    assert len(whole) == 1 and whole[0]["nextPageCursor"] == ""
    empty = [page async for page in rest.execution_pages(**BTC, orderLinkId="o1")]
    assert [(page["list"], page["nextPageCursor"]) for page in empty] == [([], "")]


async def test_max_pages_stops_with_the_cursor_to_go_on(rest: RestClient) -> None:
    seen: list[str] = []
    with pytest.raises(RestPagesLeftError, match="get_order_history: stopped after") as left:
        async for page in rest.order_history_pages(**BTC, limit=2, max_pages=2):
            seen += [o["orderLinkId"] for o in page["list"]]
    assert len(seen) == 4 and left.value.pages == 2
    rest_of_it = rest.order_history_pages(**BTC, limit=2, cursor=left.value.cursor)
    seen += [o["orderLinkId"] async for page in rest_of_it for o in page["list"]]
    assert seen == ["m", *reversed(LINKS[:5])]
    with pytest.raises(ConfigurationError, match="max_pages must be at least 1"):
        await anext(rest.open_order_pages(**BTC, max_pages=0))


async def test_a_foreign_cursor_is_refused_with_10001(rest: RestClient) -> None:
    first = await rest.get_order_history(**BTC, limit=1)
    with pytest.raises(RestAPIError, match=r"retCode=10001.*another query"):
        await rest.get_executions(**BTC, cursor=first["nextPageCursor"])


async def test_reconcile_keeps_the_category_rest_rows_do_not_carry(
    server: LocalServer, rest: RestClient
) -> None:
    tracker = OrderTracker(rest=rest)
    view = await tracker.reconcile("m", deadline=0, category="linear", symbol="BTCUSDT")
    assert (view.category, view.status) == ("linear", "Filled")
    logged = len(server.accounts[DEMO_API_KEY].executions)
    assert len(view.fills) == logged > 3  # every fill, adopted from /v5/execution/list
