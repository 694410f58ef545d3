"""Per-account, per-op, per-category rate limits and their reply headers (raw clients)."""

from __future__ import annotations

from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection

from bybit_wsapi.server import DEMO_API_KEY, LocalServer, ServerConfig

from .helpers import authed, call, limit_order, now_ms, order_frame

pytestmark = pytest.mark.anyio


def items(count: int, prefix: str) -> list[dict[str, Any]]:
    out = []
    for i in range(count):
        item = limit_order(f"{prefix}{i}")
        del item["category"]
        out.append(item)
    return out


async def test_single_op_limit_counts_down_then_10006() -> None:
    async with LocalServer() as server, await authed(server.url) as ws:
        replies = [await call(ws, order_frame("order.create", limit_order())) for _ in range(11)]
        assert [r["header"]["X-Bapi-Limit"] for r in replies] == ["10"] * 11
        assert [r["header"]["X-Bapi-Limit-Status"] for r in replies] == [
            str(9 - i) for i in range(10)
        ] + ["0"]
        assert [r["retCode"] for r in replies] == [0] * 10 + [10006]
        over = replies[-1]
        assert over["retMsg"].startswith("Too many visits")
        assert over["data"] == {}
        reset = int(over["header"]["X-Bapi-Limit-Reset-Timestamp"])
        first = int(replies[0]["header"]["Timenow"])
        assert reset == int(replies[0]["header"]["X-Bapi-Limit-Reset-Timestamp"]) + 1000
        assert first <= reset - 1000 <= now_ms()
        assert len(server.orders(DEMO_API_KEY)) == 10
        # Other categories, ops and accounts have their own quota.
        spot = await call(ws, order_frame("order.create", limit_order(category="spot")))
        assert (spot["retCode"], spot["header"]["X-Bapi-Limit"]) == (0, "20")
        cancel = {"category": "linear", "symbol": "BTCUSDT", "orderLinkId": "none"}
        assert (await call(ws, order_frame("order.cancel", cancel)))["retCode"] == 110001


async def test_accounts_have_separate_quotas() -> None:
    config = ServerConfig(
        accounts={"a": "sa", "b": "sb"}, rate_limits={"order.create": {"linear": 1}}
    )
    async with (
        LocalServer(config) as server,
        await authed(server.url, "a", "sa") as a,
        await authed(server.url, "b", "sb") as b,
    ):
        assert (await call(a, order_frame("order.create", limit_order())))["retCode"] == 0
        assert (await call(a, order_frame("order.create", limit_order())))["retCode"] == 10006
        assert (await call(b, order_frame("order.create", limit_order())))["retCode"] == 0


async def test_override_table_and_default() -> None:
    config = ServerConfig(rate_limits={"order.create": {"linear": 2, "default": 3}})
    async with LocalServer(config) as server, await authed(server.url) as ws:
        codes = [
            (await call(ws, order_frame("order.create", limit_order())))["retCode"]
            for _ in range(3)
        ]
        assert codes == [0, 0, 10006]
        spot = await call(ws, order_frame("order.create", limit_order(category="spot")))
        assert spot["header"]["X-Bapi-Limit"] == "20"  # the spec's spot entry still applies


def test_override_of_an_unknown_op_is_refused() -> None:
    with pytest.raises(ValueError, match=r"order\.nope"):
        LocalServer(ServerConfig(rate_limits={"order.nope": {"linear": 1}}))


async def test_batch_items_count_one_unit_each() -> None:
    async with LocalServer() as server, await authed(server.url) as ws:
        frame = order_frame("order.create-batch", {"category": "linear", "request": items(15, "a")})
        reply = await call(ws, frame)
        assert reply["retCode"] == 0
        assert [s["code"] for s in reply["retExtInfo"]["list"]] == [0] * 10 + [10006] * 5
        failed = reply["data"]["list"][10]
        assert (failed["orderId"], failed["createAt"], failed["orderLinkId"]) == ("", "", "a10")
        assert reply["header"]["X-Bapi-Limit-Status"] == "0"
        assert len(server.orders(DEMO_API_KEY)) == 10
        # Nothing left: the whole request is refused.
        frame = order_frame("order.create-batch", {"category": "linear", "request": items(2, "b")})
        assert (await call(ws, frame))["retCode"] == 10006
        # Single ops have a separate quota.
        assert (await call(ws, order_frame("order.create", limit_order())))["retCode"] == 0


async def test_option_batches_count_one_unit_per_request() -> None:
    async with LocalServer() as server, await authed(server.url) as option_ws:
        codes = []
        for n in range(11):
            params = {"category": "option", "request": items(3, f"o{n}-")}
            codes.append(
                (await call(option_ws, order_frame("order.create-batch", params)))["retCode"]
            )
        assert codes == [0] * 10 + [10006]
        assert len(server.orders(DEMO_API_KEY)) == 30


async def test_rate_limit_off_reports_the_limit_and_never_refuses(ws: ClientConnection) -> None:
    replies = [await call(ws, order_frame("order.create", limit_order())) for _ in range(25)]
    assert {r["retCode"] for r in replies} == {0}
    assert {(r["header"]["X-Bapi-Limit"], r["header"]["X-Bapi-Limit-Status"]) for r in replies} == {
        ("10", "10")
    }
