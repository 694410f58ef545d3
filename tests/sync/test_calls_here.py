"""Calls made on the calling thread while the loop sleeps in its poll, and where they fall back."""

from __future__ import annotations

import functools
import itertools
import signal
import ssl
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import trustme

from bybit_wsapi import (
    RequestNotSentError,
    RequestOutcomeUnknownError,
    RequestTimeoutError,
    supervisor,
)
from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET, ServerThread, app
from bybit_wsapi.sync import RequestInterrupted, WebsocketAPIClient
from bybit_wsapi.transport_plain import PlainSession

from ..orders import create
from .conftest import MakeClient

HANG_GUARD = 30.0
"""Seconds after which a call that has not settled counts as hung."""


class Paths:
    """Counts the calls made on their calling thread and those crossed into the loop.

    ``cross_every=n``: every n-th call that could be made here crosses instead.
    """

    def __init__(
        self, client: WebsocketAPIClient, monkeypatch: pytest.MonkeyPatch, cross_every: int = 0
    ) -> None:
        self.here = self.crossed = 0
        self.paths: list[str] = []
        """``here`` or ``crossed``, call by call."""
        ws = client.get_ws_client()._ws
        submit_now, send = ws._submit_now, ws._send_ws_api_request
        turns = itertools.count(1)

        def here(*args: Any, **kwargs: Any) -> bool:  # under the baton: one at a time
            if cross_every and next(turns) % cross_every == 0:
                return False
            made = submit_now(*args, **kwargs)
            if made:
                self.here += 1
                self.paths.append("here")
            return made

        def crossed(*args: Any) -> Any:  # on the loop thread
            self.crossed += 1
            self.paths.append("crossed")
            return send(*args)

        monkeypatch.setattr(ws, "_submit_now", here)
        monkeypatch.setattr(ws, "_send_ws_api_request", crossed)


def wait_idle(client: WebsocketAPIClient) -> None:
    """Until the loop sleeps in a long poll: on a quiet connection the next call is made here
    (else the loop may still be busy with what a reply or a connect left it)."""
    loop = client.get_ws_client()._loop
    while not loop._selector.lend(lambda: loop._selector.wakes_at > time.monotonic() + 1, _no_wake):
        pass


def _no_wake() -> None:
    raise AssertionError("a section that changes nothing needs no wake")


def on_loop(client: WebsocketAPIClient, action: Callable[[], object]) -> None:
    async def run() -> None:
        action()

    client.get_ws_client()._loop.call(run, RuntimeError)


