"""The server refuses what Bybit refuses once the types are right (issue 10 item 10).

Driven through the Engine (pure: no sockets), so the wire code and message are what a client
gets; batch items fail one by one with the same codes.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from bybit_wsapi.auth import sign_auth
from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET, ServerConfig
from bybit_wsapi.server.faults import Faults
from bybit_wsapi.server.orders import MSG_UNCHANGED
from bybit_wsapi.server.protocol import Engine, Pending, Session

NOW_MS = 1_700_000_000_000
LIMIT = {
    "category": "linear",
    "symbol": "BTCUSDT",
    "side": "Buy",
    "orderType": "Limit",
    "qty": "0.1",
    "price": "30000",
}


@pytest.fixture
def engine() -> tuple[Engine, Session]:
    engine = Engine(ServerConfig(rate_limit=False), Faults())
    session = engine.open_session()
    expires = NOW_MS + 10_000
    auth = {"op": "auth", "args": [DEMO_API_KEY, expires, sign_auth(DEMO_API_SECRET, expires)]}
    assert engine.handle(session, json.dumps(auth), NOW_MS) == {
        "retCode": 0,
        "retMsg": "OK",
        "op": "auth",
        "connId": session.conn_id,
    }
    return engine, session


def send(engine: tuple[Engine, Session], op: str, params: dict[str, Any]) -> dict[str, Any]:
    frame = {"op": op, "header": {"X-BAPI-TIMESTAMP": str(NOW_MS)}, "args": [params]}
    result = engine[0].handle(engine[1], json.dumps(frame), NOW_MS)
    assert isinstance(result, Pending), result
    reply = result.apply(NOW_MS)
    return reply


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"price": None}, "price: required for a Limit order"),
        ({"qty": "0"}, "qty: must be greater than 0, got '0'"),
        ({"qty": "0.000"}, "qty: must be greater than 0, got '0.000'"),
        ({"qty": "-1"}, "qty: must be greater than 0, got '-1'"),
        ({"price": "0"}, "price: must be greater than 0, got '0'"),
        ({"price": "-30000"}, "price: must be greater than 0, got '-30000'"),
        ({"triggerPrice": "0"}, "triggerPrice: must be greater than 0, got '0'"),
        ({"triggerPrice": "-1.5"}, "triggerPrice: must be greater than 0, got '-1.5'"),
        ({"orderType": "Market", "price": "-1"}, "price: must not be negative, got '-1'"),
        ({"orderType": "Market", "qty": "0"}, "qty: must be greater than 0, got '0'"),
    ],
)
def test_create_refusals(
    engine: tuple[Engine, Session], change: dict[str, Any], message: str
) -> None:
    params = {key: value for key, value in {**LIMIT, **change}.items() if value is not None}
    reply = send(engine, "order.create", params)
    assert (reply["retCode"], reply["retMsg"], reply["data"]) == (10001, message, {})
    assert engine[0].orders(DEMO_API_KEY) == []


@pytest.mark.parametrize(
    "change",
    [
        {"orderType": "Market", "price": "0"},  # "Ignored for Market" (reference §6.1)
        {"price": "0.5", "qty": "0.001", "triggerPrice": "31000"},
    ],
)
def test_creates_bybit_accepts(engine: tuple[Engine, Session], change: dict[str, Any]) -> None:
    assert send(engine, "order.create", {**LIMIT, **change})["retCode"] == 0


def test_a_zero_quantity_close_is_only_for_derivatives(engine: tuple[Engine, Session]) -> None:
    close = {**LIMIT, "qty": "0", "reduceOnly": True, "closeOnTrigger": True}
    # Accepted as a close (no position to close here, hence 110017, not 10001).
    assert send(engine, "order.create", close)["retCode"] == 110017
    assert send(engine, "order.create", {**close, "category": "option", "orderLinkId": "o"})[
        "retMsg"
    ] == ("qty: must be greater than 0, got '0'")
    assert send(engine, "order.create", {**close, "closeOnTrigger": False})["retCode"] == 10001


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({}, MSG_UNCHANGED),
        ({"price": "30000"}, MSG_UNCHANGED),
        ({"price": "30000.0", "qty": "0.10"}, MSG_UNCHANGED),  # compared by value
        ({"qty": "0"}, "qty: must be greater than 0, got '0'"),
        ({"qty": "-0.1"}, "qty: must be greater than 0, got '-0.1'"),
        ({"price": "0"}, "price: must be greater than 0, got '0'"),
        ({"triggerPrice": "0"}, "triggerPrice: must be greater than 0, got '0'"),
        ({"price": "30001"}, "OK"),
        ({"qty": "0.2", "price": "30000"}, "OK"),
        ({"takeProfit": "0"}, "OK"),  # "0" cancels a take profit: allowed
    ],
)
def test_amend_refusals(
    engine: tuple[Engine, Session], change: dict[str, Any], expected: str
) -> None:
    assert send(engine, "order.create", {**LIMIT, "orderLinkId": "A"})["retCode"] == 0
    ref = {"category": "linear", "symbol": "BTCUSDT", "orderLinkId": "A"}
    reply = send(engine, "order.amend", {**ref, **change})
    assert (reply["retCode"], reply["retMsg"]) == (0 if expected == "OK" else 10001, expected)
    (order,) = engine[0].orders(DEMO_API_KEY)
    if expected != "OK":
        assert (order["qty"], order["price"], order["updatedTime"]) == ("0.1", "30000", str(NOW_MS))


def test_batch_items_fail_one_by_one(engine: tuple[Engine, Session]) -> None:
    items = [
        {key: value for key, value in LIMIT.items() if key != "category"} | change
        for change in ({"orderLinkId": "ok"}, {"qty": "0"}, {"price": "-1"})
    ]
    reply = send(engine, "order.create-batch", {"category": "linear", "request": items})
    assert reply["retCode"] == 0
    assert [(s["code"], s["msg"]) for s in reply["retExtInfo"]["list"]] == [
        (0, "OK"),
        (10001, "qty: must be greater than 0, got '0'"),
        (10001, "price: must be greater than 0, got '-1'"),
    ]
    amends = [{"symbol": "BTCUSDT", "orderLinkId": "ok", "price": "30000"}]
    reply = send(engine, "order.amend-batch", {"category": "linear", "request": amends})
    assert reply["retExtInfo"]["list"] == [{"code": 10001, "msg": MSG_UNCHANGED}]
