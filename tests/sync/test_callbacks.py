"""Event callbacks: plain functions, on their own thread, in order, never stalling the loop."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest

from bybit_wsapi import ConfigurationError, RequestNotSentError, WSAPIError
from bybit_wsapi.server import ServerThread
from bybit_wsapi.sync.callbacks import CallbackThread

from ..orders import cancel, create
from .conftest import MakeClient


class Recorder:
    """Collects ``(event, thread name, payload)`` and signals when ``count`` have arrived."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.seen: list[tuple[str, str, Any]] = []
        self.done = threading.Event()

    def __call__(self, event: str) -> Any:
        def record(payload: Any) -> None:
            self.seen.append((event, threading.current_thread().name, payload))
            if len(self.seen) == self.count:
                self.done.set()

        return record


def test_callbacks_run_in_order_on_the_callback_thread(make_client: MakeClient) -> None:
    client = make_client()
    ws = client.get_ws_client()
    recorder = Recorder(count=5)
    for event in ("open", "authenticated", "response", "exception"):
        ws.on(event, recorder(event))  # type: ignore[arg-type]
    client.submit_new_order(create("c-1"))
    with pytest.raises(WSAPIError):
        client.cancel_order(cancel("unknown"))
    client.cancel_order(cancel("c-1"))
    assert recorder.done.wait(10)
    events = [event for event, _, _ in recorder.seen]
    assert events == ["open", "authenticated", "response", "exception", "response"]
    threads = {thread for _, thread, _ in recorder.seen}
    assert threads == {ws.callback_thread_name}
    assert recorder.seen[2][2]["data"]["orderLinkId"] == "c-1"
    assert isinstance(recorder.seen[3][2], WSAPIError)


def test_a_slow_callback_does_not_stall_replies(make_client: MakeClient) -> None:
    client = make_client()
    entered, release = threading.Event(), threading.Event()
    recorder = Recorder(count=4)
    record = recorder("response")

    def slow(reply: Any) -> None:
        entered.set()
        release.wait(30)
        record(reply)

    client.get_ws_client().on("response", slow)
    client.submit_new_order(create("slow-0"))
    assert entered.wait(10)
    # the callback is stuck: replies, and these calls, still complete (a timeout would raise)
    for i in range(1, 4):
        client.submit_new_order(create(f"slow-{i}"), timeout=5.0)
    assert not recorder.seen
    release.set()
    assert recorder.done.wait(10)
    assert [p["data"]["orderLinkId"] for _, _, p in recorder.seen] == [
        f"slow-{i}" for i in range(4)
    ]


def test_a_stuck_backlog_holds_new_calls_unsent(
    make_client: MakeClient, bybit_ws_server: ServerThread
) -> None:
    client = make_client()
    ws = client.get_ws_client()
    before = ws.max_callback_backlog
    with pytest.raises(ValueError, match="at least 1"):
        ws.max_callback_backlog = 0
    assert ws.max_callback_backlog == before > 1
    ws.max_callback_backlog = 1
    entered, release = threading.Event(), threading.Event()

    def stuck(_reply: Any) -> None:
        entered.set()
        release.wait(30)

    ws.on("response", stuck)
    client.submit_new_order(create("first"))
    assert entered.wait(10)
    client.submit_new_order(create("second"))  # its event is now the whole backlog
    with pytest.raises(RequestNotSentError, match="events behind") as info:
        client.submit_new_order(create("third"), timeout=0.05)
    assert info.value.outcome == "not_sent"
    release.set()
    assert [r[3]["orderLinkId"] for r in bybit_ws_server.received] == ["first", "second"]


def test_a_raising_callback_is_logged_and_the_next_one_runs(
    make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    client = make_client()
    recorder = Recorder(count=1)

    def broken(_reply: Any) -> None:
        raise ValueError("bug in the bot")

    ws = client.get_ws_client()
    ws.on("response", broken)
    ws.on("response", recorder("response"))
    with caplog.at_level(logging.ERROR, logger="bybit_wsapi"):
        assert client.submit_new_order(create("r-1"))["retCode"] == 0
        assert recorder.done.wait(10)
    (record,) = [r for r in caplog.records if "raised" in r.getMessage()]
    assert "'response' callback" in record.getMessage()
    assert record.exc_info is not None and record.exc_info[0] is ValueError


def test_a_callback_may_call_the_client(make_client: MakeClient) -> None:
    client = make_client()
    cancelled: list[str] = []
    done = threading.Event()

    def cancel_what_was_created(reply: Any) -> None:
        if reply["op"] == "order.create":
            gone = client.cancel_order(cancel(reply["data"]["orderLinkId"]))
            cancelled.append(gone["data"]["orderLinkId"])
            done.set()

    client.get_ws_client().on("response", cancel_what_was_created)
    client.submit_new_order(create("from-callback"))
    assert done.wait(10)
    assert cancelled == ["from-callback"]


def test_off_detaches_and_bad_handlers_are_refused(make_client: MakeClient) -> None:
    ws = make_client().get_ws_client()
    recorder = Recorder(count=1)
    first, second = recorder("first"), recorder("second")
    ws.on("response", first)
    ws.on("response", second)
    ws.off("response", first)
    ws.off("response", first)  # not attached: nothing happens
    ws.send_ws_api_request("v5PrivateTrade", "order.create", create("off-1"))
    assert recorder.done.wait(10)
    assert [event for event, _, _ in recorder.seen] == ["second"]

    async def handler(_reply: object) -> None: ...

    with pytest.raises(ConfigurationError, match="async function"):
        ws.on("response", handler)
    with pytest.raises(ConfigurationError, match="unknown event"):
        ws.on("message", print)  # type: ignore[arg-type]


def test_a_coroutine_returned_by_a_callback_is_closed_and_reported(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def later() -> None: ...

    done = threading.Event()
    callbacks = CallbackThread("test-callbacks")
    callbacks.start()
    with caplog.at_level(logging.ERROR, logger="bybit_wsapi"):
        callbacks.put("response", (lambda _p: later(), lambda _p: done.set()), None)
        assert done.wait(10)
        callbacks.stop()
    assert any("returned a coroutine" in r.getMessage() for r in caplog.records)


def test_the_backlog_frees_room_as_callbacks_finish(caplog: pytest.LogCaptureFixture) -> None:
    entered, release, second = threading.Event(), threading.Event(), threading.Event()

    def first_blocks(payload: object) -> None:
        if payload == 1:
            entered.set()
            release.wait(30)
        else:
            second.set()

    callbacks = CallbackThread("test-callbacks", max_backlog=1)
    assert callbacks.wait_for_room(0)
    callbacks.start()
    callbacks.put("response", (first_blocks,), 1)
    assert entered.wait(10)
    caplog.clear()  # the first put filled the backlog of 1 for a moment too
    with caplog.at_level(logging.WARNING, logger="bybit_wsapi"):
        callbacks.put("response", (first_blocks,), 2)
    assert callbacks.backlog == 1
    assert [r.getMessage() for r in caplog.records] == [
        "test-callbacks: 1 events wait for their callbacks (a callback is slow or stuck); new "
        "calls wait and stream pushes are dropped (then reported) until there is room"
    ]
    assert not callbacks.wait_for_room(0)
    release.set()
    assert second.wait(10)
    assert callbacks.wait_for_room(0)
    callbacks.stop()
    callbacks.put("response", (first_blocks,), 3)
    assert callbacks.wait_for_room(0), "a stopped thread never holds callers"
