"""classify(): every dialect's ack, pong and auth reply (§2.3-§2.6, §8.1), and bad input."""

from __future__ import annotations

import json

import pytest

from bybit_wsapi.streams.frames import (
    PONG,
    Ack,
    AuthAck,
    Push,
    Unrecognised,
    args_chars,
    auth_frame,
    classify,
    ping_frame,
    subscription_frame,
)

PONGS = {
    "spot": '{"success":true,"ret_msg":"pong","conn_id":"0970e817-426e","op":"ping"}',
    "linear": '{"success":true,"ret_msg":"pong","conn_id":"465772b1-7630","req_id":"","op":"ping"}',
    "option": '{"args":["1672916271846"],"op":"pong"}',
    "private": '{"req_id":"test","op":"pong","args":["1675418560633"],"conn_id":"cfcb4ocsvfriu23r3er0-1b"}',
}


@pytest.mark.parametrize("dialect", sorted(PONGS))
def test_every_dialects_pong(dialect: str) -> None:
    assert classify(PONGS[dialect]) is PONG


def test_spot_ack_ret_msg_subscribe() -> None:
    ack = classify(
        '{"success":true,"ret_msg":"subscribe","conn_id":"2324d924","req_id":"10001","op":"subscribe"}'
    )
    assert ack == Ack("subscribe", "10001", True, "subscribe", None, None)


def test_linear_ack_empty_req_id_is_none() -> None:
    ack = classify(
        '{"success":true,"ret_msg":"","conn_id":"3cd84cb1","req_id":"","op":"subscribe"}'
    )
    assert isinstance(ack, Ack) and ack.req_id is None and ack.success


def test_option_command_resp() -> None:
    ack = classify(
        '{"success":true,"conn_id":"aa01","data":{"failTopics":["orderbook.100.X"],'
        '"successTopics":["orderbook.100.BTC-6JAN23-18000-C"]},"type":"COMMAND_RESP"}'
    )
    assert ack == Ack(
        None, None, True, "", ("orderbook.100.BTC-6JAN23-18000-C",), ("orderbook.100.X",)
    )


def test_private_ack_and_unsubscribe_ack() -> None:
    assert classify('{"success":true,"ret_msg":"","op":"subscribe","conn_id":"cejre-2m"}') == Ack(
        "subscribe", None, True, "", None, None
    )
    ack = classify('{"success":true,"ret_msg":"","conn_id":"7188","req_id":"3","op":"unsubscribe"}')
    assert isinstance(ack, Ack) and ack.op == "unsubscribe" and ack.req_id == "3"


@pytest.mark.parametrize(
    ("ret_msg", "reason", "topic"),
    [
        (
            "error:handler not found,topic:publicTrade.NOTASYMBOL",
            "handler not found",
            "publicTrade.NOTASYMBOL",
        ),
        (
            "error:already subscribed,topic:allLiquidation.ORDERUSDT",
            "already subscribed",
            "allLiquidation.ORDERUSDT",
        ),
        ("args size >10", "args size >10", None),
        ("Params Error", "Params Error", None),
        ("", "no reason given", None),
    ],
)
def test_failure_reasons(ret_msg: str, reason: str, topic: str | None) -> None:
    ack = classify(
        json.dumps({"success": False, "ret_msg": ret_msg, "conn_id": "c", "op": "subscribe"})
    )
    assert isinstance(ack, Ack) and not ack.success
    assert (ack.reason, ack.topic) == (reason, topic)


def test_auth_replies() -> None:
    assert classify('{"success":true,"ret_msg":"","op":"auth","conn_id":"c"}') == AuthAck(True, "")
    assert classify('{"retCode":0,"retMsg":"OK","op":"auth","connId":"c"}') == AuthAck(True, "")
    assert classify(
        '{"success":false,"ret_msg":"Params Error","op":"auth","conn_id":"c"}'
    ) == AuthAck(False, "Params Error")


def test_push() -> None:
    decoded = classify('{"topic":"order","id":"1","creationTime":1,"data":[]}')
    assert isinstance(decoded, Push) and decoded.topic == "order" and decoded.message["id"] == "1"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not json",
        "[]",
        "3",
        '{"op":"ping"}',
        '{"success":false,"ret_msg":"error:invalid op","request":{"op":"","args":null}}',
        "[" * 100_000,
    ],
)
def test_anything_else_is_unrecognised_never_raises(text: str) -> None:
    assert isinstance(classify(text), Unrecognised)


def test_frames_out() -> None:
    assert json.loads(subscription_frame("subscribe", "sub-1", ["a", "b"])) == {
        "req_id": "sub-1",
        "op": "subscribe",
        "args": ["a", "b"],
    }
    assert json.loads(ping_frame("p-1")) == {"req_id": "p-1", "op": "ping"}
    assert json.loads(auth_frame("key", 5, "sig", "auth-1")) == {
        "req_id": "auth-1",
        "op": "auth",
        "args": ["key", 5, "sig"],
    }
    for topics in ([], ["a"], ["orderbook.50.BTCUSDT", "tickers.ÉTH"]):
        assert args_chars(topics) == len(
            json.dumps(topics, separators=(",", ":"), ensure_ascii=False)
        )
