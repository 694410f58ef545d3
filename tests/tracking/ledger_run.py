"""An order ledger: thousands of orders through every fault the tracker must survive, then the
check that the tracker and the server agree on every order.

The suite runs it with 2,000 orders (``test_ledger.py``); ``make soak-orders`` runs it at scale
(``python -m tests.tracking.ledger_run --orders 20000 --seed 7``, ``--live-clock``: the market
moves on its own task). One seed gives one plan. The orders are spread over sub-accounts (250
each, one after the other, each with its own client and tracker): the local server's REST
queries cost time in proportion to the account's orders.

Each round is one of: a pipelined batch of calls (creates on several symbols, market and limit,
amends and cancels of open orders, the market stepping mid-batch so they race its fills; maybe
with ``push_before_ack`` or ``cancel_races_fill`` on, maybe racing a ``resync()``), or one call
alone through a connection fault (``drop_after_apply``, ``drop_before_apply``; settled at once
with ``reconcile``, a proven absent create sometimes resent with ``resend_if_proven_absent``),
or a private-stream drop with the market moving and a batch racing the reconnect (pushes lost:
the tracker's resync must catch up). Every tracker change is checked against the order's
previous one. At the end every unknown is reconciled and the server's orders (``server.orders``)
must all be in the tracker with the same status, filled quantity and average price; the
``order.create`` frames the server received per ``orderLinkId`` must be exactly the test's own.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import random
import time

import httpx

from bybit_wsapi import WebsocketClient
from bybit_wsapi.rest import RestClient
from bybit_wsapi.server import LocalServer, ServerConfig

from .ledger_account import AccountLedger
from .ledger_plan import Plan, Summary

__all__ = ["Plan", "Summary", "run"]


async def run(plan: Plan) -> Summary:
    """One ledger run; ``AssertionError`` (naming the seed) if a tracker and the server
    disagree."""
    started = time.perf_counter()
    count = -(-plan.orders // plan.per_account)
    accounts = {f"ledger-{n}": f"secret-{n}" for n in range(count)}
    config = ServerConfig(
        rate_limit=False, manual_clock=not plan.live_clock, seed=plan.seed, accounts=accounts
    )
    summary = Summary(plan.seed)
    chosen = random.Random(plan.seed).sample(range(count), min(count, plan.reconnects))
    async with LocalServer(config) as server:
        server.rest.options.rate_limit = 1_000_000  # a test of scale, not of the limit
        server.faults.stream_drop_after_pushes = plan.stream_drop_after
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
        tracker = await ws.track_orders(rest=rest, max_closed=2 * plan.per_account)
        await ws.connect_ws_api()
        ledger = AccountLedger(
            plan, number=number, server=server, ws=ws, tracker=tracker, summary=summary
        )
        watcher = asyncio.create_task(ledger.watch())
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
        tracker.close()
        await watcher
    finally:
        await ws.close()
        await rest.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=int(time.time()) % 100_000)
    parser.add_argument("--per-account", type=int, default=Plan.per_account)
    parser.add_argument(
        "--reconnects", type=int, default=None, help="private-stream drops (one per 2 accounts)"
    )
    parser.add_argument("--resync-percent", type=int, default=5, help="batches racing a resync")
    parser.add_argument("--live-clock", action="store_true", help="the market moves by itself")
    parser.add_argument(
        "--stream-drop-after", type=int, default=None, help="private drops every N frames"
    )
    args = parser.parse_args()
    accounts = -(-args.orders // args.per_account)
    reconnects = accounts // 2 if args.reconnects is None else args.reconnects
    plan = Plan(
        orders=args.orders,
        seed=args.seed,
        per_account=args.per_account,
        reconnects=reconnects,
        resync_percent=args.resync_percent,
        live_clock=args.live_clock,
        stream_drop_after=args.stream_drop_after,
    )
    logging.basicConfig(level=logging.ERROR)  # the faults' connection warnings are expected
    print(f"ledger: {args.orders} orders over {accounts} accounts, seed {args.seed}", flush=True)
    print(asyncio.run(run(plan)).text())


if __name__ == "__main__":
    main()
