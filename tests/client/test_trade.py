"""The sans-I/O client protocol (``trade`` on ``session``) driven with fake time.

No socket and no event loop: text goes in with a time, frames and settled futures come out.
"""

from __future__ import annotations

import json
from concurrent.futures import Future
from typing import Any

import pytest

from bybit_wsapi import (
    AuthenticationError,
    RequestNotSentError,
    RequestOutcomeUnknownError,
    RequestTimeoutError,
    WSAPIError,
    WSAPIResponseMeta,
)
from bybit_wsapi.session import AuthOutcome, Limits, Phase
from bybit_wsapi.trade import TradeProtocol, batch_cap

from ..orders import ORDER

LIMITS = Limits(
    request_timeout=10.0, connect_timeout=5.0, recv_window_ms=5000, max_request_bytes=4096
)


class Events:
    def __init__(self) -> None:
        self.seen: list[tuple[str, Any]] = []

    def emit(self, event: str, payload: object) -> None:
        self.seen.append((event, payload))

    def has_handlers(self, event: str) -> bool:
        return True

    def of(self, event: str) -> list[Any]:
        return [p for e, p in self.seen if e == event]


class Harness:
    """A protocol, its events and its signals, with an open (authenticated) connection."""

    def __init__(self, *, open_: bool = True) -> None:
        self.events = Events()
        self.signals: list[tuple[str, str]] = []
        self.protocol = TradeProtocol(
            "v5PrivateTrade", LIMITS, self.events, lambda s, r: self.signals.append((s, r))
        )
        if open_:
            self.open(0.0)

    def open(self, now: float) -> None:
        self.protocol.connection_made(now)
        auth: Future[AuthOutcome] = Future()
        self.protocol.auth_sent(auth)
        self.protocol.receive('{"op":"auth","retCode":0,"retMsg":"OK","connId":"c"}', now)
        assert auth.result() is AuthOutcome.OK

    def submit(self, now: float = 0.0, op: str = "order.create", **params: Any) -> Future[Any]:
        future: Future[Any] = Future()
        self.protocol.submit(op, {**ORDER, **params}, future, timeout=None, now=now)
        return future

    def write(self, now: float = 0.0) -> list[dict[str, Any]]:
        """Take what is queued, as the writer would; the frames, decoded."""
        batch = self.protocol.table.take(256)
        return [json.loads(f) for f in self.protocol.frames(batch, 1_700_000_000_000, now)]

    def reply(self, frame: dict[str, Any], now: float, **fields: Any) -> None:
        body = {"reqId": frame["reqId"], "retCode": 0, "retMsg": "OK", "op": frame["op"]}
        body["data"] = {"orderId": "o-1", "orderLinkId": frame["args"][0].get("orderLinkId", "")}
        self.protocol.receive(json.dumps({**body, **fields}), now)


def test_a_reply_settles_its_future_synchronously_with_meta() -> None:
    h = Harness()
    future = h.submit(0.0, orderLinkId="a")
    [frame] = h.write(1.0)
    assert frame["header"]["X-BAPI-TIMESTAMP"] == "1700000000000"
    h.reply(frame, 1.25)
    reply = future.result(timeout=0)  # no loop ran: it settled in receive()
    assert reply["meta"]["rttMs"] == pytest.approx(250.0)
    assert set(reply["meta"]) == WSAPIResponseMeta.__required_keys__  # not late: no late keys
    assert h.events.of("response") == [reply]
    assert h.protocol.answered


def test_deadlines_in_fake_time_sent_and_not_sent() -> None:
    h = Harness()
    sent = h.submit(0.0, orderLinkId="s")
    h.write(0.0)
    queued = h.submit(1.0, orderLinkId="q")
    h.protocol.expire(9.99)
    assert not sent.done()
    h.protocol.expire(10.0)
    assert sent.exception().outcome == "unknown"  # type: ignore[union-attr]
    h.protocol.expire(11.0)
    error = queued.exception()
    assert isinstance(error, RequestTimeoutError) and error.outcome == "not_sent"
    assert h.write(11.0) == []  # a request that timed out before it was written never is
    assert [type(e) for e in h.events.of("exception")] == [RequestTimeoutError] * 2


def test_a_late_reply_is_emitted_marked_late_with_the_params() -> None:
    h = Harness()
    future = h.submit(0.0, orderLinkId="late")
    [frame] = h.write(0.0)
    h.protocol.expire(10.0)
    assert isinstance(future.exception(), RequestTimeoutError)
    h.reply(frame, 12.0)
    [late] = h.events.of("response")
    assert late["meta"]["late"] is True
    assert late["meta"]["params"]["orderLinkId"] == "late"
    declared = WSAPIResponseMeta.__required_keys__ | WSAPIResponseMeta.__optional_keys__
    assert set(late["meta"]) == declared  # a late reply's meta has every declared key, no other


def test_without_a_connection_queued_requests_fail_unsent_at_connect_timeout() -> None:
    h = Harness(open_=False)
    future = h.submit(0.0)
    h.protocol.expire(4.9)
    assert not future.done()
    h.protocol.expire(5.0)
    error = future.exception()
    assert isinstance(error, RequestNotSentError)
    assert "within 5 s" in str(error)


