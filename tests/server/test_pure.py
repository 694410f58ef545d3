"""Orders, rate limits, frames and the handshake target (pure, no sockets)."""

from __future__ import annotations

import itertools
import json

import pytest

from bybit_wsapi.server.frames import (
    FrameError,
    decode,
    milliseconds,
    op_reply,
    raw_text_frame,
    reshape_error,
)
from bybit_wsapi.server.handshake import HandshakeError, parse_max_active_time, route
from bybit_wsapi.server.orders import OrderBook
from bybit_wsapi.server.ratelimit import RateLimiter, resolve_limit

# ---- orders ----------------------------------------------------------------------------------

ORDER = {"symbol": "BTCUSDT", "side": "Buy", "orderType": "Limit", "qty": "1", "price": "10"}


def book() -> OrderBook:
    ids = itertools.count(1)
    return OrderBook(lambda: f"id{next(ids)}")


def test_create_then_find_by_either_id() -> None:
    orders = book()
    created = orders.create("linear", {**ORDER, "orderLinkId": "L"}, 100)
    assert (created.code, created.order_id, created.order_link_id, created.created_ms) == (
        0,
        "id1",
        "L",
        100,
    )
    amended = orders.amend("linear", {"symbol": "BTCUSDT", "orderId": "id1", "qty": "2"}, 150)
    assert (amended.code, amended.order_id, amended.order_link_id) == (0, "id1", "L")
    (order,) = orders.orders()
    assert order == {
        **ORDER,
        "qty": "2",
        "category": "linear",
        "orderId": "id1",
        "orderLinkId": "L",
        "status": "New",
        "createdTime": "100",
        "updatedTime": "150",
    }
    assert orders.cancel("linear", {"symbol": "BTCUSDT", "orderLinkId": "L"}, 200).code == 0
    assert orders.orders()[0]["status"] == "Cancelled"


def test_orders_returns_copies() -> None:
    orders = book()
    orders.create("linear", ORDER, 1)
    orders.orders()[0]["status"] = "Filled"
    assert orders.orders()[0]["status"] == "New"


def test_empty_ids_count_as_absent() -> None:
    orders = book()
    orders.create("linear", {**ORDER, "orderLinkId": "L"}, 1)
    assert (
        orders.cancel("linear", {"symbol": "BTCUSDT", "orderId": "", "orderLinkId": "L"}, 2).code
        == 0
    )
    assert (
        orders.cancel("linear", {"symbol": "BTCUSDT", "orderId": "", "orderLinkId": ""}, 2).code
        == 110001
    )


def test_amend_keeps_identity_fields() -> None:
    orders = book()
    orders.create("linear", {**ORDER, "orderLinkId": "L"}, 1)
    orders.amend("linear", {"symbol": "BTCUSDT", "orderLinkId": "L", "price": "11"}, 2)
    (order,) = orders.orders()
    assert (order["orderId"], order["orderLinkId"], order["price"]) == ("id1", "L", "11")


@pytest.mark.parametrize(
    ("category", "duplicate", "missing"), [("inverse", 110072, 110001), ("spot", 170141, 170213)]
)
def test_codes(category: str, duplicate: int, missing: int) -> None:
    orders = book()
    orders.create(category, {**ORDER, "orderLinkId": "L"}, 1)
    failed = orders.create(category, {**ORDER, "orderLinkId": "L"}, 1)
    assert (failed.code, failed.order_id, failed.order_link_id, failed.created_ms) == (
        duplicate,
        "",
        "L",
        None,
    )
    assert orders.amend(category, {"symbol": "BTCUSDT", "orderId": "nope"}, 1).code == missing
    other = "option" if category == "spot" else "spot"
    assert orders.cancel(other, {"symbol": "BTCUSDT", "orderLinkId": "L"}, 1).code != 0
    assert orders.cancel(category, {"symbol": "BTCUSDT", "orderLinkId": "L"}, 1).code == 0
    assert orders.cancel(category, {"symbol": "BTCUSDT", "orderLinkId": "L"}, 1).code == 110010
    assert (
        orders.amend(category, {"symbol": "BTCUSDT", "orderLinkId": "L", "qty": "3"}, 1).code
        == 110008
    )


def test_apply_dispatches() -> None:
    orders = book()
    assert orders.apply("create", "linear", ORDER, 1).order_id == "id1"
    amend = {"symbol": "BTCUSDT", "orderId": "id1", "qty": "2"}  # an amend must change something
    assert orders.apply("amend", "linear", amend, 1).code == 0
    assert orders.apply("cancel", "linear", {"symbol": "BTCUSDT", "orderId": "id1"}, 1).code == 0


# ---- rate limits -----------------------------------------------------------------------------


