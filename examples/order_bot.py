"""Place an order and follow it to Filled through the private order and execution streams.

    python examples/order_bot.py                         # against an in-process local server
    python examples/order_bot.py --base-url ws://127.0.0.1:8765

The order goes out on ``/v5/trade``; its fate comes back on ``/v5/private`` (the trade ack only
means "accepted", reference §5). Both sockets belong to one ``WebsocketClient``. The streams are
subscribed before the order is sent, so no push can be missed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Sequence
from typing import TextIO

from bybit_wsapi import WS_KEY_MAP, OrderParamsV5, WebsocketClient
from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET, LocalServer

TERMINAL = {"Filled", "Cancelled", "Rejected", "PartiallyFilledCanceled", "Deactivated"}


@contextlib.asynccontextmanager
async def _base_url(base_url: str | None) -> AsyncIterator[str]:
    if base_url is not None:
        yield base_url
    else:
        async with LocalServer() as server:
            yield server.base_url


async def run(
    *,
    base_url: str | None = None,
    key: str = DEMO_API_KEY,
    secret: str = DEMO_API_SECRET,
    out: TextIO | None = None,
) -> int:
    """Buy 0.001 BTCUSDT (linear) at market; 0 once it is Filled, 1 if it ends otherwise."""
    async with _base_url(base_url) as url:
        ws = WebsocketClient(key=key, secret=secret, base_url=url)
        try:
            link = f"bot-{uuid.uuid4().hex[:12]}"
            async with (
                ws.stream_orders("linear") as orders,
                ws.stream_executions("linear") as executions,
                ws.order_book("linear", "BTCUSDT", 50) as book,
            ):
                ask = book.best_ask
                assert ask is not None, "an empty book"
                order: OrderParamsV5 = {
                    "category": "linear",
                    "symbol": "BTCUSDT",
                    "side": "Buy",
                    "orderType": "Market",  # a limit at the ask could miss a moving market
                    "qty": "0.001",
                    "orderLinkId": link,
                }
                reply = await ws.send_ws_api_request(
                    WS_KEY_MAP.v5_private_trade, "order.create", order
                )
                print(f"accepted {reply['data']['orderId']} ({link}), best ask {ask[0]}", file=out)

                async def print_fills() -> None:
                    async for message in executions:
                        for fill in message["data"]:
                            if fill["orderLinkId"] == link:
                                print(f"fill {fill['execQty']} @ {fill['execPrice']}", file=out)

                fills = asyncio.ensure_future(print_fills())
                try:
                    async for message in orders:
                        for update in message["data"]:
                            if update["orderLinkId"] != link:
                                continue
                            status = update["orderStatus"]
                            print(f"order {status} cum {update['cumExecQty']}", file=out)
                            if status in TERMINAL:
                                await asyncio.sleep(0)  # let a fill that came first print
                                return 0 if status == "Filled" else 1
                finally:
                    fills.cancel()
                    await asyncio.gather(fills, return_exceptions=True)
        finally:
            await ws.close()
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", help="a running local server (default: one in-process)")
    args = parser.parse_args(argv)
    return asyncio.run(run(base_url=args.base_url))


if __name__ == "__main__":
    raise SystemExit(main())
