"""A ledger run: hundreds of orders through trade faults; at the end every order the server
holds is known to the tracker in the same state, and every unknown outcome was settled."""

from __future__ import annotations

import random
from typing import Any

import pytest

from bybit_wsapi import WS_KEY_MAP, RequestError, WebsocketClient
from bybit_wsapi.orders import OrderAbsentError, track_orders
from bybit_wsapi.rest import RestClient
from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET, LocalServer, ServerConfig

from ..orders import cancel, create

pytestmark = pytest.mark.anyio

ORDERS = 300


async def test_every_order_ends_known_in_the_servers_state() -> None:
    rng = random.Random(14)
    async with LocalServer(ServerConfig(rate_limit=False, manual_clock=True)) as server:
        http = server.base_url.replace("ws://", "http://")
        ws = WebsocketClient(
            key=DEMO_API_KEY,
            secret=DEMO_API_SECRET,
            base_url=server.base_url,
            reconnect_initial_delay=0.001,
            reconnect_max_delay=0.002,
        )
        rest = RestClient(key=DEMO_API_KEY, secret=DEMO_API_SECRET, base_url=http)
        server.rest.options.rate_limit = 10 * ORDERS  # a test of scale, not of the limit
        try:
            tracker = await track_orders(ws, rest=rest, max_closed=ORDERS)
            outcomes: dict[str, int] = {}
            for n in range(ORDERS):
                link = f"L{n}"
                fault = rng.choice(["", "", "drop_after_apply", "drop_before_apply"])
                market = rng.random() < 0.3
                params: dict[str, Any] = create(link)
                if market:
                    params = {
                        k: v for k, v in create(link, orderType="Market").items() if k != "price"
                    }
                setattr(server.faults, fault or "drop_probability", True if fault else 0.0)
                try:
                    await ws.send_ws_api_request(
                        WS_KEY_MAP.v5_private_trade, "order.create", params
                    )
                    outcome = "ok"
                except RequestError as error:
                    outcome = error.outcome
                if fault:
                    setattr(server.faults, fault, False)
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
                if not market and rng.random() < 0.3 and outcome == "ok":
                    await ws.send_ws_api_request(
                        WS_KEY_MAP.v5_private_trade, "order.cancel", cancel(link)
                    )
            absent = 0
            for view in tracker.unknown():
                try:
                    await tracker.reconcile(view.order_link_id, deadline=0)
                except OrderAbsentError:
                    absent += 1
            await server.flushed()
            held = server.orders(DEMO_API_KEY)
            for order in held:  # the last pushes may still be on their way: wait for each
                await tracker.wait(order["orderLinkId"], order["status"], timeout=5)
            views = {v.order_link_id: v for v in tracker.orders()}
            assert {o["orderLinkId"]: o["status"] for o in held} == {
                link: v.status for link, v in views.items() if v.status is not None
            }
            assert tracker.unknown() == []
            assert absent == ORDERS - len(held) > 0
            assert outcomes["unknown"] > 50 and outcomes["ok"] > 100
        finally:
            await ws.close()
            await rest.close()
