"""What the reliability tests share: order params, a client harness, exact call outcomes.

Every order op made here carries a unique ``orderLinkId`` so the server's record of what it
received (``LocalServer.received``) shows whether any op arrived more than once.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any, Final

from bybit_wsapi import (
    WS_KEY_MAP,
    AuthenticationError,
    RequestNotSentError,
    RequestOutcomeUnknownError,
    RequestTimeoutError,
    WebsocketAPIClient,
    WSAPIError,
)
from bybit_wsapi.events import EVENT_NAMES
from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET, LocalServer

from ..orders import amend, cancel, create

FAST: Final[dict[str, Any]] = {
    "reconnect_initial_delay": 0.01,
    "reconnect_max_delay": 0.05,
    "connect_timeout": 5.0,
    "request_timeout": 5.0,
}
"""Client options that keep reconnects quick; calls never wait longer than 5 s."""

SETTLE_WITHIN: Final = 10.0
"""Seconds a test waits for calls to settle before it fails (a hang)."""

_link_ids = itertools.count(1)


def link_id(tag: str) -> str:
    """A process-wide unique ``orderLinkId`` (at most 36 characters)."""
    return f"{tag[:20]}-{next(_link_ids)}"


class EventLog:
    """Every event of one client, in order; a test can wait for the n-th of a kind."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, Any]] = []
        self._changed = asyncio.Event()

    def attach(self, client: WebsocketAPIClient) -> None:
        ws = client.get_ws_client()
        for name in EVENT_NAMES:
            ws.on(name, self._recorder(name))

    def _recorder(self, name: str) -> Any:
        def record(payload: Any) -> None:
            self.seen.append((name, payload))
            self._changed.set()

        return record

    def of(self, name: str) -> list[Any]:
        return [payload for kind, payload in self.seen if kind == name]

    def count(self, name: str) -> int:
        return len(self.of(name))

    async def wait(self, name: str, count: int = 1, timeout: float = SETTLE_WITHIN) -> list[Any]:
        """Wait until ``count`` events ``name`` were seen (fails the test after ``timeout``)."""
        async with asyncio.timeout(timeout):
            while self.count(name) < count:
                self._changed.clear()
                await self._changed.wait()
        return self.of(name)


def fire(
    client: WebsocketAPIClient,
    op: str,
    params: Mapping[str, Any],
    timeout: float | None = None,
) -> asyncio.Task[Any]:
    """Start one request now (it is queued before this returns) and return its task."""
    ws: Any = client.get_ws_client()
    call = ws.send_ws_api_request(WS_KEY_MAP.v5_private_trade, op, params, timeout=timeout)
    return asyncio.ensure_future(call)


async def settle(tasks: Iterable[asyncio.Task[Any]]) -> None:
    """Wait for every call to settle; a call still pending after ``SETTLE_WITHIN`` is a hang."""
    pending = list(tasks)
    async with asyncio.timeout(SETTLE_WITHIN):
        await asyncio.gather(*pending, return_exceptions=True)


Outcome = tuple[Any, ...]


def outcome(task: asyncio.Task[Any], link: str | None = None) -> Outcome:
    """The exact outcome of a settled call, as a comparable tuple.

    ``("ok",)``; ``("WSAPIError", retCode, outcome, matched_by_op)``;
    ``("RequestTimeoutError", outcome, sent)``; ``("RequestOutcomeUnknownError", outcome, sent)``;
    ``("RequestNotSentError", outcome, sent)``; ``("AuthenticationError", retCode)``. When
    ``link`` is given, a request error must carry that ``orderLinkId`` in its ``params``.
    """
    assert task.done(), "the call has not settled"
    error = task.exception()
    if error is None:
        reply = task.result()
        assert reply["retCode"] == 0, reply
        if link is not None:
            assert reply["data"]["orderLinkId"] == link, reply
        return ("ok",)
    if link is not None and not isinstance(error, AuthenticationError):
        params = getattr(error, "params", None)
        assert params is not None, error
        assert params["orderLinkId"] == link, (params, link)
    if isinstance(error, WSAPIError):
        return ("WSAPIError", error.ret_code, error.outcome, error.matched_by_op)
    if isinstance(error, RequestTimeoutError | RequestOutcomeUnknownError | RequestNotSentError):
        return (type(error).__name__, error.outcome, error.sent)
    if isinstance(error, AuthenticationError):
        return ("AuthenticationError", error.ret_code)
    raise AssertionError(f"unexpected error {error!r}")


OK: Final = ("ok",)
UNKNOWN: Final = ("RequestOutcomeUnknownError", "unknown", True)
TIMED_OUT_SENT: Final = ("RequestTimeoutError", "unknown", True)
TIMED_OUT_NOT_SENT: Final = ("RequestTimeoutError", "not_sent", False)
NOT_SENT: Final = ("RequestNotSentError", "not_sent", False)


def ops_seen(server: LocalServer) -> Counter[tuple[str, str]]:
    """How many times the server received each (op, orderLinkId)."""
    return Counter((r.op, str(r.params.get("orderLinkId"))) for r in server.received)


def assert_at_most_once(server: LocalServer) -> None:
    """No order op reached the server twice (every op in these tests has its own link id)."""
    repeated = {key: n for key, n in ops_seen(server).items() if n > 1}
    assert repeated == {}, f"order ops the server saw more than once: {repeated}"


def held(server: LocalServer, api_key: str = DEMO_API_KEY) -> dict[str, str]:
    """``orderLinkId -> status`` of every order the server holds."""
    return {str(o["orderLinkId"]): str(o["status"]) for o in server.orders(api_key)}


async def assert_recovers(client: WebsocketAPIClient, server: LocalServer) -> None:
    """The next call succeeds and its order is held exactly once."""
    link = link_id("recover")
    task = fire(client, "order.create", create(link))
    await settle([task])
    assert outcome(task, link) == OK
    assert held(server)[link] == "New"
    assert ops_seen(server)[("order.create", link)] == 1
    assert client.get_ws_client().is_connected


__all__ = [
    "DEMO_API_KEY",
    "DEMO_API_SECRET",
    "FAST",
    "NOT_SENT",
    "OK",
    "SETTLE_WITHIN",
    "TIMED_OUT_NOT_SENT",
    "TIMED_OUT_SENT",
    "UNKNOWN",
    "EventLog",
    "amend",
    "assert_at_most_once",
    "assert_recovers",
    "cancel",
    "create",
    "fire",
    "held",
    "link_id",
    "ops_seen",
    "outcome",
    "settle",
]