def test_a_connected_but_busy_line_does_not_fail_queued_requests_at_connect_timeout() -> None:
    h = Harness()
    future = h.submit(0.0)
    h.protocol.expire(5.0)
    assert not future.done()  # a session is up: only its own timeout applies


def test_connection_lost_fails_in_flight_at_once_and_keeps_the_queue() -> None:
    h = Harness()
    in_flight = h.submit(0.0)
    h.write(0.0)
    queued = h.submit(0.5)
    failures = h.protocol.connection_lost("the server closed the connection (code 1009)")
    assert [type(f) for f in failures] == [RequestOutcomeUnknownError]
    assert in_flight.exception() is failures[0]
    assert "1009" in str(failures[0])
    assert not queued.done() and h.protocol.phase is Phase.DOWN
    h.open(1.0)
    assert len(h.write(1.0)) == 1  # the queued one goes out on the next connection


def test_a_restart_notice_drains_then_signals() -> None:
    h = Harness()
    first, second = h.submit(0.0), h.submit(0.0)
    a, b = h.write(0.0)
    h.reply(a, 0.1, retCode=10019, retMsg="restarting")
    assert isinstance(first.exception(), WSAPIError)
    assert h.signals == [("restart", "the server answered retCode=10019 (restarting)")]
    assert not h.protocol.writable
    h.reply(b, 0.2)
    assert second.result()["retCode"] == 0
    assert h.signals[-1][0] == "drained"


def test_errors_without_req_id_are_attributed_only_when_certain() -> None:
    h = Harness()
    one, two = h.submit(0.0, orderLinkId="1"), h.submit(0.0, orderLinkId="2")
    a, _ = h.write(0.0)
    h.protocol.receive('{"retCode":10005,"retMsg":"denied","op":"order.create"}', 0.1)
    assert not one.done() and not two.done()
    h.reply(a, 0.2)
    assert one.result()["retCode"] == 0
    error = two.exception()
    assert isinstance(error, WSAPIError) and error.matched_by_op


@pytest.mark.parametrize(
    ("code", "outcome"),
    [
        (0, AuthOutcome.OK),
        (20001, AuthOutcome.OK),
        (10016, AuthOutcome.RETRY),
        (10004, AuthOutcome.FATAL),
    ],
)
def test_auth_replies_become_outcomes(code: int, outcome: AuthOutcome) -> None:
    h = Harness(open_=False)
    h.protocol.connection_made(0.0)
    auth: Future[AuthOutcome] = Future()
    h.protocol.auth_sent(auth)
    h.protocol.receive(json.dumps({"op": "auth", "retCode": code, "retMsg": "m"}), 0.1)
    assert auth.result() is outcome
    if outcome is not AuthOutcome.OK:
        assert isinstance(h.protocol.auth_error, AuthenticationError)


def test_the_auth_frame_is_signed_and_expires_ahead() -> None:
    h = Harness(open_=False)
    h.protocol.time_offset_ms = 7
    expires = h.protocol.auth_expires(1_000)
    frame = json.loads(h.protocol.auth_frame("key", expires, "sig"))
    assert frame["op"] == "auth" and frame["args"] == ["key", 1_000 + 7 + 5000, "sig"]


def test_heartbeat_state_in_fake_time() -> None:
    h = Harness()
    h.protocol.pinged(20.0)
    assert h.protocol.pong_overdue()
    h.protocol.receive('{"op":"pong","retCode":0}', 20.1)
    assert not h.protocol.pong_overdue()


def test_over_cap_batches_and_oversized_requests_are_refused_unsent() -> None:
    h = Harness()
    items = [{"symbol": "BTCUSDT"}] * 11
    spot: Future[Any] = Future()
    h.protocol.submit(
        "order.create-batch", {"category": "spot", "request": items}, spot, timeout=None, now=0.0
    )
    assert isinstance(spot.exception(), RequestNotSentError)
    assert batch_cap("order.create-batch", {"category": "linear", "request": items}) is None
    big = h.submit(0.0, symbol="X" * 5000)
    assert "frame limit" in str(big.exception())
    assert h.write(0.0) == [] and len(h.events.of("exception")) == 2


def test_closed_protocol_refuses_and_fails_the_queue() -> None:
    h = Harness(open_=False)
    queued = h.submit(0.0)
    h.protocol.close("the client was closed")
    assert isinstance(queued.exception(), RequestNotSentError)
    assert isinstance(h.submit(1.0).exception(), RequestNotSentError)


def test_the_frame_limit_counts_the_whole_frame_not_only_the_params() -> None:
    h = Harness()
    room = LIMITS.max_request_bytes - h.protocol.frame_overhead
    base = len(json.dumps({**ORDER, "symbol": ""}, separators=(",", ":")))
    fits = h.submit(0.0, symbol="X" * (room - base))
    over = h.submit(0.0, symbol="X" * (room - base + 1))
    assert not fits.done()
    assert isinstance(over.exception(), RequestNotSentError)
    [frame] = h.protocol.frames(h.protocol.table.take(2), 1_700_000_000_000, 0.0)
    assert len(frame.encode()) <= LIMITS.max_request_bytes
