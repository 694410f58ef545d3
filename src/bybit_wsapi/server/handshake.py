"""The opening handshake's request target: the path and ``max_active_time`` (pure)."""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import parse_qs, urlsplit

from bybit_wsapi_generated.tables import API_PATH

__all__ = ["MAX_ACTIVE_TIME_RANGE", "HandshakeError", "parse_max_active_time", "route"]

MAX_ACTIVE_TIME_RANGE: Final = (30.0, 600.0)
"""Allowed ``max_active_time`` in seconds (§8)."""

_DURATION = re.compile(r"([0-9]{1,4})([sm])")


class HandshakeError(Exception):
    """A handshake refused with an HTTP status and a one-line body."""

    def __init__(self, status: int, body: str) -> None:
        super().__init__(status, body)
        self.status = status
        self.body = body


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


def route(target: str) -> float | None:
    """The idle timeout a request target asks for (``None``: the server's), or ``HandshakeError``."""
    parts = urlsplit(target)
    if parts.path != API_PATH:
        raise HandshakeError(404, f"Not Found: only {API_PATH} is served\n")
    values = parse_qs(parts.query).get("max_active_time")
    if not values:
        return None
    try:
        return parse_max_active_time(values[-1])
    except ValueError as exc:
        raise HandshakeError(400, f"{exc}\n") from None
