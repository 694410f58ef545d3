"""The REST client's signing (the reference's vectors) and the local server's order queries."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bybit_wsapi import WS_KEY_MAP, RequestOutcomeUnknownError, WebsocketClient
from bybit_wsapi.auth import account_verifier
from bybit_wsapi.rest import RestAPIError, RestClient, query_string, sign_payload
from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET, LocalServer, ServerConfig
from bybit_wsapi.server.rest import RestServer
from bybit_wsapi.signing import make_signer

from ..orders import cancel, create

pytestmark = pytest.mark.anyio


async def test_the_reference_vectors_sign_exactly() -> None:
    signer = make_signer("test-secret", sign_timeout=1)
    query = query_string({"category": "linear", "orderLinkId": "my-ord-1", "symbol": "BTCUSDT"})
    assert query == "category=linear&orderLinkId=my-ord-1&symbol=BTCUSDT"
    payload = sign_payload(1711010121452, "MyApiKey123", 5000, query)
    assert (
        payload == "1711010121452MyApiKey1235000category=linear&orderLinkId=my-ord-1&symbol=BTCUSDT"
    )
    assert await signer.sign(payload) == (
        "9aa3e8d796d2658be3b6971cf314a9f962db486c0df557f998d1beaf5877dc17"
    )
    body = '{"category":"linear","symbol":"BTCUSDT","orderLinkId":"my-ord-1"}'
    assert await signer.sign(f"1711010121452MyApiKey1235000{body}") == (
        "e68fdd310c046484c232ca9f2ee59cb37b431d8eb826fca79a1a77e5705731bf"
    )


def test_the_query_keeps_order_and_encodes_once() -> None:
    assert query_string({"b": 1, "a": True, "skip": None, "cursor": "p%3D1&x"}) == (
        "b=1&a=true&cursor=p%253D1%26x"
    )
    assert query_string({}) == ""


@pytest.fixture
async def server() -> AsyncIterator[LocalServer]:
    async with LocalServer(ServerConfig(rate_limit=False, manual_clock=True)) as running:
        yield running


@pytest.fixture
async def rest(server: LocalServer) -> AsyncIterator[RestClient]:
    http = server.base_url.replace("ws://", "http://")
    async with RestClient(key=DEMO_API_KEY, secret=DEMO_API_SECRET, base_url=http) as client:
        yield client


@pytest.fixture
async def ws(server: LocalServer) -> AsyncIterator[WebsocketClient]:
    client = WebsocketClient(key=DEMO_API_KEY, secret=DEMO_API_SECRET, base_url=server.base_url)
    yield client
    await client.close()


async def send(ws: WebsocketClient, op: Any, params: dict[str, Any]) -> Any:
    return await ws.send_ws_api_request(WS_KEY_MAP.v5_private_trade, op, params)


async def test_an_order_whose_reply_was_lost_is_found_by_link_id(
    server: LocalServer, ws: WebsocketClient, rest: RestClient
) -> None:
    await ws.connect_ws_api()
    server.faults.drop_after_apply = True
    with pytest.raises(RequestOutcomeUnknownError):
        await send(ws, "order.create", create("lost-1"))
    server.faults.drop_after_apply = False
    found = await rest.get_open_orders(category="linear", symbol="BTCUSDT", orderLinkId="lost-1")
    assert [o["orderLinkId"] for o in found["list"]] == ["lost-1"]
    assert found["list"][0]["orderStatus"] == "New"
    none = await rest.get_open_orders(category="linear", symbol="BTCUSDT", orderLinkId="other")
    assert none["list"] == []


async def test_realtime_open_closed_and_history(ws: WebsocketClient, rest: RestClient) -> None:
    for link in ("a", "b", "c"):
        await send(ws, "order.create", create(link))
    await send(ws, "order.cancel", cancel("b"))
    base: dict[str, Any] = {"category": "linear", "symbol": "BTCUSDT"}
    open_now = await rest.get_open_orders(**base)
    assert [o["orderLinkId"] for o in open_now["list"]] == ["c", "a"]  # newest first
    closed = await rest.get_open_orders(**base, openOnly=1)
    assert [o["orderLinkId"] for o in closed["list"]] == ["b"]
    by_id = await rest.get_open_orders(**base, orderLinkId="b")
    assert by_id["list"][0]["orderStatus"] == "Cancelled"
    history = await rest.get_order_history(category="linear")
    assert [o["orderLinkId"] for o in history["list"]] == ["b"]
    first = await rest.get_open_orders(**base, limit=1)
    assert len(first["list"]) == 1 and first["nextPageCursor"]
    second = await rest.get_open_orders(**base, limit=1, cursor=first["nextPageCursor"])
    assert second["list"][0]["orderLinkId"] == "a" and second["nextPageCursor"] == ""


async def test_refusals_name_their_cause(server: LocalServer, rest: RestClient) -> None:
    with pytest.raises(RestAPIError, match="symbol, baseCoin or settleCoin"):
        await rest.get_open_orders(category="linear")
    with pytest.raises(RestAPIError, match="retCode=10001"):
        await rest.get_open_orders(category="linear", symbol="BTCUSDT", limit=51)
    http = server.base_url.replace("ws://", "http://")
    async with RestClient(key=DEMO_API_KEY, secret="s3cr3t-XYZ", base_url=http) as bad:
        with pytest.raises(RestAPIError, match="10004") as caught:
            await bad.get_open_orders(category="spot")
        assert "s3cr3t-XYZ" not in str(caught.value)
    async with RestClient(key="nobody", secret="x", base_url=http) as stranger:
        with pytest.raises(RestAPIError, match="10003"):
            await stranger.get_open_orders(category="spot")
    server.rest.options.rate_limit = 0  # every request over the limit, whatever the time
    with pytest.raises(RestAPIError, match=r"10006.*limit 0/s, 0 left, resets at") as limited:
        await rest.get_order_history(category="spot")
    assert limited.value.limits["rateLimit"] == 0
    server.rest.options.rate_limit = None
    rest.set_time_offset_ms(2000)  # a clock 2 s ahead
    with pytest.raises(RestAPIError, match="10002") as late:
        await rest.get_open_orders(category="spot")
    assert "set_time_offset_ms" in str(late.value)


def _signed(target: str) -> dict[str, str]:
    query = target.split("?", 1)[1]
    signer = make_signer(DEMO_API_SECRET, sign_timeout=1)
    stamp = 1_000_000
    sign = asyncio.run(signer.sign(sign_payload(stamp, DEMO_API_KEY, 5000, query)))
    return {
        "X-BAPI-API-KEY": DEMO_API_KEY,
        "X-BAPI-TIMESTAMP": str(stamp),
        "X-BAPI-RECV-WINDOW": "5000",
        "X-BAPI-SIGN": sign,
    }


def test_retention_visibility_delay_and_rate_limit_in_fake_time() -> None:
    import json

    from bybit_wsapi.server.account import Account
    from bybit_wsapi.server.market import Market

    account = Account(DEMO_API_KEY, Market())
    for link, at in (("old-cancel", 0), ("live", 10)):
        account.apply("create", "linear", create(link), at)
    account.apply("cancel", "linear", cancel("old-cancel"), 5)
    now = [20]
    verifiers = {DEMO_API_KEY: account_verifier(DEMO_API_SECRET)}
    rest = RestServer({DEMO_API_KEY: account}, verifiers, lambda: now[0], wall_ms=lambda: 1_000_000)

    def get(target: str) -> dict[str, Any]:
        status, headers, body = rest.handle(target, _signed(target))
        limit = str(rest.options.rate_limit or 50)  # None: the documented 50/s
        assert status == 200 and ("X-Bapi-Limit", limit) in headers
        return dict(json.loads(body))

    history = "/v5/order/history?category=linear&startTime=0"
    assert [o["orderLinkId"] for o in get(history)["result"]["list"]] == ["old-cancel"]
    now[0] = 86_400_006  # the unfilled cancel is past its 24 h
    assert get(history)["result"]["list"] == []
    realtime = "/v5/order/realtime?category=linear&symbol=BTCUSDT"
    rest.options.visibility_delay_ms = now[0]  # younger than this: not visible yet
    assert get(realtime)["result"]["list"] == []
    rest.options.visibility_delay_ms = 0
    assert [o["orderLinkId"] for o in get(realtime)["result"]["list"]] == ["live"]
    rest.options.rate_limit = 4  # per key and path: 2 realtime GETs in this (fake) second
    codes = [get(realtime)["retCode"] for _ in range(3)]
    assert codes == [0, 0, 10006]