def test_rolling_window() -> None:
    limiter = RateLimiter(window_ms=1000)
    grants = [limiter.acquire("k", 3, 1, 1000 + i) for i in range(4)]
    assert [(g.granted, g.remaining) for g in grants] == [(1, 2), (1, 1), (1, 0), (0, 0)]
    assert [g.reset_ms for g in grants] == [1000, 1001, 1002, 2000]  # over: oldest + window
    assert grants[0].limit == 3
    # The first entry leaves the window at 2000.
    assert limiter.acquire("k", 3, 1, 1999).granted == 0
    assert limiter.acquire("k", 3, 1, 2000).granted == 1
    # Keys are independent.
    assert limiter.acquire("other", 3, 1, 2000).remaining == 2


def test_batches_take_what_fits() -> None:
    limiter = RateLimiter()
    assert limiter.acquire("k", 10, 7, 0).granted == 7
    grant = limiter.acquire("k", 10, 7, 1)
    assert (grant.granted, grant.remaining, grant.reset_ms) == (3, 0, 1000)


def test_resolve_limit() -> None:
    assert resolve_limit({"spot": 20, "default": 5}, "spot") == 20
    assert resolve_limit({"spot": 20, "default": 5}, "linear") == 5
    assert resolve_limit({"spot": 20}, "linear") is None


# ---- frames ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "error"),
    [
        (b"{}", "binary frames are not supported"),
        ("{", "malformed JSON: Expecting property name"),
        ("[" * 100_000, "malformed JSON: nested too deeply"),
        ("1" * 5000, "malformed JSON: Exceeds the limit"),
        ("[]", "a request must be a JSON object, got a JSON array"),
        ('"x"', "a request must be a JSON object, got a JSON str"),
        ("null", "a request must be a JSON object, got a JSON NoneType"),
    ],
)
def test_decode_errors(message: str | bytes, error: str) -> None:
    with pytest.raises(FrameError, match=error.replace("[", r"\[")):
        decode(message)


def test_decode() -> None:
    assert decode('{"op":"ping"}') == {"op": "ping"}


@pytest.mark.parametrize(
    ("value", "ms"),
    [
        (5, 5),
        ("5", 5),
        ("1711010121452", 1711010121452),
        ("", None),
        ("1.5", None),
        ("-1", None),
        ("١٢", None),
        ("²", None),
        ("9" * 20, None),
        (1.0, None),
        (True, None),
        (None, None),
    ],
)
def test_milliseconds(value: object, ms: int | None) -> None:
    assert milliseconds(value) == ms


def test_op_reply_and_shapes() -> None:
    frame = op_reply("r", 10001, "bad", "order.create", "c", header={"Traceid": "t"})
    assert list(frame) == [
        "reqId",
        "retCode",
        "retMsg",
        "op",
        "data",
        "retExtInfo",
        "header",
        "connId",
    ]
    assert reshape_error(frame, "no_req_id") == {
        "retCode": 10001,
        "retMsg": "bad",
        "op": "order.create",
        "connId": "c",
    }
    assert reshape_error(frame, "legacy") == {
        "success": False,
        "ret_msg": "bad",
        "op": "order.create",
        "conn_id": "c",
    }
    assert reshape_error(frame, "standard") is frame
    assert "reqId" not in op_reply(None, 0, "OK", "x", "c")


@pytest.mark.parametrize("size", [0, 125, 126, 65535, 65536])
def test_raw_text_frame(size: int) -> None:
    payload = b"a" * size
    frame = raw_text_frame(payload, fin=True)
    assert frame[0] == 0x81
    assert frame.endswith(payload)
    assert len(frame) - size == (2 if size < 126 else 4 if size < 65536 else 10)
    assert raw_text_frame(payload, fin=False)[0] == 0x01


# ---- handshake -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"), [("30s", 30), ("600s", 600), ("1m", 60), ("10m", 600)]
)
def test_max_active_time(text: str, seconds: float) -> None:
    assert parse_max_active_time(text) == seconds


@pytest.mark.parametrize("text", ["29s", "601s", "11m", "0m", "1h", "60", "", "1.5m", "s"])
def test_bad_max_active_time(text: str) -> None:
    with pytest.raises(ValueError, match="max_active_time"):
        parse_max_active_time(text)


def test_route() -> None:
    assert route("/v5/trade") == ("trade", None)
    assert route("/v5/trade?max_active_time=2m&x=1") == ("trade", 120)
    assert route("/v5/private?max_active_time=30s") == ("private", 30)
    for category in ("spot", "linear", "inverse", "option"):
        assert route(f"/v5/public/{category}") == (category, None)
    for path in ("/", "/v5/public/spread", "/v5/public", "/v5/private/x", "/v5/trade/"):
        with pytest.raises(HandshakeError) as info:
            route(path)
        assert info.value.status == 404
    with pytest.raises(HandshakeError) as info:
        route("/v5/trade?max_active_time=1d")
    assert info.value.status == 400
    assert json.dumps(info.value.body)
