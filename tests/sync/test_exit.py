"""The sync client never holds a process: not at exit without ``close()``, not on Ctrl-C.

The two exit scenarios need their own interpreters; they start together in one module fixture
(about half a second, mostly imports), and each test checks its own run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET, Faults, ServerConfig, ServerThread
from bybit_wsapi.sync import RequestInterrupted

from ..orders import create
from .conftest import MakeClient

ROOT = Path(__file__).resolve().parents[2]
HANG_GUARD = 60.0
"""Seconds after which a child that has not exited counts as hung."""

CHILD = f"""
import sys
from bybit_wsapi.sync import WebsocketAPIClient
from tests.orders import create

client = WebsocketAPIClient(key={DEMO_API_KEY!r}, secret={DEMO_API_SECRET!r}, ws_url=sys.argv[1])
client.get_ws_client().on("close", lambda event: print("close event", event["wsKey"], flush=True))
print(client.submit_new_order(create(sys.argv[2]))["retCode"], flush=True)
# the script ends here: no close(); with a delaying server the call above is still waiting
"""


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str
    server: ServerThread


@pytest.fixture(scope="module")
def runs() -> Iterator[dict[str, Run]]:
    servers = {
        "no-close": ServerThread(ServerConfig(rate_limit=False)),
        "ctrl-c": ServerThread(ServerConfig(rate_limit=False, faults=Faults(delay_ms=60_000))),
    }
    for server in servers.values():
        server.start()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    children = {
        name: subprocess.Popen(
            [sys.executable, "-c", CHILD, server.url, name],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, server in servers.items()
    }
    try:
        # its call started the connection; the auth reply (delayed) is still awaited
        servers["ctrl-c"].wait_connections(1)
        children["ctrl-c"].send_signal(signal.SIGINT)
        done = {name: child.communicate(timeout=HANG_GUARD) for name, child in children.items()}
        yield {
            name: Run(children[name].returncode, out, err, servers[name])
            for name, (out, err) in done.items()
        }
    finally:
        for child in children.values():
            child.kill()
        for server in servers.values():
            server.stop()


def test_a_process_that_never_closes_its_client_exits(runs: dict[str, Run]) -> None:
    run = runs["no-close"]
    assert (run.returncode, run.stderr) == (0, "")
    # at exit the client was closed: the close event reached its callback
    assert run.stdout.splitlines() == ["0", "close event v5PrivateTrade"]
    assert [r[3]["orderLinkId"] for r in run.server.received] == ["no-close"]


def test_ctrl_c_fails_the_pending_call_and_the_process_exits(runs: dict[str, Run]) -> None:
    run = runs["ctrl-c"]
    # CPython re-raises SIGINT at exit only for a bare KeyboardInterrupt; a subclass exits with 1
    assert run.returncode in (1, -signal.SIGINT)
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith(
        "bybit_wsapi.sync.errors.RequestInterrupted: interrupted while waiting for the reply to "
        "order.create (orderLinkId 'ctrl-c'): the call was cancelled"
    ), run.stderr
    assert run.stdout.splitlines() == ["close event v5PrivateTrade"]
    assert run.server.received == [], "a request not yet sent is never sent after Ctrl-C"


def test_ctrl_c_in_this_process_cancels_the_call_and_the_client_carries_on(
    make_client: MakeClient, bybit_ws_server: ServerThread
) -> None:
    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        pytest.skip("SIGINT is handled by something else here")
    client = make_client()
    client.connect()
    bybit_ws_server.faults.delay_ms = 60_000

    def press_ctrl_c() -> None:
        bybit_ws_server.wait_received(1)  # the call is sent and waiting
        signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)

    presser = threading.Thread(target=press_ctrl_c)
    presser.start()
    with pytest.raises(RequestInterrupted) as info:
        client.submit_new_order(create("pressed"))
    presser.join()
    error = info.value
    assert isinstance(error, KeyboardInterrupt)
    assert not isinstance(error, Exception), "except Exception must not swallow Ctrl-C"
    assert (error.op, error.outcome, error.params) == ("order.create", "unknown", create("pressed"))
    bybit_ws_server.faults.delay_ms = 0
    assert client.submit_new_order(create("after"))["data"]["orderLinkId"] == "after"
