"""The client's sans-I/O protocol: frames out, classification of frames in."""

from __future__ import annotations

import json

import pytest

from bybit_wsapi.auth import Secret, sign_auth, verify_auth
from bybit_wsapi.protocol import (
    PING_FRAME,
    AuthReply,
    OrphanError,
    Pong,
    Reply,
    ReqIdGenerator,
    Unrecognised,
    auth_frame,
    decode,
    encode_params,
    request_frame,
    response_meta,
)


def test_signature_matches_the_reference_vector() -> None:
    # bybit-ws-api.md §3.2: secret "test-secret", expires 1711010121452
    expected = "5795d383b420ac992af406408d13bac3bec8ef51c1df13637fc01e0451fa1f61"
    assert sign_auth("test-secret", 1711010121452) == expected
    assert sign_auth(Secret("test-secret"), 1711010121452) == expected
    assert verify_auth("test-secret", 1711010121452, expected)
    assert not verify_auth("test-secret", 1711010121453, expected)
    assert not verify_auth("other", 1711010121452, expected)


def test_auth_frame_has_key_expires_and_signature() -> None:
    frame = json.loads(auth_frame("MyApiKey123", Secret("test-secret"), 1711010121452, "auth-1"))
    assert frame == {
        "reqId": "auth-1",
        "op": "auth",
        "args": ["MyApiKey123", 1711010121452, sign_auth("test-secret", 1711010121452)],
    }


def test_request_frame_matches_the_reference_shape() -> None:
    params = {
        "category": "linear",
        "symbol": "ETHUSDT",
        "side": "Buy",
        "qty": "0.2",
        "note": 'é"\\',
    }
    text = request_frame(
        "c1f0-1",
        "order.create",
        encode_params(params),
        timestamp_ms=1711001595207,
        recv_window_ms=5000,
    )
    assert json.loads(text) == {
        "reqId": "c1f0-1",
        "header": {"X-BAPI-TIMESTAMP": "1711001595207", "X-BAPI-RECV-WINDOW": "5000"},
        "op": "order.create",
        "args": [params],
    }
    with_referer = json.loads(
        request_frame(
            "r", "order.cancel", "{}", timestamp_ms=1, recv_window_ms=2, referer='br"oker'
        )
    )
    assert with_referer["header"]["Referer"] == 'br"oker'
    assert json.loads(PING_FRAME) == {"op": "ping"}


def test_encode_params_rejects_what_json_cannot_carry() -> None:
    from decimal import Decimal

    with pytest.raises(TypeError):
        encode_params({"qty": Decimal("0.5")})


def test_req_ids_are_unique_short_and_prefixed_per_generator() -> None:
    a, b = ReqIdGenerator(), ReqIdGenerator()
    ids = [a() for _ in range(1000)]
    assert len(set(ids)) == 1000
    assert all(len(i) <= 36 for i in ids)
    assert a().split("-")[0] != b().split("-")[0]
    assert ReqIdGenerator("x")() == "x-1"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"reqId":"7","retCode":0,"retMsg":"OK","op":"order.create","data":{}}', Reply),
        (
            '{"reqId":"7","retCode":170131,"retMsg":"Insufficient balance.","op":"order.create","data":{}}',
            Reply,
        ),
        ('{"retCode":0,"retMsg":"OK","op":"pong","data":["1711002002529"],"connId":"c"}', Pong),
        ('{"req_id":"1","op":"pong","args":["1"],"conn_id":"c"}', Pong),
        ('{"reqId":"auth-1","retCode":0,"retMsg":"OK","op":"auth","connId":"c"}', AuthReply),
        ('{"retCode":10004,"retMsg":"bad","op":"auth","connId":"c"}', AuthReply),
        (
            '{"retCode":10005,"retMsg":"Permission denied","op":"order.create","connId":"c"}',
            OrphanError,
        ),
        (
            '{"success":false,"ret_msg":"Params Error","op":"order.create","conn_id":"c"}',
            OrphanError,
        ),
        ("not json", Unrecognised),
        ("[1, 2]", Unrecognised),
        ('"text"', Unrecognised),
        ("{", Unrecognised),
        ('{"op":"order.create","retCode":0}', Unrecognised),
        ('{"topic":"order","data":[]}', Unrecognised),
    ],
)
def test_decode_classifies_every_shape(text: str, expected: type) -> None:
    assert type(decode(text)) is expected


def test_decode_reads_codes_from_both_envelope_shapes() -> None:
    reply = decode(
        '{"reqId":"9","retCode":110001,"retMsg":"Order does not exist","op":"order.cancel"}'
    )
    assert isinstance(reply, Reply)
    assert (reply.req_id, reply.op, reply.ret_code, reply.ret_msg) == (
        "9",
        "order.cancel",
        110001,
        "Order does not exist",
    )
    legacy = decode('{"reqId":"9","success":false,"ret_msg":"Params Error","op":"order.create"}')
    assert isinstance(legacy, Reply)
    assert legacy.ret_code is None
    assert legacy.ret_msg == "Params Error"
    contradiction = '"retCode":0,"success":false,"retMsg":"x","op":"order.create"'
    with_id, without_id = decode(f'{{"reqId":"9",{contradiction}}}'), decode(f"{{{contradiction}}}")
    assert isinstance(with_id, Reply)
    assert isinstance(without_id, OrphanError)
    assert with_id.ret_code is None and without_id.ret_code is None  # a failure, code unknown
    failed_auth = decode('{"retCode":0,"success":false,"retMsg":"x","op":"auth"}')
    assert isinstance(failed_auth, AuthReply)
    assert not failed_auth.ok
    ok_auth = decode('{"retCode":0,"retMsg":"OK","op":"auth"}')
    assert isinstance(ok_auth, AuthReply)
    assert ok_auth.ok


def test_decode_never_raises_on_odd_types() -> None:
    for text in (
        '{"reqId": 5, "op": "order.create"}',
        '{"op": 3}',
        '{"retCode": "0", "op": "auth"}',
        "null",
        "1e999",
    ):
        decode(text)  # no exception is the assertion
    weird = decode('{"retCode": "0", "op": "auth"}')
    assert isinstance(weird, AuthReply)
    assert not weird.ok


def test_response_meta_parses_header_strings() -> None:
    frame = {
        "header": {
            "X-Bapi-Limit": "10",
            "X-Bapi-Limit-Status": "9",
            "X-Bapi-Limit-Reset-Timestamp": "1711001595208",
            "Traceid": "0123456789abcdef0123456789abcdef",
            "Timenow": "1711001595209",
        }
    }
    assert response_meta(frame, 0.5) == {
        "rttMs": 0.5,
        "serverTimeMs": 1711001595209,
        "rateLimit": 10,
        "rateLimitRemaining": 9,
        "rateLimitResetMs": 1711001595208,
        "traceId": "0123456789abcdef0123456789abcdef",
    }
    assert response_meta({}, 1.0)["serverTimeMs"] is None
    assert response_meta({"header": {"Timenow": "soon"}}, 1.0)["serverTimeMs"] is None
