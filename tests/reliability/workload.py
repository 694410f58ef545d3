"""Many concurrent calls through random injected faults, recorded in a :class:`Ledger`.

Shared by the accounting test (server in the same event loop) and the soak (server in another
process): both talk to the server through a :class:`ServerControl`.

Each worker takes the next order number and makes its calls one after another: ``order.create``,
then, if it was acknowledged, maybe ``order.amend`` and maybe ``order.cancel``. A fault driver
switches to the next fault (each once per round, in a seeded random order) every ``phase_calls`` settled calls, so the faults follow the
run's progress, not the clock; every fault lets calls settle (by reply, error or timeout), so a
phase always ends.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Protocol

from bybit_wsapi import WS_KEY_MAP, RetCode, WebsocketAPIClient

from ..orders import amend, cancel, create
from .ledger import AMEND, CANCEL, CREATE, OPS, Kind, Ledger, ServerSnapshot, amended_price

__all__ = ["FAULTS", "REQ_ID_LESS_FAULTS", "Plan", "ServerControl", "client_options", "run"]


class ServerControl(Protocol):
    """The fault switches and the record of one server, wherever it runs."""

    async def set_faults(self, switches: Mapping[str, object]) -> None:
        """Set some ``Faults`` fields (the others keep their values)."""

    async def reset_faults(self) -> None:
        """Every fault off."""

    async def drop_connections(self) -> None:
        """Abort every client connection (no close frame)."""

    async def wait_connections(self, count: int) -> None:
        """Wait until exactly ``count`` client connections are open."""

    async def snapshot(self) -> ServerSnapshot:
        """What the server received and holds."""


@dataclass(frozen=True)
class Plan:
    """One run: how many calls, how concurrent, which faults, how patient."""

    orders: int
    """Orders to create (each maybe amended and cancelled): the ledger's capacity."""
    max_requests: int | None = None
    """Stop taking new orders once this many calls were made (None: after ``orders``)."""
    workers_per_client: int = 10
    amend_percent: int = 30
    cancel_percent: int = 40
    call_timeout: float = 0.3
    """Each call's own timeout (the client's ``timeout=``)."""
    grace: float = 3.0
    """A call not settled ``call_timeout + grace`` after it started is counted as a hang."""
    phase_calls: int = 60
    """Settled calls per fault phase."""
    faults: Sequence[str] = ()
    seed: int = 0
    deadline: float | None = None
    """Loop time after which no new order is started (None: no limit)."""
    max_frame_bytes: int = 8192
    """The clients' ``max_frame_bytes`` (``oversize`` pads replies beyond it)."""
    connect_timeout: float = 0.5
    """The clients' ``connect_timeout`` (handshake and auth reply)."""
    ping_interval: float = 0.2
    pong_timeout: float = 0.5
    """Pongs delayed by ``slower_than_timeout`` still count; ``no_pong`` is noticed in 0.7 s."""


def client_options(plan: Plan) -> dict[str, Any]:
    """Client options for a run of ``plan``: quick reconnects, quick dead-peer detection."""
    return {
        "reconnect_initial_delay": 0.01,
        "reconnect_max_delay": 0.05,
        "connect_timeout": plan.connect_timeout,
        "request_timeout": plan.call_timeout,
        "ping_interval": plan.ping_interval,
        "pong_timeout": plan.pong_timeout,
        "max_frame_bytes": plan.max_frame_bytes,
        "attach_event_listeners": False,
    }


DROP_CONNECTIONS: Final = "drop_connections"


def _fault_table(plan: Plan) -> dict[str, dict[str, object]]:
    slow_ms = plan.call_timeout * 1000 + 100
    assert slow_ms < plan.pong_timeout * 1000, "slow replies must not look like a dead peer"
    return {
        "none": {},
        "delay": {"delay_ms": 20},
        "slower_than_timeout": {"delay_ms": slow_ms},
        "drop_sometimes": {"drop_probability": 0.02},
        "drop_always": {"drop_probability": 1.0},
        "drop_before_apply": {"drop_before_apply": True},
        "drop_after_apply": {"drop_after_apply": True},
        "split_fragment": {"split_reply": "fragment"},
        "split_half": {"split_reply": "half"},
        "garbage": {"garbage_frames": 2, "truncated_frames": 1},
        "restarting": {"restarting": True},
        "internal_error": {"reject_orders": int(RetCode.INTERNAL_ERROR)},
        "rejected": {"reject_orders": int(RetCode.SPOT_INSUFFICIENT_BALANCE)},
        "no_pong": {"no_pong": True, "delay_ms": (plan.ping_interval + plan.pong_timeout) * 2000},
        "duplicate_replies": {"duplicate_replies": True},
        "unknown_req_id": {"unknown_req_id_replies": True},
        "oversize": {"oversize_replies": plan.max_frame_bytes + 1000},
        "drop_connections": {DROP_CONNECTIONS: True},
        "auth_rejected": {"reject_auth": True, DROP_CONNECTIONS: True},
        # errors without reqId (reference §5.3), held back a little so they meet later calls
        "no_req_id_errors": {"error_shape": "no_req_id", "reject_orders": 10005, "delay_ms": 10},
        "legacy_errors": {"error_shape": "legacy", "reject_orders": 10005, "delay_ms": 10},
    }


