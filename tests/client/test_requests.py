"""The request table: queued and in flight, deadlines in one heap, late-reply memory."""

from __future__ import annotations

from concurrent.futures import Future
from typing import Any

from bybit_wsapi.requests import Request, RequestTable


def request(n: int, deadline: float = 10.0, connect: float = 5.0) -> Request:
    waiter: Future[Any] = Future()
    return Request(
        f"r-{n}",
        "order.create",
        {},
        "{}",
        waiter,
        timeout=deadline,
        deadline=deadline,
        connect_deadline=connect,
    )


def test_take_skips_settled_requests_and_marks_the_rest_in_flight() -> None:
    table = RequestTable()
    a, b, c = request(1), request(2), request(3)
    for r in (a, b, c):
        table.add(r)
    b.resolve("gone")
    assert table.take(10) == [a, c]
    assert (a.sent, c.sent) == (True, True)
    assert set(table.in_flight) == {"r-1", "r-3"}
    assert len(table) == 2


def test_unsend_puts_a_batch_back_in_front_not_sent() -> None:
    table = RequestTable()
    a, b, c = request(1), request(2), request(3)
    for r in (a, b, c):
        table.add(r)
    batch = table.take(2)
    table.unsend(batch)
    assert [r.req_id for r in table.queue] == ["r-1", "r-2", "r-3"]
    assert not a.sent and table.in_flight == {}


def test_due_yields_each_unsettled_request_once_in_deadline_order() -> None:
    table = RequestTable()
    early, late, done = request(1, 3.0, 1.0), request(2, 8.0, 9.0), request(3, 2.0, 2.0)
    for r in (early, late, done):
        table.add(r)
    done.resolve(None)
    assert table.next_deadline() == 1.0
    assert list(table.due(3.0)) == [early]  # its connect deadline and its own: once
    assert table.next_deadline() == 8.0


def test_a_timed_out_request_is_remembered_for_its_late_reply_within_a_bound() -> None:
    table = RequestTable(timed_out_limit=2)
    reqs = [request(n) for n in range(3)]
    for r in reqs:
        table.add(r)
    table.take(3)
    for r in reqs:
        table.timed_out(r)
    assert table.in_flight == {}
    assert table.late("r-0") is None  # the oldest was forgotten
    assert table.late("r-2") is reqs[2]
    assert table.late("r-2") is None  # once