def test_a_thousand_calls_from_many_threads_here_and_crossed_get_their_own_replies(
    make_client: MakeClient, bybit_ws_server: ServerThread, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = make_client()
    client.connect()
    paths = Paths(client, monkeypatch, cross_every=3)
    links = [f"t{thread}-{i}" for thread in range(8) for i in range(125)]
    with ThreadPoolExecutor(8) as pool:
        replies = list(pool.map(lambda link: client.submit_new_order(create(link)), links))
    assert [r["data"]["orderLinkId"] for r in replies] == links
    sent = {r.params["orderLinkId"]: r.req_id for r in bybit_ws_server.received}
    assert {r["data"]["orderLinkId"]: r["reqId"] for r in replies} == sent
    assert len(set(sent.values())) == len(links)
    assert (paths.here + paths.crossed, paths.here > 0, paths.crossed > 0) == (
        len(links),
        True,
        True,
    )


def test_a_call_whose_deadline_is_the_loops_next_timer_times_out_all_the_same(
    make_client: MakeClient, bybit_ws_server: ServerThread, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = make_client(ping_interval=3600.0)  # else the loop's next wake-up is an hour away
    client.connect()
    paths = Paths(client, monkeypatch)
    bybit_ws_server.faults.delay_ms = 60_000
    wait_idle(client)
    with ThreadPoolExecutor(1) as pool:
        late = pool.submit(client.submit_new_order, create("late"), timeout=0.05)
        error = late.exception(HANG_GUARD)
    assert isinstance(error, RequestTimeoutError)
    assert (error.outcome, paths.here) == ("unknown", 1)


def test_a_call_the_socket_does_not_take_now_goes_out_with_the_writer(
    make_client: MakeClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = make_client()
    client.connect()
    paths = Paths(client, monkeypatch)
    session: Any = client.get_ws_client()._ws._connection._line.live  # type: ignore[union-attr]
    if not hasattr(session, "pause_writing"):
        pytest.skip("the plain session writes only awaiting (its own test below)")
    on_loop(client, session.pause_writing)  # what the transport does on a full buffer
    wait_idle(client)
    assert client.submit_new_order(create("full"))["data"]["orderLinkId"] == "full"
    assert paths.paths == ["here"]
    on_loop(client, session.resume_writing)  # the writer finishes: the next call may cross
    assert client.submit_new_order(create("then"))["data"]["orderLinkId"] == "then"


def test_the_plain_session_takes_calls_made_here_through_its_writer(
    make_client: MakeClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BYBIT_WSAPI_TRANSPORT", "plain")
    client = make_client()
    client.connect()
    line = client.get_ws_client()._ws._connection._line
    assert line is not None and isinstance(line.live, PlainSession)
    paths = Paths(client, monkeypatch)
    for link in [f"plain-{i}" for i in range(20)]:
        wait_idle(client)  # the writer has finished the last write
        assert client.submit_new_order(create(link))["data"]["orderLinkId"] == link
    assert paths.paths == ["here"] * 20


def test_close_racing_calls_made_here_settles_every_call(
    make_client: MakeClient, bybit_ws_server: ServerThread
) -> None:
    client = make_client()
    client.connect()
    replied = threading.Semaphore(0)

    def keep_calling(thread: int) -> tuple[int, BaseException]:
        for i in itertools.count():
            try:
                client.submit_new_order(create(f"c{thread}-{i}"))
            except (RequestNotSentError, RequestOutcomeUnknownError) as error:
                if "closed" in str(error):
                    return i, error
                raise
            replied.release()
        raise AssertionError("unreachable")

    with ThreadPoolExecutor(4) as pool:
        callers = [pool.submit(keep_calling, thread) for thread in range(4)]
        for _ in range(40):  # the callers are under way
            assert replied.acquire(timeout=HANG_GUARD)
        client.close()
        ends = [caller.result(HANG_GUARD) for caller in callers]
    assert all(
        isinstance(error, RequestNotSentError | RequestOutcomeUnknownError) for _, error in ends
    )
    replies = sum(i for i, _ in ends)
    # each call the server took was answered, or failed as outcome unknown by the close
    unknown = sum(isinstance(error, RequestOutcomeUnknownError) for _, error in ends)
    assert replies <= len(bybit_ws_server.orders(DEMO_API_KEY)) <= replies + unknown


def test_ctrl_c_while_a_call_is_written_here_lands_after_the_write(
    make_client: MakeClient, bybit_ws_server: ServerThread, monkeypatch: pytest.MonkeyPatch
) -> None:
    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        pytest.skip("SIGINT is handled by something else here")
    client = make_client()
    client.connect()
    paths = Paths(client, monkeypatch)
    protocol = client.get_ws_client()._ws._connection.protocol
    frames = protocol.frames

    def ctrl_c_then_frames(*args: Any) -> list[str]:
        signal.raise_signal(signal.SIGINT)  # its handler runs at the next bytecode, or deferred
        return frames(*args)

    monkeypatch.setattr(protocol, "frames", ctrl_c_then_frames)
    wait_idle(client)
    with pytest.raises(RequestInterrupted) as info:
        client.submit_new_order(create("pressed"))
    monkeypatch.setattr(protocol, "frames", frames)
    assert (info.value.op, info.value.outcome, paths.here) == ("order.create", "unknown", 1)
    [received] = bybit_ws_server.wait_received(1)  # the whole frame went out, once
    assert received.params == create("pressed")
    assert client.submit_new_order(create("after"))["data"]["orderLinkId"] == "after"


def test_calls_over_wss_are_made_here_too(
    bybit_ws_server_factory: Callable[..., ServerThread], monkeypatch: pytest.MonkeyPatch
) -> None:
    ca = trustme.CA()
    served = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(served)
    monkeypatch.setattr(app, "serve", functools.partial(app.serve, ssl=served))
    trusted = ssl.create_default_context()
    ca.configure_trust(trusted)
    monkeypatch.setattr(supervisor, "tls_context", lambda: trusted)
    server = bybit_ws_server_factory()
    url = server.url.replace("ws://", "wss://", 1)
    with WebsocketAPIClient(key=DEMO_API_KEY, secret=DEMO_API_SECRET, ws_url=url) as client:
        paths = Paths(client, monkeypatch)
        links = [f"tls-{i}" for i in range(20)]
        replies = [client.submit_new_order(create(link)) for link in links]
    assert [r["data"]["orderLinkId"] for r in replies] == links
    # most are made here; a TLS 1.3 server's session tickets may come in as a call is made,
    # keeping the loop busy: that call crosses
    assert (paths.here + paths.crossed, "here" in paths.paths) == (len(links), True)
