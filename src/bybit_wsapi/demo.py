"""``bybit-wsapi demo``: one tour of the WS API, against the local server by default.

It pre-connects, places, amends and cancels an order, runs a batch with a failing item, and
catches an API error, printing every reply with its round-trip time. ``--testnet`` runs the same
against Bybit's testnet with ``BYBIT_API_KEY`` / ``BYBIT_API_SECRET`` from the environment.
"""

from __future__ import annotations

import os
import secrets
import sys
import time
from contextlib import AsyncExitStack
from typing import Any, TextIO

from bybit_wsapi_generated import BatchOrderParamsV5, OrderParamsV5

from .batch import failed_items
from .client import WebsocketAPIClient
from .errors import ConfigurationError, WSAPIError
from .server import DEMO_API_KEY, DEMO_API_SECRET, LocalServer, ServerConfig

__all__ = ["run_demo"]

SYMBOL = "BTCUSDT"
FAR_PRICE = "10000"
"""Far below the market, so testnet orders rest instead of filling."""


class _Printer:
    def __init__(self, out: TextIO) -> None:
        self.out = out

    def line(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def reply(self, step: str, reply: Any) -> None:
        data = reply["data"]
        meta = reply["meta"]
        if "list" in data:
            detail = f"{len(data['list'])} items"
        else:
            detail = f"orderId={data['orderId']} orderLinkId={data['orderLinkId']}"
        limit = (
            f"  limit {meta['rateLimitRemaining']}/{meta['rateLimit']}"
            if meta["rateLimit"] is not None
            else ""
        )
        self.line(
            f"  {step:<22} {reply['op']:<18} ok  rtt {meta['rttMs']:7.3f} ms{limit}  {detail}"
        )


async def run_demo(*, testnet: bool = False, out: TextIO = sys.stdout) -> int:
    """Run the tour; returns the process exit code."""
    show = _Printer(out)
    async with AsyncExitStack() as stack:
        if testnet:
            key, secret = (
                os.environ.get("BYBIT_API_KEY", ""),
                os.environ.get("BYBIT_API_SECRET", ""),
            )
            if not key or not secret:
                raise ConfigurationError(
                    "--testnet needs BYBIT_API_KEY and BYBIT_API_SECRET (testnet keys)"
                )
            client = WebsocketAPIClient(
                key=key, secret=secret, testnet=True, attach_event_listeners=False
            )
            show.line("bybit-wsapi demo against Bybit testnet")
        else:
            server = await stack.enter_async_context(LocalServer(ServerConfig()))
            client = WebsocketAPIClient(
                key=DEMO_API_KEY,
                secret=DEMO_API_SECRET,
                ws_url=server.url,
                attach_event_listeners=False,
            )
            show.line(f"bybit-wsapi demo against the local server at {server.url}")
        await stack.enter_async_context(client)  # connects and authenticates now
        show.line(
            "  connected and authenticated (connect_ws_api): no cold start on the first order\n"
        )

        tag = secrets.token_hex(3)
        order: OrderParamsV5 = {
            "category": "linear",
            "symbol": SYMBOL,
            "side": "Buy",
            "orderType": "Limit",
            "qty": "0.001",
            "price": FAR_PRICE,
            "timeInForce": "PostOnly",
            "orderLinkId": f"demo-{tag}-1",
        }
        started = time.perf_counter()
        created = await client.submit_new_order(order)
        show.reply("submit_new_order", created)
        order_id = created["data"]["orderId"]
        amended = await client.amend_order(
            {"category": "linear", "symbol": SYMBOL, "orderId": order_id, "price": "10001"}
        )
        show.reply("amend_order", amended)
        cancelled = await client.cancel_order(
            {"category": "linear", "symbol": SYMBOL, "orderId": order_id}
        )
        show.reply("cancel_order", cancelled)

        batch: list[BatchOrderParamsV5] = [
            {**_item(order), "orderLinkId": f"demo-{tag}-b{i}", "price": str(10000 - i)}
            for i in range(3)
        ]
        batch.append({**batch[0]})  # a repeated orderLinkId: this item fails, the others do not
        placed = await client.batch_submit_orders("linear", batch)
        show.reply("batch_submit_orders", placed)
        for failure in failed_items(placed):
            show.line(f"    item {failure.index} failed: code {failure.code} {failure.msg!r}")
        ids = [item["orderId"] for item in placed["data"]["list"] if item["orderId"]]
        gone = await client.batch_cancel_order(
            "linear", [{"symbol": SYMBOL, "orderId": i} for i in ids]
        )
        show.reply("batch_cancel_order", gone)

        try:
            await client.cancel_order({"category": "linear", "symbol": SYMBOL, "orderId": order_id})
        except WSAPIError as error:
            show.line(
                f"  {'cancel again':<22} {error.op:<18} WSAPIError caught: retCode {error.ret_code} {error.ret_msg!r}"
            )
        show.line(f"\nthe tour took {(time.perf_counter() - started) * 1000:.1f} ms; closing.")
    return 0


def _item(order: OrderParamsV5) -> BatchOrderParamsV5:
    """A batch item from a single order: the same fields without ``category``."""
    return {
        "symbol": order["symbol"],
        "side": order["side"],
        "orderType": order["orderType"],
        "qty": order["qty"],
        "timeInForce": "PostOnly",
    }
