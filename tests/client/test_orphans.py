"""OrphanMatcher: a reqId-less error settles a request only once it is certain which one."""

from __future__ import annotations

from bybit_wsapi.orphans import Match, OrphanMatcher
from bybit_wsapi.protocol import OrphanError


def error(op: str = "order.create", code: int = 10001) -> OrphanError:
    frame = {"retCode": code, "retMsg": "bad", "op": op}
    return OrphanError(op=op, ret_code=code, ret_msg="bad", frame=frame)


def test_one_request_waiting_is_the_culprit_at_once() -> None:
    matcher = OrphanMatcher()
    e = error()
    assert matcher.error(e, ["a"]) == [Match("a", e)]


def test_with_several_waiting_the_error_waits_until_the_others_reply() -> None:
    matcher = OrphanMatcher()
    e = error()
    assert matcher.error(e, ["a", "b", "c"]) == []
    assert matcher.replied("b", "order.create") == []
    assert matcher.replied("a", "order.create") == [Match("c", e)]
    assert matcher.replied("c", "order.create") == []  # settled: nothing held any more


def test_two_errors_are_given_to_the_last_two_suspects_in_send_order() -> None:
    matcher = OrphanMatcher()
    first, second = error(code=10001), error(code=110007)
    assert matcher.error(first, ["a", "b", "c"]) == []
    assert matcher.error(second, ["a", "b", "c", "d"]) == []
    assert matcher.replied("a", "order.create") == []
    assert matcher.replied("d", "order.create") == [Match("b", first), Match("c", second)]


def test_replies_of_other_operations_clear_nobody() -> None:
    matcher = OrphanMatcher()
    e = error("order.amend")
    assert matcher.error(e, ["a", "b"]) == []
    assert matcher.replied("x", "order.create") == []
    assert matcher.replied("a", "order.create") == []  # "a" is an amend: op mismatch is ignored
    assert matcher.replied("b", "order.amend") == [Match("a", e)]


def test_a_timed_out_request_stays_a_suspect_so_nobody_else_is_blamed() -> None:
    matcher = OrphanMatcher()
    matcher.timed_out("old", "order.create")
    e = error()
    # "new" alone is waiting, but "old" may be the one the error is about
    assert matcher.error(e, ["new"]) == []
    assert matcher.replied("new", "order.create") == [Match("old", e)]


def test_a_late_reply_clears_a_timed_out_request() -> None:
    matcher = OrphanMatcher()
    matcher.timed_out("old", "order.create")
    assert matcher.replied("old", "order.create") == []
    e = error()
    assert matcher.error(e, ["new"]) == [Match("new", e)]


def test_an_error_with_no_suspect_matches_no_request() -> None:
    matcher = OrphanMatcher()
    e = error()
    assert matcher.error(e, []) == [Match(None, e)]


def test_reset_forgets_everything_of_the_old_connection() -> None:
    matcher = OrphanMatcher()
    matcher.timed_out("old", "order.create")
    assert matcher.error(error(), ["a", "b"]) == []
    matcher.reset()
    e = error()
    assert matcher.error(e, ["c"]) == [Match("c", e)]


def test_timed_out_requests_are_remembered_up_to_a_limit() -> None:
    matcher = OrphanMatcher(timed_out_limit=2)
    for req_id in ("t1", "t2", "t3"):
        matcher.timed_out(req_id, "order.create")
    e = error()
    assert matcher.error(e, []) == []  # t2 and t3 are suspects; t1 was forgotten
    assert matcher.replied("t1", "order.create") == []
    assert matcher.replied("t2", "order.create") == [Match("t3", e)]