REQ_ID_LESS_FAULTS: Final = ("no_req_id_errors", "legacy_errors")
FAULTS: Final = tuple(_fault_table(Plan(orders=0)))
"""Every fault (and "none")."""


async def run(
    clients: Sequence[WebsocketAPIClient],
    control: ServerControl,
    ledger: Ledger,
    plan: Plan,
) -> None:
    """Run ``plan`` on ``clients`` (connected or not) and record every call in ``ledger``."""
    for client in clients:
        ws = client.get_ws_client()
        ws.on("response", ledger.on_response)
        ws.on("exception", ledger.on_exception)
    numbers = iter(range(plan.orders))
    loop = asyncio.get_running_loop()

    def next_order() -> int | None:
        if plan.deadline is not None and loop.time() > plan.deadline:
            return None
        if plan.max_requests is not None and ledger.issued >= plan.max_requests:
            return None
        return next(numbers, None)

    async def call(ws: Any, op: int, index: int, params: Mapping[str, Any]) -> Kind:
        ledger.issue(op, index)
        settled = False
        try:
            async with asyncio.timeout(plan.call_timeout + plan.grace):
                try:
                    reply = await ws.send_ws_api_request(
                        WS_KEY_MAP.v5_private_trade, OPS[op], params, timeout=plan.call_timeout
                    )
                except Exception as error:
                    settled = True
                    ledger.settle_error(op, index, error)
                else:
                    settled = True
                    ledger.settle_reply(op, index, reply)
        except TimeoutError:
            if not settled:
                ledger.settle(op, index, Kind.HANG)
        return Kind(ledger.kind[op][index])

    async def worker(client: WebsocketAPIClient) -> None:
        ws = client.get_ws_client()
        while (index := next_order()) is not None:
            link = ledger.link(index)
            created = await call(ws, CREATE, index, create(link))
            if created != Kind.OK:
                continue
            spread = (index * 2654435761) % 100
            if spread < plan.amend_percent:
                await call(ws, AMEND, index, amend(link, amended_price(index)))
            if (spread * 7) % 100 < plan.cancel_percent:
                await call(ws, CANCEL, index, cancel(link))

    done = asyncio.Event()
    driver = asyncio.create_task(_drive_faults(control, ledger, plan, done))
    try:
        await asyncio.gather(
            *(worker(client) for client in clients for _ in range(plan.workers_per_client))
        )
    finally:
        done.set()
        await driver


async def _drive_faults(
    control: ServerControl, ledger: Ledger, plan: Plan, done: asyncio.Event
) -> None:
    table = _fault_table(plan)
    names = list(plan.faults)
    rng = random.Random(plan.seed)
    order: list[str] = []
    finished = asyncio.create_task(done.wait())
    try:
        while names and not done.is_set():
            if not order:  # every fault once per round, in a random order
                order = rng.sample(names, len(names))
            name = order.pop()
            switches = dict(table[name])
            drop = switches.pop(DROP_CONNECTIONS, False)
            if switches:
                await control.set_faults(switches)
            if drop:
                await control.drop_connections()
            ledger.faults[name] += 1
            progress = asyncio.create_task(ledger.wait_settled(ledger.settled + plan.phase_calls))
            await asyncio.wait([progress, finished], return_when=asyncio.FIRST_COMPLETED)
            progress.cancel()
            await asyncio.gather(progress, return_exceptions=True)
            await control.reset_faults()
    finally:
        finished.cancel()
        await asyncio.gather(finished, return_exceptions=True)
        await control.reset_faults()
