"""Errors that say what to do: the likely cause and the fix of each known retCode, exactly."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from bybit_wsapi import AuthenticationError, RetCode, WebsocketAPIClient, WSAPIError
from bybit_wsapi.errors import HINTS, RequestTimeoutError
from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET, LocalServer, ServerConfig

from .conftest import order

CLOCK = (
    "Likely cause: this machine's clock is off, so the timestamp fell outside the receive "
    "window. Fix: sync the clock (NTP), or pass the difference to "
    "set_time_offset_ms(server_ms - local_ms), or widen recv_window."
)
SESSIONS = (
    "Likely cause: too many sessions (connections) under this account's UID, as the /v5/trade "
    "code table defines 10003. Fix: close the other connections of this account (each client "
    "holds one: close() the clients you no longer use). Bybit's general code table uses 10003 "
    "for an invalid API key: if nothing else is connected, check the key."
)
SIGNATURE = (
    "Likely cause: the API key and secret do not match, or the signature was made wrongly. Fix: "
    "check that the secret belongs to this key and to this environment (testnet keys need "
    "testnet=True, mainnet keys the mainnet), with no stray whitespace copied. For a "
    "self-generated RSA key: the public key registered for this API key must be made from this "
    "private key (openssl rsa -in private.pem -pubout)."
)
WHITELIST = (
    "Likely cause: this machine's IP address is not on the API key's IP whitelist. Fix: add it "
    "to the key's allowed IPs in Bybit's API management, or use a key without an IP restriction."
)


def _client(server: LocalServer, **options: Any) -> WebsocketAPIClient:
    options = {"key": DEMO_API_KEY, "secret": DEMO_API_SECRET, **options}
    return WebsocketAPIClient(ws_url=server.url, attach_event_listeners=False, **options)


async def _auth_error(client: WebsocketAPIClient) -> AuthenticationError:
    try:
        with pytest.raises(AuthenticationError) as caught:
            await client.connect()
    finally:
        await client.close()
    return caught.value


@pytest.mark.parametrize(
    ("code", "text"),
    [
        (RetCode.REQUEST_EXPIRED, CLOCK),
        (RetCode.TOO_MANY_SESSIONS, SESSIONS),
        (RetCode.INVALID_SIGNATURE, SIGNATURE),
        (RetCode.IP_NOT_WHITELISTED, WHITELIST),
    ],
)
def test_auth_failures_name_the_cause_and_the_fix(code: int, text: str) -> None:
    error = AuthenticationError(code, "whatever Bybit said")
    assert error.hint == text
    assert str(error) == f"authentication failed: retCode={code} 'whatever Bybit said'. {text}"


def test_an_unknown_code_keeps_the_plain_message() -> None:
    error = AuthenticationError(10999, "odd")
    assert error.hint is None
    assert str(error) == "authentication failed: retCode=10999 'odd'"
    assert 10999 not in HINTS


@pytest.mark.parametrize(
    ("sent", "outcome", "state"),
    [
        (True, "unknown", "sent, outcome unknown: reconcile before sending it again"),
        (False, "not_sent", "never sent: sending it again cannot duplicate it"),
    ],
)
def test_a_timeout_says_whether_sending_again_is_safe(sent: bool, outcome: str, state: str) -> None:
    error = RequestTimeoutError(timeout=2.5, sent=sent, op="order.create", req_id="r7")
    assert error.outcome == outcome
    assert str(error) == f"order.create timed out after 2.5 s ({state}; reqId r7)"


@pytest.mark.parametrize(
    ("offset_ms", "fix"),
    [
        (None, ": set_time_offset_ms(get_time_offset_ms() + 12345) corrects it."),
        (0, " (time offset 0 ms): set_time_offset_ms(12345) corrects it."),
        (-12000, " (time offset -12000 ms): set_time_offset_ms(345) corrects it."),
    ],
)
def test_a_stale_timestamp_reply_gives_the_offset_to_set(offset_ms: int | None, fix: str) -> None:
    msg = (
        "invalid request, please check your server timestamp or recv_window param. "
        "req_timestamp[1700000000000],server_timestamp[1700000012345],recv_window[5000]"
    )
    error = WSAPIError(
        ret_code=10002,
        ret_msg=msg,
        op="order.create",
        req_id="r1",
        response={"retCode": 10002},
        time_offset_ms=offset_ms,
    )
    assert str(error) == (
        f"order.create failed: retCode=10002 {msg!r} (reqId r1). {CLOCK} Here the server's clock "
        f"was 12345 ms ahead of the request's timestamp{fix}"
    )


def test_a_rate_limit_error_gives_the_limit_and_the_reset_time() -> None:
    meta = {
        "rttMs": 1.0,
        "serverTimeMs": 1764578476000,
        "rateLimit": 10,
        "rateLimitRemaining": 0,
        "rateLimitResetMs": 1764578476420,
        "traceId": None,
    }
    error = WSAPIError(
        ret_code=10006,
        ret_msg="Too many visits!",
        op="order.create",
        req_id="r2",
        response={"retCode": 10006, "meta": meta},
    )
    assert str(error) == (
        "order.create failed: retCode=10006 'Too many visits!' (reqId r2). Likely cause: the "
        "account's rate limit for this operation is used up (limit 10/s, 0 left, resets at "
        "08:41:16.420 UTC, in 420 ms). Fix: wait for the reset before sending more; "
        "meta.rateLimitRemaining on each reply shows what is left."
    )
    bare = WSAPIError(
        ret_code=10006, ret_msg="x", op="order.create", req_id=None, response={}, matched_by_op=True
    )
    assert "(reset time not reported)" in str(bare)


@pytest.mark.anyio
async def test_a_wrong_secret_is_10004_with_its_fix(server: LocalServer) -> None:
    error = await _auth_error(_client(server, secret="not-the-secret"))
    assert str(error) == f"authentication failed: retCode=10004 'Invalid sign.'. {SIGNATURE}"


@pytest.mark.anyio
async def test_too_many_sessions_is_10003_with_its_fix() -> None:
    async with (
        LocalServer(ServerConfig(max_connections_per_key=1)) as server,
        _client(server),
    ):
        error = await _auth_error(_client(server))
    assert str(error) == (
        f"authentication failed: retCode=10003 'Too many sessions under the same UID.'. {SESSIONS}"
    )


@pytest.mark.anyio
async def test_a_skewed_clock_fails_auth_with_10002_and_its_fix(server: LocalServer) -> None:
    client = _client(server)
    client.set_time_offset_ms(-600_000)  # ten minutes slow: expires is already past
    error = await _auth_error(client)
    assert error.ret_code == 10002
    assert str(error).endswith(f"'. {CLOCK}")


def _clock_advice(error: WSAPIError) -> tuple[int, int, int]:
    """(how far the server was ahead, the offset the request had, the offset to set)."""
    found = re.search(
        r"clock was (-?\d+) ms ahead of the request's timestamp \(time offset (-?\d+) ms\): "
        r"set_time_offset_ms\((-?\d+)\) corrects it\.$",
        str(error),
    )
    assert found is not None, str(error)
    return int(found[1]), int(found[2]), int(found[3])


@pytest.mark.anyio
@pytest.mark.parametrize("offset_ms", [-60_000, 2_000])  # a minute slow; 2 s ahead (> 1 s)
async def test_following_the_10002_advice_from_any_offset_fixes_the_clock(
    server: LocalServer, offset_ms: int
) -> None:
    async with _client(server) as client:
        client.set_time_offset_ms(offset_ms)
        with pytest.raises(WSAPIError) as caught:
            await client.submit_new_order(order(f"skewed{offset_ms}"))
        assert caught.value.ret_code == RetCode.REQUEST_EXPIRED
        ahead, offset, fix = _clock_advice(caught.value)
        assert offset == offset_ms
        assert -offset_ms <= ahead < -offset_ms + 10_000  # the offset, plus one reply's transit
        assert fix == offset_ms + ahead  # about 0: this machine's clock is the server's
        client.set_time_offset_ms(fix)
        reply = await client.submit_new_order(order(f"fixed{offset_ms}"))  # now it passes
    assert reply["retCode"] == 0


@pytest.mark.anyio
async def test_a_rate_limited_order_reports_the_limit_from_the_reply() -> None:
    config = ServerConfig(rate_limits={"order.create": {"linear": 1}})
    async with LocalServer(config) as server, _client(server) as client:
        replies = await asyncio.gather(  # sent together: one fits the 1/s quota, one does not
            client.submit_new_order(order("first")),
            client.submit_new_order(order("second")),
            return_exceptions=True,
        )
    (error,) = [r for r in replies if isinstance(r, BaseException)]
    assert isinstance(error, WSAPIError)
    assert error.ret_code == 10006
    meta = error.response["meta"]
    reset = datetime.fromtimestamp(meta["rateLimitResetMs"] / 1000, UTC)
    in_ms = meta["rateLimitResetMs"] - meta["serverTimeMs"]
    assert str(error).endswith(
        "Likely cause: the account's rate limit for this operation is used up (limit 1/s, 0 "
        f"left, resets at {reset:%H:%M:%S}.{reset.microsecond // 1000:03d} UTC, in {in_ms} ms). "
        "Fix: wait for the reset before sending more; meta.rateLimitRemaining on each reply "
        "shows what is left."
    )
