"""The ``bybit-wsapi`` command."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from bybit_wsapi_generated import WS_API_METHODS, WS_API_REQUEST_PARAM_MAP, WS_API_RESPONSE_DATA_MAP

from .errors import BybitWSError
from .server import cli as server_cli


def operations_table() -> str:
    """One line per operation: its name, method, params and result types."""
    rows = [("operation", "method", "params", "data")]
    rows += [
        (op, method, WS_API_REQUEST_PARAM_MAP[op].__name__, WS_API_RESPONSE_DATA_MAP[op].__name__)
        for op, method in WS_API_METHODS.items()
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="bybit-wsapi", description="Bybit V5 WebSocket trade API tools."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("operations", help="list the operations of the WS API")
    demo = sub.add_parser(
        "demo",
        help="place, amend and cancel orders against the local server (or testnet)",
        description="A tour of the WS API: pre-connect, create, amend, cancel, a batch with a "
        "failing item, and a caught API error, each printed with its round-trip time.",
    )
    demo.add_argument(
        "--testnet",
        action="store_true",
        help="use Bybit testnet with BYBIT_API_KEY and BYBIT_API_SECRET from the environment",
    )
    serve = sub.add_parser("serve", help="run the local Bybit WS API server (prints its URL)")
    server_cli.add_arguments(serve)
    args = parser.parse_args(argv)
    if args.command == "serve":
        return server_cli.run(args, serve)
    if args.command == "demo":
        from .demo import run_demo  # noqa: PLC0415 - starts the server machinery only when asked

        try:
            return asyncio.run(run_demo(testnet=args.testnet))
        except BybitWSError as error:
            sys.stderr.write(f"demo failed: {error}\n")
            return 1
    sys.stdout.write(operations_table() + "\n")
    return 0
