"""Run a test over both wire sessions: ``fast`` (the default) and ``plain`` (httpx-ws).

``transport_kind()`` reads ``BYBIT_WSAPI_TRANSPORT`` at each connect, so setting it per test
(before any client connects) switches the session every connection of that test uses.
"""

from __future__ import annotations

import pytest

from bybit_wsapi.transport import TRANSPORT_ENV

SESSION_KINDS = ("fast", "plain")


@pytest.fixture(autouse=True, params=SESSION_KINDS)
def session_kind(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The session this test's connections use (set before any client connects)."""
    kind: str = request.param
    monkeypatch.setenv(TRANSPORT_ENV, kind)
    return kind
