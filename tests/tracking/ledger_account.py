"""One account's ledger: its calls and rounds through the faults, and the final check that its
tracker agrees with the server (see ``ledger_run``)."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

from bybit_wsapi import WS_KEY_MAP, RequestError, WebsocketClient
from bybit_wsapi.orders import (
    OrderAbsentError,
    OrderChangeNotAppliedError,
    OrderTracker,
    OrderView,
    resend_if_proven_absent,
)
from bybit_wsapi.server import LocalServer

from .ledger_plan import SETTLE_TIMEOUT, SYMBOLS, Plan, Summary

__all__ = ["AccountLedger"]

_TERMINAL = frozenset({"Filled", "Cancelled", "PartiallyFilledCanceled", "Rejected", "Deactivated"})
_OPEN = frozenset({"New", "PartiallyFilled", "Untriggered"})
_RANK = {"New": 1, "PartiallyFilled": 2, **dict.fromkeys(_TERMINAL, 3)}
"""Bybit's order statuses in the order an order can pass them (``None``: not known yet)."""
State = tuple[str | None, Decimal, Decimal | None]
"""What must agree: status, filled quantity, average price (``None`` before a fill)."""


class AccountLedger:
    """The calls of one account (its own client and tracker) and what they should have left."""

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
        self.unknown: set[str] = set()
        """Creates whose outcome was unknown."""
        self.last: dict[str, OrderView] = {}
        """Each order's last change (``watch``)."""
        self.jumps: list[tuple[OrderView, OrderView]] = []
        """Changes that went back: a status of lower rank, less filled, a terminal one left."""
        self.instrument: dict[str, tuple[str, str]] = {}
        """link -> (category, symbol) of every create (for its cancels at the end)."""
        self.unpushed: set[str] = set()
        """Acked creates seen with no status (no push named them): resync must resolve them."""

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
        elif outcome == "unknown" and link:
            self.unknown.add(link)
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
            "qty": listing.size.format(
                rng.randint(1, 5) if rng.random() < 0.85 else rng.randint(50, 400)
            ),
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

    def target(self, link: str) -> dict[str, Any]:
        category, symbol = self.instrument[link]
        return {"category": category, "symbol": symbol, "orderLinkId": link}

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

    async def step(self, ms: int) -> None:
        """The market moves ``ms`` (on a live clock it moves by itself: its pushes flush)."""
        if self.plan.live_clock:
            await self.server.flushed()
        else:
            await self.server.step(ms)

    async def batch(self, *, step: bool, size: int, resync: bool = False) -> None:
        calls: list[Awaitable[object]] = []
        for _ in range(size):
            if self.created >= self.plan.per_account:
                break
            op, params = self.next_call()
            calls.append(self.call(op, params))
        if step:  # the market moves mid-batch: amends and cancels race its fills
            calls.insert(self.rng.randrange(len(calls) + 1), self.step(100))
        if resync:  # as after a StreamOverflowError: its REST reads race the batch's pushes
            calls.insert(self.rng.randrange(len(calls) + 1), self.tracker.resync())
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
            resync = rng.randrange(100) < self.plan.resync_percent
            self.summary.faults["resync_racing"] += resync
            await self.batch(step=rng.random() < 0.8, size=self.plan.batch, resync=resync)
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
        pushes may be lost: the tracker's resync re-reads the orders it knows, acked ones no
        push named included); then every acked order must have a status."""
        self.summary.faults["push_loss_reconnect"] += 1
        self.private_back.clear()
        await self.server.drop_stream_connections()
        await self.step(20)  # fills nobody is subscribed to: never pushed
        await self.batch(step=True, size=8)
        async with asyncio.timeout(SETTLE_TIMEOUT):
            await self.private_back.wait()
        await self.unpushed_resolved()

    async def unpushed_resolved(self) -> None:
        """Wait, on the tracker's changes, until no acked order lacks a status: those no push
        named are resolved by the tracker's own resync after the reconnect (it kept each
        request's category and symbol), nothing passed by the ledger."""
        async with self.tracker.changes(capacity=1_000_000) as changes:
            unpushed = self._unpushed()
            self.summary.acked_unpushed += len(unpushed - self.unpushed)
            self.unpushed |= unpushed
            try:
                async with asyncio.timeout(SETTLE_TIMEOUT):
                    while self._unpushed():
                        await anext(changes)
            except TimeoutError:
                pass
        left = self._unpushed()
        assert not left, f"{len(left)} acked orders no push or resync named: {sorted(left)[:5]}"

    def _unpushed(self) -> set[str]:
        return {v.order_link_id for v in self.tracker.orders() if v.status is None and v.acked}

    async def watch(self) -> None:
        """Every change of the tracker, checked against the order's previous one."""
        async with self.tracker.changes(capacity=1_000_000) as changes:
            async for view in changes:
                before = self.last.get(view.order_link_id)
                self.last[view.order_link_id] = view
                if before is not None and (
                    view.filled_qty < before.filled_qty
                    or _RANK.get(view.status or "", 0) < _RANK.get(before.status or "", 0)
                    or (before.status in _TERMINAL and view.status != before.status)
                ):
                    self.jumps.append((before, view))

    # --- the end ---------------------------------------------------------------------------

    def server_creates(self) -> Counter[str]:
        return Counter(
            str(args.get("orderLinkId"))
            for key, op, _, args in self.server.received
            if key == self.api_key and op == "order.create" and isinstance(args, dict)
        )

    def held(self) -> dict[str, State]:
        """The state of every order the server holds for this account."""
        return {str(o["orderLinkId"]): _state(o) for o in self.server.orders(self.api_key)}

    async def finish(self) -> None:
        for view in self.tracker.unknown():
            try:
                await self.tracker.reconcile(view.order_link_id, order_id=view.order_id, deadline=0)
            except OrderAbsentError:
                self.summary.absent += 1
                continue
            except OrderChangeNotAppliedError:
                self.summary.changes_settled += 1
                continue
            if view.unsettled is None:
                self.summary.adopted += 1
            else:
                self.summary.changes_settled += 1
        await self.unpushed_resolved()
        await self.server.flushed()
        live = self.plan.live_clock
        held = await _agree(self.tracker, self.held, moving=live)
        if live:  # the market moves by itself: once they agree, cancel what is open, again
            open_orders = [link for link, state in held.items() if state[0] in _OPEN]
            await asyncio.gather(*(self.call("order.cancel", self.target(o)) for o in open_orders))
            await self.server.flushed()
            held = await _agree(self.tracker, self.held, moving=False)
        assert not self.jumps, f"{len(self.jumps)} changes went back: {self.jumps[:3]}"
        assert self.tracker.unknown() == [], self.tracker.unknown()
        for view in self.tracker.orders():
            if view.order_link_id not in held:
                assert view.phase == "failed" and view.status is None, view
        for link in self.unknown:  # each unknown create: adopted, or proven absent
            found = self.tracker.get(link)
            assert found is not None and (link in held or found.absent), (link, found)
        received = self.server_creates()
        assert received == +self.sent, {
            link: (received[link], self.sent[link])
            for link in set(received) | set(self.sent)
            if received[link] != self.sent[link]
        }
        self.summary.held += len(held)
        self.summary.statuses.update(str(state[0]) for state in held.values())
        self.summary.orders += self.created


