"""SubscriptionTable: batching to the limits, matching acks, verdicts, reconnects (§2, §8.3-5, 13)."""

from __future__ import annotations

import json
from typing import Any

from bybit_wsapi.streams import StreamLimits, SubscriptionTable, TopicCall
from bybit_wsapi.streams.frames import Ack, classify
from bybit_wsapi.streams.subscriptions import Batch, resubscribe_order

SPOT = StreamLimits(10, 21_000)
PRIVATE = StreamLimits(500)
USER = object()


def table(limits: StreamLimits = PRIVATE, ready: bool = True) -> SubscriptionTable:
    t = SubscriptionTable("v5Test", limits)
    if ready:
        t.connection_ready()
    return t


def ok(batch: Batch, **extra: Any) -> Ack:
    return Ack(batch.op, batch.req_id, True, "", None, None)


def fail(batch: Batch | None, ret_msg: str, op: str = "subscribe") -> Ack:
    return Ack(op, batch.req_id if batch else None, False, ret_msg, None, None)  # type: ignore[arg-type]


def args(batches: list[Batch]) -> list[list[str]]:
    return [json.loads(b.frame)["args"] for b in batches]


def test_subscribe_waits_for_ready_then_one_request_and_ack() -> None:
    t = table(ready=False)
    call = t.subscribe(["order", "wallet"], USER)
    assert t.batches() == []
    t.connection_ready()
    [batch] = t.batches()
    frame = json.loads(batch.frame)
    assert frame == {"req_id": batch.req_id, "op": "subscribe", "args": ["order", "wallet"]}
    assert not call.done
    t.on_ack(ok(batch))
    assert call.done and call.failures == {} and t.confirmed == {"order", "wallet"}


def test_spot_batches_of_10_each_with_its_req_id() -> None:
    t = table(SPOT)
    topics = [f"publicTrade.S{n}USDT" for n in range(23)]
    call = t.subscribe(topics, USER)
    batches = t.batches()
    assert [len(a) for a in args(batches)] == [10, 10, 3]
    assert [topic for batch_args in args(batches) for topic in batch_args] == topics
    assert len({b.req_id for b in batches}) == 3
    for batch in reversed(batches):
        t.on_ack(ok(batch))
    assert call.done and not call.failures


def test_args_characters_per_connection() -> None:
    t = table(StreamLimits(500, 100))
    topics = [f"tickers.SYMBOL{n:03}USDT" for n in range(4)]  # 22 chars + comma each
    t.subscribe(topics, USER)
    assert [len(a) for a in args(t.batches())] == [4]
    call = t.subscribe(["tickers.ONEMORETOPIC"], USER)
    assert call.done and "over Bybit's 100 per connection" in call.failures["tickers.ONEMORETOPIC"]
    assert "tickers.ONEMORETOPIC" not in t.wanted


def test_topics_per_connection() -> None:
    t = table(StreamLimits(500, None, 2))
    call = t.subscribe(["a", "b", "c"], USER)
    assert list(call.outcomes) == ["c"] and "already has 2 topics" in call.failures["c"]


def test_all_in_one_and_categorised_never_share_a_request() -> None:
    t = table()
    t.subscribe(
        ["order", "order.linear", "execution", "execution.fast", "position.linear", "position"],
        USER,
    )
    for batch_args in args(t.batches()):
        for topic in batch_args:
            assert not any(other.startswith(topic + ".") for other in batch_args), batch_args


def test_ack_without_req_id_settles_the_oldest_and_command_resp_by_topics() -> None:
    t = table()
    t.subscribe(["a"], USER)
    [first] = t.batches()
    t.subscribe(["b"], USER)
    t.batches()
    t.on_ack(Ack("subscribe", None, True, "", None, None))
    assert t.confirmed == {"a"}
    t.on_ack(Ack(None, None, True, "", ("b",), ()))
    assert t.confirmed == {"a", "b"}
    assert t.on_ack(ok(first)) == []  # nothing in flight any more: ignored


def test_command_resp_fail_topics() -> None:
    t = table()
    call = t.subscribe(["x", "y"], USER)
    t.batches()
    refused = t.on_ack(Ack(None, None, True, "", ("x",), ("y",)))
    assert refused == [("y", "refused by Bybit (failTopics)")]
    assert call.failures == {"y": "refused by Bybit (failTopics)"} and t.confirmed == {"x"}


def test_failed_batch_fails_the_named_topic_and_asks_the_rest_alone() -> None:
    t = table()
    refused: list[tuple[str, str]] = []
    t.topic_failed = lambda topic, reason: refused.append((topic, reason))
    call = t.subscribe(["publicTrade.A", "publicTrade.NOPE", "publicTrade.B"], USER)
    [batch] = t.batches()
    t.on_ack(fail(batch, "error:handler not found,topic:publicTrade.NOPE"))
    assert refused == [("publicTrade.NOPE", "handler not found")]
    retries = t.batches()
    assert args(retries) == [["publicTrade.A"], ["publicTrade.B"]]
    for retry in retries:
        t.on_ack(ok(retry))
    assert call.done and call.failures == {"publicTrade.NOPE": "handler not found"}
    assert set(t.wanted) == {"publicTrade.A", "publicTrade.B"}


