"""``Faults.push_before_ack``: an order op's pushes are on the wire before its ack, and the
tracker that sees them in that order ends in the right state."""

from __future__ import annotations

import asyncio
import json
import select
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest

from bybit_wsapi import WS_KEY_MAP, WebsocketClient, WSAPIError
from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET, Faults, LocalServer, ServerConfig

from .helpers import RawClient, auth_frame, order_frame

pytestmark = pytest.mark.anyio

MARKET_BUY = {
    "category": "linear",
    "symbol": "BTCUSDT",
    "side": "Buy",
    "orderType": "Market",
    "qty": "0.01",
}


def config(**faults: Any) -> ServerConfig:
    return ServerConfig(rate_limit=False, manual_clock=True, faults=Faults(**faults))


def _first_readable(trade: int, private: int) -> set[str]:
    """Block (in a thread) until either socket has bytes; which ones then have some."""
    ready, _, _ = select.select([trade, private], [], [], 5.0)
    return {"trade" if fd == trade else "private" for fd in ready}


async def test_the_order_push_is_on_the_wire_before_the_ack() -> None:
    async with LocalServer(config(push_before_ack=True)) as server:
        private = await RawClient.connect(server.base_url + "/v5/private")
        assert (await private.call(auth_frame()))["success"]
        assert (await private.call({"op": "subscribe", "args": ["order"]}))["success"]
        trade = await RawClient.connect(server.url)
        assert (await trade.call(auth_frame()))["retCode"] == 0
        fds = [c.writer.get_extra_info("socket").fileno() for c in (trade, private)]
        loop = asyncio.get_running_loop()
        for n in range(5):  # each time: never the ack alone, the push came first
            for client in (trade, private):  # the bytes stay in the kernel, in arrival order
                client.writer.transport.pause_reading()
            trade.send_text(json.dumps(order_frame("order.create", MARKET_BUY)))
            first = await loop.run_in_executor(None, _first_readable, *fds)
            assert "private" in first, (n, first)
            for client in (trade, private):
                client.writer.transport.resume_reading()
            push = json.loads((await private.read_frame())[2])
            ack = json.loads((await trade.read_frame())[2])
            assert (push["topic"], push["data"][0]["orderStatus"]) == ("order", "New")
            assert ack["retCode"] == 0 and ack["data"]["orderId"] == push["data"][0]["orderId"]
            while (await private.read_frame())[2].find(b'"Filled"') < 0:
                pass  # the fill's pushes: the next order starts on quiet sockets
        await trade.close()
        await private.close()


async def test_without_a_subscriber_the_ack_does_not_wait() -> None:
    async with LocalServer(config(push_before_ack=True)) as server:
        trade = await RawClient.connect(server.url)
        assert (await trade.call(auth_frame()))["retCode"] == 0
        assert (await trade.call(order_frame("order.create", MARKET_BUY)))["retCode"] == 0
        assert server.orders(DEMO_API_KEY)[0]["status"] == "Filled"
        await trade.close()


async def send(ws: WebsocketClient, op: Any, params: dict[str, Any]) -> Any:
    return await ws.send_ws_api_request(WS_KEY_MAP.v5_private_trade, op, params)


@pytest.fixture
async def pushed_first() -> AsyncIterator[tuple[LocalServer, WebsocketClient]]:
    async with LocalServer(config(push_before_ack=True)) as server:
        ws = WebsocketClient(
            key=DEMO_API_KEY, secret=DEMO_API_SECRET, base_url=server.base_url, request_timeout=5
        )
        try:
            yield server, ws
        finally:
            await ws.close()


async def test_the_tracker_keeps_a_push_that_beat_the_ack(
    pushed_first: tuple[LocalServer, WebsocketClient],
) -> None:
    server, ws = pushed_first
    tracker = await ws.track_orders()
    seen: list[str] = []
    ws.on("update", lambda m: seen.append(f"{m['topic']}:{m['data'][0].get('orderStatus', '')}"))
    ws.on("response", lambda m: seen.append("ack"))
    params = {**MARKET_BUY, "orderLinkId": "first"}
    await send(ws, "order.create", params)
    assert seen[: seen.index("ack")].count("order:Filled") == 1  # the tracker had it already
    view = tracker.get("first")
    assert view is not None
    held = server.orders(DEMO_API_KEY)[0]
    assert (view.status, view.phase, view.acked) == ("Filled", "closed", True)
    assert (view.order_id, str(view.filled_qty)) == (held["orderId"], held["cumExecQty"])
    assert view.avg_price == Decimal(str(held["avgPrice"]))
    assert sum(f.qty for f in view.fills) == view.filled_qty


async def test_two_filled_before_the_cancels_error_are_one(
    pushed_first: tuple[LocalServer, WebsocketClient],
) -> None:
    server, ws = pushed_first
    tracker = await ws.track_orders()
    params = {**MARKET_BUY, "orderType": "Limit", "price": "90000", "orderLinkId": "race"}
    await send(ws, "order.create", params)
    assert tracker.get("race").status == "New"
    server.faults.cancel_races_fill = True
    async with tracker.changes() as changes:
        with pytest.raises(WSAPIError, match="110001"):
            cancel = {k: params[k] for k in ("category", "symbol", "orderLinkId")}
            await send(ws, "order.cancel", cancel)
        tracker.close()
        views = [view async for view in changes]
    filled = [v for v in views if v.status == "Filled" and v.error is None]
    assert len(filled) == 1  # the second Filled (CancelByUser) changed nothing
    view = tracker.get("race")
    assert view is not None and view.status == "Filled" and view.phase == "closed"
    assert str(view.filled_qty) == server.orders(DEMO_API_KEY)[0]["cumExecQty"]
    assert len(view.fills) == 1 and isinstance(view.error, WSAPIError)
