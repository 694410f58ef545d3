"""A local, protocol-faithful Bybit ``/v5/trade`` server for offline tests of trading bots.

``from bybit_wsapi.server import LocalServer, ServerConfig, Faults``. Names are loaded on first
use, so importing this package (or its pytest plugin) stays light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from .config import DEMO_API_KEY, DEMO_API_SECRET, ServerConfig
from .faults import Faults

if TYPE_CHECKING:
    from .app import LocalServer
    from .protocol import Received
    from .thread import ServerThread, run_server_in_thread

__all__ = [
    "DEMO_API_KEY",
    "DEMO_API_SECRET",
    "Faults",
    "LocalServer",
    "Received",
    "ServerConfig",
    "ServerThread",
    "run_server_in_thread",
]

_LAZY = {
    "LocalServer": ".app",
    "Received": ".protocol",
    "ServerThread": ".thread",
    "run_server_in_thread": ".thread",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module, __name__), name)
