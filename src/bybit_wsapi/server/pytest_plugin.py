"""pytest plugin (entry point ``bybit_wsapi``): fixtures running a local server in a thread.

``bybit_ws_server``: a running server with the demo account and rate limits off: ``.url`` (trade),
``.base_url`` (streams), ``.orders(key)``, ``.wallet(key)``, ``.call(fn)`` for the market and
accounts, ``.faults``. ``bybit_ws_market``: the same on a manual clock, so ``.step(ms)`` moves
the market deterministically. ``bybit_ws_server_factory``: ``start(config=None)`` starts another
one (stopped at teardown). All give a :class:`~bybit_wsapi.server.ServerThread`, so sync tests
and any async plugin work.
The server modules load only when a fixture is used.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .config import ServerConfig
    from .thread import ServerThread

__all__ = ["bybit_ws_market", "bybit_ws_server", "bybit_ws_server_factory"]


@pytest.fixture
def bybit_ws_server_factory() -> Iterator[Callable[..., ServerThread]]:
    """``start(config=None)``: a started server thread; the default config has the demo
    account and rate limits off."""
    from .config import ServerConfig  # noqa: PLC0415 - import-light plugin
    from .thread import ServerThread  # noqa: PLC0415

    started: list[ServerThread] = []

    def start(config: ServerConfig | None = None) -> ServerThread:
        handle = ServerThread(config if config is not None else ServerConfig(rate_limit=False))
        started.append(handle.start())
        return handle

    try:
        yield start
    finally:
        for handle in reversed(started):
            handle.stop()


@pytest.fixture
def bybit_ws_server(
    bybit_ws_server_factory: Callable[..., ServerThread],
) -> ServerThread:
    """A running local server (demo account, rate limits off): ``.url``, ``.faults``, ..."""
    return bybit_ws_server_factory()


@pytest.fixture
def bybit_ws_market(
    bybit_ws_server_factory: Callable[..., ServerThread],
) -> ServerThread:
    """A running local server on a manual clock: nothing moves until ``.step(ms)``."""
    from .config import ServerConfig  # noqa: PLC0415 - import-light plugin

    return bybit_ws_server_factory(ServerConfig(rate_limit=False, manual_clock=True))
