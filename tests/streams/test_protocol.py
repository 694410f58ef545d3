"""StreamProtocol, the stream dialect of the session state, driven with fake time: no socket,
no event loop. Each dialect's pong and ack (§2.3, §2.5), auth (§2.6), resubscribe dcp first and
books reset after a reconnect (§2.7)."""

from __future__ import annotations

import json
from concurrent.futures import Future
from typing import Any

import pytest
from bybit_wsapi_generated.streams import DIALECTS, STREAMS

from bybit_wsapi import AuthenticationError, SubscriptionError
from bybit_wsapi.events import EventEmitter
from bybit_wsapi.session import AuthOutcome, Phase
from bybit_wsapi.streams.protocol import StreamProtocol

from .fake import ack, pong

USER = object()


class Harness:
    """A protocol of ``ws_key``, its events, and how often it asked to write."""

    def __init__(self, ws_key: Any = "v5LinearPublic") -> None:
        self.events = EventEmitter()
        self.seen: dict[str, list[Any]] = {"update": [], "exception": []}
        for name, got in self.seen.items():
            self.events.on(name, got.append)  # type: ignore[arg-type]
        self.wakes = 0
        self.protocol = StreamProtocol(ws_key, self.events, recv_window_ms=5000, wake=self.wake)

    def wake(self) -> None:
        self.wakes += 1

    def write(self) -> list[dict[str, Any]]:
        """What the writer would write now, decoded."""
        return [json.loads(batch.frame) for batch in self.protocol.table.batches()]

    def receive(self, frame: dict[str, Any], now: float = 0.0) -> None:
        self.protocol.receive(json.dumps(frame), now)


@pytest.mark.parametrize(
    ("ws_key", "path"),
    [
        ("v5SpotPublic", "/v5/public/spot"),
        ("v5LinearPublic", "/v5/public/linear"),
        ("v5OptionPublic", "/v5/public/option"),
        ("v5Private", "/v5/private"),
    ],
)
def test_each_dialects_pong_answers_the_ping(ws_key: str, path: str) -> None:
    h = Harness(ws_key)
    h.protocol.connection_made(0.0)
    ping = json.loads(h.protocol.ping_frame())
    assert ping["op"] == "ping" and ping["req_id"]
    h.protocol.pinged(20.0)
    assert h.protocol.pong_overdue()
    h.receive(pong(path, ping), 20.5)
    assert not h.protocol.pong_overdue() and h.protocol.pongs == 1
    assert h.protocol.unrecognised == 0 and not h.protocol.answered  # a pong proves no topic


VERDICTS = {
    "ack": None,
    "already_subscribed": None,
    "handler_not_found": "handler not found",
    "args_over_limit": "args size >10",
}


@pytest.mark.parametrize("ws_key", sorted(STREAMS))
def test_each_sockets_spec_dialect_examples(ws_key: str) -> None:
    """The spec's ack, failure, pong and auth frames of each socket's dialect, as Bybit sends
    them (no ``req_id`` echoed, other topics named): each means what it says."""
    examples = DIALECTS[STREAMS[ws_key]["dialect"]]["examples"]  # type: ignore[index]
    for name, text in examples.items():
        h = Harness(ws_key)
        h.protocol.connection_made(0.0)
        if name in VERDICTS:
            call = h.protocol.table.subscribe(["publicTrade.X"], USER)
            h.protocol.opened()
            assert len(h.write()) == 1
            h.protocol.receive(text, 1.0)
            assert call.done and call.outcomes == {"publicTrade.X": VERDICTS[name]}, name
        elif name == "pong":
            h.protocol.receive(text, 1.0)
            assert h.protocol.pongs == 1, name
        else:
            waiter: Future[AuthOutcome] = Future()
            h.protocol.auth_sent(waiter)
            h.protocol.receive(text, 1.0)
            expected = AuthOutcome.OK if name == "auth" else AuthOutcome.FATAL
            assert waiter.result() is expected, name
        assert h.protocol.unrecognised == 0, name


def test_any_frame_counts_as_alive_and_junk_is_counted_never_raised() -> None:
    h = Harness()
    h.protocol.connection_made(0.0)
    h.protocol.pinged(1.0)
    for junk in ("not json", "[1]", '{"op":"ping"}', '{"what":1}'):
        h.protocol.receive(junk, 2.0)
    assert h.protocol.unrecognised == 4 and not h.protocol.pong_overdue()


def test_ready_session_asks_again_for_every_topic_dcp_first_and_acks_settle() -> None:
    h = Harness("v5Private")
    h.protocol.connection_made(0.0)
    call = h.protocol.table.subscribe(["order", "dcp.future"], USER)
    assert h.write() == []  # not ready: nothing goes out
    h.protocol.opened()
    assert h.protocol.ever_open and h.protocol.phase is Phase.OPEN and h.wakes == 1
    [frame] = h.write()
    assert frame["args"] == ["dcp.future", "order"]
    h.receive(ack("/v5/private", frame), 1.0)
    assert call.done and not call.failures and h.protocol.answered and h.wakes == 2


