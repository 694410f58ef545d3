"""The opening handshake's request target: which stream a path serves, and ``max_active_time``
(pure).

One port serves ``/v5/trade``, ``/v5/private`` and ``/v5/public/{spot,linear,inverse,option}``;
any other path is refused with HTTP 404 at the handshake, as Bybit's hosts do (streams §7.1).
"""

from __future__ import annotations

import re
from typing import Final, NamedTuple
from urllib.parse import parse_qs, urlsplit

from bybit_wsapi_generated.tables import API_PATH

from .streams_topics import PRIVATE_PATH, PUBLIC_PATHS

__all__ = ["MAX_ACTIVE_TIME_RANGE", "HandshakeError", "Route", "parse_max_active_time", "route"]

MAX_ACTIVE_TIME_RANGE: Final = (30.0, 600.0)
"""Allowed ``max_active_time`` in seconds (§8)."""

_DURATION = re.compile(r"([0-9]{1,4})([sm])")


class HandshakeError(Exception):
    """A handshake refused with an HTTP status and a one-line body."""

    def __init__(self, status: int, body: str) -> None:
        super().__init__(status, body)
        self.status = status
        self.body = body


class Route(NamedTuple):
    """What a request target asks for."""

    stream: str
    """``"trade"``, ``"private"`` or a public category (``"spot"``, ``"linear"``, ...)."""
    idle_timeout: float | None
    """``max_active_time`` in seconds; ``None``: the server's idle timeout."""


def parse_max_active_time(text: str) -> float:
    """``"30s"`` .. ``"600s"`` or ``"1m"`` .. ``"10m"`` in seconds, else ``ValueError``."""
    match = _DURATION.fullmatch(text)
    if match is None:
        raise ValueError(f"max_active_time {text!r}: expected e.g. 30s or 1m")
    seconds = float(int(match[1]) * (60 if match[2] == "m" else 1))
    low, high = MAX_ACTIVE_TIME_RANGE
    if not low <= seconds <= high:
        raise ValueError(f"max_active_time {text!r}: must be between 30s and 600s")
    return seconds


_STREAMS: Final = {API_PATH: "trade", PRIVATE_PATH: "private"} | {
    path: category for category, path in PUBLIC_PATHS.items()
}


def route(target: str) -> Route:
    """The stream and idle timeout a request target asks for, or ``HandshakeError``."""
    parts = urlsplit(target)
    stream = _STREAMS.get(parts.path)
    if stream is None:
        served = ", ".join(_STREAMS)
        raise HandshakeError(404, f"Not Found: {parts.path} is not served (only {served})\n")
    values = parse_qs(parts.query).get("max_active_time")
    if not values:
        return Route(stream, None)
    try:
        return Route(stream, parse_max_active_time(values[-1]))
    except ValueError as exc:
        raise HandshakeError(400, f"{exc}\n") from None
