"""The topics of one stream socket, sans-I/O: what is wanted, confirmed and in flight, the frames
that get there, and what each ack means (reference §2.1-§2.4, §8.3-§8.5, §8.13).

- Topics are keyed by their exact string (private ones too: never by category), with a set of
  holders each; a topic is subscribed while it has one, unsubscribed when the last one leaves.
- Requests are batched to the socket's limits (topics per request: spot 10); topics beyond the
  connection's limits (characters of the ``args`` array, topic count) are refused before sending; an all-in-one private topic never shares a request
  with its categorised form (``order`` and ``order.linear``).
- Each batch has its own ``req_id``; an ack is matched by it, else (option ``COMMAND_RESP``) by
  its topic lists, else to the oldest request in flight.
- ``already subscribed`` is success. A failed request of several topics fails only the topic it
  names; the others are asked again one per request, so each gets its own answer.
- After a reconnect every wanted topic is asked again, ``dcp`` first; an unsubscribe still in
  flight when the socket went is done (the server forgot every topic with it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .frames import ALREADY_SUBSCRIBED, Ack, SubscriptionOp, subscription_frame, topic_chars

__all__ = ["Batch", "StreamLimits", "SubscriptionTable", "TopicCall", "resubscribe_order"]

logger = logging.getLogger(__name__)

DCP_PREFIX = "dcp."
"""Disconnect-cancel-protection topics: resubscribed first after a reconnect (§4.7)."""


@dataclass(frozen=True, slots=True)
class StreamLimits:
    """What one socket accepts (the spec's ``STREAMS`` rows)."""

    max_args_per_request: int
    """Topics per subscribe frame: Bybit's limit (spot 10), else a safety cap (Node's 500)."""
    max_args_chars: int | None = None
    """Characters of every topic of one connection as one ``args`` array."""
    max_topics: int | None = None
    """Topics of one connection."""


@dataclass(eq=False)
class TopicCall:
    """One ``subscribe_v5``/``unsubscribe_v5`` call: done once every topic has its verdict."""

    op: SubscriptionOp
    topics: tuple[str, ...]
    outcomes: dict[str, str | None] = field(default_factory=dict)
    """Topic -> ``None`` (done) or why it failed."""
    on_done: Callable[[TopicCall], None] | None = None

    @property
    def done(self) -> bool:
        return len(self.outcomes) == len(self.topics)

    @property
    def failures(self) -> dict[str, str]:
        return {t: why for t, why in self.outcomes.items() if why is not None}

    def settle(self, topic: str, reason: str | None) -> None:
        if topic in self.topics and topic not in self.outcomes:
            self.outcomes[topic] = reason
            if self.done and self.on_done is not None:
                self.on_done(self)


@dataclass(frozen=True, slots=True)
class Batch:
    """One request on the wire."""

    op: SubscriptionOp
    req_id: str
    topics: tuple[str, ...]
    frame: str


def resubscribe_order(topics: Iterable[str]) -> list[str]:
    """``topics`` with the ``dcp`` topics first (each group keeps its order)."""
    listed = list(topics)
    return [t for t in listed if t.startswith(DCP_PREFIX)] + [
        t for t in listed if not t.startswith(DCP_PREFIX)
    ]


def _prefixes(topic: str) -> list[str]:
    parts = topic.split(".")
    return [".".join(parts[:n]) for n in range(1, len(parts))]


class SubscriptionTable:
    """The subscription state of one socket (survives its reconnects)."""

    def __init__(self, ws_key: str, limits: StreamLimits) -> None:
        self.ws_key = ws_key
        self.limits = limits
        self.wanted: dict[str, set[object]] = {}
        """Topic -> holders, in the order first wanted."""
        self.confirmed: set[str] = set()
        """Topics Bybit acknowledged on the current connection."""
        self.ready = False
        """Whether requests may be written (socket up, and authenticated if private)."""
        self._queue: list[tuple[SubscriptionOp, str, bool]] = []
        """(op, topic, alone) waiting to be written; ``alone``: in a request of its own."""
        self._in_flight: dict[str, Batch] = {}
        self._calls: dict[tuple[SubscriptionOp, str], list[TopicCall]] = {}
        self._count = 0
        self._chars = 1
        """Characters of every wanted topic as one ``args`` array."""
        self.topic_failed: Callable[[str, str], None] = lambda topic, reason: None
        """Hook: a wanted topic was refused (its holders must hear it)."""

    # -- calls -----------------------------------------------------------------------------------

    def subscribe(self, topics: Iterable[str], holder: object) -> TopicCall:
        """Add ``holder`` to each topic; the call is done when Bybit confirmed each one."""
        call = TopicCall("subscribe", tuple(dict.fromkeys(topics)))
        for topic in call.topics:
            holders = self.wanted.get(topic)
            if holders is not None:
                holders.add(holder)
                if topic in self.confirmed:
                    call.outcomes[topic] = None
                else:
                    self._calls.setdefault(("subscribe", topic), []).append(call)
                continue
            refusal = self._over_limits(topic)
            if refusal is not None:
                call.outcomes[topic] = refusal
                continue
            self.wanted[topic] = {holder}
            self._chars += topic_chars(topic)
            self._calls.setdefault(("subscribe", topic), []).append(call)
            if not self._queued("subscribe", topic) and not self._flying("subscribe", topic):
                self._queue.append(("subscribe", topic, False))
        return call

    def unsubscribe(self, topics: Iterable[str], holder: object) -> TopicCall:
        """Remove ``holder`` from each topic; a topic left without holders is unsubscribed."""
        call = TopicCall("unsubscribe", tuple(dict.fromkeys(topics)))
        for topic in call.topics:
            holders = self.wanted.get(topic)
            if holders is None:
                call.outcomes[topic] = None
                continue
            holders.discard(holder)
            if holders:
                call.outcomes[topic] = None
                continue
            sent = topic in self.confirmed or self._flying("subscribe", topic)
            self._drop(topic)
            self._settle("subscribe", topic, "unsubscribed before Bybit confirmed it")
            if sent and self.ready:
                self._calls.setdefault(("unsubscribe", topic), []).append(call)
                self._queue.append(("unsubscribe", topic, False))
            else:
                call.outcomes[topic] = None
        return call

    def resync(self, topic: str) -> None:
        """Ask Bybit for a fresh snapshot of ``topic``: unsubscribe, then subscribe again."""
        if topic not in self.wanted:
            return
        self.confirmed.discard(topic)
        if not self._queued("subscribe", topic):
            self._queue.append(("unsubscribe", topic, True))
            self._queue.append(("subscribe", topic, True))

    def fail_all(self, reason: str) -> None:
        """Settle every waiting call with ``reason`` (the client is closing)."""
        calls = [call for waiting in self._calls.values() for call in waiting]
        self._calls.clear()
        self._queue.clear()
        self._in_flight.clear()
        for call in calls:
            for topic in call.topics:
                call.settle(topic, reason)

    def give_up(self, reason: str) -> None:
        """No connection will come: every waiting call fails with ``reason``; nothing is wanted."""
        self.fail_all(reason)
        self.wanted.clear()
        self.confirmed.clear()
        self._chars = 1

    # -- the connection --------------------------------------------------------------------------

    def connection_ready(self) -> None:
        """The socket is up (and authenticated): ask again for every wanted topic, dcp first."""
        self.ready = True
        self.confirmed.clear()
        self._queue = [
            ("subscribe", topic, False)
            for topic in resubscribe_order(self.wanted)
            if not self._flying("subscribe", topic)
        ]

    def connection_lost(self) -> None:
        """The socket went: nothing is subscribed; unsubscribes in flight or queued are done."""
        self.ready = False
        self.confirmed.clear()
        for batch in self._in_flight.values():
            if batch.op == "unsubscribe":
                for topic in batch.topics:
                    self._settle("unsubscribe", topic, None)
        for op, topic, _ in self._queue:
            if op == "unsubscribe":
                self._settle("unsubscribe", topic, None)
        self._in_flight.clear()
        self._queue.clear()

    def batches(self) -> list[Batch]:
        """The requests to write now (none unless :attr:`ready`); each is then in flight."""
        if not self.ready or not self._queue:
            return []
        out: list[Batch] = []
        queue, self._queue = self._queue, []
        max_args = self.limits.max_args_per_request
        current: list[str] = []
        current_op: SubscriptionOp = queue[0][0]
        members: set[str] = set()
        prefixes: set[str] = set()
        for op, topic, alone in queue:
            if current and (
                alone
                or op != current_op
                or len(current) >= max_args
                or topic in prefixes
                or not members.isdisjoint(_prefixes(topic))
            ):
                out.append(self._batch(current_op, current))
                current, members, prefixes = [], set(), set()
            current.append(topic)
            current_op = op
            members.add(topic)
            prefixes.update(_prefixes(topic))
            if alone:
                out.append(self._batch(op, current))
                current, members, prefixes = [], set(), set()
        if current:
            out.append(self._batch(current_op, current))
        return out

    def on_ack(self, ack: Ack) -> list[tuple[str, str]]:
        """Settle the request ``ack`` answers; the ``(topic, reason)`` refused for good."""
        batch = self._match(ack)
        if batch is None:
            logger.warning("%s: an ack matching no request in flight: %s", self.ws_key, ack)
            return []
        del self._in_flight[batch.req_id]
        verdicts: dict[str, str | None] = {}
        if ack.succeeded is not None or ack.failed is not None:
            failed = set(ack.failed or ())
            for topic in batch.topics:
                listed = topic in failed or topic in (ack.succeeded or ())
                ok = topic not in failed and (listed or ack.success)
                verdicts[topic] = None if ok else (ack.ret_msg or "refused by Bybit (failTopics)")
        elif ack.success:
            verdicts = dict.fromkeys(batch.topics)
        else:
            why = ack.reason
            named = ack.topic if ack.topic in batch.topics else None
            if len(batch.topics) == 1:
                named = batch.topics[0]
            if named is not None:
                verdicts[named] = None if why == ALREADY_SUBSCRIBED else why
            for topic in batch.topics:
                if topic != named:
                    self._queue.append((batch.op, topic, True))
        refused: list[tuple[str, str]] = []
        for topic, verdict in verdicts.items():
            if batch.op == "subscribe":
                if verdict is None and topic in self.wanted:
                    self.confirmed.add(topic)
                elif verdict is not None and topic in self.wanted:
                    self._drop(topic)
                    refused.append((topic, verdict))
            else:
                self.confirmed.discard(topic)
            self._settle(batch.op, topic, verdict)
        for topic, why in refused:
            self.topic_failed(topic, why)
        return refused

    # -- internals -------------------------------------------------------------------------------

    def _batch(self, op: SubscriptionOp, topics: list[str]) -> Batch:
        self._count += 1
        req_id = f"{'sub' if op == 'subscribe' else 'unsub'}-{self._count}"
        batch = Batch(op, req_id, tuple(topics), subscription_frame(op, req_id, topics))
        self._in_flight[req_id] = batch
        return batch

    def _match(self, ack: Ack) -> Batch | None:
        if ack.req_id is not None and ack.req_id in self._in_flight:
            return self._in_flight[ack.req_id]
        candidates = [b for b in self._in_flight.values() if ack.op is None or b.op == ack.op]
        listed = set(ack.succeeded or ()) | set(ack.failed or ())
        if listed:
            for batch in candidates:
                if listed <= set(batch.topics):
                    return batch
        return candidates[0] if candidates else None

    def _settle(self, op: SubscriptionOp, topic: str, reason: str | None) -> None:
        for call in self._calls.pop((op, topic), ()):
            call.settle(topic, reason)

    def _drop(self, topic: str) -> None:
        del self.wanted[topic]
        self._chars -= topic_chars(topic)
        self.confirmed.discard(topic)
        self._queue = [entry for entry in self._queue if entry[1] != topic]

    def _queued(self, op: SubscriptionOp, topic: str) -> bool:
        return any(entry[0] == op and entry[1] == topic for entry in self._queue)

    def _flying(self, op: SubscriptionOp, topic: str) -> bool:
        return any(b.op == op and topic in b.topics for b in self._in_flight.values())

    def _over_limits(self, topic: str) -> str | None:
        limits = self.limits
        if limits.max_topics is not None and len(self.wanted) >= limits.max_topics:
            return (
                f"{self.ws_key} already has {len(self.wanted)} topics, Bybit's limit per "
                "connection: unsubscribe some, or use another client for more"
            )
        if limits.max_args_chars is not None:
            total = self._chars + topic_chars(topic)
            if total > limits.max_args_chars:
                return (
                    f"{self.ws_key}'s topics would take {total} characters, over Bybit's "
                    f"{limits.max_args_chars} per connection: unsubscribe some, or use another "
                    "client for more"
                )
        return None
