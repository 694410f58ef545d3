"""The callback queue is bounded: stuck ``update`` callbacks lose pushes, counted and reported."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from bybit_wsapi import WS_KEY_MAP, StreamOverflowError
from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET, ServerThread
from bybit_wsapi.sync import CallbackOverflowError, WebsocketClient
from bybit_wsapi.sync.callbacks import CallbackThread

from ..orders import create

GUARD = 10.0
"""Seconds an awaited event may take before the test counts it as hung."""
BOOK = "orderbook.50.BTCUSDT"
BACKLOG = 5


@pytest.fixture
def ws(bybit_ws_market: ServerThread) -> Iterator[WebsocketClient]:
    client = WebsocketClient(
        key=DEMO_API_KEY, secret=DEMO_API_SECRET, base_url=bybit_ws_market.base_url
    )
    yield client
    client.close()


def _barrier(ws: WebsocketClient) -> None:
    """Every push the server wrote before now went through the forwarders: an ack follows them."""
    ws.subscribe_v5("publicTrade.ETHUSDT", "linear")
    ws.unsubscribe_v5("publicTrade.ETHUSDT", "linear")


def _drained(ws: WebsocketClient) -> None:
    """Block until the callback thread handled everything queued before now: a reply's
    ``response`` event is queued behind it, and callbacks run in order."""
    done = threading.Event()
    ws.on("response", lambda _reply: done.set())
    ws.send_ws_api_request(WS_KEY_MAP.v5_private_trade, "order.create", create("drain"))
    assert done.wait(GUARD)


def test_a_stuck_update_callback_drops_pushes_counted_and_reported(
    ws: WebsocketClient, bybit_ws_market: ServerThread
) -> None:
    ws.max_callback_backlog = BACKLOG
    forwarded: list[Any] = []  # every push the async client emitted, in order (on its loop)
    ws._ws.on("update", forwarded.append)
    entered, release, reported = threading.Event(), threading.Event(), threading.Event()
    seen: list[Any] = []
    errors: list[BaseException] = []

    def on_update(message: dict[str, Any]) -> None:
        seen.append(message)
        if len(seen) == 1:
            entered.set()
            release.wait(GUARD)

    def on_exception(error: BaseException) -> None:
        errors.append(error)
        reported.set()

    ws.on("update", on_update)
    ws.on("exception", on_exception)
    ws.subscribe_v5(BOOK, "linear")  # its snapshot blocks the callback thread
    assert entered.wait(GUARD)
    assert bybit_ws_market.burst("linear", BOOK, 60) > 2 * BACKLOG
    _barrier(ws)
    dropped = ws.callbacks_dropped
    assert ws.callback_backlog == BACKLOG + 1, "the bound, plus where the gap is"
    assert dropped == len(forwarded) - 1 - BACKLOG > 0
    assert not errors

    release.set()
    assert reported.wait(GUARD)
    (error,) = errors
    assert isinstance(error, CallbackOverflowError) and isinstance(error, StreamOverflowError)
    assert (error.topic, error.dropped, error.capacity) == ("update", dropped, BACKLOG)
    assert f"{dropped} stream push(es) dropped" in str(error)
    assert seen == forwarded[: 1 + BACKLOG], "what was queued before the gap is delivered"

    before = len(forwarded)
    assert bybit_ws_market.burst("linear", BOOK, 3) > 0
    _barrier(ws)
    _drained(ws)
    assert len(forwarded) > before
    assert seen == forwarded[: 1 + BACKLOG] + forwarded[1 + BACKLOG + dropped :]
    assert len(errors) == 1 and ws.callbacks_dropped == dropped


def test_replies_are_never_dropped_and_each_gap_is_reported_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    blockers = {name: (threading.Event(), threading.Event()) for name in ("first", "second")}
    delivered: list[tuple[str, object]] = []
    reports: list[CallbackOverflowError] = []

    def record(event: str) -> Any:
        def call(payload: object) -> None:
            delivered.append((event, payload))
            if isinstance(payload, str) and payload in blockers:
                entered, release = blockers[payload]
                entered.set()
                release.wait(GUARD)

        return call

    update, response = (record("update"),), (record("response"),)
    handlers = {"exception": (reports.append,)}
    callbacks = CallbackThread("test-callbacks", 1, lambda event: handlers.get(event, ()))
    callbacks.start()
    callbacks.put("update", update, "first")
    assert blockers["first"][0].wait(GUARD)
    callbacks.put("update", update, 1)  # fills the backlog of 1
    callbacks.put("update", update, 2)  # dropped: a gap opens
    callbacks.put("response", response, "reply")  # past the bound, still queued
    callbacks.put("update", update, 3)  # dropped: the updates' gap goes on
    assert (callbacks.backlog, callbacks.dropped) == (3, 2)
    blockers["first"][1].set()
    _put_and_wait(callbacks)
    assert delivered == [("update", "first"), ("update", 1), ("response", "reply")]
    assert [(r.dropped, r.capacity) for r in reports] == [(2, 1)]

    callbacks.put("update", update, "second")  # room again: delivered, and the next gap is new
    assert blockers["second"][0].wait(GUARD)
    callbacks.put("update", update, 4)
    callbacks.put("update", update, 5)  # dropped
    blockers["second"][1].set()
    _put_and_wait(callbacks)
    assert delivered[3:] == [("update", "second"), ("update", 4)]
    assert [r.dropped for r in reports] == [2, 1] and callbacks.dropped == 3
    assert sum("stream push(es) dropped" in r.getMessage() for r in caplog.records) == 2
    callbacks.stop()


def _put_and_wait(callbacks: CallbackThread) -> None:
    done = threading.Event()
    callbacks.put("test", (lambda _payload: done.set(),), None)
    assert done.wait(GUARD)
