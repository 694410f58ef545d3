"""Follow an order to its fill with the order tracker (``track_orders`` / ``orders``).

    python examples/follow_order.py                  # against an in-process local server
    python examples/follow_order.py --sync           # the same with the sync client (threads)
    python examples/follow_order.py --base-url ws://127.0.0.1:8765

The tracker follows every order the client sends, from the replies and the private ``order``
and ``execution`` topics; when a reply is lost it settles the order over REST. Each outcome of
the create is handled as README "Following an order" says.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import TextIO

from bybit_wsapi import OrderParamsV5, RequestOutcomeUnknownError, WebsocketAPIClient, sync
from bybit_wsapi.orders import OrderAbsentError, OrderView
from bybit_wsapi.rest import RestClient
from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET, LocalServer, run_server_in_thread


def market_buy(link: str) -> OrderParamsV5:
    return {
        "category": "linear",
        "symbol": "BTCUSDT",
        "side": "Buy",
        "orderType": "Market",
        "qty": "0.001",
        "orderLinkId": link,  # always send one: it is what reconciliation looks up
    }


def show(view: OrderView, out: TextIO | None) -> None:
    print(
        f"{view.order_link_id} {view.status} filled {view.filled_qty} "
        f"avg {view.avg_price} fees {view.fees} ({len(view.fills)} fills)",
        file=out,
    )


async def run(
    *,
    base_url: str | None = None,
    key: str = DEMO_API_KEY,
    secret: str = DEMO_API_SECRET,
    out: TextIO | None = None,
) -> int:
    """Buy at market and follow the order; 0 once it is Filled."""
    async with _async_server(base_url) as url:
        http = url.replace("ws://", "http://")  # the local server's REST port is its WS port
        async with (
            RestClient(key=key, secret=secret, base_url=http) as rest,
            WebsocketAPIClient(key=key, secret=secret, base_url=url) as client,
        ):
            orders = await client.track_orders(rest=rest)  # before the first order
            order = market_buy(f"follow-{uuid.uuid4().hex[:12]}")
            try:
                await client.submit_new_order(order)
            except RequestOutcomeUnknownError:  # Bybit may have it: look before resending
                try:
                    await orders.reconcile(order["orderLinkId"], deadline=30)
                except OrderAbsentError:  # proven absent: resend once, same orderLinkId
                    await orders.resend_if_proven_absent(order, deadline=30)
            view = await orders.wait(order["orderLinkId"], "Filled", timeout=30)
            show(view, out)
            return 0 if view.status == "Filled" else 1


def run_blocking(
    *,
    base_url: str | None = None,
    key: str = DEMO_API_KEY,
    secret: str = DEMO_API_SECRET,
    out: TextIO | None = None,
) -> int:
    """``run`` with the sync client: no asyncio in sight."""
    with _threaded_server(base_url) as url:
        rest = RestClient(key=key, secret=secret, base_url=url.replace("ws://", "http://"))
        with sync.WebsocketAPIClient(key=key, secret=secret, base_url=url) as client:
            orders = client.track_orders(rest=rest)  # rest runs on the client's loop thread
            order = market_buy(f"follow-{uuid.uuid4().hex[:12]}")
            try:
                client.submit_new_order(order)
            except RequestOutcomeUnknownError:
                try:
                    orders.reconcile(order["orderLinkId"], deadline=30)
                except OrderAbsentError:
                    orders.resend_if_proven_absent(order, deadline=30)
            view = orders.wait(order["orderLinkId"], "Filled", timeout=30)
            show(view, out)
            return 0 if view.status == "Filled" else 1


@contextlib.asynccontextmanager
async def _async_server(base_url: str | None) -> AsyncIterator[str]:
    if base_url is not None:
        yield base_url
    else:
        async with LocalServer() as server:
            yield server.base_url


@contextlib.contextmanager
def _threaded_server(base_url: str | None) -> Iterator[str]:
    if base_url is not None:
        yield base_url
    else:
        with run_server_in_thread() as server:
            yield server.base_url


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", help="a running local server (default: one in-process)")
    parser.add_argument("--sync", action="store_true", help="use bybit_wsapi.sync")
    args = parser.parse_args(argv)
    if args.sync:
        return run_blocking(base_url=args.base_url)
    return asyncio.run(run(base_url=args.base_url))


if __name__ == "__main__":
    raise SystemExit(main())
