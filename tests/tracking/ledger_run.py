"""An order ledger: thousands of orders through every fault the tracker must survive, then the
check that the tracker and the server agree on every order.

The suite runs it with 2,000 orders (``test_ledger.py``); ``make soak-orders`` runs it at scale
(``python -m tests.tracking.ledger_run --orders 20000 --seed 7``). One seed gives one plan.

Each round is one of: a pipelined batch of calls (creates on several symbols, market and limit,
amends and cancels of open orders, the market stepping mid-batch so they race its fills; maybe
with ``push_before_ack`` or ``cancel_races_fill`` on), or one call alone through a connection
fault (``drop_after_apply``, ``drop_before_apply``; settled at once with ``reconcile``, a proven
absent create sometimes resent with ``resend_if_proven_absent``), or a private-stream drop with
the market moving and a batch racing the reconnect (pushes lost: the tracker's resync must
catch up). At the end every unknown is reconciled and the server's orders (``server.orders``)
must all be in the tracker with the same status, filled quantity and average price; the
``order.create`` frames the server received per ``orderLinkId`` must be exactly the test's own.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import random
import time
from collections import Counter
from collections.abc import Awaitable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final

import httpx

from bybit_wsapi import WS_KEY_MAP, RequestError, WebsocketClient
from bybit_wsapi.orders import (
    OrderAbsentError,
    OrderTracker,
    OrderView,
    resend_if_proven_absent,
    track_orders,
)
from bybit_wsapi.rest import RestClient
from bybit_wsapi.server import LocalServer, ServerConfig

__all__ = ["Plan", "Summary", "run"]

SYMBOLS: Final = (("linear", "BTCUSDT"), ("linear", "ETHUSDT"), ("spot", "BTCUSDT"))
FAULTS: Final = (
    "drop_after_apply",
    "drop_before_apply",
    "push_loss_reconnect",
    "push_before_ack",
    "cancel_races_fill",
)
SETTLE_TIMEOUT: Final = 30.0
"""Seconds the final check waits for the tracker to agree (a hang guard: it ends on events)."""


@dataclass(frozen=True)
class Plan:
    orders: int = 2000
    """Orders to create, over ``orders / per_account`` accounts (sub-accounts, one client and
    tracker each, run one after the other)."""
    seed: int = 14
    per_account: int = 250
    batch: int = 48
    """Calls per pipelined batch."""
    drops: int = 4
    """Calls per account made alone through ``drop_after_apply`` or ``drop_before_apply``
    (half each; one in four an amend or cancel, the others creates)."""
    reconnects: int = 3
    """Private-stream drops (each in another account, a quarter into its orders: the resync
    re-reads every open order, and the mock's REST costs grow with the account)."""


@dataclass
class Summary:
    seed: int
    orders: int = 0
    calls: Counter[str] = field(default_factory=Counter)
    """``op:outcome`` -> count (``ok``, ``rejected``, ``unknown``, ``not_sent``)."""
    faults: Counter[str] = field(default_factory=Counter)
    adopted: int = 0
    """Unknown creates found over REST or on the stream."""
    absent: int = 0
    """Unknown creates proven absent."""
    resent: int = 0
    """Proven absent creates resent with ``resend_if_proven_absent``."""
    acked_unpushed: int = 0
    """Acked creates no push ever named (the private stream was down): reconciled with their
    category and symbol, which resync cannot know."""
    held: int = 0
    """Orders the server holds at the end."""
    statuses: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def text(self) -> str:
        rate = self.orders / self.seconds if self.seconds else 0.0
        return "\n".join(
            [
                f"seed {self.seed}: {self.orders} orders in {self.seconds:.2f} s ({rate:.0f}/s)",
                f"calls: {dict(sorted(self.calls.items()))}",
                f"faults: {dict(sorted(self.faults.items()))}",
                f"unknown creates: {self.adopted} adopted, {self.absent} proven absent "
                f"({self.resent} of them resent after proof); {self.acked_unpushed} acked "
                "creates no push named reconciled by category",
                f"server holds {self.held}: {dict(sorted(self.statuses.items()))}; the tracker "
                "agrees on each (status, filled qty, avg price)",
            ]
        )


class _Ledger:
    def __init__(
        self,
        plan: Plan,
        *,
        number: int,
        server: LocalServer,
        ws: WebsocketClient,
        tracker: OrderTracker,
        summary: Summary,
    ) -> None:
        self.plan = plan
        self.number = number
        self.api_key = f"ledger-{number}"
        self.rng = random.Random(f"{plan.seed}:{number}")
        self.server = server
        self.ws = ws
        self.tracker = tracker
        self.rest = tracker.rest
        self.summary = summary
        self.private_back = asyncio.Event()
        ws.on("reconnected", self._reconnected)
        self.sent: Counter[str] = Counter()
        """order.create frames this test sent, per orderLinkId."""
        self.limits: dict[str, dict[str, Any]] = {}
        """Limit orders that may still be open: link -> their create's params."""
        self.created = 0
        self.busy: set[str] = set()
        """Orders an amend or cancel of the current batch targets already."""
        self.instrument: dict[str, tuple[str, str]] = {}
        """link -> (category, symbol) of every create (an ack alone does not say them)."""

    # --- calls -----------------------------------------------------------------------------

    async def call(self, op: str, params: dict[str, Any]) -> str:
        link = params["orderLinkId"] if op == "order.create" else ""
        self.sent[link] += 1
        try:
            await self.ws.send_ws_api_request(WS_KEY_MAP.v5_private_trade, op, params)  # type: ignore[call-overload]
            outcome = "ok"
        except RequestError as error:
            outcome = error.outcome
        if outcome == "not_sent":
            self.sent[link] -= 1  # it never reached the server
        del self.sent[""]
        self.summary.calls[f"{op}:{outcome}"] += 1
        return outcome

    def price(self, category: str, symbol: str, side: str, where: str) -> str:
        listing = self.server.market.listing(category, symbol)
        assert listing is not None
        book = listing.book
        ask, bid = book.best("Buy"), book.best("Sell")
        assert ask is not None and bid is not None
        sign = 1 if side == "Buy" else -1
        if where == "cross":  # takes at once, a level or two deep
            ticks = (ask if side == "Buy" else bid) + sign * self.rng.randint(0, 2)
        elif where == "near":  # joins the top: fills as the market moves
            ticks = (bid if side == "Buy" else ask) - sign * self.rng.randint(0, 3)
        else:  # far: rests until cancelled
            ticks = (bid if side == "Buy" else ask) - sign * self.rng.randint(200, 2000)
        return listing.price.format(ticks)

    def create(self) -> tuple[str, dict[str, Any]]:
        rng = self.rng
        self.created += 1
        category, symbol = rng.choice(SYMBOLS)
        listing = self.server.market.listing(category, symbol)
        assert listing is not None
        side = rng.choice(("Buy", "Sell"))
        link = f"s{self.plan.seed}-{self.number}-{self.created}"
        params: dict[str, Any] = {
            "category": category,
            "symbol": symbol,
            "side": side,
            "qty": listing.size.format(rng.randint(1, 5)),
            "orderLinkId": link,
        }
        self.instrument[link] = (category, symbol)
        kind = rng.random()
        if kind < 0.3:
            params["orderType"] = "Market"
            if category == "spot":
                params["marketUnit"] = "baseCoin"
        else:
            where = "cross" if kind < 0.45 else "near" if kind < 0.9 else "far"
            params["orderType"] = "Limit"
            params["price"] = self.price(category, symbol, side, where)
            self.limits[link] = params
        return "order.create", params

    def open_limit(self) -> str | None:
        """A limit order the tracker thinks is open (closed ones are forgotten on the way)."""
        for _ in range(4):
            if not self.limits:
                return None
            link = self.rng.choice(list(self.limits))
            if link in self.busy:
                continue
            view = self.tracker.get(link)
            if view is not None and view.phase == "open" and view.status is not None:
                self.busy.add(link)
                return link
            if view is not None and view.phase in ("closed", "failed"):
                del self.limits[link]
        return None

    def amend_or_cancel(self) -> tuple[str, dict[str, Any]] | None:
        link = self.open_limit()
        if link is None:
            return None
        params = self.limits[link]
        target = {k: params[k] for k in ("category", "symbol", "orderLinkId")}
        if self.rng.random() < 0.6:
            return "order.cancel", target
        where = self.rng.choice(("cross", "near", "far"))
        price = self.price(params["category"], params["symbol"], params["side"], where)
        return "order.amend", {**target, "price": price}

    def next_call(self) -> tuple[str, dict[str, Any]]:
        if self.rng.random() < 0.35:
            other = self.amend_or_cancel()
            if other is not None:
                return other
        return self.create()

    # --- rounds ----------------------------------------------------------------------------

    async def batch(self, *, step: bool, size: int) -> None:
        calls: list[Awaitable[object]] = []
        for _ in range(size):
            if self.created >= self.plan.per_account:
                break
            op, params = self.next_call()
            calls.append(self.call(op, params))
        if step:  # the market moves mid-batch: amends and cancels race its fills
            calls.insert(self.rng.randrange(len(calls) + 1), self.server.step(100))
        await asyncio.gather(*calls)
        self.busy.clear()

    async def normal_round(self) -> None:
        faults = self.server.faults
        rng = self.rng
        faults.push_before_ack = rng.random() < 0.2
        faults.cancel_races_fill = rng.random() < 0.15
        self.summary.faults["push_before_ack"] += faults.push_before_ack
        self.summary.faults["cancel_races_fill"] += faults.cancel_races_fill
        try:
            await self.batch(step=rng.random() < 0.8, size=self.plan.batch)
        finally:
            faults.push_before_ack = faults.cancel_races_fill = False

    async def drop_round(self, number: int) -> None:
        fault = ("drop_after_apply", "drop_before_apply")[number % 2]
        call = self.amend_or_cancel() if number % 4 == 3 else None
        self.busy.clear()
        op, params = call or self.create()
        self.summary.faults[fault] += 1
        setattr(self.server.faults, fault, True)
        try:
            outcome = await self.call(op, params)
        finally:
            setattr(self.server.faults, fault, False)
        if op == "order.create" and outcome == "unknown":
            await self.settle(params, resend=(number + self.number) % 4 == 1)

    async def settle(self, params: dict[str, Any], *, resend: bool) -> None:
        """Reconcile an unknown create at once; or let ``resend_if_proven_absent`` do it and,
        proven absent, resend it once (opt-in)."""
        link = params["orderLinkId"]
        assert self.rest is not None
        try:
            if not resend:
                await self.tracker.reconcile(link, deadline=0)
            else:
                self.sent[link] += 1  # if proven absent, the helper resends it once
                view = await resend_if_proven_absent(
                    self.ws, self.tracker, self.rest, params, deadline=0
                )
                if view.acked:  # the lost create's ack never came: this is the resend's
                    self.summary.resent += 1
                    self.summary.absent += 1
                    return
                self.sent[link] -= 1  # found: nothing was resent
        except OrderAbsentError:
            self.summary.absent += 1
            return
        self.summary.adopted += 1

    def _reconnected(self, event: object) -> None:
        if isinstance(event, dict) and event.get("wsKey") == WS_KEY_MAP.v5_private:
            self.private_back.set()

    async def reconnect_round(self) -> None:
        """The private stream drops; the market moves and calls race its reconnect (their
        pushes may be lost: the tracker's resync re-reads the orders it knows); then, as the
        README says, orders acked that no push named are reconciled with their instrument."""
        self.summary.faults["push_loss_reconnect"] += 1
        self.private_back.clear()
        await self.server.drop_stream_connections()
        await self.server.step(20)  # fills nobody is subscribed to: never pushed
        await self.batch(step=True, size=8)
        async with asyncio.timeout(SETTLE_TIMEOUT):
            await self.private_back.wait()
        await self.reconcile_unpushed()

    async def reconcile_unpushed(self) -> None:
        for view in self.tracker.orders():
            if view.status is None and view.acked:  # no push named it: resync cannot know
                category, symbol = self.instrument[view.order_link_id]  # its instrument
                await self.tracker.reconcile(
                    view.order_link_id, deadline=0, category=category, symbol=symbol
                )
                self.summary.acked_unpushed += 1

    # --- the end ---------------------------------------------------------------------------

    def server_creates(self) -> Counter[str]:
        return Counter(
            str(args.get("orderLinkId"))
            for key, op, _, args in self.server.received
            if key == self.api_key and op == "order.create" and isinstance(args, dict)
        )

    async def finish(self) -> None:
        for view in self.tracker.unknown():
            try:
                await self.tracker.reconcile(view.order_link_id, deadline=0)
                self.summary.adopted += 1
            except OrderAbsentError:
                self.summary.absent += 1
        await self.reconcile_unpushed()
        await self.server.flushed()
        held = {str(o["orderLinkId"]): _state(o) for o in self.server.orders(self.api_key)}
        await _agree(self.tracker, held)
        assert self.tracker.unknown() == [], self.tracker.unknown()
        for view in self.tracker.orders():
            if view.order_link_id not in held:
                assert view.phase == "failed" and view.status is None, view
        received = self.server_creates()
        assert received == +self.sent, {
            link: (received[link], self.sent[link])
            for link in set(received) | set(self.sent)
            if received[link] != self.sent[link]
        }
        self.summary.held += len(held)
        self.summary.statuses.update(state[0] for state in held.values())
        self.summary.orders += self.created


def _state(order: dict[str, object]) -> tuple[str, Decimal, Decimal | None]:
    avg = str(order.get("avgPrice") or "")
    return str(order["status"]), Decimal(str(order["cumExecQty"])), Decimal(avg) if avg else None


def _view_state(view: OrderView | None) -> tuple[str | None, Decimal, Decimal | None] | None:
    if view is None:
        return None
    avg = view.avg_price if view.avg_price else None
    return view.status, view.filled_qty, avg


def _mismatches(
    tracker: OrderTracker, held: dict[str, tuple[str, Decimal, Decimal | None]]
) -> dict[str, tuple[object, object]]:
    out = {}
    for link, state in held.items():
        server_state = (state[0], state[1], state[2] if state[2] else None)
        mine = _view_state(tracker.get(link))
        if mine != server_state:
            out[link] = (server_state, mine)
    return out


async def _agree(
    tracker: OrderTracker, held: dict[str, tuple[str, Decimal, Decimal | None]]
) -> None:
    """Wait, on the tracker's changes, until it agrees with ``held`` on every order."""
    async with tracker.changes(capacity=len(held) + 1000) as changes:
        wrong = _mismatches(tracker, held)
        try:
            async with asyncio.timeout(SETTLE_TIMEOUT):
                while wrong:
                    view = await anext(changes)
                    link = view.order_link_id
                    if link in wrong and _view_state(tracker.get(link)) == wrong[link][0]:
                        del wrong[link]
        except TimeoutError:
            pass
    assert not wrong, (
        f"{len(wrong)} orders differ (server, tracker): {dict(list(wrong.items())[:10])}"
    )


async def run(plan: Plan) -> Summary:
    """One ledger run; ``AssertionError`` (naming the seed) if a tracker and the server
    disagree."""
    started = time.perf_counter()
    count = -(-plan.orders // plan.per_account)
    accounts = {f"ledger-{n}": f"secret-{n}" for n in range(count)}
    config = ServerConfig(rate_limit=False, manual_clock=True, seed=plan.seed, accounts=accounts)
    summary = Summary(plan.seed)
    chosen = random.Random(plan.seed).sample(range(count), min(count, plan.reconnects))
    async with LocalServer(config) as server:
        server.rest.options.rate_limit = 1_000_000  # a test of scale, not of the limit
        for number in range(count):
            size = min(plan.per_account, plan.orders - number * plan.per_account)
            part = dataclasses.replace(plan, per_account=size, reconnects=int(number in chosen))
            try:
                await _account(part, number, server, summary)
            except AssertionError as error:
                raise AssertionError(
                    f"ledger seed {plan.seed}, account {number}: {error}"
                ) from None
    summary.seconds = time.perf_counter() - started
    return summary


async def _account(plan: Plan, number: int, server: LocalServer, summary: Summary) -> None:
    key, secret = f"ledger-{number}", f"secret-{number}"
    ws = WebsocketClient(
        key=key,
        secret=secret,
        base_url=server.base_url,
        reconnect_initial_delay=0.001,
        reconnect_max_delay=0.002,
        request_timeout=10,
    )
    rest = RestClient(
        key=key,
        secret=secret,
        base_url=server.base_url.replace("ws://", "http://"),
        transport=httpx.AsyncHTTPTransport(verify=False),  # loopback HTTP: no CA bundle to load
    )
    try:
        tracker = await track_orders(ws, rest=rest, max_closed=2 * plan.per_account)
        await ws.connect_ws_api()
        ledger = _Ledger(
            plan, number=number, server=server, ws=ws, tracker=tracker, summary=summary
        )
        rng = ledger.rng
        reconnect_at = plan.per_account // 4 if plan.reconnects else plan.per_account
        drop_at = sorted(rng.sample(range(plan.per_account), plan.drops), reverse=True)
        while ledger.created < plan.per_account:
            if ledger.created >= reconnect_at:
                reconnect_at = plan.per_account
                await ledger.reconnect_round()
            elif drop_at and ledger.created >= drop_at[-1]:
                drop_at.pop()
                await ledger.drop_round(len(drop_at))
            else:
                await ledger.normal_round()
        await ledger.finish()
    finally:
        await ws.close()
        await rest.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=int(time.time()) % 100_000)
    args = parser.parse_args()
    print(asyncio.run(run(Plan(orders=args.orders, seed=args.seed))).text())


if __name__ == "__main__":
    main()
