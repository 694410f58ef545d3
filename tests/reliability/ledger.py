"""The call ledger: how every call settled, checked against what the server holds.

Calls are numbered: order ``i`` has the ``orderLinkId`` ``f"{prefix}{i}"`` and at most one
call per operation (create, then maybe amend, then maybe cancel), so ``(op, i)`` names one
call. Storage is preallocated (``bytearray`` per field), so recording a call allocates nothing
and the ledger does not blur the memory figures of a long run.

The audit (:meth:`Ledger.audit`) checks, against a :class:`ServerSnapshot`:

- every call issued settled exactly once, no call hung, none failed with an unexpected error;
- the client's ``response`` / ``exception`` events agree with the results, once per call;
- a call reported as not sent (``RequestNotSentError``, a timeout with ``sent=False``, or an
  ``AuthenticationError``) never reached the server;
- every order op reached the server at most once (no duplicate ``orderLinkId``);
- every effect the server holds (an order, an amended price, a cancellation) belongs to a call
  that was acknowledged or reported as outcome unknown; every acknowledged call took effect.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, Final

from bybit_wsapi import (
    AuthenticationError,
    RequestNotSentError,
    RequestOutcomeUnknownError,
    RequestTimeoutError,
    WSAPIError,
)

__all__ = [
    "OPS",
    "Kind",
    "Ledger",
    "Report",
    "ServerSnapshot",
    "amended_price",
    "kind_of",
    "snapshot_of",
]

OPS: Final = ("order.create", "order.amend", "order.cancel")
CREATE, AMEND, CANCEL = range(3)


class Kind(IntEnum):
    """How one call settled."""

    NOT_ISSUED = 0
    PENDING = 1
    OK = 2
    REJECTED = 3
    """``WSAPIError``: the API answered with an error."""
    UNKNOWN = 4
    """``RequestOutcomeUnknownError``: sent, the connection ended before the reply."""
    TIMEOUT_SENT = 5
    """``RequestTimeoutError`` with ``sent=True``: outcome unknown."""
    TIMEOUT_NOT_SENT = 6
    """``RequestTimeoutError`` with ``sent=False``."""
    NOT_SENT = 7
    """``RequestNotSentError``."""
    AUTH_REJECTED = 8
    """``AuthenticationError``: no authenticated connection, so never sent."""
    HANG = 9
    """Not settled within its own timeout plus a grace period."""
    UNEXPECTED = 10
    """Any other exception, or a reply that does not belong to the call."""


MAY_HAVE_ACTED: Final = frozenset({Kind.OK, Kind.UNKNOWN, Kind.TIMEOUT_SENT})
NEVER_SENT: Final = frozenset({Kind.TIMEOUT_NOT_SENT, Kind.NOT_SENT, Kind.AUTH_REJECTED})


def kind_of(error: BaseException) -> Kind:
    """The ledger kind of a call's exception."""
    if isinstance(error, WSAPIError):
        return Kind.REJECTED
    if isinstance(error, RequestOutcomeUnknownError):
        return Kind.UNKNOWN
    if isinstance(error, RequestTimeoutError):
        return Kind.TIMEOUT_SENT if error.sent else Kind.TIMEOUT_NOT_SENT
    if isinstance(error, RequestNotSentError):
        return Kind.NOT_SENT
    if isinstance(error, AuthenticationError):
        return Kind.AUTH_REJECTED
    return Kind.UNEXPECTED


def amended_price(index: int) -> str:
    """The price the amend of order ``index`` sets (unique to it, so its effect is visible)."""
    return f"{20000 + index}"


@dataclass(frozen=True)
class ServerSnapshot:
    """What the server saw and holds once every connection is gone."""

    received: list[tuple[str, str]]
    """``(op, orderLinkId)`` of every order op the server accepted for processing."""
    orders: Mapping[str, tuple[str, str, str]]
    """``orderLinkId -> (status, price, orderId)`` of every order held."""
    duplicate_orders: int = 0
    """Orders held beyond the first for one ``orderLinkId``."""


@dataclass
class Report:
    """The ledger's figures and every violation found (empty when all is well)."""

    calls: int = 0
    settled: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    by_op: Counter[str] = field(default_factory=Counter)
    duplicates: int = 0
    hangs: int = 0
    orders_held: int = 0
    faults: Counter[str] = field(default_factory=Counter)
    violations: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(self.kinds.items()))
        ops = ", ".join(f"{k} {n}" for k, n in sorted(self.by_op.items()))
        faults = ", ".join(f"{k} {n}" for k, n in sorted(self.faults.items()))
        return [
            f"faults tried:  {sum(self.faults.values())} ({faults})",
            f"calls made:    {self.calls} ({ops})",
            f"calls settled: {self.settled} ({kinds})",
            f"orders held:   {self.orders_held}",
            f"duplicates:    {self.duplicates}",
            f"hangs:         {self.hangs}",
            f"violations:    {len(self.violations)}",
            *(f"  - {v}" for v in self.violations[:20]),
        ]


