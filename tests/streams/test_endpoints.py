"""Stream URLs (§1): per category, private, testnet, demo (private only), regions, base_url."""

from __future__ import annotations

import pytest

from bybit_wsapi import WS_KEY_MAP, ConfigurationError, WebsocketAPIClient, WebsocketClient
from bybit_wsapi.endpoints import stream_url, ws_api_url


def test_mainnet_testnet_and_paths() -> None:
    assert stream_url(WS_KEY_MAP.v5_linear_public) == "wss://stream.bybit.com/v5/public/linear"
    assert (
        stream_url(WS_KEY_MAP.v5_option_public, testnet=True)
        == "wss://stream-testnet.bybit.com/v5/public/option"
    )
    assert stream_url(WS_KEY_MAP.v5_private) == "wss://stream.bybit.com/v5/private"


def test_demo_moves_only_the_private_stream() -> None:
    assert (
        stream_url(WS_KEY_MAP.v5_private, demo_trading=True)
        == "wss://stream-demo.bybit.com/v5/private"
    )
    assert (
        stream_url(WS_KEY_MAP.v5_spot_public, demo_trading=True)
        == "wss://stream.bybit.com/v5/public/spot"
    )
    with pytest.raises(ConfigurationError, match="one host"):
        stream_url(WS_KEY_MAP.v5_private, demo_trading=True, testnet=True)


def test_regions_and_base_url_and_max_active_time() -> None:
    assert stream_url(WS_KEY_MAP.v5_private, region="kz") == "wss://stream.bybit.kz/v5/private"
    assert (
        stream_url(WS_KEY_MAP.v5_spot_public, region="ge")
        == "wss://stream.bybitgeorgia.ge/v5/public/spot"
    )
    base = "ws://127.0.0.1:8765"
    assert (
        stream_url(WS_KEY_MAP.v5_inverse_public, base_url=base + "/") == base + "/v5/public/inverse"
    )
    assert ws_api_url(base_url=base) == base + "/v5/trade"
    assert (
        ws_api_url(base_url=base, ws_url="ws://h:1/x") == "ws://h:1/x"
    )  # ws_url: the trade endpoint
    assert (
        stream_url(WS_KEY_MAP.v5_private, max_active_time=60.0)
        == "wss://stream.bybit.com/v5/private?max_active_time=60s"
    )
    assert (
        stream_url(WS_KEY_MAP.v5_spot_public, max_active_time=60.0)
        == "wss://stream.bybit.com/v5/public/spot"
    )
    with pytest.raises(ConfigurationError, match="without a path"):
        stream_url(WS_KEY_MAP.v5_private, base_url=base + "/v5/trade")
    with pytest.raises(ConfigurationError, match="either base_url or testnet=True"):
        stream_url(WS_KEY_MAP.v5_private, base_url=base, testnet=True)
    with pytest.raises(ConfigurationError, match="ws:// or wss://"):
        ws_api_url(base_url="http://127.0.0.1:1")


@pytest.mark.anyio
async def test_demo_client_allows_streams_and_refuses_the_trade_socket() -> None:
    ws = WebsocketClient(key="k", secret="s", demo_trading=True)
    with pytest.raises(ConfigurationError, match="no WebSocket trade API"):
        await ws.connect_ws_api()
    with pytest.raises(ConfigurationError, match="no WebSocket trade API"):
        ws.send_ws_api_request(
            WS_KEY_MAP.v5_private_trade,
            "order.cancel",
            {"category": "linear", "symbol": "X", "orderId": "1"},
        )
    with pytest.raises(ConfigurationError, match="demo trading"):
        WebsocketAPIClient(key="k", secret="s", demo_trading=True)
    await ws.close()


@pytest.mark.parametrize(
    ("value", "match"), [(10, "30 to 600"), (601, "30 to 600"), ("1m", "number of seconds")]
)
def test_max_active_time_is_checked(value: object, match: str) -> None:
    with pytest.raises(ConfigurationError, match=match):
        WebsocketClient(key="k", secret="s", max_active_time=value)  # type: ignore[arg-type]


def test_stream_buffer_size_is_checked() -> None:
    with pytest.raises(ConfigurationError, match="stream_buffer_size must be an int >= 1"):
        WebsocketClient(key="k", secret="s", stream_buffer_size=0)
