"""One account (API key): its orders, positions and wallet, matched against the market (pure).

The trade socket's order ops land in :meth:`Account.apply`; :meth:`Account.on_step` (called by
the market at every step) fills resting orders the market crosses. Both return the pushes the
change causes, in Bybit's order (§5, §7.4): an accepted create pushes ``order`` (New) and, on
derivatives, ``position``; each fill pushes ``execution``, ``execution.fast``, ``order``
(PartiallyFilled/Filled), ``position`` (``seq`` = the execution's) and ``wallet``, and the
market pushes the public trade (the book delta follows at the book's next push). Amend and
cancel push ``order`` and ``position``. Set ``wants_pushes = False`` while nobody subscribes:
the state still changes, no message is built.

Matching: a Market order, or a Limit that crosses the book, takes at once level by level
(Market and IOC cancel the rest, FOK needs it all or cancels; PostOnly is cancelled with
``EC_PostOnlyWillTakeLiquidity`` if it would take); a resting Limit fills, as maker at its
price, when the book crosses it; a conditional order (``triggerPrice``) waits ``Untriggered``
until the last price reaches it. Reduce-only needs an opposite position and is cut to its
size. Spot checks and locks the wallet; derivatives do not check margin. A symbol the market
does not list is accepted and never fills.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from decimal import Decimal
from typing import Final, get_args

from bybit_wsapi_generated.models import CancelTypeV5, CategoryV5, RejectReasonV5

from bybit_wsapi.retcodes import RetCode

from ..market.book import Fill, Side
from ..market.market import Market
from ..market.push import Ids, Push
from ..orders import ORDER_ID, Action, OrderBook, Outcome
from .config import AccountConfig
from .executions import ExecutionLog
from .messages import Item, envelope, execution_item, order_item, position_item
from .resting import Resting
from .state import OPEN, ZERO, LiveOrder, Position, pick
from .terms import order_terms, step_problem, vet
from .wallet import Wallet

__all__ = ["Account"]

_CATEGORIES: Final[tuple[CategoryV5, ...]] = get_args(CategoryV5)


class Account:
    """The state behind one API key (not thread-safe)."""

    def __init__(
        self, api_key: str, market: Market, config: AccountConfig | None = None, seed: int = 0
    ) -> None:
        self.api_key = api_key
        self.market = market
        self.config = config = config if config is not None else AccountConfig()
        self._ids = Ids(f"{seed}:{api_key}")
        self.book = OrderBook(self._ids.uuid)
        """The order records (``orders()`` shows them)."""
        self.funds = Wallet(config.wallet)
        self.positions: dict[tuple[str, str], Position] = {}
        self.executions = ExecutionLog(config.executions_kept)
        """Every fill, as its ``execution`` push item (``/v5/execution/list`` serves it)."""
        self.wants_pushes = True
        """Build push messages (the socket side clears it while nobody subscribes)."""
        self.race_next_cancel = False
        """Fault: the next cancel of an open order loses a race with its fill (two Filled)."""
        self._live: dict[str, LiveOrder] = {}
        self._resting = Resting()
        self._untriggered: dict[str, LiveOrder] = {}
        self._seq = int(self._ids.number()) // 10**9
        self._fees = {
            cat: (Decimal(taker), Decimal(maker), taker, maker)
            for cat, (taker, maker) in config.fee_rates.items()
        }
        market.attach(self)

    # ---- the trade socket -----------------------------------------------------------------

    def apply(
        self, action: Action, category: str, params: Mapping[str, object], now_ms: int
    ) -> tuple[Outcome, list[Push]]:
        """Run a validated order op; its outcome and the pushes it causes."""
        known = pick(category, _CATEGORIES, None)
        if known is None:
            raise ValueError(f"unknown category {category!r}: one of {', '.join(_CATEGORIES)}")
        pushes: list[Push] = []
        if action == "create":
            outcome = self._create(known, params, now_ms, pushes)
        elif action == "amend":
            outcome = self._amend(known, params, now_ms, pushes)
        else:
            outcome = self._cancel(known, params, now_ms, pushes)
        if not self.wants_pushes:
            pushes = []  # private ones only while subscribed; the public trades always
        return outcome, pushes + self.market.drain()

    def orders(self) -> list[dict[str, object]]:
        """Copies of every order, oldest first, with their fill state."""
        out = []
        for record in self.book.orders():
            live = self._live.get(str(record[ORDER_ID]))
            if live is not None:
                item = order_item(live, 0)
                for key in ("cumExecQty", "cumExecValue", "avgPrice", "leavesQty", "cumExecFee"):
                    record[key] = item[key]
            out.append(record)
        return out

    def live_orders(self) -> Collection[LiveOrder]:
        """Every order's live state, oldest first: nothing copied or built (REST filters it)."""
        return self._live.values()

    def live_order(self, order_id: str, link_id: str) -> tuple[int, LiveOrder] | None:
        """The order ``order_id`` (else ``link_id``) names and its number in ``live_orders()``."""
        found = self.book.lookup(order_id, link_id)
        live = None if found is None else self._live.get(found[1])
        return None if found is None or live is None else (found[0], live)

    def wallet(self) -> dict[str, str]:
        """Coin -> wallet balance."""
        return self.funds.balances()

    # ---- the market -----------------------------------------------------------------------

    def on_step(self, now_ms: int) -> list[Push]:
        """Fill resting orders the book now crosses; trigger conditional orders."""
        pushes: list[Push] = []
        for live in list(self._untriggered.values()):
            listing = live.listing
            assert listing is not None and live.trigger is not None
            last = listing.price.value(listing.last)
            if last >= live.trigger if live.trigger_direction == 1 else last <= live.trigger:
                del self._untriggered[live.order_id]
                live.set_status("New")
                self._start(live, now_ms, pushes)
        for live, ticks in self._resting.crossed(self._live):
            listing = live.listing
            assert listing is not None
            lots = listing.size.count(live.leaves) or 0
            filled = self.market.cross(listing, live.side, ticks, lots, now_ms)
            if filled:
                fills = [(ticks, filled)]
                self._fill(live, fills, maker=True, finish=False, now_ms=now_ms, pushes=pushes)
        return pushes if self.wants_pushes else []

    # ---- ops ------------------------------------------------------------------------------

    def _create(
        self, category: CategoryV5, params: Mapping[str, object], now_ms: int, pushes: list[Push]
    ) -> Outcome:
        refused = self.book.refuse_create(category, params)
        if refused is not None:
            return refused
        live = order_terms(self.market, category, params)
        position = self._position(live) if live.reduce_only and category != "spot" else None
        problem = vet(live, params, position, self.funds)
        if problem is not None:
            code, msg = problem
            link = params.get("orderLinkId")
            return Outcome(int(code), msg, "", link if isinstance(link, str) else "")
        outcome = self.book.insert(category, params, now_ms)
        live.record = self.book.record(outcome.order_id)
        self._live[outcome.order_id] = live
        listing = live.listing
        if listing is not None:
            live.last_price_on_created = listing.price.format(listing.last)
        self.funds.lock(live)
        if live.trigger is not None and listing is not None:
            last = listing.price.value(listing.last)
            if not live.trigger_direction:
                live.trigger_direction = 1 if live.trigger > last else 2
            live.set_status("Untriggered")
            self._untriggered[outcome.order_id] = live
            self._lifecycle(live, now_ms, pushes)
        else:
            self._start(live, now_ms, pushes)
        return outcome

    def _amend(
        self, category: CategoryV5, params: Mapping[str, object], now_ms: int, pushes: list[Push]
    ) -> Outcome:
        record = self.book.find(category, params)
        live = None if record is None else self._live.get(str(record[ORDER_ID]))
        if live is not None and live.status in OPEN:
            qty = params.get("qty")
            if isinstance(qty, str) and qty and 0 < Decimal(qty) <= live.cum_qty:
                link = str(record["orderLinkId"]) if record else ""
                msg = f"qty: must be greater than the filled quantity {live.cum_qty}"
                return Outcome(RetCode.PARAM_ERROR, msg, "", link)
            problem = step_problem(live.listing, params)
            if problem is not None:
                return Outcome(RetCode.PARAM_ERROR, problem, "", str(live.record["orderLinkId"]))
        outcome = self.book.amend(category, params, now_ms)
        if outcome.code or live is None:
            return outcome
        self.funds.unlock(live)
        updated = order_terms(self.market, category, live.record)
        live.qty, live.price, live.trigger = updated.qty, updated.price, updated.trigger
        self.funds.lock(live)
        self._lifecycle(live, now_ms, pushes)
        if live.status != "Untriggered":
            self._take(live, now_ms, pushes)
        return outcome

    def _cancel(
        self, category: CategoryV5, params: Mapping[str, object], now_ms: int, pushes: list[Push]
    ) -> Outcome:
        record = self.book.find(category, params)
        live = None if record is None else self._live.get(str(record[ORDER_ID]))
        if self.race_next_cancel and live is not None and live.status in OPEN and live.listing:
            self.race_next_cancel = False
            return self._lose_cancel_race(live, now_ms, pushes)
        outcome = self.book.cancel(category, params, now_ms)
        if outcome.code or live is None:
            return outcome
        self._close(live, "CancelByUser", "EC_NoError")
        self._lifecycle(live, now_ms, pushes)
        return outcome

    # ---- matching -------------------------------------------------------------------------

    def _start(self, live: LiveOrder, now_ms: int, pushes: list[Push]) -> None:
        """A new (or just triggered) order: PostOnly/FOK checks, then take what crosses."""
        listing = live.listing
        if listing is None:
            self._lifecycle(live, now_ms, pushes)
            return
        crosses = live.crosses()
        if live.time_in_force == "PostOnly" and crosses:
            self._close(live, "UNKNOWN", "EC_PostOnlyWillTakeLiquidity")
            self._lifecycle(live, now_ms, pushes)
            return
        if live.time_in_force == "FOK":
            lots = listing.size.count(live.qty) or 0
            if listing.book.available(live.side, lots, live.limit()) < lots:
                self._close(live, "UNKNOWN", "EC_CancelForNoFullFill")
                self._lifecycle(live, now_ms, pushes)
                return
        if not crosses or self.config.new_for_takers:
            self._lifecycle(live, now_ms, pushes)
        self._take(live, now_ms, pushes)

    def _take(self, live: LiveOrder, now_ms: int, pushes: list[Push]) -> None:
        """Take what crosses now; Market/IOC/FOK cancel the rest, a Limit rests."""
        listing = live.listing
        if listing is None or live.status not in OPEN:
            return
        fills: list[Fill] = []
        if live.crosses():
            if live.quote_qty:
                budget = int(
                    self.funds.available(listing.instrument.quote_coin) / listing.value.step
                )
                budget = min(budget, int(live.qty / listing.value.step))
                fills = self.market.take_value(listing, live.side, budget, now_ms)
            else:
                lots = listing.size.count(live.leaves) or 0
                fills = self.market.take(listing, live.side, lots, live.limit(), now_ms)
        finish = live.order_type == "Market" or live.time_in_force in ("IOC", "FOK")
        if fills:
            self._fill(live, fills, maker=False, finish=finish, now_ms=now_ms, pushes=pushes)
        elif finish:
            self._close(live, "UNKNOWN", "EC_NoImmediateQtyToFill")
            self._lifecycle(live, now_ms, pushes)
        if live.status in OPEN and live.price is not None:
            self._resting.add(live)

    def _lose_cancel_race(self, live: LiveOrder, now_ms: int, pushes: list[Push]) -> Outcome:
        """The fill wins: ``Filled`` (EC_NoError), then the cancel's ``Filled`` (CancelByUser,
        EC_OrigClOrdIDDoesNotExist); the cancel itself fails with 110001."""
        listing = live.listing
        assert listing is not None
        ticks = listing.price.count(live.price) if live.price is not None else listing.last
        ticks = ticks if ticks is not None else listing.last
        lots = listing.size.count(live.leaves) or 0
        taker: Side = "Sell" if live.side == "Buy" else "Buy"
        self.market.print_trade(listing, taker, ticks, lots, now_ms)
        self._fill(live, [(ticks, lots)], maker=True, finish=False, now_ms=now_ms, pushes=pushes)
        live.cancel_type, live.reject_reason = "CancelByUser", "EC_OrigClOrdIDDoesNotExist"
        if self.wants_pushes:
            pushes.append(self._push("order", live.category, [order_item(live, now_ms)], now_ms))
        live.cancel_type, live.reject_reason = "UNKNOWN", "EC_NoError"
        link = str(live.record["orderLinkId"])
        return Outcome(RetCode.ORDER_NOT_EXISTS, "Order does not exist.", "", link)

    def _fill(
        self,
        live: LiveOrder,
        fills: list[Fill],
        *,
        maker: bool,
        finish: bool,
        now_ms: int,
        pushes: list[Push],
    ) -> None:
        """Book and log the fills; push execution, execution.fast, order, position, wallet."""
        listing = live.listing
        assert listing is not None
        category = live.category
        taker_rate, maker_rate, taker_text, maker_text = self._fees.get(
            category, (ZERO, ZERO, "0", "0")
        )
        rate, rate_text = (maker_rate, maker_text) if maker else (taker_rate, taker_text)
        self._seq += 1
        seq = self._seq
        position = self._position(live) if category != "spot" else None
        executions, fasts = [], []
        for ticks, lots in fills:
            price, qty = listing.price.value(ticks), listing.size.value(lots)
            value = qty / price if category == "inverse" else qty * price
            pnl = closed = ZERO
            if position is not None:
                fee = value * rate
                pnl, closed = position.fill(live.side, qty, price, inverse=category == "inverse")
                position.seq, position.updated_ms = seq, now_ms
                self.funds.coin(live.fee_coin).balance += pnl - fee
                self.funds.coin(live.fee_coin).realised += pnl
            else:
                fee = (qty if live.side == "Buy" else value) * rate
                self.funds.settle_spot(live, qty, value, fee)
            live.cum_qty += qty
            live.cum_value += value
            live.cum_fee += fee
            full, fast = execution_item(
                live,
                price=price,
                qty=qty,
                value=value,
                fee=fee,
                fee_rate=rate_text,
                maker=maker,
                exec_id=self._ids.uuid(),
                seq=seq,
                pnl=pnl,
                closed=closed,
                now_ms=now_ms,
            )
            self.executions.record(full, listing)
            executions.append(full)
            fasts.append(fast)
        if live.leaves <= 0:
            live.set_status("Filled")
            self.funds.unlock(live)
        elif finish:
            self._close(live, "UNKNOWN", "EC_NoImmediateQtyToFill")
        else:
            live.set_status("PartiallyFilled")
        live.record["updatedTime"] = str(now_ms)
        if not self.wants_pushes:
            return
        pushes.append(self._push("execution", category, executions, now_ms))
        pushes.append(self._push("execution.fast", category, fasts, now_ms))
        pushes.append(self._push("order", category, [order_item(live, now_ms)], now_ms))
        if position is not None:
            item = position_item(position, listing, self.config.leverage)
            pushes.append(self._push("position", category, [item], now_ms))
        pushes.append(self._push("wallet", None, [self.funds.item(self.market)], now_ms))

    # ---- order state ----------------------------------------------------------------------

    def _close(self, live: LiveOrder, cancel_type: CancelTypeV5, reason: RejectReasonV5) -> None:
        """Cancel what is left (spot keeps the fills as PartiallyFilledCanceled)."""
        spot_partial = live.category == "spot" and live.cum_qty > 0
        live.set_status("PartiallyFilledCanceled" if spot_partial else "Cancelled")
        live.cancel_type, live.reject_reason = cancel_type, reason
        self._untriggered.pop(live.order_id, None)
        self.funds.unlock(live)

    def _position(self, live: LiveOrder) -> Position:
        key = (live.category, live.symbol)
        position = self.positions.get(key)
        if position is None:
            position = self.positions[key] = Position(live.category, live.symbol)
        return position

    # ---- pushes ---------------------------------------------------------------------------

    def _lifecycle(self, live: LiveOrder, now_ms: int, pushes: list[Push]) -> None:
        """``order`` and, on derivatives, ``position`` (pushed on every create/amend/cancel)."""
        live.record["updatedTime"] = str(now_ms)
        if not self.wants_pushes:
            return
        category = live.category
        pushes.append(self._push("order", category, [order_item(live, now_ms)], now_ms))
        if category != "spot":
            item = position_item(self._position(live), live.listing, self.config.leverage)
            pushes.append(self._push("position", category, [item], now_ms))

    def _push(
        self, topic: str, category: CategoryV5 | None, items: Sequence[Item], now_ms: int
    ) -> Push:
        return envelope(self._ids, topic, category, items, now_ms=now_ms, account=self.api_key)
