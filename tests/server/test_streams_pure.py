"""The stream protocol without sockets: dialects, validation, auth (streams §2, §7.2)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from bybit_wsapi.retcodes import RetCode
from bybit_wsapi.server.config import SubscribeBeforeAuth, UnsubscribeUnknown
from bybit_wsapi.server.market import Market
from bybit_wsapi.server.streams import StreamResult, Streams, StreamSession
from bybit_wsapi.streams.frames import PONG, Ack, AuthAck, classify

NOW = 1_700_000_000_000
MARKET = Market()  # its default instruments: BTCUSDT, ETHUSDT, BTCUSD, one BTC option


def fake_auth(frame: dict[str, object], now_ms: int) -> tuple[int, str, str | None]:
    key, expires, signature = frame["args"]  # type: ignore[misc]
    if expires <= now_ms:
        return RetCode.REQUEST_EXPIRED, "expired", None
    if signature != "good":
        return RetCode.INVALID_SIGNATURE, "Invalid sign.", None
    return RetCode.OK, "OK", str(key)


def make(
    before_auth: SubscribeBeforeAuth = "reject",
    unknown: UnsubscribeUnknown = "success",
    public_topic: Callable[[str, str], bool] = MARKET.valid_topic,
) -> Streams:
    return Streams(
        fake_auth,
        public_topic,
        subscribe_before_auth=before_auth,
        unsubscribe_unknown=unknown,
    )


def session(stream: str, streams: Streams | None = None) -> tuple[Streams, StreamSession]:
    streams = streams or make()
    opened = streams.open_session(stream)
    opened.conn_id = "C"
    return streams, opened


def send(streams: Streams, s: StreamSession, frame: Any) -> StreamResult:
    text = frame if isinstance(frame, str) else json.dumps(frame)
    return streams.handle(s, text, NOW)


def reply(streams: Streams, s: StreamSession, frame: Any) -> dict[str, Any]:
    (only,) = send(streams, s, frame).replies
    return only


def sub(*topics: str, req_id: str | None = None, op: str = "subscribe") -> dict[str, Any]:
    frame: dict[str, Any] = {"op": op, "args": list(topics)}
    if req_id is not None:
        frame["req_id"] = req_id
    return frame


def authed(streams: Streams | None = None) -> tuple[Streams, StreamSession]:
    streams, s = session("private", streams)
    assert reply(streams, s, {"op": "auth", "args": ["k", NOW + 5000, "good"]})["success"]
    return streams, s


# ---- the dialects, frame for frame -----------------------------------------------------------


def test_pongs_per_dialect() -> None:
    ping, with_id = {"op": "ping"}, {"op": "ping", "req_id": "7"}
    spot = {"success": True, "ret_msg": "pong", "conn_id": "C", "op": "ping"}
    spot_7 = {"success": True, "ret_msg": "pong", "conn_id": "C", "req_id": "7", "op": "ping"}
    linear = {"success": True, "ret_msg": "pong", "conn_id": "C", "req_id": "", "op": "ping"}
    cases = {
        "spot": (spot, spot_7),
        "linear": (linear, spot_7),
        "inverse": (linear, spot_7),
        "option": (
            {"args": [str(NOW)], "op": "pong"},
            {"req_id": "7", "args": [str(NOW)], "op": "pong"},
        ),
        "private": (
            {"op": "pong", "args": [str(NOW)], "conn_id": "C"},
            {"req_id": "7", "op": "pong", "args": [str(NOW)], "conn_id": "C"},
        ),
    }
    for stream, (bare, echoed) in cases.items():
        streams, s = session(stream)
        assert reply(streams, s, ping) == bare, stream
        assert reply(streams, s, with_id) == echoed, stream
        assert list(reply(streams, s, with_id)) == list(echoed), stream  # key order too


def test_subscribe_acks_per_dialect() -> None:
    streams, s = session("spot")
    assert reply(streams, s, sub("orderbook.50.BTCUSDT", req_id="10001")) == {
        "success": True,
        "ret_msg": "subscribe",
        "conn_id": "C",
        "req_id": "10001",
        "op": "subscribe",
    }
    streams, s = session("linear")
    assert reply(streams, s, sub("publicTrade.BTCUSDT")) == {
        "success": True,
        "ret_msg": "",
        "conn_id": "C",
        "req_id": "",
        "op": "subscribe",
    }
    assert reply(streams, s, sub("publicTrade.BTCUSDT", req_id="3", op="unsubscribe")) == {
        "success": True,
        "ret_msg": "",
        "conn_id": "C",
        "req_id": "3",
        "op": "unsubscribe",
    }
    streams, s = session("option")
    assert reply(streams, s, sub("orderbook.100.BTC-26DEC26-100000-C-USDT")) == {
        "success": True,
        "conn_id": "C",
        "data": {"failTopics": [], "successTopics": ["orderbook.100.BTC-26DEC26-100000-C-USDT"]},
        "type": "COMMAND_RESP",
    }
    streams, s = authed()
    assert reply(streams, s, sub("order")) == {
        "success": True,
        "ret_msg": "",
        "op": "subscribe",
        "conn_id": "C",
    }
    assert reply(streams, s, sub("wallet", req_id="w")) == {
        "req_id": "w",
        "success": True,
        "ret_msg": "",
        "op": "subscribe",
        "conn_id": "C",
    }


def test_conn_ids_look_like_bybits() -> None:
    streams = make()
    spot, option, private = (streams.open_session(s).conn_id for s in ("spot", "option", "private"))
    assert [len(part) for part in spot.split("-")] == [8, 4, 4, 4, 12]
    assert [len(part) for part in option.split("-")] == [16, 8, 8, 16, 8]
    assert len(private.split("-")[0]) == 20


# ---- validation ------------------------------------------------------------------------------


def test_spot_refuses_more_than_10_args_per_request() -> None:
    topics = [f"kline.{i}.BTCUSDT" for i in ("1", "3", "5", "15", "30", "60")]
    topics += [f"orderbook.{d}.BTCUSDT" for d in ("1", "50", "200", "1000")]
    streams, s = session("spot")
    assert reply(streams, s, sub(*topics, "publicTrade.BTCUSDT")) == {
        "success": False,
        "ret_msg": "args size >10",
        "conn_id": "C",
        "op": "subscribe",
    }
    assert s.topics == {}
    assert reply(streams, s, sub(*topics))["success"]  # 10 is fine
    streams, s = session("linear")
    assert reply(streams, s, sub(*topics, "publicTrade.BTCUSDT"))["success"]  # linear: no cap


def test_21000_characters_of_topics_per_public_connection() -> None:
    streams, s = session("linear", make(public_topic=lambda category, topic: True))  # any symbol
    topics = [f"publicTrade.{'X' * 88}{i:04d}" for i in range(210)]  # 104 characters each
    assert reply(streams, s, sub(*topics[:200]))["success"]  # 20,800 characters
    refused = reply(streams, s, sub(*topics[200:202]))
    assert refused["success"] is False
    assert refused["ret_msg"] == "args length >21000"
    assert reply(streams, s, sub(topics[200]))["success"]  # 20,904: still fits


def test_option_topic_cap_and_per_topic_failures() -> None:
    anything = False
    streams, s = session(
        "option", make(public_topic=lambda c, t: anything or MARKET.valid_topic(c, t))
    )
    good = "publicTrade.BTC"
    ack = reply(streams, s, sub(good, "publicTrade.NOPE", "kline.1.BTC-26DEC26-100000-C-USDT"))
    assert ack["success"] is False
    assert ack["data"] == {
        "failTopics": ["publicTrade.NOPE", "kline.1.BTC-26DEC26-100000-C-USDT"],
        "successTopics": [good],
    }
    assert list(s.topics) == [good]
    anything = True  # every topic exists from here on
    assert reply(streams, s, sub(*(f"x{i}" for i in range(1999))))["success"]
    refused = reply(streams, s, sub("x"))
    assert (refused["success"], refused["ret_msg"]) == (False, "args size >2000")


@pytest.mark.parametrize(
    ("stream", "topic"),
    [
        ("linear", "publicTrade.NOTASYMBOL"),
        ("linear", "orderbook.500.BTCUSDT"),  # depth 500 was removed
        ("linear", "orderbook.25.BTCUSDT"),  # an option depth
        ("option", "orderbook.50.BTC-26DEC26-100000-C-USDT"),
        ("spot", "allLiquidation.BTCUSDT"),  # linear and inverse only
        ("option", "kline.1.BTC-26DEC26-100000-C-USDT"),
        ("linear", "kline.2.BTCUSDT"),
        ("spot", "order"),  # private on public
        ("linear", "execution.fast.linear"),
        ("private", "order.spread"),
        ("private", "wallet.linear"),
        ("private", "nonsense"),
    ],
)
def test_handler_not_found(stream: str, topic: str) -> None:
    streams, s = authed() if stream == "private" else session(stream)
    frame = reply(streams, s, sub(topic))
    if stream == "option":
        assert frame["data"]["failTopics"] == [topic]
    else:
        assert frame["ret_msg"] == f"error:handler not found,topic:{topic}"
        assert frame["success"] is False


def test_a_public_topic_on_the_private_stream_is_a_params_error() -> None:
    streams, s = authed()
    assert reply(streams, s, sub("orderbook.50.BTCUSDT"))["ret_msg"] == "Params Error"


def test_one_bad_topic_fails_the_whole_request() -> None:
    streams, s = session("linear")
    frame = reply(streams, s, sub("publicTrade.BTCUSDT", "publicTrade.NOPE", req_id="b"))
    assert frame["ret_msg"] == "error:handler not found,topic:publicTrade.NOPE"
    assert frame["req_id"] == "b"
    assert s.topics == {}
    result = send(streams, s, sub("publicTrade.BTCUSDT"))
    assert result.subscribed == ["publicTrade.BTCUSDT"]


def test_already_subscribed() -> None:
    streams, s = session("linear")
    assert send(streams, s, sub("tickers.BTCUSDT")).subscribed == ["tickers.BTCUSDT"]
    frame = reply(streams, s, sub("tickers.ETHUSDT", "tickers.BTCUSDT"))
    assert frame["ret_msg"] == "error:already subscribed,topic:tickers.BTCUSDT"
    assert list(s.topics) == ["tickers.BTCUSDT"]
    twice = reply(streams, s, sub("tickers.ETHUSDT", "tickers.ETHUSDT"))
    assert twice["ret_msg"] == "error:already subscribed,topic:tickers.ETHUSDT"


def test_all_in_one_and_categorised_in_one_request_is_a_params_error() -> None:
    streams, s = authed()
    assert reply(streams, s, sub("order", "order.linear"))["ret_msg"] == "Params Error"
    assert s.topics == {}
    ok = send(streams, s, sub("order", "execution.linear", "execution.fast", "dcp.future"))
    assert ok.subscribed == ["order", "execution.linear", "execution.fast", "dcp.future"]
    assert send(streams, s, sub("order.linear")).subscribed == ["order.linear"]  # separately


def test_private_subscribe_before_auth() -> None:
    streams, s = session("private")
    frame = reply(streams, s, sub("order"))
    assert (frame["success"], frame["ret_msg"]) == (
        False,
        "Request not authorized: send auth first",
    )
    streams, s = session("private", make(before_auth="accept"))
    early = send(streams, s, sub("order", "wallet"))
    assert early.replies[0]["success"] is True
    assert early.subscribed == []  # not live before auth
    on_auth = send(streams, s, {"op": "auth", "args": ["k", NOW + 5000, "good"]})
    assert on_auth.subscribed == ["order", "wallet"]


def test_unsubscribe() -> None:
    streams, s = session("linear")
    send(streams, s, sub("tickers.BTCUSDT", "tickers.ETHUSDT"))
    gone = send(streams, s, sub("tickers.BTCUSDT", "tickers.NOPE", op="unsubscribe"))
    assert gone.replies[0]["success"] is True  # default: an unknown topic is no error
    assert gone.unsubscribed == ["tickers.BTCUSDT"]
    assert list(s.topics) == ["tickers.ETHUSDT"]
    streams, s = session("linear", make(unknown="error"))
    send(streams, s, sub("tickers.BTCUSDT"))
    frame = reply(streams, s, sub("tickers.BTCUSDT", "tickers.NOPE", op="unsubscribe"))
    assert frame["ret_msg"] == "error:not subscribed,topic:tickers.NOPE"
    assert list(s.topics) == ["tickers.BTCUSDT"]  # nothing unsubscribed


def test_auth_on_the_private_stream() -> None:
    streams, s = session("private")
    expired = reply(streams, s, {"op": "auth", "args": ["k", NOW, "good"], "req_id": "a"})
    assert expired == {
        "req_id": "a",
        "success": False,
        "ret_msg": "Params Error",
        "op": "auth",
        "conn_id": "C",
    }
    bad = reply(streams, s, {"op": "auth", "args": ["k", NOW + 5000, "bad"]})
    assert (bad["success"], bad["ret_msg"]) == (False, "Invalid sign.")
    ok = reply(streams, s, {"op": "auth", "args": ["k", NOW + 5000, "good"]})
    assert ok == {"success": True, "ret_msg": "", "op": "auth", "conn_id": "C"}
    assert s.api_key == "k"
    again = reply(streams, s, {"op": "auth", "args": ["k", NOW + 5000, "good"]})
    assert again["success"] is False
    public_streams, public = session("linear")
    assert (
        reply(public_streams, public, {"op": "auth", "args": []})["ret_msg"] == "error:invalid op"
    )


@pytest.mark.parametrize(
    "frame",
    [{"op": "subscribe"}, {"op": "subscribe", "args": []}, {"op": "subscribe", "args": [1]}],
)
def test_bad_args_are_a_params_error(frame: dict[str, Any]) -> None:
    streams, s = session("linear")
    assert reply(streams, s, frame)["ret_msg"] == "Params Error"


def test_unknown_ops_and_bad_frames_are_answered_and_the_session_goes_on() -> None:
    streams, s = session("spot")
    assert reply(streams, s, {"op": "nope", "args": ["x"]}) == {
        "success": False,
        "ret_msg": "error:invalid op",
        "conn_id": "C",
        "request": {"op": "nope", "args": ["x"]},
    }
    assert reply(streams, s, "{{")["ret_msg"].startswith("Params Error: malformed JSON")
    assert reply(streams, s, "[1]")["success"] is False
    assert reply(streams, s, {"op": "ping"})["ret_msg"] == "pong"


def test_the_stream_client_reads_every_dialect_as_meant() -> None:
    # The SDK's one classifier (bybit_wsapi.streams.frames) against this server's frames.
    for stream in ("spot", "linear", "inverse", "option", "private"):
        streams, s = authed() if stream == "private" else session(stream)
        assert classify(json.dumps(reply(streams, s, {"op": "ping", "req_id": "1"}))) is PONG
        topics = {"option": "publicTrade.BTC", "inverse": "publicTrade.BTCUSD", "private": "wallet"}
        topic = topics.get(stream, "publicTrade.BTCUSDT")
        ok = classify(json.dumps(reply(streams, s, sub(topic, req_id="r1"))))
        assert isinstance(ok, Ack) and ok.success, stream
        assert ok.req_id == (None if stream == "option" else "r1")
        bad = classify(json.dumps(reply(streams, s, sub(topic, req_id="r2"))))
        assert isinstance(bad, Ack) and not bad.success, stream
        if stream != "option":
            assert (bad.reason, bad.topic) == ("already subscribed", topic)
    streams, s = session("private")
    frame = reply(streams, s, {"op": "auth", "args": ["k", NOW + 5000, "good"]})
    assert classify(json.dumps(frame)) == AuthAck(True, "")