def test_a_lost_session_forgets_topics_and_resets_books_until_their_snapshot() -> None:
    h = Harness()
    topic = "orderbook.50.BTCUSDT"
    h.protocol.topics.attach(topic, Sink())
    h.protocol.connection_made(0.0)
    h.protocol.table.subscribe([topic], USER)
    h.protocol.opened()
    [frame] = h.write()
    h.receive(ack("/v5/public/linear", frame))
    h.receive(book(topic, "snapshot", 5))
    local = h.protocol.topics.states[topic].book
    assert local is not None and (local.synced, local.update_id) == (True, 5)
    h.protocol.connection_lost("dropped")
    assert not h.protocol.table.ready and h.protocol.table.confirmed == set()
    assert (local.synced, local.bids, h.protocol.phase) == (False, [], Phase.DOWN)
    h.receive(book(topic, "delta", 6))  # a delta before the new snapshot: not a book
    assert (local.synced, local.bids) == (False, [])
    h.protocol.connection_made(10.0)
    h.protocol.opened()
    assert [f["args"] for f in h.write()] == [[topic]]


def test_auth_refused_first_is_final_then_retryable_once_a_session_was_ready() -> None:
    h = Harness("v5Private")
    h.protocol.connection_made(0.0)
    frame = json.loads(h.protocol.auth_frame("key", h.protocol.auth_expires(1_000), "sig"))
    assert frame["op"] == "auth" and frame["args"] == ["key", 6_000, "sig"]
    first: Future[AuthOutcome] = Future()
    h.protocol.auth_sent(first)
    h.receive({"success": False, "ret_msg": "Params Error", "op": "auth", "conn_id": "c"})
    assert first.result() is AuthOutcome.FATAL
    assert isinstance(h.protocol.auth_error, AuthenticationError)
    assert "Params Error" in str(h.protocol.auth_error)
    h.protocol.connection_made(1.0)
    ok: Future[AuthOutcome] = Future()
    h.protocol.auth_sent(ok)
    h.receive({"retCode": 0, "op": "auth", "conn_id": "c"})  # retCode 0 is success too
    assert ok.result() is AuthOutcome.OK and h.protocol.phase is Phase.OPEN
    h.protocol.opened()
    h.protocol.connection_lost("dropped")
    h.protocol.connection_made(2.0)
    again: Future[AuthOutcome] = Future()
    h.protocol.auth_sent(again)
    h.receive({"success": False, "ret_msg": "Params Error", "op": "auth"})
    assert again.result() is AuthOutcome.RETRY


def test_a_session_lost_while_authenticating_fails_the_auth_waiter() -> None:
    h = Harness("v5Private")
    h.protocol.connection_made(0.0)
    waiter: Future[AuthOutcome] = Future()
    h.protocol.auth_sent(waiter)
    h.protocol.connection_lost("the connection was lost")
    with pytest.raises(ConnectionError, match="the connection was lost"):
        waiter.result()


def test_a_topic_refused_on_resubscribe_fails_its_consumers_and_is_emitted() -> None:
    h = Harness()
    sink = Sink()
    h.protocol.topics.attach("publicTrade.X", sink)
    h.protocol.table.subscribe(["publicTrade.X"], USER)
    h.protocol.opened()
    [frame] = h.write()
    h.receive(ack("/v5/public/linear", frame, False, "error:handler not found,topic:x"))
    assert [type(e) for e in sink.failed] == [SubscriptionError]
    assert h.seen["exception"] == sink.failed
    assert "publicTrade.X" not in h.protocol.table.wanted


def test_give_up_and_close_fail_every_waiting_call() -> None:
    h = Harness()
    waiting = h.protocol.table.subscribe(["publicTrade.X"], USER)
    h.protocol.give_up("no connection to ws://x: refused")
    assert waiting.failures == {"publicTrade.X": "no connection to ws://x: refused"}
    assert h.protocol.table.wanted == {}
    huge = "publicTrade." + "X" * 20_000  # near the 21,000 characters of one connection
    assert h.protocol.table.subscribe([huge], USER).failures == {}
    h.protocol.give_up("refused")
    assert h.protocol.table.subscribe([huge], USER).failures == {}  # nothing counted twice
    h.protocol.give_up("refused")
    sink = Sink()
    h.protocol.topics.attach("publicTrade.Y", sink)
    late = h.protocol.table.subscribe(["publicTrade.Y"], USER)
    h.protocol.close("the client was closed")
    assert late.failures == {"publicTrade.Y": "the client was closed"} and sink.ended
    assert h.protocol.phase is Phase.CLOSED


class Sink:
    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []
        self.failed: list[Exception] = []
        self.ended = False

    def deliver(self, message: dict[str, Any]) -> None:
        self.messages.append(message)

    def fail(self, error: Exception) -> None:
        self.failed.append(error)

    def end(self) -> None:
        self.ended = True


def book(topic: str, kind: str, u: int) -> dict[str, Any]:
    data = {"s": "BTCUSDT", "b": [["100", "1"]], "a": [["101", "1"]], "u": u, "seq": u}
    return {"topic": topic, "type": kind, "ts": u, "data": data, "cts": u}
