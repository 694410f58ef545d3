"""``track_orders(ws)`` against the local server: acks, pushes, fills, faults."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bybit_wsapi import WS_KEY_MAP, RequestOutcomeUnknownError, WebsocketClient, WSAPIError
from bybit_wsapi.orders import OrderUnreachableError, track_orders
from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET, LocalServer, ServerConfig

from ..orders import cancel, create

pytestmark = pytest.mark.anyio

FAST: dict[str, Any] = {
    "reconnect_initial_delay": 0.01,
    "reconnect_max_delay": 0.02,
    "request_timeout": 3.0,
    "connect_timeout": 3.0,
}


@pytest.fixture
async def server() -> AsyncIterator[LocalServer]:
    async with LocalServer(ServerConfig(rate_limit=False, manual_clock=True)) as running:
        yield running


@pytest.fixture
async def ws(server: LocalServer) -> AsyncIterator[WebsocketClient]:
    client = WebsocketClient(
        key=DEMO_API_KEY, secret=DEMO_API_SECRET, base_url=server.base_url, **FAST
    )
    yield client
    await client.close()


async def send(ws: WebsocketClient, op: Any, params: dict[str, Any]) -> Any:
    return await ws.send_ws_api_request(WS_KEY_MAP.v5_private_trade, op, params)


async def test_a_market_order_is_followed_to_its_fill(ws: WebsocketClient) -> None:
    tracker = await track_orders(ws)
    await send(
        ws,
        "order.create",
        {k: v for k, v in create("m1", orderType="Market").items() if k != "price"},
    )
    view = await tracker.wait("m1", "Filled", timeout=5)
    assert view.acked and view.filled_qty == view.fills[0].qty > 0
    assert view.avg_price is not None and view.avg_price > 0
    assert view.order_id and tracker.get(order_id=view.order_id) is not None


async def test_a_rejected_create_ends_its_wait(ws: WebsocketClient) -> None:
    tracker = await track_orders(ws)
    with pytest.raises(WSAPIError):
        await send(ws, "order.create", create("bad", qty="-1"))
    with pytest.raises(OrderUnreachableError, match="rejected"):
        await tracker.wait("bad", "New", timeout=5)


async def test_a_lost_ack_is_settled_by_the_stream(
    server: LocalServer, ws: WebsocketClient
) -> None:
    tracker = await track_orders(ws)
    await ws.connect_ws_api()
    server.faults.drop_after_apply = True
    with pytest.raises(RequestOutcomeUnknownError):
        await send(ws, "order.create", create("lost"))
    server.faults.drop_after_apply = False
    view = await tracker.wait("lost", "New", timeout=5)
    assert view.phase == "open" and not view.acked
    assert tracker.unknown() == []


async def test_cancel_racing_a_fill_ends_filled_once(
    server: LocalServer, ws: WebsocketClient
) -> None:
    tracker = await track_orders(ws)
    await send(ws, "order.create", create("race", price="90000"))
    await tracker.wait("race", "New", timeout=5)
    server.faults.cancel_races_fill = True
    with pytest.raises(WSAPIError, match="110001"):
        await send(ws, "order.cancel", {**cancel(""), "orderLinkId": "race"})
    view = await tracker.wait("race", "Filled", timeout=5)
    assert view.status == "Filled" and len(view.fills) == 1