def _state(order: dict[str, object]) -> State:
    avg = Decimal(str(order.get("avgPrice") or 0))
    return str(order["status"]), Decimal(str(order["cumExecQty"])), avg or None


def _view_state(view: OrderView | None) -> State | None:
    if view is None:
        return None
    avg = view.avg_price if view.avg_price else None
    return view.status, view.filled_qty, avg


def _mismatches(
    tracker: OrderTracker, held: dict[str, State]
) -> dict[str, tuple[State, State | None]]:
    out = {}
    for link, state in held.items():
        mine = _view_state(tracker.get(link))
        if mine != state:
            out[link] = (state, mine)
    return out


async def _agree(
    tracker: OrderTracker, snapshot: Callable[[], dict[str, State]], *, moving: bool
) -> dict[str, State]:
    """Wait, on the tracker's changes, until it agrees with the server on every order; the
    server's state then. ``moving``: the market changes orders meanwhile, so each change is
    compared with a fresh snapshot."""
    async with tracker.changes(capacity=1_000_000) as changes:
        held = snapshot()
        wrong = _mismatches(tracker, held)
        try:
            async with asyncio.timeout(SETTLE_TIMEOUT):
                while wrong:
                    view = await anext(changes)
                    link = view.order_link_id
                    if moving:
                        held = snapshot()
                        wrong = _mismatches(tracker, held)
                    elif link in wrong and _view_state(tracker.get(link)) == wrong[link][0]:
                        del wrong[link]
        except TimeoutError:
            pass
    assert not wrong, (
        f"{len(wrong)} orders differ (server, tracker): {dict(list(wrong.items())[:10])}"
    )
    return held
