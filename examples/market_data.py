"""Print the top of a live order book and the trades of one symbol.

    python examples/market_data.py                      # against an in-process local server
    python examples/market_data.py --base-url ws://127.0.0.1:8765 --updates 50
    python examples/market_data.py --mainnet            # Bybit's public mainnet streams

Public streams need no API key: the client is made without one.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence
from typing import Any, TextIO

from bybit_wsapi import WebsocketClient
from bybit_wsapi.server import LocalServer


@contextlib.asynccontextmanager
async def _endpoint(base_url: str | None, mainnet: bool) -> AsyncIterator[dict[str, Any]]:
    if mainnet:
        yield {}
    elif base_url is not None:
        yield {"base_url": base_url}
    else:
        async with LocalServer() as server:
            yield {"base_url": server.base_url}


async def run(
    symbol: str = "BTCUSDT",
    *,
    updates: int = 20,
    base_url: str | None = None,
    mainnet: bool = False,
    out: TextIO | None = None,
) -> int:
    """Print ``updates`` book tops and the trades meanwhile; 0 when done."""
    async with _endpoint(base_url, mainnet) as where:
        ws = WebsocketClient(**where)  # no keys: public streams only
        try:
            trades = ws.stream_trades("linear", symbol)
            async with ws.order_book("linear", symbol, 50) as book, trades:

                async def print_trades() -> None:
                    async for message in trades:
                        for trade in message["data"]:
                            print(f"trade {trade['S']:4} {trade['v']:>10} @ {trade['p']}", file=out)

                printer = asyncio.ensure_future(print_trades())
                try:
                    for _ in range(updates):
                        await book.wait_updated()
                        bid, ask = book.best_bid, book.best_ask
                        if bid is not None and ask is not None:
                            print(
                                f"book u={book.update_id} bid {bid[1]} @ {bid[0]}  "
                                f"ask {ask[1]} @ {ask[0]}  spread {ask[0] - bid[0]}",
                                file=out,
                            )
                finally:
                    printer.cancel()
                    await asyncio.gather(printer, return_exceptions=True)
        finally:
            await ws.close()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--symbol", default="BTCUSDT")
    parser.add_argument("--updates", type=int, default=20, help="book updates to print")
    parser.add_argument("--base-url", help="a running local server (default: one in-process)")
    parser.add_argument("--mainnet", action="store_true", help="Bybit's mainnet public streams")
    args = parser.parse_args(argv)
    return asyncio.run(
        run(args.symbol, updates=args.updates, base_url=args.base_url, mainnet=args.mainnet)
    )


if __name__ == "__main__":
    raise SystemExit(main())
