"""Where the WS trade API lives (reference §1)."""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

from .errors import ConfigurationError

__all__ = ["MAINNET_URL", "REGION_HOSTS", "TESTNET_URL", "Region", "ws_api_url"]

MAINNET_URL = "wss://stream.bybit.com/v5/trade"
TESTNET_URL = "wss://stream-testnet.bybit.com/v5/trade"
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
) -> str:
    """The ``/v5/trade`` URL for these options.

    Raises:
        ConfigurationError: demo trading (Bybit has no WS trade API there), an unknown region,
            or two of ``ws_url``, ``testnet`` and ``region`` at once.
    """
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
        if not ws_url.startswith(("ws://", "wss://")) or not urlsplit(ws_url).hostname:
            raise ConfigurationError(
                f"ws_url must be a ws:// or wss:// URL with a host, got {ws_url!r}"
            )
        return ws_url
    if region is not None:
        if testnet:
            raise ConfigurationError("regional hosts are mainnet only: drop testnet=True or region")
        host = REGION_HOSTS.get(region)
        if host is None:
            raise ConfigurationError(
                f"unknown region {region!r}; use one of {', '.join(REGION_HOSTS)}"
            )
        return f"wss://{host}/v5/trade"
    return TESTNET_URL if testnet else MAINNET_URL
