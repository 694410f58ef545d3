"""Where the WS trade API (reference §1) and the streams (streams reference §1) live."""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

from bybit_wsapi_generated import StreamWsKey
from bybit_wsapi_generated.streams import STREAMS
from bybit_wsapi_generated.tables import API_PATH

from .errors import ConfigurationError

__all__ = [
    "DEMO_HOST",
    "MAINNET_HOST",
    "MAINNET_URL",
    "REGION_HOSTS",
    "TESTNET_HOST",
    "TESTNET_URL",
    "Region",
    "stream_url",
    "ws_api_url",
]

MAINNET_HOST = "stream.bybit.com"
TESTNET_HOST = "stream-testnet.bybit.com"
DEMO_HOST = "stream-demo.bybit.com"
"""Demo trading: private streams only (public data is mainnet's; no WS trade API)."""
MAINNET_URL = f"wss://{MAINNET_HOST}{API_PATH}"
TESTNET_URL = f"wss://{TESTNET_HOST}{API_PATH}"
Region = Literal["tr", "kz", "id", "ge", "jp"]
REGION_HOSTS: dict[str, str] = {
    "tr": "stream.bybit.tr",
    "kz": "stream.bybit.kz",
    "id": "stream.bybit.id",
    "ge": "stream.bybitgeorgia.ge",
    "jp": "stream.manepa.jp",
}
"""Regional mainnet hosts. Only ``tr`` and ``kz`` are documented for ``/v5/trade``; the others
are listed by Bybit for mainnet streams in general."""


def ws_api_url(
    *,
    testnet: bool = False,
    demo_trading: bool = False,
    region: str | None = None,
    ws_url: str | None = None,
    base_url: str | None = None,
) -> str:
    """The ``/v5/trade`` URL for these options.

    Raises:
        ConfigurationError: demo trading (Bybit has no WS trade API there), an unknown region,
            or two of ``ws_url``/``base_url``, ``testnet`` and ``region`` at once.
    """
    host = _host(testnet=testnet, region=region, base_url=base_url)
    if demo_trading:
        raise ConfigurationError(
            "Bybit's demo trading environment has no WebSocket trade API (its handshake answers "
            "HTTP 404): use testnet=True with testnet API keys, or the local server (ws_url=...)"
        )
    if ws_url is not None:
        if testnet or region is not None:
            chosen = "testnet=True" if testnet else f"region={region!r}"
            raise ConfigurationError(
                f"ws_url names the endpoint itself: pass either ws_url or {chosen}, not both"
            )
        _check_url("ws_url", ws_url)
        return ws_url
    return host + API_PATH


def stream_url(
    ws_key: StreamWsKey,
    *,
    testnet: bool = False,
    demo_trading: bool = False,
    region: str | None = None,
    base_url: str | None = None,
    max_active_time: float | None = None,
) -> str:
    """The URL of the stream socket ``ws_key`` for these options.

    Demo trading moves only the private stream (to ``stream-demo``); its public data is
    mainnet's. ``max_active_time`` (seconds) applies to the private stream only.

    Raises:
        ConfigurationError: an unknown region, or ``base_url`` with ``testnet`` or ``region``.
    """
    rule = STREAMS[ws_key]
    private = rule["access"] == "private"
    if demo_trading and private and base_url is None:
        if testnet or region is not None:
            raise ConfigurationError(
                "demo trading has one host (stream-demo.bybit.com): drop testnet or region"
            )
        host = f"wss://{DEMO_HOST}"
    else:
        host = _host(testnet=testnet, region=region, base_url=base_url)
    url = host + rule["path"]
    if private and max_active_time is not None:
        url += f"?max_active_time={round(max_active_time)}s"
    return url


def _host(*, testnet: bool, region: str | None, base_url: str | None) -> str:
    """``scheme://host[:port]`` of every path for these options."""
    if base_url is not None:
        if testnet or region is not None:
            chosen = "testnet=True" if testnet else f"region={region!r}"
            raise ConfigurationError(
                f"base_url names the host itself: pass either base_url or {chosen}, not both"
            )
        _check_url("base_url", base_url)
        if urlsplit(base_url).path.strip("/"):
            raise ConfigurationError(
                f"base_url is a host without a path (e.g. server.base_url, ws://127.0.0.1:8765),"
                f" got {base_url!r}: every path (/v5/trade, /v5/private, ...) is added to it"
            )
        return base_url.rstrip("/")
    if region is not None:
        if testnet:
            raise ConfigurationError("regional hosts are mainnet only: drop testnet=True or region")
        regional = REGION_HOSTS.get(region)
        if regional is None:
            raise ConfigurationError(
                f"unknown region {region!r}; use one of {', '.join(REGION_HOSTS)}"
            )
        return f"wss://{regional}"
    return f"wss://{TESTNET_HOST if testnet else MAINNET_HOST}"


def _check_url(name: str, url: str) -> None:
    if not url.startswith(("ws://", "wss://")) or not urlsplit(url).hostname:
        raise ConfigurationError(f"{name} must be a ws:// or wss:// URL with a host, got {url!r}")
