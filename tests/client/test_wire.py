"""Client and server speak one wire: what the server's frame builders make, the client's decoder
reads as the kind of message it is (the keys and shapes both import from ``bybit_wsapi.wire``)."""

from __future__ import annotations

import json

import pytest

from bybit_wsapi.protocol import (
    PING_FRAME,
    AuthReply,
    OrphanError,
    Pong,
    Reply,
    decode,
    response_meta,
)
from bybit_wsapi.server import frames as server
from bybit_wsapi.server.faults import ErrorShape
from bybit_wsapi.wire import OP, OP_PING


def text(frame: dict[str, object]) -> str:
    return server.encode(frame)


def test_the_servers_replies_decode_as_what_they_are() -> None:
    header = server.response_header(10, 9, 1_700_000_000_500, "t" * 32, 1_700_000_000_000)
    reply = server.op_reply(
        "r-1", 0, "OK", "order.create", "c", data={"orderId": "1"}, header=header
    )
    decoded = decode(text(reply))
    assert isinstance(decoded, Reply) and (decoded.req_id, decoded.ret_code) == ("r-1", 0)
    meta = response_meta(decoded.frame, 1.0)
    assert (meta["rateLimit"], meta["rateLimitRemaining"]) == (10, 9)
    assert (meta["serverTimeMs"], meta["traceId"]) == (1_700_000_000_000, "t" * 32)
    assert isinstance(decode(text(server.pong(1, "c"))), Pong)
    auth = decode(text(server.auth_reply("a-1", 10004, "Invalid sign.", "c")))
    assert isinstance(auth, AuthReply) and (auth.ok, auth.ret_code) == (False, 10004)


@pytest.mark.parametrize(("shape", "code"), [("no_req_id", 10005), ("legacy", None)])
def test_the_servers_error_shapes_decode_as_errors_without_req_id(
    shape: ErrorShape, code: int | None
) -> None:
    error = server.op_reply("r-1", 10005, "denied", "order.cancel", "c")
    decoded = decode(text(server.reshape_error(error, shape)))
    assert isinstance(decoded, OrphanError)
    assert (decoded.op, decoded.ret_code, decoded.ret_msg) == ("order.cancel", code, "denied")


def test_the_clients_ping_is_what_the_server_answers() -> None:
    assert json.loads(PING_FRAME) == {OP: OP_PING}
    assert server.decode(PING_FRAME)[OP] == OP_PING
