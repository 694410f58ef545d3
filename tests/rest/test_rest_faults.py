"""REST faults on the local server: failed reads (HTTP and retCode) and a service restart."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bybit_wsapi.orders import OrderTracker
from bybit_wsapi.rest import RestAPIError, RestClient, RestHTTPError
from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET, LocalServer, ServerConfig

from ..orders import cancel, create

pytestmark = pytest.mark.anyio


@pytest.fixture
async def server() -> AsyncIterator[LocalServer]:
    async with LocalServer(ServerConfig(rate_limit=False, manual_clock=True)) as running:
        account, now = running.accounts[DEMO_API_KEY], running.clock.now_ms()
        assert account.apply("create", "linear", create("open"), now)[0].code == 0
        assert account.apply("create", "linear", create("gone"), now)[0].code == 0
        assert account.apply("cancel", "linear", cancel("gone"), now + 1)[0].code == 0
        running.clock.advance(10)
        yield running


@pytest.fixture
async def rest(server: LocalServer) -> AsyncIterator[RestClient]:
    http = server.base_url.replace("ws://", "http://")
    async with RestClient(key=DEMO_API_KEY, secret=DEMO_API_SECRET, base_url=http) as client:
        yield client


async def test_each_injected_failure_reaches_the_caller_once(
    server: LocalServer, rest: RestClient
) -> None:
    server.rest.options.fail_next = [503, 10016, 429, 10000]
    with pytest.raises(RestHTTPError, match=r"HTTP 503.*safe to retry") as unavailable:
        await rest.get_open_orders(category="linear", symbol="BTCUSDT")
    assert unavailable.value.status == 503
    with pytest.raises(RestAPIError, match="retCode=10016") as internal:
        await rest.get_order_history(category="linear")
    assert internal.value.limits["rateLimit"] == 50  # the limit headers come with it
    with pytest.raises(RestHTTPError, match="HTTP 429"):
        await rest.get_executions(category="linear")
    with pytest.raises(RestAPIError, match="retCode=10000 'Server Timeout'"):
        await rest.get_executions(category="linear")
    assert server.rest.options.fail_next == []
    found = await rest.get_open_orders(category="linear", symbol="BTCUSDT")
    assert [o["orderLinkId"] for o in found["list"]] == ["open"]


async def test_reconcile_asks_again_after_a_failed_lookup(
    server: LocalServer, rest: RestClient
) -> None:
    server.rest.options.fail_next = [502]
    tracker = OrderTracker(rest=rest)
    view = await tracker.reconcile(
        "open", deadline=5, interval=0, category="linear", symbol="BTCUSDT"
    )
    assert view.status == "New" and server.rest.options.fail_next == []


async def test_a_restart_wipes_the_closed_buffer_not_history(
    server: LocalServer, rest: RestClient
) -> None:
    by_id = {"category": "linear", "symbol": "BTCUSDT", "orderLinkId": "gone"}
    assert [o["orderStatus"] for o in (await rest.get_open_orders(**by_id))["list"]] == [
        "Cancelled"
    ]
    server.rest.options.closed_since_ms = server.clock.now_ms()  # Bybit restarted
    assert (await rest.get_open_orders(**by_id))["list"] == []
    closed = await rest.get_open_orders(category="linear", symbol="BTCUSDT", openOnly=1)
    assert closed["list"] == []
    history = await rest.get_order_history(**by_id)
    assert [o["orderStatus"] for o in history["list"]] == ["Cancelled"]
    tracker = OrderTracker(rest=rest)
    view = await tracker.reconcile("gone", deadline=0, category="linear", symbol="BTCUSDT")
    assert view.status == "Cancelled"  # found in history


async def test_reconcile_reads_a_spot_170213_as_not_in_this_view(
    server: LocalServer, rest: RestClient
) -> None:
    server.rest.options.spot_not_found_error = True
    account, now = server.accounts[DEMO_API_KEY], server.clock.now_ms()
    spot = create("spot-1", category="spot", qty="0.01", price="1000")
    assert account.apply("create", "spot", spot, now)[0].code == 0
    assert (
        account.apply("cancel", "spot", {**cancel("spot-1"), "category": "spot"}, now)[0].code == 0
    )
    server.rest.options.closed_since_ms = server.clock.now_ms() + 1  # realtime forgets it
    tracker = OrderTracker(rest=rest)
    view = await tracker.reconcile("spot-1", deadline=0, category="spot", symbol="BTCUSDT")
    assert view.status == "Cancelled"  # 170213 from realtime, then found in history
