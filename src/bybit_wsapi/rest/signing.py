"""What V5 REST signs: ``timestamp + apiKey + recvWindow + queryString`` (GET) (pure).

The signature covers exactly the query bytes sent, so ``query_string`` builds them once, in the
caller's key order, each value percent-encoded once (a ``cursor`` Bybit returned encoded is
encoded again, as the Node SDK does; the server decodes it back).
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote

__all__ = ["query_string", "sign_payload"]


def query_string(params: Mapping[str, object]) -> str:
    """``k=v&...`` in the given order; booleans as ``true``/``false``, ``None`` left out."""
    parts = []
    for key, value in params.items():
        if value is None:
            continue
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)
        parts.append(f"{quote(key, safe='')}={quote(text, safe='')}")
    return "&".join(parts)


def sign_payload(timestamp_ms: int, api_key: str, recv_window_ms: int, query: str) -> str:
    """The string whose signature goes in ``X-BAPI-SIGN`` for a GET with ``query``."""
    return f"{timestamp_ms}{api_key}{recv_window_ms}{query}"
