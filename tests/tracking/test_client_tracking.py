"""``ws.track_orders()`` against the local server: acks, pushes, fills, faults."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bybit_wsapi import (
    WS_KEY_MAP,
    ConfigurationError,
    RequestOutcomeUnknownError,
    WebsocketAPIClient,
    WebsocketClient,
    WSAPIError,
)
from bybit_wsapi.orders import OrderUnreachableError
from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET, LocalServer

from ..orders import cancel, create

pytestmark = pytest.mark.anyio

FAST: dict[str, Any] = {
    "reconnect_initial_delay": 0.01,
    "reconnect_max_delay": 0.02,
    "request_timeout": 3.0,
    "connect_timeout": 3.0,
}


@pytest.fixture
async def ws(server: LocalServer) -> AsyncIterator[WebsocketClient]:
    client = WebsocketClient(
        key=DEMO_API_KEY, secret=DEMO_API_SECRET, base_url=server.base_url, **FAST
    )
    yield client
    await client.close()


def market(link: str) -> Any:
    return {k: v for k, v in create(link, orderType="Market").items() if k != "price"}


async def send(ws: WebsocketClient, op: Any, params: dict[str, Any]) -> Any:
    return await ws.send_ws_api_request(WS_KEY_MAP.v5_private_trade, op, params)


async def test_a_market_order_is_followed_to_its_fill(ws: WebsocketClient) -> None:
    tracker = await ws.track_orders()
    await send(ws, "order.create", market("m1"))
    view = await tracker.wait("m1", "Filled", timeout=5)
    assert view.acked and view.filled_qty == view.fills[0].qty > 0
    assert view.avg_price is not None and view.avg_price > 0
    assert view.order_id and tracker.get(order_id=view.order_id) is not None


async def test_a_rejected_create_ends_its_wait(ws: WebsocketClient) -> None:
    tracker = await ws.track_orders()
    with pytest.raises(WSAPIError):
        await send(ws, "order.create", create("bad", qty="-1"))
    with pytest.raises(OrderUnreachableError, match="rejected"):
        await tracker.wait("bad", "New", timeout=5)


async def test_a_lost_ack_is_settled_by_the_stream(
    server: LocalServer, ws: WebsocketClient
) -> None:
    tracker = await ws.track_orders()
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
    tracker = await ws.track_orders()
    await send(ws, "order.create", create("race", price="90000"))
    await tracker.wait("race", "New", timeout=5)
    server.faults.cancel_races_fill = True
    with pytest.raises(WSAPIError, match="110001"):
        await send(ws, "order.cancel", {**cancel(""), "orderLinkId": "race"})
    view = await tracker.wait("race", "Filled", timeout=5)
    assert view.status == "Filled" and len(view.fills) == 1


async def test_orders_says_how_to_turn_tracking_on_and_turns_on_once(ws: WebsocketClient) -> None:
    with pytest.raises(ConfigurationError, match=r"await ws\.track_orders\(rest="):
        ws.orders  # noqa: B018
    tracker = await ws.track_orders(subscribe=False)
    assert ws.orders is tracker
    with pytest.raises(ConfigurationError, match="on already"):
        await ws.track_orders()
    with pytest.raises(ConfigurationError, match="key"):
        await WebsocketClient().track_orders()  # public only: nothing to track


async def test_the_api_client_follows_what_it_sends(server: LocalServer) -> None:
    async with WebsocketAPIClient(
        key=DEMO_API_KEY, secret=DEMO_API_SECRET, base_url=server.base_url, **FAST
    ) as client:
        with pytest.raises(ConfigurationError, match="track_orders"):
            client.orders  # noqa: B018
        tracker = await client.track_orders()
        assert client.orders is tracker is client.get_ws_client().orders
        async with tracker.changes() as changes:
            await client.submit_new_order(market("api"))
            view = await tracker.wait("api", "Filled", timeout=5)
            assert view.filled_qty > 0 and view.acked
            seen = [change.status async for change in _until_closed(changes)]
    assert seen[-1] == "Filled" and "New" in seen


async def _until_closed(changes: Any) -> Any:
    async for change in changes:
        yield change
        if change.phase == "closed":
            return


async def test_a_closed_client_ends_its_change_iterators_even_later_ones(
    ws: WebsocketClient,
) -> None:
    orders = await ws.track_orders(subscribe=False)
    before = orders.changes()
    await ws.close()
    assert [view async for view in before] == []
    assert [view async for view in orders.changes()] == []  # made after the close: ends too
