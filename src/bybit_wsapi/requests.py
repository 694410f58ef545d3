"""The request table of one client: every request from submission to settlement (pure).

A request is **queued** until its frame is taken for writing, then **in flight** until its
reply, its deadline or the loss of its connection. Deadlines sit in one heap, so the code that
owns the clock arms a single timer (:meth:`RequestTable.next_deadline`) instead of one per
request; settled requests leave the heap lazily. No I/O, no clock reads: times are passed in.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Iterator, Mapping
from typing import Any, Protocol

__all__ = ["Request", "RequestTable", "Waiter"]


class Waiter(Protocol):
    """Where a request's result goes: an ``asyncio.Future`` (or, in tests, any look-alike)."""

    def done(self) -> bool: ...
    def set_result(self, result: Any, /) -> None: ...
    def set_exception(self, exception: BaseException, /) -> None: ...
    def exception(self) -> BaseException | None: ...


class _Answered:
    """The waiter of a request whose caller has had its answer (a timeout): nothing more goes in."""

    def done(self) -> bool:
        return True

    def set_result(self, result: Any, /) -> None:
        pass

    def set_exception(self, exception: BaseException, /) -> None:
        pass

    def exception(self) -> BaseException | None:
        return None


_ANSWERED = _Answered()


class Request:
    """One request: what was asked, where its answer goes, and how far it got."""

    __slots__ = (
        "connect_deadline",
        "deadline",
        "op",
        "params",
        "params_json",
        "req_id",
        "sent",
        "sent_at",
        "timeout",
        "waiter",
    )

    def __init__(
        self,
        req_id: str,
        op: str,
        params: Mapping[str, Any],
        params_json: str,
        waiter: Waiter,
        *,
        timeout: float,
        deadline: float,
        connect_deadline: float,
    ) -> None:
        self.req_id = req_id
        self.op = op
        self.params = params
        self.params_json = params_json
        self.waiter = waiter
        self.timeout = timeout
        self.deadline = deadline
        """When it times out (the caller's clock)."""
        self.connect_deadline = connect_deadline
        """When it fails as not sent if no connection has taken it by then."""
        self.sent = False
        self.sent_at = 0.0

    @property
    def settled(self) -> bool:
        return self.waiter.done()

    def resolve(self, result: Any) -> None:
        if not self.waiter.done():
            self.waiter.set_result(result)

    def fail(self, error: BaseException) -> bool:
        """Settle with ``error``; False if it was settled already (nothing happens)."""
        waiter = self.waiter
        if waiter.done():
            return False
        waiter.set_exception(error)
        waiter.exception()  # retrieved: a failure nobody awaits is not reported as lost
        return True


class RequestTable:
    """Queued and in-flight requests, their deadlines, and those that timed out after sending.

    ``timed_out_limit`` bounds how many timed-out requests are remembered for late replies (each
    keeps its params, not its caller's future).
    """

    def __init__(self, timed_out_limit: int = 2_000) -> None:
        self.queue: deque[Request] = deque()
        self.in_flight: dict[str, Request] = {}
        self._timed_out: dict[str, Request] = {}
        self._limit = timed_out_limit
        self._heap: list[tuple[float, int, Request]] = []
        self._seq = 0

    def __len__(self) -> int:
        """Requests not settled yet, queued or in flight."""
        return len(self.in_flight) + sum(1 for r in self.queue if not r.settled)

    def add(self, request: Request) -> None:
        """Queue ``request`` with its deadlines."""
        self.queue.append(request)
        self._push(request.deadline, request)
        if request.connect_deadline < request.deadline:
            self._push(request.connect_deadline, request)
        # settled requests leave the heap lazily; never more of them than it holds live (plus
        # a few), so what they hold (their futures, their replies) is freed soon enough
        if len(self._heap) > 2 * (len(self.in_flight) + len(self.queue)) + 64:
            self._compact()

    def _push(self, when: float, request: Request) -> None:
        self._seq += 1
        heapq.heappush(self._heap, (when, self._seq, request))

    def _compact(self) -> None:
        self._heap = [entry for entry in self._heap if not entry[2].settled]
        heapq.heapify(self._heap)

    def next_deadline(self) -> float | None:
        """The earliest deadline of a request not settled yet, if any."""
        heap = self._heap
        while heap and heap[0][2].settled:
            heapq.heappop(heap)
        return heap[0][0] if heap else None

    def due(self, now: float) -> Iterator[Request]:
        """Unsettled requests with a deadline at or before ``now`` (each at most once per call)."""
        heap = self._heap
        seen: set[int] = set()
        while heap and heap[0][0] <= now:
            request = heapq.heappop(heap)[2]
            if not request.settled and id(request) not in seen:
                seen.add(id(request))
                yield request

    def take(self, limit: int) -> list[Request]:
        """Up to ``limit`` unsettled queued requests, in order, now in flight (marked sent)."""
        queue = self.queue
        in_flight = self.in_flight
        batch: list[Request] = []
        while queue and len(batch) < limit:
            request = queue.popleft()
            if not request.settled:
                request.sent = True
                in_flight[request.req_id] = request
                batch.append(request)
        return batch

    def unsend(self, batch: list[Request]) -> None:
        """``batch`` was not written after all: back to the front of the queue, not sent."""
        for request in reversed(batch):
            self.in_flight.pop(request.req_id, None)
            request.sent = False
            self.queue.appendleft(request)

    def replied(self, req_id: str) -> Request | None:
        """The in-flight request ``req_id`` answered (now out of the table), if any."""
        return self.in_flight.pop(req_id, None)

    def timed_out(self, request: Request) -> None:
        """``request`` (settled) timed out: out of flight, remembered (bounded) for a late reply."""
        if self.in_flight.pop(request.req_id, None) is not None:
            request.waiter = _ANSWERED  # its caller has the timeout: let the future go
            self._timed_out[request.req_id] = request
            if len(self._timed_out) > self._limit:
                del self._timed_out[next(iter(self._timed_out))]

    def late(self, req_id: str) -> Request | None:
        """The request ``req_id`` that timed out after sending, if it is remembered."""
        return self._timed_out.pop(req_id, None)

    def drop_in_flight(self) -> list[Request]:
        """Every in-flight request, now out of the table (their connection is gone)."""
        requests = list(self.in_flight.values())
        self.in_flight.clear()
        self._timed_out.clear()  # no late reply can come on another connection
        return requests

    def drop_queued(self) -> list[Request]:
        """Every queued request not settled yet, now out of the table."""
        requests = [r for r in self.queue if not r.settled]
        self.queue.clear()
        return requests

    def waiting(self, op: str) -> list[str]:
        """Ids of the in-flight requests of ``op``, in send order."""
        return [r.req_id for r in self.in_flight.values() if r.op == op]
