"""OrderBook: the rules of §3.1 and §8.6, and a random walk against a plain dict model."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bybit_wsapi.streams import OrderBook

D = Decimal


def msg(kind: str, u: int, b: Any = (), a: Any = (), **extra: Any) -> dict[str, Any]:
    data = {"s": "BTCUSDT", "b": _levels(b), "a": _levels(a), "u": u, "seq": u * 10}
    return {
        "topic": "orderbook.50.BTCUSDT",
        "type": kind,
        "ts": 1000 + u,
        "data": data,
        "cts": 999 + u,
        **extra,
    }


def _levels(levels: Any) -> Any:
    if isinstance(levels, str) or any(not isinstance(x, tuple) for x in levels):
        return levels  # malformed on purpose
    return [list(x) for x in levels]


def snapshot(u: int = 100) -> dict[str, Any]:
    return msg("snapshot", u, b=[("100.0", "1"), ("99.5", "2")], a=[("101.0", "3"), ("102", "4")])


def test_snapshot_sorted_best_first_exact() -> None:
    book = OrderBook("BTCUSDT", 50)
    assert (
        book.apply(
            msg("snapshot", 5, b=[("99.5", "2"), ("100.0", "1")], a=[("102", "4"), ("101.0", "3")])
        )
        is None
    )
    assert book.bids == [(D("100.0"), D("1")), (D("99.5"), D("2"))]
    assert book.asks == [(D("101.0"), D("3")), (D("102"), D("4"))]
    assert str(book.bids[0][0]) == "100.0"  # Bybit's text, exactly
    assert (book.update_id, book.seq, book.ts, book.cts, book.synced) == (5, 50, 1005, 1004, True)


def test_delta_inserts_updates_deletes_and_keeps_order() -> None:
    book = OrderBook("BTCUSDT", 50)
    book.apply(snapshot())
    reason = book.apply(
        msg("delta", 101, b=[("99.75", "5"), ("100.00", "7"), ("99.5", "0")], a=[("101.5", "1")])
    )
    assert reason is None
    assert book.bids == [(D("100.0"), D("7")), (D("99.75"), D("5"))]  # 100.00 == 100.0
    assert book.asks == [(D("101.0"), D("3")), (D("101.5"), D("1")), (D("102"), D("4"))]
    assert book.update_id == 101


def test_delete_of_missing_level_is_ignored() -> None:
    book = OrderBook("BTCUSDT", 50)
    book.apply(snapshot())
    assert book.apply(msg("delta", 101, b=[("42", "0")], a=[("4242", "0")])) is None
    assert len(book.bids) == 2 and len(book.asks) == 2 and book.synced


def test_empty_side_in_delta() -> None:
    book = OrderBook("BTCUSDT", 50)
    book.apply(snapshot())
    assert book.apply(msg("delta", 101, b=[], a=[("101.0", "0")])) is None
    assert book.best_ask == (D("102"), D("4"))


def test_mid_stream_snapshot_replaces() -> None:
    book = OrderBook("BTCUSDT", 50)
    book.apply(snapshot())
    assert book.apply(msg("snapshot", 7, b=[("50", "1")], a=[("60", "1")])) is None
    assert book.bids == [(D("50"), D("1"))] and book.asks == [(D("60"), D("1"))]
    assert book.update_id == 7  # a snapshot may go back


def test_u_equal_1_resets_as_snapshot() -> None:
    book = OrderBook("BTCUSDT", 50)
    book.apply(snapshot())
    assert book.apply(msg("delta", 1, b=[("10", "1")], a=[("11", "2")])) is None
    assert book.bids == [(D("10"), D("1"))] and book.asks == [(D("11"), D("2"))]
    assert book.update_id == 1 and book.synced


def test_delta_before_snapshot_needs_resync() -> None:
    book = OrderBook("BTCUSDT", 50)
    reason = book.apply(msg("delta", 5, b=[("1", "1")]))
    assert reason is not None and "before any snapshot" in reason
    assert not book.synced and book.bids == []


def test_update_id_going_back_needs_resync_then_snapshot_recovers() -> None:
    book = OrderBook("BTCUSDT", 50)
    book.apply(snapshot())
    reason = book.apply(msg("delta", 100, b=[("99", "1")]))
    assert reason is not None and "update id 100 after 100" in reason
    assert not book.synced
    # further deltas are not applied until a snapshot
    assert book.apply(msg("delta", 102, b=[("98", "1")])) is not None
    assert (D("98"), D("1")) not in book.bids
    assert book.apply(snapshot(200)) is None and book.synced


def test_gap_is_fine_by_default_and_a_resync_when_strict() -> None:
    lenient = OrderBook("BTCUSDT", 50)
    lenient.apply(snapshot())
    assert lenient.apply(msg("delta", 105, b=[("99", "1")])) is None
    strict = OrderBook("BTCUSDT", 50, strict_sequence=True)
    strict.apply(snapshot())
    assert strict.apply(msg("delta", 101, b=[("99", "1")])) is None
    reason = strict.apply(msg("delta", 103, b=[("98", "1")]))
    assert reason is not None and "update id 103 after 101" in reason


def test_crossed_book_needs_resync() -> None:
    book = OrderBook("BTCUSDT", 50)
    book.apply(snapshot())
    reason = book.apply(msg("delta", 101, b=[("101.0", "1")]))
    assert reason is not None and "crossed" in reason and not book.synced
    assert book.bids == [] and book.asks == [] and book.best_bid is None  # never read crossed
    assert book.apply(snapshot()) is None and book.synced and book.bids and book.asks


def test_a_half_applied_delta_is_never_shown() -> None:
    book = OrderBook("BTCUSDT", 50)
    book.apply(snapshot())
    reason = book.apply(msg("delta", 101, b=[("98.5", "7"), ["x", "1"]]))
    assert reason is not None and "malformed" in reason
    assert book.bids == [] and book.asks == []


def test_malformed_levels_need_resync_never_raise() -> None:
    for bad in ([["1"]], [[1.5, "1"]], [["x", "1"]], [["NaN", "1"]], [["-1", "1"]], "nope", [None]):
        book = OrderBook("BTCUSDT", 50)
        book.apply(snapshot())
        assert book.apply(msg("delta", 101, b=bad)) is not None, bad
    for bad_message in (
        {},
        {"type": "delta", "data": []},
        {"type": "x", "data": {"u": 3}},
        {"type": "snapshot", "data": {"u": "3"}},
    ):
        assert OrderBook("X").apply(bad_message) is not None


def test_depth_trims_worst_levels() -> None:
    book = OrderBook("BTCUSDT", 2)
    book.apply(
        msg(
            "snapshot",
            5,
            b=[("3", "1"), ("2", "1"), ("1", "1")],
            a=[("4", "1"), ("5", "1"), ("6", "1")],
        )
    )
    assert [p for p, _ in book.bids] == [D("3"), D("2")]
    assert [p for p, _ in book.asks] == [D("4"), D("5")]
    assert book.top(1) == ([(D("3"), D("1"))], [(D("4"), D("1"))])


def test_depth_1_repeated_snapshot_same_u() -> None:
    book = OrderBook("BTCUSDT", 1)
    book.apply(msg("snapshot", 9, b=[("3", "1")], a=[("4", "1")]))
    assert book.apply(msg("snapshot", 9, b=[("3", "1")], a=[("4", "1")])) is None


def test_snapshot_message_round_trips() -> None:
    book = OrderBook("BTCUSDT", 50)
    book.apply(snapshot())
    book.apply(msg("delta", 101, b=[("99.9", "1.50")]))
    copy = OrderBook("BTCUSDT", 50)
    assert copy.apply(book.snapshot_message("orderbook.50.BTCUSDT")) is None
    assert (copy.bids, copy.asks, copy.update_id, copy.seq) == (book.bids, book.asks, 101, 1010)


prices = st.integers(1, 60).map(lambda n: f"{n / 2:.1f}")
sizes = st.sampled_from(["0", "0", "1", "2.5", "10"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.tuples(st.booleans(), prices, sizes), max_size=8), max_size=30))
def test_random_deltas_match_a_dict_model(deltas: list[list[tuple[bool, str, str]]]) -> None:
    """Bids below 15, asks above 15 (never crossed): the book equals a sorted dict."""
    book = OrderBook("X")
    model: dict[str, dict[Decimal, Decimal]] = {"b": {}, "a": {}}
    assert book.apply(msg("snapshot", 2)) is None
    for n, changes in enumerate(deltas, start=3):
        b = [(p, s) for is_bid, p, s in changes if is_bid and D(p) < 15]
        a = [(p, s) for is_bid, p, s in changes if not is_bid and D(p) > 15]
        for side, levels in (("b", b), ("a", a)):
            for p, s in levels:
                if D(s) == 0:
                    model[side].pop(D(p), None)
                else:
                    model[side][D(p)] = D(s)
        assert book.apply(msg("delta", n, b=b, a=a)) is None
    assert book.bids == sorted(model["b"].items(), reverse=True)
    assert book.asks == sorted(model["a"].items())
