"""An operation added to the spec is served with no change to the server."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from bybit_wsapi_generated.tables import OBJECT_RULES, OPERATION_RULES, ObjectRule, OperationRule
from websockets.asyncio.client import ClientConnection

from bybit_wsapi.server import DEMO_API_KEY, LocalServer, ServerConfig, protocol

from .helpers import authed, call, limit_order, order_frame

pytestmark = pytest.mark.anyio

CANCEL_BY_LINK_ID: ObjectRule = {
    "fields": {
        "category": {"type": "enum", "values": ("linear", "spot"), "required": True},
        "symbol": {"type": "string", "required": True},
        "orderLinkId": {"type": "string", "required": True, "max_length": 8},
    },
    "require_any": (),
}

NEW_OPERATIONS: dict[str, OperationRule] = {
    # A new op the server can simulate: it names an action.
    "order.cancel-by-link-id": {
        "method": "cancel_by_link_id",
        "params": "CancelByLinkIdV5",
        "action": "cancel",
        "batch_items": None,
        "batch_max_items": {},
        "rate_limit": {"default": 2},
    },
    # A new op without an action: validated and acknowledged, not simulated.
    "order.query": {
        "method": "query_order",
        "params": "CancelOrderParamsV5",
        "action": None,
        "batch_items": None,
        "batch_max_items": {},
        "rate_limit": {"linear": 5},
    },
    # A new op whose params have no category: limits and caps use "default".
    "order.lookup": {
        "method": "lookup",
        "params": "OrderResultV5",
        "action": None,
        "batch_items": None,
        "batch_max_items": {},
        "rate_limit": {"default": 3},
    },
}


@pytest.fixture
async def extended(
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[tuple[LocalServer, ClientConnection]]:
    monkeypatch.setattr(
        protocol, "OBJECT_RULES", {**OBJECT_RULES, "CancelByLinkIdV5": CANCEL_BY_LINK_ID}
    )
    monkeypatch.setattr(protocol, "OPERATION_RULES", {**OPERATION_RULES, **NEW_OPERATIONS})
    async with LocalServer(ServerConfig()) as server, await authed(server.url) as ws:
        yield server, ws


async def test_a_new_operation_with_an_action(
    extended: tuple[LocalServer, ClientConnection],
) -> None:
    server, ws = extended
    assert (await call(ws, order_frame("order.create", limit_order("L1"))))["retCode"] == 0
    params = {"category": "linear", "symbol": "BTCUSDT", "orderLinkId": "L1"}
    reply = await call(ws, order_frame("order.cancel-by-link-id", params, req_id="n1"))
    assert (reply["retCode"], reply["reqId"], reply["data"]["orderLinkId"]) == (0, "n1", "L1")
    assert reply["header"]["X-Bapi-Limit"] == "2"
    assert server.orders(DEMO_API_KEY)[0]["status"] == "Cancelled"
    # Its own rules apply: categories, keys, lengths, limits.
    inverse = await call(
        ws, order_frame("order.cancel-by-link-id", {**params, "category": "inverse"})
    )
    assert inverse["retCode"] == 10404
    long_id = {**params, "orderLinkId": "x" * 9}
    too_long = await call(ws, order_frame("order.cancel-by-link-id", long_id))
    assert (too_long["retCode"], too_long["retMsg"]) == (
        10001,
        "orderLinkId: longer than 8 characters (9)",
    )
    over = await call(ws, order_frame("order.cancel-by-link-id", params))  # a third in a second
    assert over["retCode"] == 10006


async def test_a_new_operation_without_an_action(
    extended: tuple[LocalServer, ClientConnection],
) -> None:
    server, ws = extended
    params = {"category": "linear", "symbol": "BTCUSDT", "orderId": "x"}
    reply = await call(ws, order_frame("order.query", params))
    assert reply["retCode"] == 0
    assert reply["retMsg"] == "OK (validated only: the local server does not simulate this op)"
    assert (reply["data"], reply["retExtInfo"]) == ({}, {})
    bad = await call(ws, order_frame("order.query", {**params, "orderId": 5}))
    assert (bad["retCode"], bad["retMsg"]) == (10001, "orderId: expected a string, got int 5")
    assert [r.op for r in server.received] == ["order.query", "order.query"]
    assert server.orders(DEMO_API_KEY) == []


async def test_a_new_operation_without_a_category(
    extended: tuple[LocalServer, ClientConnection],
) -> None:
    _, ws = extended
    reply = await call(ws, order_frame("order.lookup", {"orderId": "a", "orderLinkId": "b"}))
    assert (reply["retCode"], reply["header"]["X-Bapi-Limit"]) == (0, "3")
    bad = await call(ws, order_frame("order.lookup", {"orderId": "a"}))
    assert (bad["retCode"], bad["retMsg"]) == (10001, "orderLinkId: missing required parameter")
