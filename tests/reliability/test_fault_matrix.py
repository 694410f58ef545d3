"""The fault matrix: each server-injected fault, the exact outcome of every call in flight, the
client's recovery for the next call, and at most one arrival of each order op at the server.

Outcomes are compared as tuples (see ``support.outcome``): the error class, its ``outcome`` and
``sent`` (or ``retCode``); a request error must also carry its call's ``orderLinkId``.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bybit_wsapi import AuthenticationError, RetCode
from bybit_wsapi.server import LocalServer, ServerConfig

from ..sessions import session_kind  # noqa: F401  (autouse: every test over fast and plain)
from .conftest import Harness
from .support import (
    NOT_SENT,
    OK,
    TIMED_OUT_NOT_SENT,
    TIMED_OUT_SENT,
    UNKNOWN,
    assert_at_most_once,
    assert_recovers,
    cancel,
    create,
    fire,
    held,
    link_id,
    ops_seen,
    outcome,
    settle,
)

pytestmark = pytest.mark.anyio

HOLD_REPLIES_MS = 10_000
"""A reply delay no test waits out: the calls stay in flight until the fault under test."""


def fire_creates(
    client: Any, tag: str, count: int, **kw: Any
) -> tuple[list[str], list[asyncio.Task[Any]]]:
    links = [link_id(tag) for _ in range(count)]
    return links, [fire(client, "order.create", create(link), **kw) for link in links]


def outcomes(tasks: list[asyncio.Task[Any]], links: list[str]) -> list[tuple[Any, ...]]:
    return [outcome(task, link) for task, link in zip(tasks, links, strict=True)]


def received_links(server: LocalServer, op: str = "order.create") -> set[str]:
    return {link for (seen_op, link) in ops_seen(server) if seen_op == op}


# ---- the connection drops --------------------------------------------------------------------


async def test_dropped_before_the_frame_is_sent_calls_time_out_not_sent(harness: Harness) -> None:
    server = harness.server
    # connect_timeout bounds the wait for an auth reply on a connection that is already gone
    client, log = await harness.connected(connect_timeout=1.0)
    server.faults.drop_probability = 1.0  # every frame, auth included, ends its connection
    await server.drop_connections()
    await log.wait("reconnect")
    links, tasks = fire_creates(client, "before-send", 3, timeout=0.3)
    await settle(tasks)
    assert outcomes(tasks, links) == [TIMED_OUT_NOT_SENT] * 3
    assert server.received == []
    server.faults.drop_probability = 0.0
    await assert_recovers(client, server)
    assert_at_most_once(server)


async def test_calls_queued_when_the_client_closes_are_not_sent(harness: Harness) -> None:
    server = harness.server
    client, log = await harness.connected(connect_timeout=1.0)
    server.faults.drop_probability = 1.0
    await server.drop_connections()
    await log.wait("reconnect")
    links, tasks = fire_creates(client, "at-close", 3)
    await client.close()
    await settle(tasks)
    assert outcomes(tasks, links) == [NOT_SENT] * 3
    assert server.received == []
    server.faults.drop_probability = 0.0
    fresh, _ = await harness.connected()
    await assert_recovers(fresh, server)
    assert_at_most_once(server)


async def test_calls_made_while_reconnecting_are_sent_once_on_the_new_connection(
    harness: Harness,
) -> None:
    server = harness.server
    client, log = await harness.connected()
    await server.drop_connections()
    await log.wait("reconnect")  # the client is backing off: these calls queue
    links, tasks = fire_creates(client, "queued", 3)
    await settle(tasks)
    assert outcomes(tasks, links) == [OK] * 3
    assert held(server) == dict.fromkeys(links, "New")
    assert log.count("reconnected") == 1
    await assert_recovers(client, server)
    assert_at_most_once(server)


async def test_dropped_after_sending_before_the_server_applies_is_outcome_unknown(
    harness: Harness,
) -> None:
    server = harness.server
    client, _ = await harness.connected()
    server.faults.drop_before_apply = True
    links, tasks = fire_creates(client, "not-applied", 3)
    await settle(tasks)
    assert outcomes(tasks, links) == [UNKNOWN] * 3
    assert received_links(server) <= set(links)
    assert held(server) == {}
    server.faults.drop_before_apply = False
    await assert_recovers(client, server)
    assert_at_most_once(server)


async def test_dropped_after_the_server_applies_before_the_ack_is_outcome_unknown(
    harness: Harness,
) -> None:
    server = harness.server
    client, _ = await harness.connected()
    server.faults.drop_after_apply = True
    links, tasks = fire_creates(client, "applied", 3)
    await settle(tasks)
    assert outcomes(tasks, links) == [UNKNOWN] * 3
    got = received_links(server)
    assert got and got <= set(links)
    assert held(server) == dict.fromkeys(got, "New")  # whatever arrived was applied
    server.faults.drop_after_apply = False
    await assert_recovers(client, server)
    assert_at_most_once(server)


async def test_dropped_while_acks_are_on_their_way_is_outcome_unknown(harness: Harness) -> None:
    server = harness.server
    client, log = await harness.connected()
    server.faults.delay_ms = HOLD_REPLIES_MS
    links, tasks = fire_creates(client, "in-flight", 3)
    await server.wait_received(3)
    server.faults.delay_ms = 0
    await server.drop_connections()
    await settle(tasks)
    assert outcomes(tasks, links) == [UNKNOWN] * 3
    assert held(server) == dict.fromkeys(links, "New")
    await log.wait("reconnected")
    await assert_recovers(client, server)
    assert_at_most_once(server)


@pytest.mark.parametrize("mode", ["fragment", "half"])
async def test_dropped_in_the_middle_of_a_reply_frame_is_outcome_unknown(
    harness: Harness, mode: Any
) -> None:
    server = harness.server
    client, log = await harness.connected()
    server.faults.split_reply = mode
    links, tasks = fire_creates(client, f"split-{mode}", 3)
    await settle(tasks)
    assert outcomes(tasks, links) == [UNKNOWN] * 3
    got = received_links(server)
    assert got and got <= set(links)
    assert held(server) == dict.fromkeys(got, "New")
    server.faults.split_reply = None
    await log.wait("reconnected")
    await assert_recovers(client, server)
    assert_at_most_once(server)


# ---- frames the client must ignore ---------------------------------------------------------


async def test_garbage_and_truncated_frames_are_ignored(harness: Harness) -> None:
    server = harness.server
    client, log = await harness.connected()
    server.faults.garbage_frames = 3
    server.faults.truncated_frames = 2
    server.faults.delay_ms = 20  # all three in flight together
    links, tasks = fire_creates(client, "garbage", 3)
    await settle(tasks)
    assert outcomes(tasks, links) == [OK] * 3
    assert held(server) == dict.fromkeys(links, "New")
    assert log.count("response") == 3
    server.faults.garbage_frames = server.faults.truncated_frames = 0
    await assert_recovers(client, server)
    assert log.count("open") == 1  # the connection stayed up throughout
    assert_at_most_once(server)


@pytest.mark.parametrize("fault", ["duplicate_replies", "unknown_req_id_replies"])
async def test_duplicate_and_unknown_req_id_replies_settle_each_call_once(
    harness: Harness, fault: str
) -> None:
    server = harness.server
    client, log = await harness.connected()
    setattr(server.faults, fault, True)
    server.faults.delay_ms = 20
    links, tasks = fire_creates(client, fault[:9], 3)
    await settle(tasks)
    assert outcomes(tasks, links) == [OK] * 3
    # the extra copies neither settle anything twice nor reach the response event
    assert sorted(r["data"]["orderLinkId"] for r in log.of("response")) == sorted(links)
    assert log.count("exception") == 0
    setattr(server.faults, fault, False)
    await assert_recovers(client, server)
    assert log.count("open") == 1
    assert_at_most_once(server)


# ---- errors without reqId (reference §5.3) -------------------------------------------------


@pytest.mark.parametrize(
    ("shape", "code"), [("no_req_id", RetCode.PERMISSION_DENIED), ("legacy", None)]
)
async def test_errors_without_req_id_fail_the_calls_of_their_operation(
    harness: Harness, shape: Any, code: int | None
) -> None:
    server = harness.server
    client, log = await harness.connected()
    server.faults.error_shape = shape
    server.faults.reject_orders = RetCode.PERMISSION_DENIED
    server.faults.delay_ms = 20
    links, tasks = fire_creates(client, f"orphan-{shape}", 3)
    await settle(tasks)
    assert outcomes(tasks, links) == [("WSAPIError", code, "rejected", True)] * 3
    assert received_links(server) == set(links)
    assert held(server) == {}
    server.faults.error_shape = "standard"
    server.faults.reject_orders = None
    await assert_recovers(client, server)
    assert log.count("open") == 1
    assert_at_most_once(server)


async def test_an_error_without_req_id_leaves_other_operations_alone(harness: Harness) -> None:
    server = harness.server
    client, _ = await harness.connected()
    server.faults.error_shape = "no_req_id"
    server.faults.delay_ms = 30
    ghost = link_id("ghost")
    cancelled = fire(client, "order.cancel", cancel(ghost))  # its 110001 comes first
    links, tasks = fire_creates(client, "bystander", 2)
    await settle([cancelled, *tasks])
    assert outcome(cancelled, ghost) == ("WSAPIError", RetCode.ORDER_NOT_EXISTS, "rejected", True)
    assert outcomes(tasks, links) == [OK] * 2
    assert held(server) == dict.fromkeys(links, "New")
    server.faults.error_shape = "standard"
    server.faults.delay_ms = 0
    await assert_recovers(client, server)
    assert_at_most_once(server)


async def test_an_error_without_req_id_never_reports_an_accepted_order_as_rejected(
    harness: Harness,
) -> None:
    server = harness.server
    client, _ = await harness.connected()
    server.faults.error_shape = "no_req_id"
    server.faults.delay_ms = 30  # both in flight when the first (reqId-less) error arrives
    bad, good = link_id("invalid"), link_id("valid")
    invalid = fire(client, "order.create", create(bad, side="buy"))  # 10001, no reqId
    valid = fire(client, "order.create", create(good))
    await settle([invalid, valid])
    # the error could be either call's until the valid one gets its own reply
    assert outcome(invalid, bad) == ("WSAPIError", RetCode.PARAM_ERROR, "rejected", True)
    assert outcome(valid, good) == OK
    assert held(server) == {good: "New"}
    server.faults.error_shape = "standard"
    server.faults.delay_ms = 0
    await assert_recovers(client, server)
    assert_at_most_once(server)


# ---- auth ----------------------------------------------------------------------------------


async def test_auth_rejected_fails_waiting_calls_and_the_client_recovers(
    harness: Harness,
) -> None:
    server = harness.server
    server.faults.reject_auth = True
    client, _ = harness.client()
    links, tasks = fire_creates(client, "auth-first", 2)
    with pytest.raises(AuthenticationError) as caught:
        await client.connect()
    assert caught.value.ret_code == RetCode.INVALID_SIGNATURE
    await settle(tasks)
    assert outcomes(tasks, links) == [("AuthenticationError", RetCode.INVALID_SIGNATURE)] * 2
    assert server.received == []
    server.faults.reject_auth = False
    await assert_recovers(client, server)
    assert_at_most_once(server)


async def test_auth_rejected_on_reconnect(harness: Harness) -> None:
    server = harness.server
    client, log = await harness.connected()
    server.faults.delay_ms = HOLD_REPLIES_MS
    sent_link, queued_link = link_id("auth-sent"), link_id("auth-queued")
    sent = fire(client, "order.create", create(sent_link))
    await server.wait_received(1)
    server.faults.delay_ms = 0  # the reply above stays held back; the next auth is answered
    server.faults.reject_auth = True
    await server.drop_connections()
    await log.wait("reconnect")
    queued = fire(client, "order.create", create(queued_link))
    await settle([sent, queued])
    assert outcome(sent, sent_link) == UNKNOWN
    assert outcome(queued) == ("AuthenticationError", RetCode.INVALID_SIGNATURE)
    assert held(server) == {sent_link: "New"}
    assert received_links(server) == {sent_link}
    server.faults.reject_auth = False
    await assert_recovers(client, server)
    assert_at_most_once(server)


async def test_a_connection_lost_during_auth_is_noticed_at_once(harness: Harness) -> None:
    server = harness.server
    server.faults.drop_probability = 1.0  # the auth frame ends every connection
    client, log = harness.client(connect_timeout=5.0)
    link = link_id("auth-drop")
    task = fire(client, "order.create", create(link), timeout=4.0)
    # reconnect delays are 5-50 ms: three attempts fit well within one second
    await log.wait("reconnect", 3, timeout=1.0)
    server.faults.drop_probability = 0.0
    await settle([task])
    assert outcome(task, link) == OK
    assert held(server) == {link: "New"}
    assert_at_most_once(server)


# ---- the server restarts ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "value", "code"),
    [
        ("restarting", True, RetCode.SERVICE_RESTARTING),
        ("reject_orders", RetCode.INTERNAL_ERROR, RetCode.INTERNAL_ERROR),
    ],
)
async def test_restarting_server_in_flight_calls_finish_then_a_new_connection(
    harness: Harness, fault: str, value: Any, code: int
) -> None:
    server = harness.server
    client, log = await harness.connected()
    server.faults.delay_ms = 50
    before_links, before = fire_creates(client, "pre-restart", 2)
    await server.wait_received(2)
    setattr(server.faults, fault, value)
    after_links, after = fire_creates(client, "restart", 2)
    await settle([*before, *after])
    assert outcomes(before, before_links) == [OK] * 2
    assert outcomes(after, after_links) == [("WSAPIError", code, "rejected", False)] * 2
    await log.wait("reconnected")
    [reconnect] = log.of("reconnect")
    assert f"retCode={code}" in reconnect["reason"]
    setattr(server.faults, fault, None if fault == "reject_orders" else False)
    server.faults.delay_ms = 0
    await assert_recovers(client, server)
    await server.wait_connections(1)
    orders = held(server)
    assert {link: orders.get(link) for link in before_links + after_links} == {
        **dict.fromkeys(before_links, "New"),
        **dict.fromkeys(after_links),
    }
    assert_at_most_once(server)


# ---- a slow server -------------------------------------------------------------------------


async def test_server_slower_than_the_call_timeout(harness: Harness) -> None:
    server = harness.server
    client, log = await harness.connected()
    server.faults.delay_ms = 300
    links, tasks = fire_creates(client, "slow", 3, timeout=0.1)
    await settle(tasks)
    assert outcomes(tasks, links) == [TIMED_OUT_SENT] * 3
    assert [t.exception().timeout for t in tasks] == [0.1] * 3  # type: ignore[union-attr]
    assert held(server) == dict.fromkeys(links, "New")  # applied; only the acks were late
    # a call whose reply comes after the late ones: they were ignored, the line stays up
    server.faults.delay_ms = 400
    await assert_recovers(client, server)
    assert log.count("open") == 1
    # the three late replies are emitted marked late, with their call's params
    late = [r for r in log.of("response") if r["meta"].get("late")]
    assert sorted(r["meta"]["params"]["orderLinkId"] for r in late) == sorted(links)
    assert [r["data"]["orderLinkId"] for r in late] == [
        r["meta"]["params"]["orderLinkId"] for r in late
    ]
    assert log.count("response") - len(late) == 1
    assert_at_most_once(server)


async def test_server_slower_than_the_call_timeout_during_auth(harness: Harness) -> None:
    server = harness.server
    server.faults.delay_ms = 300  # the auth reply too
    client, log = harness.client()
    links, tasks = fire_creates(client, "slow-auth", 2, timeout=0.1)
    await settle(tasks)
    assert outcomes(tasks, links) == [TIMED_OUT_NOT_SENT] * 2
    server.faults.delay_ms = 0
    await log.wait("authenticated")
    await assert_recovers(client, server)
    assert received_links(server).isdisjoint(links)
    assert_at_most_once(server)


async def test_pong_never_arriving_ends_the_connection(harness: Harness) -> None:
    server = harness.server
    client, log = await harness.connected(ping_interval=0.05, pong_timeout=0.1)
    server.faults.delay_ms = HOLD_REPLIES_MS
    server.faults.no_pong = True
    links, tasks = fire_creates(client, "no-pong", 2)
    await server.wait_received(2)
    server.faults.delay_ms = 0
    [reconnect] = await log.wait("reconnect")
    assert "no pong" in reconnect["reason"]
    server.faults.no_pong = False
    await settle(tasks)
    assert outcomes(tasks, links) == [UNKNOWN] * 2
    assert held(server) == dict.fromkeys(links, "New")
    await log.wait("reconnected")
    await assert_recovers(client, server)
    assert_at_most_once(server)


# ---- frames over the size limit ------------------------------------------------------------


async def test_a_reply_over_the_client_frame_limit_ends_the_connection(harness: Harness) -> None:
    server = harness.server
    client, log = await harness.connected(max_frame_bytes=4096)
    server.faults.delay_ms = 50
    server.faults.oversize_replies = 10_000
    links, tasks = fire_creates(client, "oversize", 3)
    await server.wait_received(3)
    await settle(tasks)
    assert outcomes(tasks, links) == [UNKNOWN] * 3
    assert all("max_frame_bytes" in str(t.exception()) for t in tasks)
    assert held(server) == dict.fromkeys(links, "New")
    server.faults.oversize_replies = None
    server.faults.delay_ms = 0
    await log.wait("reconnected")
    await assert_recovers(client, server)
    assert_at_most_once(server)


@pytest.mark.parametrize(
    "server_config", [ServerConfig(rate_limit=False, max_frame_bytes=4096)], ids=["4KiB"]
)
async def test_a_request_over_the_server_frame_limit(harness: Harness) -> None:
    server = harness.server
    client, log = await harness.connected()
    server.faults.delay_ms = HOLD_REPLIES_MS
    small_link, big_link = link_id("small"), link_id("big")
    small = fire(client, "order.create", create(small_link))
    await server.wait_received(1)
    server.faults.delay_ms = 0
    big = fire(client, "order.create", create(big_link, symbol="X" * 5000))
    await settle([small, big])
    # the server closes with 1009 without reading the big frame; the client cannot know that
    assert outcome(small, small_link) == UNKNOWN
    assert outcome(big, big_link) == UNKNOWN
    [reconnect] = await log.wait("reconnect")
    assert "1009" in reconnect["reason"]
    assert held(server) == {small_link: "New"}
    assert received_links(server) == {small_link}
    await log.wait("reconnected")
    await assert_recovers(client, server)
    assert_at_most_once(server)
