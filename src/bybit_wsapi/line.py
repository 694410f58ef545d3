"""The write side of a connection in one event loop: requests into the protocol, frames out.

A request awaited while the line is idle (authenticated, nothing queued or being written) is
written by the awaiting task itself; requests that pile up are written by the session's writer
task (:meth:`RequestLine.write`), in order, many frames per socket write. One timer, armed for
the earliest deadline of the request table, fails what is due.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Generator, Mapping
from typing import Any

from .requests import Request, Waiter
from .session import ClientProtocol
from .transport import SessionClosedError, WireSession
from .upgrade import describe

__all__ = ["RequestLine"]

MAX_FRAMES_PER_WRITE = 256


class _Call:
    """What ``submit`` returns: awaiting it writes the request if the line is idle."""

    __slots__ = ("_future", "_kick", "_line", "_request")

    def __init__(
        self,
        line: RequestLine,
        request: Request,
        future: asyncio.Future[Any],
        kick: asyncio.TimerHandle | None,
    ) -> None:
        self._line = line
        self._request = request
        self._future = future
        self._kick = kick

    def __await__(self) -> Generator[Any, None, Any]:
        return self._line.complete(self._request, self._future, self._kick).__await__()


class RequestLine:
    """Requests of one client on one event loop; ``live`` is the session they may go out on."""

    def __init__(
        self,
        protocol: ClientProtocol,
        loop: asyncio.AbstractEventLoop,
        broken: Callable[[str], None],
    ) -> None:
        self.protocol = protocol
        self.live: WireSession | None = None
        """The authenticated session requests may be written to, if any."""
        self._loop = loop
        self._broken = broken
        self._queued = asyncio.Event()
        """Something is queued for the writer."""
        self._writing = False
        self._timer: asyncio.TimerHandle | None = None
        self._timer_at = 0.0

    def submit(
        self, op: str, params: Mapping[str, Any], timeout: float | None
    ) -> tuple[Awaitable[Any], bool]:
        """Queue one request; its awaitable, and whether it needs a session to be opened."""
        loop = self._loop
        future: asyncio.Future[Any] = loop.create_future()
        now = loop.time()
        request = self.protocol.submit(op, params, future, timeout=timeout, now=now)
        if future.done():  # refused, or the client is closed
            return future, False
        self._arm(min(request.deadline, request.connect_deadline))
        if self.live is not None and self.protocol.writable:
            # The writer is woken on the next loop turn unless the awaiting task writes the
            # request first and cancels this: a cancelled timer at the head of the loop's
            # schedule is dropped before the loop polls, where a ``call_soon`` would cost a
            # turn (one more poll) per call.
            kick = loop.call_at(now, self._kick)
            return _Call(self, request, future, kick), False
        self._queued.set()
        return _Call(self, request, future, None), True

    def submit_now(
        self, op: str, params: Mapping[str, Any], timeout: float | None, waiter: Waiter
    ) -> bool:
        """Queue one request settling ``waiter`` and write it at once, if the line is idle.

        For a thread that has the loop's objects to itself while the loop sleeps in its poll
        (see :mod:`.sync.baton`): the loop is touched through ``call_at`` and the session's
        ``try_send`` only, and no kick timer is needed. False, and nothing done, unless a
        session is up with nothing queued or being written. A request refused is settled at
        once; one the session does not take now (its write buffer is full, or it writes only
        awaiting, as the plain one) is left to the writer.
        """
        session = self.live
        protocol = self.protocol
        if session is None or self._writing or protocol.table.queue or not protocol.writable:
            return False
        request = protocol.submit(op, params, waiter, timeout=timeout, now=self._loop.time())
        if request.settled:  # refused
            return True
        self._arm(min(request.deadline, request.connect_deadline))
        batch = protocol.table.take(1)
        if not self._try_send(session, self._frames(batch)):
            protocol.table.unsend(batch)
            self._queued.set()
        return True

    async def complete(
        self, request: Request, future: asyncio.Future[Any], kick: asyncio.TimerHandle | None
    ) -> Any:
        """Write ``request`` if it is next in line and the line is idle; then wait for it."""
        queue = self.protocol.table.queue
        session = self.live
        if (
            session is not None
            and queue
            and queue[0] is request
            and not request.settled  # it timed out before anyone awaited it
            and not self._writing
            and self.protocol.writable
        ):
            batch = self.protocol.table.take(1)
            if kick is not None and not queue:
                kick.cancel()  # nothing left for the writer
            frames = self._frames(batch)
            if not self._try_send(session, frames):
                try:
                    # a socket that takes nothing (peer not reading) must not outlast the timeout
                    async with asyncio.timeout_at(request.deadline):
                        await self._send(session, batch, frames)
                except TimeoutError:
                    pass  # the deadline timer settles it: sent, outcome unknown
        return await future

    def _kick(self) -> None:
        """Wake the writer for requests nobody awaited at once."""
        if self.protocol.table.queue:
            self._queued.set()

    def _arm(self, when: float) -> None:
        """Make sure the deadline timer fires by ``when``."""
        if self._timer is not None:
            if self._timer_at <= when:
                return
            self._timer.cancel()
        self._timer = self._loop.call_at(when, self._on_timer)
        self._timer_at = when

    def _on_timer(self) -> None:
        # Expire on the next turn, after what was runnable before the deadline was seen: a loop
        # that ran late (busy, or starved of CPU) runs a due timer in the same turn as, and
        # before, a writer woken earlier, so a request on a healthy connection failed as never
        # sent (the flaky ``errors-without-reqId`` accounting case). Now the writer goes first.
        self._timer = None
        self._loop.call_soon(self._expire_due)

    def _expire_due(self) -> None:
        self.protocol.expire(self._loop.time())
        when = self.protocol.table.next_deadline()
        if when is not None:
            self._arm(when)

    def stop(self) -> None:
        """No more timers (the client is closed)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    async def write(self, session: WireSession) -> None:
        """The writer task of ``session``: what queued while no session was up, or the line busy."""
        table = self.protocol.table
        while True:
            if not table.queue:
                self._queued.clear()
                await self._queued.wait()
                continue
            if not self.protocol.writable:
                return
            batch = table.take(MAX_FRAMES_PER_WRITE)
            if batch and not await self._send(session, batch, self._frames(batch)):
                return

    def _frames(self, batch: list[Request]) -> list[str]:
        """The frames of ``batch`` (now in flight), stamped with the clocks."""
        return self.protocol.frames(batch, int(time.time() * 1000), self._loop.time())

    def _try_send(self, session: WireSession, frames: list[str]) -> bool:
        """Write ``frames`` without waiting if the session can; False: use :meth:`_send`."""
        try:
            return session.try_send(frames)
        except Exception as exc:
            self._failed(session, f"sending failed ({describe(exc)})")
            return True  # done with: the connection is being replaced

    async def _send(self, session: WireSession, batch: list[Request], frames: list[str]) -> bool:
        """Write ``batch``'s ``frames``; False once the session cannot send."""
        self._writing = True
        try:
            await session.send_texts(frames)
            return True
        except SessionClosedError:  # nothing of it left: it waits for the next session
            self.protocol.table.unsend(batch)
            self._queued.set()
            reason = "the connection was closing"
        except Exception as exc:
            reason = f"sending failed ({describe(exc)})"
        finally:
            self._writing = False
        self._failed(session, reason)
        return False

    def _failed(self, session: WireSession, reason: str) -> None:
        if self.live is session:
            self._broken(reason)
