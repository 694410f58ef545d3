"""RSA-signed REST end to end, and the clock: 10002 says what to call, ``sync_time`` fixes it."""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator

import httpx
import pytest

from bybit_wsapi.rest import RestAPIError, RestClient, RestHTTPError
from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET, LocalServer, ServerConfig

from ..orders import create
from ..rsa_keys import PASSPHRASE, key_pair, other_key_pair

pytestmark = pytest.mark.anyio
RSA_KEY = "rsa-rest-key"


@pytest.fixture
async def server() -> AsyncIterator[LocalServer]:
    accounts = {DEMO_API_KEY: DEMO_API_SECRET, RSA_KEY: key_pair().public_pem}
    async with LocalServer(ServerConfig(accounts=accounts, rate_limit=False)) as running:
        yield running


def http(server: LocalServer) -> str:
    return server.base_url.replace("ws://", "http://")


async def test_an_rsa_key_signs_rest_queries_the_server_verifies(server: LocalServer) -> None:
    account = server.accounts[RSA_KEY]
    assert account.apply("create", "linear", create("rsa-1"), server.clock.now_ms())[0].code == 0
    for secret, passphrase in (
        (key_pair().private_pem, None),
        (key_pair().pkcs1_pem, None),
        (key_pair().encrypted_pem, PASSPHRASE),
    ):
        async with RestClient(
            key=RSA_KEY, secret=secret, secret_passphrase=passphrase, base_url=http(server)
        ) as rsa:
            found = await rsa.get_open_orders(category="linear", symbol="BTCUSDT")
            assert [o["orderLinkId"] for o in found["list"]] == ["rsa-1"]
    async with RestClient(key=RSA_KEY, secret=DEMO_API_SECRET, base_url=http(server)) as hmac:
        with pytest.raises(RestAPIError, match="retCode=10004"):  # HMAC on an RSA account
            await hmac.get_open_orders(category="linear", symbol="BTCUSDT")


async def test_the_wrong_rsa_key_gets_10004_and_what_to_check(server: LocalServer) -> None:
    wrong = other_key_pair().private_pem
    async with RestClient(key=RSA_KEY, secret=wrong, base_url=http(server)) as rsa:
        with pytest.raises(RestAPIError) as refused:
            await rsa.get_executions(category="linear", symbol="BTCUSDT")
    error = refused.value
    assert error.ret_code == 10004
    assert error.ret_msg == (
        "Error sign, please check your signature generation algorithm: "
        "origin_string[***category=linear&symbol=BTCUSDT]"
    )
    assert "public key registered for this API key" in str(error)
    assert "PRIVATE KEY" not in str(error) and wrong[40:80] not in repr(error.response)


def _suggested_offset(error: RestAPIError) -> int:
    found = re.search(r"client\.set_time_offset_ms\((-?\d+)\)", str(error))
    assert found, str(error)
    return int(found.group(1))


@pytest.mark.parametrize("skew_ms", [7_000, -3_000])  # the server 7 s ahead; 3 s behind
async def test_10002_names_the_call_that_fixes_the_clock(server: LocalServer, skew_ms: int) -> None:
    server.rest.options.clock_skew_ms = skew_ms
    async with RestClient(key=DEMO_API_KEY, secret=DEMO_API_SECRET, base_url=http(server)) as rest:
        with pytest.raises(RestAPIError, match="retCode=10002") as late:
            await rest.get_open_orders(category="spot")
        assert "client.sync_time() (awaited, on the async client)" in str(late.value)
        rest.set_time_offset_ms(_suggested_offset(late.value))  # do what it says: it works
        await rest.get_open_orders(category="spot")
        rest.set_time_offset_ms(skew_ms + 2_000)  # overcorrected: the suggestion accounts for it
        with pytest.raises(RestAPIError, match="retCode=10002") as ahead:
            await rest.get_open_orders(category="spot")
        assert f"(offset now {skew_ms + 2_000} ms)" in str(ahead.value)
        rest.set_time_offset_ms(_suggested_offset(ahead.value))
        await rest.get_open_orders(category="spot")


async def test_sync_time_measures_the_offset_from_market_time(server: LocalServer) -> None:
    server.rest.options.clock_skew_ms = 9_000
    async with RestClient(key=DEMO_API_KEY, secret=DEMO_API_SECRET, base_url=http(server)) as rest:
        with pytest.raises(RestAPIError, match="10002"):
            await rest.get_order_history(category="linear")
        before = time.monotonic_ns()
        offset = await rest.sync_time()
        round_trip_ms = (time.monotonic_ns() - before) // 1_000_000 + 1
        assert rest.get_time_offset_ms() == offset
        assert abs(offset - 9_000) <= round_trip_ms  # the midpoint is off by half the trip at most
        await rest.get_order_history(category="linear")


async def test_server_time_is_public_and_a_bad_answer_leaves_the_offset(
    server: LocalServer,
) -> None:
    server.rest.options.clock_skew_ms = 60_000
    async with RestClient(key="no-such-key", secret="x", base_url=http(server)) as keyless:
        result = await keyless.get_server_time()  # no key needed: nothing is signed
        assert int(result["timeNano"]) // 10**9 == int(result["timeSecond"])
        assert int(result["timeSecond"]) * 1000 > time.time() * 1000 + 50_000

    def not_time(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"retCode": 0, "retMsg": "OK", "result": {}})

    async with RestClient(
        key="k", secret="s", base_url="http://x", transport=httpx.MockTransport(not_time)
    ) as odd:
        odd.set_time_offset_ms(5)
        with pytest.raises(RestHTTPError, match="no timeNano"):
            await odd.sync_time()
        assert odd.get_time_offset_ms() == 5
