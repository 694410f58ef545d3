"""The loop lent to a calling thread while it polls: what the borrower leaves wakes it if needed."""

from __future__ import annotations

import asyncio
import concurrent.futures
import importlib
import signal
import socket
import threading
from collections.abc import Callable, Iterator

import pytest

from bybit_wsapi.requests import Waiter
from bybit_wsapi.sync import baton
from bybit_wsapi.sync.baton import uninterrupted
from bybit_wsapi.sync.loop import LoopThread

HANG_GUARD = 30.0
"""Seconds after which an event that never came counts as a hang (the loop's own next wake-up
in these tests is an hour away)."""


@pytest.fixture
def loop_thread() -> Iterator[LoopThread]:
    thread = LoopThread()

    async def far_timer() -> None:  # the loop's poll then lasts an hour
        asyncio.get_running_loop().call_later(3600, lambda: None)

    thread.call(far_timer, RuntimeError)
    yield thread

    async def nothing() -> None:
        pass

    thread.shutdown(nothing())


def borrow(thread: LoopThread, section: Callable[[asyncio.AbstractEventLoop], object]) -> int:
    """Run ``section`` with the loop lent to this thread (once it polls); how many wakes it made."""
    wakes: list[None] = []
    loop = thread._loop

    def run() -> bool:
        section(loop)
        return True

    def wake() -> None:
        wakes.append(None)
        loop.call_soon_threadsafe(lambda: None)

    while not thread._selector.lend(run, wake):
        pass  # the loop is in a turn: it polls next
    return len(wakes)


def test_a_timer_due_before_the_poll_ends_wakes_the_loop(loop_thread: LoopThread) -> None:
    fired = threading.Event()
    assert borrow(loop_thread, lambda loop: loop.call_at(loop.time(), fired.set)) == 1
    assert fired.wait(HANG_GUARD)


def test_a_timer_due_after_the_poll_ends_needs_no_wake(loop_thread: LoopThread) -> None:
    assert borrow(loop_thread, lambda loop: loop.call_at(loop.time() + 7200, lambda: None)) == 0


def test_a_callback_made_ready_wakes_the_loop(loop_thread: LoopThread) -> None:
    ran = threading.Event()
    assert borrow(loop_thread, lambda loop: loop.call_soon(ran.set)) == 1
    assert ran.wait(HANG_GUARD)


def test_a_change_to_what_the_selector_watches_wakes_the_loop(loop_thread: LoopThread) -> None:
    ours, theirs = socket.socketpair()
    readable = threading.Event()
    try:
        assert borrow(loop_thread, lambda loop: loop.add_reader(ours, readable.set)) == 1
        theirs.send(b"x")
        assert readable.wait(HANG_GUARD)
        assert borrow(loop_thread, lambda loop: loop.remove_reader(ours)) == 1
    finally:
        ours.close()
        theirs.close()


def test_a_busy_loop_lends_nothing(loop_thread: LoopThread) -> None:
    busy, release = threading.Event(), threading.Event()

    async def hold() -> None:
        busy.set()
        release.wait(HANG_GUARD)  # the loop thread stays in this turn

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        held = pool.submit(loop_thread.call, hold, RuntimeError)
        assert busy.wait(HANG_GUARD)
        ran = threading.Event()

        def section() -> bool:
            ran.set()
            return True

        assert not loop_thread._selector.lend(section, lambda: None)
        assert not ran.is_set()
        release.set()
        held.result()


def test_a_call_made_here_the_loop_ends_without_settling_fails(loop_thread: LoopThread) -> None:
    made = threading.Event()

    def here(*, loop: asyncio.AbstractEventLoop, waiter: Waiter) -> bool:
        made.set()
        return True  # and nothing will ever settle ``waiter``

    async def never() -> None:
        raise AssertionError("the call was made here")

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        call = pool.submit(loop_thread.call, never, RuntimeError, here)
        assert made.wait(HANG_GUARD)

        async def nothing() -> None:
            pass

        loop_thread.shutdown(nothing())
        assert isinstance(call.exception(HANG_GUARD), concurrent.futures.CancelledError)


@pytest.mark.parametrize("through", ["_signal", "signal"])
def test_ctrl_c_in_an_uninterrupted_section_lands_after_it(
    through: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both ways of swapping the handler: the C module (fast) and ``signal`` (the fallback)."""
    monkeypatch.setattr(baton, "_sig", importlib.import_module(through))
    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        pytest.skip("SIGINT is handled by something else here")
    steps: list[str] = []

    def section() -> None:
        steps.append("before")
        signal.raise_signal(signal.SIGINT)  # the handler would run at the next bytecode
        steps.append("after")

    with pytest.raises(KeyboardInterrupt):
        uninterrupted(section)
    assert steps == ["before", "after"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert uninterrupted(lambda: 7) == 7  # no signal: no interrupt


def test_other_threads_run_the_section_as_it_is() -> None:
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        assert pool.submit(uninterrupted, lambda: 7).result() == 7