def test_already_subscribed_is_success() -> None:
    t = table()
    call = t.subscribe(["allLiquidation.A", "allLiquidation.B"], USER)
    [batch] = t.batches()
    t.on_ack(fail(batch, "error:already subscribed,topic:allLiquidation.A"))
    [retry] = t.batches()
    assert args([retry]) == [["allLiquidation.B"]]
    t.on_ack(fail(retry, "error:already subscribed,topic:allLiquidation.B"))
    assert (
        call.done
        and call.failures == {}
        and t.confirmed == {"allLiquidation.A", "allLiquidation.B"}
    )


def test_unnamed_failure_asks_each_topic_alone() -> None:
    t = table()
    call = t.subscribe([f"t{n}" for n in range(3)], USER)
    [batch] = t.batches()
    t.on_ack(fail(batch, "args size >10"))
    retries = t.batches()
    assert args(retries) == [["t0"], ["t1"], ["t2"]]
    t.on_ack(ok(retries[0]))
    t.on_ack(fail(retries[1], "Params Error"))
    t.on_ack(ok(retries[2]))
    assert call.failures == {"t1": "Params Error"}


def test_unsubscribe_sends_the_exact_topic_and_holders_share() -> None:
    t = table()
    other = object()
    t.subscribe(["orderbook.50.BTCUSDT"], USER)
    t.subscribe(["orderbook.50.BTCUSDT"], other)
    [batch] = t.batches()
    t.on_ack(ok(batch))
    first = t.unsubscribe(["orderbook.50.BTCUSDT"], other)
    assert first.done and t.batches() == []  # USER still holds it
    last = t.unsubscribe(["orderbook.50.BTCUSDT"], USER)
    [unsub] = t.batches()
    assert json.loads(unsub.frame) == {
        "req_id": unsub.req_id,
        "op": "unsubscribe",
        "args": ["orderbook.50.BTCUSDT"],
    }
    assert not last.done
    t.on_ack(
        classify(
            json.dumps(
                {"success": True, "ret_msg": "", "req_id": unsub.req_id, "op": "unsubscribe"}
            )
        )
    )  # type: ignore[arg-type]
    assert last.done and not last.failures and t.wanted == {} and t.confirmed == set()


def test_unsubscribe_of_what_was_never_sent_needs_no_request() -> None:
    t = table(ready=False)
    sub = t.subscribe(["a"], USER)
    unsub = t.unsubscribe(["a", "never"], USER)
    assert unsub.done and not unsub.failures
    assert sub.failures == {"a": "unsubscribed before Bybit confirmed it"}
    t.connection_ready()
    assert t.batches() == []


def test_reconnect_resubscribes_everything_dcp_first_and_in_flight_unsubscribe_is_done() -> None:
    t = table()
    t.subscribe(["order", "wallet", "dcp.future", "position"], USER)
    [batch] = t.batches()
    t.on_ack(ok(batch))
    unsub = t.unsubscribe(["position"], USER)
    t.batches()
    pending = t.subscribe(["execution"], USER)
    t.batches()
    t.connection_lost()
    assert unsub.done and not unsub.failures
    assert not pending.done and t.confirmed == set() and t.batches() == []
    t.connection_ready()
    [again] = t.batches()
    assert args([again]) == [["dcp.future", "order", "wallet", "execution"]]
    t.on_ack(ok(again))
    assert pending.done and t.confirmed == {"dcp.future", "order", "wallet", "execution"}


def test_refused_topic_is_not_resubscribed_after_reconnect() -> None:
    t = table()
    t.subscribe(["bad"], USER)
    [batch] = t.batches()
    t.on_ack(fail(batch, "error:handler not found,topic:bad"))
    t.connection_lost()
    t.connection_ready()
    assert t.batches() == []


def test_resync_unsubscribes_then_subscribes_alone() -> None:
    t = table()
    t.subscribe(["orderbook.50.A", "orderbook.50.B"], USER)
    [batch] = t.batches()
    t.on_ack(ok(batch))
    t.resync("orderbook.50.A")
    t.resync("orderbook.50.A")  # asked twice before it went out: once
    out = t.batches()
    assert [(b.op, json.loads(b.frame)["args"]) for b in out] == [
        ("unsubscribe", ["orderbook.50.A"]),
        ("subscribe", ["orderbook.50.A"]),
    ]
    for b in out:
        t.on_ack(ok(b))
    assert t.confirmed == {"orderbook.50.A", "orderbook.50.B"}


def test_fail_all_settles_every_waiting_call() -> None:
    t = table()
    done: list[TopicCall] = []
    call = t.subscribe(["a", "b"], USER)
    call.on_done = done.append
    t.batches()
    t.fail_all("the client is closed")
    assert done == [call] and call.failures == {
        "a": "the client is closed",
        "b": "the client is closed",
    }


def test_resubscribe_order() -> None:
    assert resubscribe_order(["a", "dcp.spot", "b", "dcp.future"]) == [
        "dcp.spot",
        "dcp.future",
        "a",
        "b",
    ]
