"""What the bench measures: the clients, their variants, the counts."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, Final

HERE: Final = Path(__file__).resolve().parent
ROOT: Final = HERE.parents[1]
RESULTS: Final = HERE / "results.json"
NODE_SDK: Final = ("bybit-api", "4.7.7")
NODE_CACHE: Final = Path.home() / ".cache" / "bybit-wsapi-bench"

CLIENTS: Final = {
    "ws_api": "ours: WebsocketAPIClient",
    "ws_api_plain": "ours, plain httpx-ws session",
    "ws_api_uvloop": "ours on uvloop",
    "ws_client": "ours: WebsocketClient",
    "websockets": "floor: raw websockets",
    "httpx_ws": "floor: raw httpx-ws",
    "pybit": "pybit WebSocketTrading",
    "node": "Node bybit-api WebsocketAPIClient",
}
OURS: Final = "ws_api"
FLOORS: Final = ("websockets", "httpx_ws")
VARIANTS: Final = {
    "ws_api_plain": ("ws_api", {"BYBIT_WSAPI_TRANSPORT": "plain"}, "asyncio"),
    "ws_api_uvloop": ("ws_api", {}, "uvloop"),
}
"""Client name -> (the runner's client, extra environment, event loop)."""
ONE_OFF: Final = tuple(c for c in CLIENTS if c not in VARIANTS)
"""The clients of the cold start and memory figures (not the variants)."""
IMPORTS: Final = {
    "bare interpreter": "pass",
    "bybit_wsapi": "import bybit_wsapi",
    "httpx_ws": "import httpx_ws",
    "websockets": "import websockets.asyncio.client",
    "pybit": "import pybit.unified_trading",
}

Result = dict[str, Any]


@dataclasses.dataclass(frozen=True)
class Settings:
    n: int = 3000
    rtt_rounds: int = 5
    warmup: int = 300
    inflight: int = 1000
    rounds: int = 3
    conns: int = 4
    cold_runs: int = 5
    memory_inflight: int = 10_000
    delay_ms: int = 2000
    capacity_procs: int = 3
    capacity_window: int = 200
    capacity_seconds: float = 3.0
    import_runs: int = 7


QUICK: Final = Settings(
    n=500,
    rtt_rounds=2,
    warmup=100,
    rounds=1,
    cold_runs=2,
    memory_inflight=2000,
    capacity_seconds=1.0,
)

WSS_CLIENTS: Final = [c for c in CLIENTS if c != "ws_client"]
"""The clients of the wss:// round trip."""