class Ledger:
    """Outcome of every call of a run of at most ``capacity`` orders."""

    def __init__(self, prefix: str, capacity: int) -> None:
        self.prefix = prefix
        self.capacity = capacity
        self.kind = [bytearray(capacity) for _ in OPS]
        self.settles = [bytearray(capacity) for _ in OPS]
        self.response_events = [bytearray(capacity) for _ in OPS]
        self.exception_events = [bytearray(capacity) for _ in OPS]
        self.late_events = [bytearray(capacity) for _ in OPS]
        """Replies after the call timed out, emitted marked late (``meta.late``)."""
        self.auth_events = 0
        """``exception`` events of a rejected auth (one per rejection, not per call)."""
        self.issued = 0
        self.settled = 0
        self.faults: Counter[str] = Counter()
        self.order_ids: dict[int, str] | None = None
        """Set to a dict to also keep the orderId of each acknowledged create."""
        self.strays: list[str] = []
        """Events or replies that match no call (reported as violations, first few kept)."""
        self._waiters: list[tuple[int, asyncio.Future[None]]] = []

    # ---- naming ----------------------------------------------------------------------------

    def link(self, index: int) -> str:
        return f"{self.prefix}{index}"

    def index(self, link: object) -> int | None:
        if isinstance(link, str) and link.startswith(self.prefix):
            number = link[len(self.prefix) :]
            if number.isdigit() and int(number) < self.capacity:
                return int(number)
        return None

    # ---- recording -------------------------------------------------------------------------

    def issue(self, op: int, index: int) -> None:
        if self.kind[op][index] != Kind.NOT_ISSUED:
            self._stray(f"{OPS[op]} #{index} issued twice")
        self.kind[op][index] = Kind.PENDING
        self.issued += 1

    def settle(self, op: int, index: int, kind: Kind) -> None:
        self.kind[op][index] = kind
        count = self.settles[op][index]
        self.settles[op][index] = min(255, count + 1)
        self.settled += 1
        if self._waiters:
            for count, waiter in self._waiters:
                if self.settled >= count and not waiter.done():
                    waiter.set_result(None)

    def settle_reply(self, op: int, index: int, reply: Mapping[str, Any]) -> None:
        """A successful reply: it must be this call's (op and orderLinkId)."""
        data = reply.get("data")
        link = data.get("orderLinkId") if isinstance(data, dict) else None
        if reply.get("op") != OPS[op] or link != self.link(index):
            self._stray(f"{OPS[op]} #{index} got a reply for {reply.get('op')} {link!r}")
            self.settle(op, index, Kind.UNEXPECTED)
            return
        if op == CREATE and self.order_ids is not None:
            self.order_ids[index] = str(data["orderId"])  # type: ignore[index]
        self.settle(op, index, Kind.OK)

    def settle_error(self, op: int, index: int, error: BaseException) -> None:
        kind = kind_of(error)
        if kind == Kind.UNEXPECTED:
            self._stray(f"{OPS[op]} #{index} failed unexpectedly: {error!r}")
        elif not isinstance(error, AuthenticationError):
            params = getattr(error, "params", None)
            link = params.get("orderLinkId") if isinstance(params, Mapping) else None
            if link != self.link(index) or getattr(error, "op", None) != OPS[op]:
                self._stray(f"{OPS[op]} #{index} got an error for another call: {error!r}")
                kind = Kind.UNEXPECTED
        self.settle(op, index, kind)

    def on_response(self, frame: Any) -> None:
        """The client's ``response`` event."""
        data = frame.get("data") if isinstance(frame, dict) else None
        op = frame.get("op") if isinstance(frame, dict) else None
        index = self.index(data.get("orderLinkId") if isinstance(data, dict) else None)
        if index is None or op not in OPS:
            self._stray(f"a response event for no call: {str(frame)[:200]}")
            return
        late = isinstance(frame.get("meta"), dict) and frame["meta"].get("late") is True
        events = (self.late_events if late else self.response_events)[OPS.index(op)]
        events[index] = min(255, events[index] + 1)

    def on_exception(self, error: Any) -> None:
        """The client's ``exception`` event: one per failed call, one per rejected auth."""
        if isinstance(error, AuthenticationError):
            self.auth_events += 1
            return
        response = getattr(error, "response", None)
        meta = response.get("meta") if isinstance(response, Mapping) else None
        late = isinstance(meta, Mapping) and meta.get("late") is True
        params = getattr(error, "params", None)
        op = getattr(error, "op", None)
        index = self.index(params.get("orderLinkId") if isinstance(params, Mapping) else None)
        if index is None or op not in OPS:
            self._stray(f"an exception event for no call: {error!r}")
            return
        events = (self.late_events if late else self.exception_events)[OPS.index(op)]
        events[index] = min(255, events[index] + 1)

    def _stray(self, what: str) -> None:
        if len(self.strays) < 50:
            self.strays.append(what)

    async def wait_settled(self, count: int) -> None:
        """Wait until at least ``count`` calls have settled."""
        if self.settled >= count:
            return
        waiter = asyncio.get_running_loop().create_future()
        entry = (count, waiter)
        self._waiters.append(entry)
        try:
            await waiter
        finally:
            self._waiters.remove(entry)

    # ---- the audit -------------------------------------------------------------------------

    def audit(self, server: ServerSnapshot) -> Report:
        report = Report(faults=Counter(self.faults))
        violations = report.violations
        violations.extend(self.strays)
        seen = Counter(server.received)
        report.duplicates = sum(n - 1 for n in seen.values() if n > 1) + server.duplicate_orders
        for (op_name, link), n in seen.items():
            if n > 1 and len(violations) < 200:
                violations.append(f"the server received {op_name} {link} {n} times")
            if self.index(link) is None and len(violations) < 200:
                violations.append(f"the server received {op_name} {link!r}, which no call sent")
        report.orders_held = len(server.orders)
        for op, name in enumerate(OPS):
            kinds = self.kind[op]
            for index in range(self.capacity):
                kind = Kind(kinds[index])
                if kind == Kind.NOT_ISSUED:
                    continue
                report.calls += 1
                report.by_op[name] += 1
                settles = self.settles[op][index]
                report.settled += settles
                report.kinds[kind.name] += 1
                report.hangs += kind == Kind.HANG
                problems = self._check_call(
                    op, index, kind, settles=settles, seen=seen, orders=server.orders
                )
                if problems and len(violations) < 200:
                    link = self.link(index)
                    violations.extend(f"{name} {link} ({kind.name}): {p}" for p in problems)
        for link in server.orders:
            number = self.index(link)
            if number is None or self.kind[CREATE][number] == Kind.NOT_ISSUED:
                violations.append(f"the server holds order {link!r}, which no call created")
        return report

    def _check_call(
        self,
        op: int,
        index: int,
        kind: Kind,
        *,
        settles: int,
        seen: Counter[tuple[str, str]],
        orders: Mapping[str, tuple[str, str, str]],
    ) -> list[str]:
        problems: list[str] = []
        link = self.link(index)
        if settles != 1:
            problems.append(f"settled {settles} times")
        if kind in (Kind.PENDING, Kind.HANG, Kind.UNEXPECTED):
            problems.append("never settled properly")
        responses = self.response_events[op][index]
        exceptions = self.exception_events[op][index]
        late = self.late_events[op][index]
        # every failure reaches ``exception`` once (a rejected auth: once for all its calls)
        if responses != (kind == Kind.OK) or exceptions != (
            kind not in (Kind.OK, Kind.AUTH_REJECTED)
        ):
            problems.append(f"events: {responses} response, {exceptions} exception")
        if late > (kind == Kind.TIMEOUT_SENT):
            problems.append(f"{late} late replies, but it was {kind.name}")
        if kind in NEVER_SENT and seen[(OPS[op], link)]:
            problems.append("reported as not sent, but the server received it")
        order = orders.get(link)
        if op == CREATE:
            took_effect = order is not None
        elif op == AMEND:
            took_effect = order is not None and order[1] == amended_price(index)
        else:
            took_effect = order is not None and order[0] == "Cancelled"
        if kind == Kind.OK and not took_effect:
            problems.append("acknowledged, but the server shows no effect")
        if op == CREATE and kind == Kind.OK and order is not None and self.order_ids is not None:
            acked = self.order_ids.get(index)
            if acked != order[2]:
                problems.append(f"acknowledged as orderId {acked}, the server holds {order[2]}")
        if took_effect and kind not in MAY_HAVE_ACTED:
            problems.append("the server shows its effect, but it was not acknowledged or unknown")
        return problems


def snapshot_of(
    received: Iterable[tuple[str, object]], orders: Iterable[Mapping[str, object]]
) -> ServerSnapshot:
    """A :class:`ServerSnapshot` from ``(op, params)`` pairs and the server's order dicts."""
    pairs = [(op, str(params.get("orderLinkId"))) for op, params in _params(received)]
    held: dict[str, tuple[str, str, str]] = {}
    duplicates = 0
    for order in orders:
        link = str(order["orderLinkId"])
        duplicates += link in held
        held[link] = (str(order["status"]), str(order["price"]), str(order["orderId"]))
    return ServerSnapshot(pairs, held, duplicates)


def _params(received: Iterable[tuple[str, object]]) -> Iterable[tuple[str, Mapping[str, Any]]]:
    for op, params in received:
        yield op, params if isinstance(params, Mapping) else {}
