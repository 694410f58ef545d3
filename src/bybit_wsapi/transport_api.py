"""What a connection needs from its WebSocket session: :class:`WireSession`, and its errors."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal, Protocol

__all__ = [
    "CLOSE_TIMEOUT",
    "SessionClosedError",
    "SessionWriteError",
    "TextSink",
    "TransportConnectError",
    "TransportKind",
    "UpgradeRejectedError",
    "WireSession",
    "too_large",
]

CLOSE_TIMEOUT = 2.0
"""Seconds a close handshake may take before the socket is simply dropped."""

TransportKind = Literal["fast", "plain"]

TextSink = Callable[[str], None]
"""Receives each complete text (or binary, decoded as UTF-8) message, in order; must not raise."""


def too_large(limit: int) -> str:
    """Why a session ended on a message over the size limit (named as the client option)."""
    return f"a message exceeded max_frame_bytes={limit}: the session was closed"


class SessionClosedError(ConnectionError):
    """The session had already ended: nothing of this write was sent."""


class SessionWriteError(ConnectionError):
    """The session ended while these frames were being written: some of them may have left."""


class UpgradeRejectedError(ConnectionError):
    """The server answered the WebSocket upgrade with an HTTP status other than 101."""

    def __init__(self, url: str, status_code: int) -> None:
        self.status_code = status_code
        super().__init__(f"{url} refused the WebSocket upgrade: HTTP {status_code}")


class TransportConnectError(ConnectionError):
    """No WebSocket session could be opened: refused, DNS, TLS, timeout or a bad URL."""


class WireSession(Protocol):
    """One open WebSocket session, as the connection sees it."""

    def try_send(self, frames: Sequence[str]) -> bool:
        """Write ``frames`` now if the session takes them without waiting; False: nothing was
        written (the session ended, or its write buffer is full): await :meth:`send_texts`."""
        ...

    async def send_texts(self, frames: Sequence[str]) -> None:
        """Write ``frames`` in order as text messages.

        Returns at once unless the write buffer is full, then waits for it to drain (bound it
        with a timeout). Raises :class:`SessionClosedError` if the session has ended (nothing was
        sent), :class:`SessionWriteError` if it ended while this write waited.
        """
        ...

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """Close handshake bounded by :data:`CLOSE_TIMEOUT`, then drop the socket; idempotent."""
        ...

    async def wait_closed(self) -> str:
        """Wait for the session to end, for any cause; returns why, for a human."""
        ...

    @property
    def closed(self) -> bool:
        """Whether the session has ended (no more messages, writes fail)."""
        ...
