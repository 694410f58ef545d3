"""``tracker.resync()`` on the local server: orders acked while the private stream was down,
one open-order listing per category (counted requests), and a reconnect's resync read only
once the private topics are acknowledged again."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bybit_wsapi import WS_KEY_MAP, WebsocketClient
from bybit_wsapi.rest import RestClient
from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET, LocalServer
from bybit_wsapi.server.streams_hub import private_scope

from ..orders import amend, cancel, create

pytestmark = pytest.mark.anyio


class CountingRest(RestClient):
    """A ``RestClient`` counting its requests per query (every page is one)."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.counts: Counter[str] = Counter()
        self.before_read: list[Any] = []
        """Called before each open-order read (a check of what happened before it)."""
        self.read = asyncio.Event()
        """Set once an open-order read answered."""

    async def get_open_orders(self, **params: Any) -> Any:
        for check in self.before_read:
            check()
        self.counts["open"] += 1
        page = await super().get_open_orders(**params)
        self.read.set()
        return page

    async def get_order_history(self, **params: Any) -> Any:
        self.counts["history"] += 1
        return await super().get_order_history(**params)

    async def get_executions(self, **params: Any) -> Any:
        self.counts["executions"] += 1
        return await super().get_executions(**params)


@pytest.fixture
async def rest(server: LocalServer) -> AsyncIterator[CountingRest]:
    http = server.base_url.replace("ws://", "http://")
    async with CountingRest(key=DEMO_API_KEY, secret=DEMO_API_SECRET, base_url=http) as client:
        yield client


async def send(ws: WebsocketClient, op: Any, params: dict[str, Any]) -> Any:
    return await ws.send_ws_api_request(WS_KEY_MAP.v5_private_trade, op, params)


def market(link: str) -> dict[str, Any]:
    return {k: v for k, v in create(link, orderType="Market").items() if k != "price"}


async def test_resync_adopts_what_lost_pushes_would_have_said(
    ws: WebsocketClient, rest: CountingRest
) -> None:
    tracker = await ws.track_orders(rest=rest)
    for link in ("rests", "goes", "fills"):
        await send(ws, "order.create", create(link))
        await tracker.wait(link, "New", timeout=5)
    await ws.unsubscribe_v5(["order", "execution"], is_private=True)  # pushes are lost now
    await send(ws, "order.cancel", cancel("goes"))
    await send(ws, "order.amend", amend("fills", "200000"))
    await send(ws, "order.create", market("unseen"))  # acked while the stream is down
    await send(ws, "order.create", create("quiet"))  # acked, resting, never pushed
    assert {v.order_link_id: v.status for v in tracker.orders()} == {
        "rests": "New",
        "goes": "New",
        "fills": "New",
        "unseen": None,
        "quiet": None,
    }
    refreshed = await tracker.resync()
    assert {v.order_link_id: v.status for v in refreshed} == {
        "rests": "New",
        "goes": "Cancelled",
        "fills": "Filled",
        "unseen": "Filled",
        "quiet": "New",
    }  # the acks named no category: the tracker kept the request's
    for link in ("fills", "unseen"):
        filled = tracker.get(link)
        assert filled is not None and filled.phase == "closed"
        assert filled.filled_qty == sum(f.qty for f in filled.fills) > 0


async def test_resync_lists_per_category_and_symbol_not_per_order(
    ws: WebsocketClient, rest: CountingRest
) -> None:
    tracker = await ws.track_orders(rest=rest)
    links = [f"o{n}" for n in range(50)]
    creates = [
        create(link, symbol="ETHUSDT", price="1000", qty="0.01") if n % 2 else create(link)
        for n, link in enumerate(links)
    ]
    await asyncio.gather(*(send(ws, "order.create", params) for params in creates))
    for link in links:
        await tracker.wait(link, "New", timeout=5)
    await ws.unsubscribe_v5(["order", "execution"], is_private=True)
    await send(ws, "order.cancel", cancel("o0"))
    await send(ws, "order.cancel", cancel("o2"))
    await send(ws, "order.amend", amend("o4", "200000"))  # fills
    refreshed = await tracker.resync()
    assert len(refreshed) == 50
    statuses = Counter(v.status for v in refreshed)
    assert statuses == {"New": 47, "Cancelled": 2, "Filled": 1}
    filled = tracker.get("o4")
    assert filled is not None and filled.fills and filled.filled_qty == filled.fills[0].qty
    # 2 listings (BTCUSDT, ETHUSDT: linear needs a symbol), 3 lookups of the orders no longer
    # open, the fills of the one filled: 6 requests for 50 orders
    assert rest.counts == {"open": 5, "executions": 1}
    rest.counts.clear()
    await tracker.resync()  # nothing closed since: the listings alone
    assert rest.counts == {"open": 2}


async def test_a_reconnect_resyncs_only_after_the_private_topics_are_acked(
    server: LocalServer, ws: WebsocketClient, rest: CountingRest
) -> None:
    tracker = await ws.track_orders(rest=rest)
    await send(ws, "order.create", create("r"))
    await tracker.wait("r", "New", timeout=5)
    scope = private_scope(DEMO_API_KEY)
    seen: list[tuple[set[str], list[int]]] = []

    def check() -> None:  # what the new connection had when the resync read REST
        status = ws.stream_status()[WS_KEY_MAP.v5_private]
        seen.append((set(status.confirmed), [server.hub.count(scope, t) for t in status.wanted]))

    rest.before_read.append(check)
    rest.read.clear()
    await server.drop_stream_connections()
    async with asyncio.timeout(5):
        await rest.read.wait()  # the resync's one listing: it ends right after
    confirmed, subscribers = seen[0]
    assert confirmed >= {"order", "execution"} and subscribers == [1, 1], seen
