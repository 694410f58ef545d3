"""The WebSocket session a connection runs on: what it needs, and :func:`open_session` to get one.

A connection needs exactly this: connect (httpx-ws makes the connection: the upgrade, TLS
configuration, upgrade errors), write several frames at once, receive every message through a
callback, learn when and why the session ended, and close it in bounded time. Opening and closing
may happen in different tasks.

Two implementations share this interface; :func:`open_session` picks one:

- ``"plain"`` (:mod:`.transport_plain`): httpx-ws's stock session, public API only;
- ``"fast"`` (:mod:`.transport_fast`), the default once available: httpx-ws still performs the
  upgrade, over a network stream this package owns; after the 101 a small RFC 6455 framer
  (:mod:`.framer`) runs straight from the asyncio transport's ``data_received``.

``BYBIT_WSAPI_TRANSPORT=plain`` (or ``fast``) in the environment forces one.
"""

from __future__ import annotations

import logging
import os
import ssl
import urllib.request
from collections.abc import Mapping

from .transport_api import (
    CLOSE_TIMEOUT,
    SessionClosedError,
    SessionWriteError,
    TextSink,
    TransportConnectError,
    TransportKind,
    UpgradeRejectedError,
    WireSession,
)
from .transport_fast import FastPathUnavailableError, open_fast
from .transport_plain import open_plain

__all__ = [
    "CLOSE_TIMEOUT",
    "SessionClosedError",
    "SessionWriteError",
    "TextSink",
    "TransportConnectError",
    "TransportKind",
    "UpgradeRejectedError",
    "WireSession",
    "open_session",
    "transport_kind",
]

logger = logging.getLogger(__name__)

TRANSPORT_ENV = "BYBIT_WSAPI_TRANSPORT"
"""Environment variable that forces a session implementation: ``fast`` or ``plain``."""


_fast_unavailable: list[str] = []
"""Why the fast session cannot be used in this process, once found (logged once)."""


def transport_kind() -> TransportKind:
    """The session implementation in use: the environment's choice, else ``fast``."""
    chosen = os.environ.get(TRANSPORT_ENV, "").strip().lower()
    if chosen in ("fast", "plain"):
        return chosen  # type: ignore[return-value]
    if chosen:
        logger.warning("ignoring %s=%r: expected 'fast' or 'plain'", TRANSPORT_ENV, chosen)
    return "fast"


async def open_session(
    url: str,
    *,
    on_text: TextSink,
    max_message_bytes: int,
    headers: Mapping[str, str],
    open_timeout: float,
    ssl_context: ssl.SSLContext | None,
) -> WireSession:
    """Open a WebSocket session to ``url`` within ``open_timeout`` seconds.

    ``on_text`` is called synchronously for every complete message. A message over
    ``max_message_bytes`` (across fragments) ends the session. ``ssl_context`` verifies
    ``wss://`` servers (``None``: httpx's default verification).

    Raises:
        UpgradeRejectedError: the server refused the upgrade (``status_code`` says how).
        TransportConnectError: refused, DNS, TLS, timeout or a bad URL; the message says which.
    """
    if transport_kind() == "fast" and not _fast_unavailable and not _env_proxy():
        try:
            return await open_fast(
                url,
                on_text=on_text,
                max_message_bytes=max_message_bytes,
                headers=headers,
                open_timeout=open_timeout,
                ssl_context=ssl_context,
            )
        except FastPathUnavailableError as exc:
            _fast_unavailable.append(str(exc))
            logger.warning("using the plain httpx-ws session from now on: %s", exc)
    return await open_plain(
        url,
        on_text=on_text,
        max_message_bytes=max_message_bytes,
        headers=headers,
        open_timeout=open_timeout,
        ssl_context=ssl_context,
    )


def _env_proxy() -> bool:
    """Whether httpx would route WebSocket URLs through a proxy from the environment
    (``ALL_PROXY``): the fast path's own httpx transport does not, so the plain one is used."""
    return "all" in urllib.request.getproxies()
