"""``bybit-wsapi serve``: run the local server until SIGINT or SIGTERM.

Prints two lines to stdout once it accepts connections: the trade URL
(``ws://HOST:PORT/v5/trade``), then the streams' base URL (``ws://HOST:PORT``); logs go to
stderr. Bad options exit with status 2 and a one-line error, a socket that cannot be opened
(port in use, address not on this machine) with status 1 and a one-line error.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import errno
import importlib.metadata
import logging
import re
import signal
import socket
import sys

from ..auth import is_pem_private_key, is_pem_public_key
from .account import AccountConfig
from .config import DEMO_API_KEY, ServerConfig
from .faults import Faults
from .market import FAULTS, MarketConfig
from .rest_options import RestOptions

__all__ = ["add_arguments", "config_from_args", "run"]

logger = logging.getLogger(__name__)

_RATE_LIMIT = re.compile(r"(?P<op>[^:=\s]+):(?P<category>[^:=\s]+)=(?P<limit>[0-9]+)")


class ServeError(Exception):
    """The server could not start (the message says why and what to change)."""


def _version() -> str:
    try:
        return importlib.metadata.version("bybit-wsapi")
    except importlib.metadata.PackageNotFoundError:  # run from a source tree, not installed
        return "unknown"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``serve``: one per ``ServerConfig``, ``Faults`` and ``RestOptions`` field."""
    d = ServerConfig()
    f = Faults()
    r = RestOptions()
    parser.usage = "%(prog)s [options] (see --help)"
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    net = parser.add_argument_group("server")
    net.add_argument("--host", default=d.host, help="interface to listen on (%(default)s)")
    net.add_argument("--port", type=int, default=d.port, help="port; 0 picks a free one")
    net.add_argument(
        "--key",
        action="append",
        default=[],
        metavar="API_KEY",
        help=f"an account's API key, paired in order with one --secret or --rsa-public-key; "
        f"repeat for several accounts (default: the demo account {DEMO_API_KEY})",
    )
    net.add_argument(
        "--secret", dest="credentials", action="append", default=[], metavar="API_SECRET"
    )
    net.add_argument(
        "--rsa-public-key",
        dest="credentials",
        action="append",
        type=_public_key_file,
        metavar="FILE",
        help="the PEM public key of a self-generated RSA API key (in place of --secret)",
    )
    net.add_argument(
        "--no-rate-limit",
        dest="rate_limit",
        action="store_false",
        help="never answer 10006 (headers still report the limits)",
    )
    net.add_argument(
        "--rate-limit",
        dest="rate_limits",
        action="append",
        default=[],
        metavar="OP:CATEGORY=N",
        help="override a per-second limit, e.g. order.create:linear=5 (CATEGORY may be default)",
    )
    net.add_argument("--recv-window-ms", type=int, default=d.recv_window_ms)
    net.add_argument(
        "--idle-timeout",
        type=float,
        default=d.idle_timeout,
        metavar="SECONDS",
        help="close connections that send nothing for this long (%(default)s)",
    )
    net.add_argument("--max-frame-bytes", type=int, default=d.max_frame_bytes)
    net.add_argument(
        "--unauth-code",
        dest="unauthenticated_code",
        type=int,
        default=d.unauthenticated_code,
        help="retCode of an order op before auth (%(default)s)",
    )
    net.add_argument(
        "--unauth-no-req-id",
        dest="unauthenticated_req_id",
        action="store_false",
        help="leave reqId out of that error",
    )
    net.add_argument("--max-connections-per-key", type=int, default=d.max_connections_per_key)
    net.add_argument("--req-id-memory", type=int, default=d.req_id_memory)
    net.add_argument(
        "--seed", type=int, default=d.seed, help="seed of --drop-probability and the market"
    )
    net.add_argument("--log-level", default="INFO", choices=("DEBUG", "INFO", "WARNING", "ERROR"))

    faults = parser.add_argument_group("faults (see README: The local server)")
    flag = faults.add_argument
    flag("--delay-ms", type=float, default=f.delay_ms, metavar="MS", help="delay every reply")
    flag("--drop-after-frames", type=int, metavar="N", help="drop each connection after N frames")
    flag(
        "--drop-probability",
        type=float,
        default=f.drop_probability,
        metavar="P",
        help="drop the connection on a received frame with probability P (see --seed)",
    )
    flag("--drop-before-apply", action="store_true", help="drop instead of applying order ops")
    flag("--drop-after-apply", action="store_true", help="apply order ops, drop before the ack")
    flag("--split-reply", choices=("fragment", "half"), help="cut order-op replies mid-frame")
    flag("--garbage-frames", type=int, default=f.garbage_frames, metavar="N")
    flag("--truncated-frames", type=int, default=f.truncated_frames, metavar="N")
    flag("--error-shape", choices=("standard", "no_req_id", "legacy"), default=f.error_shape)
    flag("--reject-orders", type=int, metavar="RETCODE", help="answer order ops with RETCODE")
    flag("--reject-auth", action="store_true", help="answer every auth with 10004")
    flag("--restarting", action="store_true", help="answer order ops with 10019")
    flag("--no-pong", action="store_true", help="ignore pings")
    flag("--duplicate-replies", action="store_true", help="send order-op replies twice")
    flag("--unknown-req-id-replies", action="store_true", help="add replies with unknown reqIds")
    flag("--oversize-replies", type=int, metavar="BYTES", help="pad replies beyond BYTES")
    flag(
        "--stream-drop-after-pushes",
        type=int,
        metavar="N",
        help="drop each stream connection after sending it N frames",
    )
    flag(
        "--stream-fault",
        dest="stream_faults",
        action="append",
        default=[],
        choices=FAULTS,
        help="a data fault on every subscribed topic it fits, once per interval (repeatable)",
    )
    flag("--stream-burst", type=int, default=f.stream_burst, metavar="N", help="N deltas at once")
    flag(
        "--stream-fault-interval-ms",
        type=int,
        default=f.stream_fault_interval_ms,
        metavar="MS",
        help="market time between rounds of --stream-fault / --stream-burst (%(default)s)",
    )
    flag("--push-before-ack", action="store_true", help="order pushes written before the ack")
    flag("--cancel-races-fill", action="store_true", help="cancels lose to a fill: two Filled")

    streams = parser.add_argument_group("streams (/v5/private, /v5/public/*)")
    streams.add_argument(
        "--idle-check-interval",
        type=float,
        default=d.idle_check_interval,
        metavar="SECONDS",
        help="check --idle-timeout and max_active_time on this tick (%(default)s)",
    )
    streams.add_argument(
        "--subscribe-before-auth",
        choices=("reject", "accept"),
        default=d.subscribe_before_auth,
        help="a private subscribe before auth (%(default)s)",
    )
    streams.add_argument(
        "--unsubscribe-unknown",
        choices=("success", "error"),
        default=d.unsubscribe_unknown,
        help="unsubscribing a topic not held (%(default)s)",
    )
    streams.add_argument(
        "--stream-queue-bytes",
        type=int,
        default=d.stream_queue_bytes,
        metavar="BYTES",
        help="drop a consumer further behind than this (%(default)s)",
    )

    rest = parser.add_argument_group("REST mock (see README: The local server)").add_argument
    rest("--rest-visibility-delay-ms", type=int, default=r.visibility_delay_ms, metavar="MS")
    rest("--rest-history-delay-ms", type=int, default=r.history_delay_ms, metavar="MS")
    rest("--rest-closed-buffer", type=int, default=r.closed_buffer, metavar="N")
    rest("--rest-closed-since-ms", type=int, default=r.closed_since_ms, metavar="MS")
    rest("--rest-rate-limit", type=int, metavar="N", help="requests/s per key and path (50)")
    rest("--rest-clock-skew-ms", type=int, default=r.clock_skew_ms, metavar="MS")
    rest("--rest-spot-not-found-error", action="store_true", help="170213, not [], for spot")
    rest(
        "--rest-fail-next",
        action="append",
        type=int,
        default=[],
        metavar="CODE",
        help="fail the next signed query with this HTTP status or retCode (repeatable: in order)",
    )

    m = MarketConfig()
    market = parser.add_argument_group("market and accounts (see README: The local server)")
    market.add_argument("--market-step-ms", type=int, default=m.step_ms, metavar="MS")
    market.add_argument("--volatility-ticks", type=float, default=m.volatility_ticks)
    market.add_argument("--trade-probability", type=float, default=m.trade_probability)
    market.add_argument(
        "--wallet",
        action="append",
        default=[],
        metavar="COIN=AMOUNT",
        help="an account's starting balance of COIN (repeatable; others keep the defaults)",
    )
    market.add_argument(
        "--push-first",
        dest="ack_first",
        action="store_false",
        help="send an order op's private pushes before its ack (default: the ack first)",
    )
    market.add_argument(
        "--no-new-for-takers",
        dest="new_for_takers",
        action="store_false",
        help="no order New push before the fills of an order that trades at once",
    )


def _public_key_file(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as file:
            text = file.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise argparse.ArgumentTypeError(f"cannot read {path!r}: {exc}") from None
    if is_pem_private_key(text) or not is_pem_public_key(text):
        raise argparse.ArgumentTypeError(
            f"{path!r} is not a PEM public key (-----BEGIN PUBLIC KEY-----); make it from the "
            "private key: openssl rsa -in private.pem -pubout -out public.pem"
        )
    return text


def config_from_args(args: argparse.Namespace) -> ServerConfig:
    """The configuration the parsed options describe (``ValueError`` if they do not fit)."""
    if len(args.key) != len(args.credentials):
        raise ValueError("give --key and --secret (or --rsa-public-key) in pairs")
    accounts = dict(zip(args.key, args.credentials, strict=True))
    rate_limits: dict[str, dict[str, int]] = {}
    for text in args.rate_limits:
        match = _RATE_LIMIT.fullmatch(text)
        if match is None:
            raise ValueError(f"--rate-limit {text!r}: expected OP:CATEGORY=N")
        rate_limits.setdefault(match["op"], {})[match["category"]] = int(match["limit"])
    faults = Faults(
        delay_ms=args.delay_ms,
        drop_after_frames=args.drop_after_frames,
        drop_probability=args.drop_probability,
        drop_before_apply=args.drop_before_apply,
        drop_after_apply=args.drop_after_apply,
        split_reply=args.split_reply,
        garbage_frames=args.garbage_frames,
        truncated_frames=args.truncated_frames,
        error_shape=args.error_shape,
        reject_orders=args.reject_orders,
        reject_auth=args.reject_auth,
        restarting=args.restarting,
        no_pong=args.no_pong,
        duplicate_replies=args.duplicate_replies,
        unknown_req_id_replies=args.unknown_req_id_replies,
        oversize_replies=args.oversize_replies,
        stream_drop_after_pushes=args.stream_drop_after_pushes,
        stream_faults=tuple(args.stream_faults),
        stream_burst=args.stream_burst,
        stream_fault_interval_ms=args.stream_fault_interval_ms,
        push_before_ack=args.push_before_ack,
        cancel_races_fill=args.cancel_races_fill,
    )
    wallet = dict(AccountConfig().wallet)
    for text in args.wallet:
        coin, sep, amount = text.partition("=")
        if not (sep and coin):
            raise ValueError(f"--wallet {text!r}: expected COIN=AMOUNT, e.g. USDT=50000")
        wallet[coin] = amount
    try:
        account = AccountConfig(
            wallet=wallet, ack_first=args.ack_first, new_for_takers=args.new_for_takers
        )
    except ArithmeticError:
        raise ValueError("--wallet: AMOUNT must be a decimal number") from None
    rest = RestOptions(
        visibility_delay_ms=args.rest_visibility_delay_ms,
        history_delay_ms=args.rest_history_delay_ms,
        closed_buffer=args.rest_closed_buffer,
        closed_since_ms=args.rest_closed_since_ms,
        rate_limit=args.rest_rate_limit,
        clock_skew_ms=args.rest_clock_skew_ms,
        spot_not_found_error=args.rest_spot_not_found_error,
        fail_next=list(args.rest_fail_next),
    )
    market = MarketConfig(
        step_ms=args.market_step_ms,
        volatility_ticks=args.volatility_ticks,
        trade_probability=args.trade_probability,
    )
    config = ServerConfig(
        host=args.host,
        port=args.port,
        rate_limit=args.rate_limit,
        rate_limits=rate_limits,
        recv_window_ms=args.recv_window_ms,
        idle_timeout=args.idle_timeout,
        max_frame_bytes=args.max_frame_bytes,
        unauthenticated_code=args.unauthenticated_code,
        unauthenticated_req_id=args.unauthenticated_req_id,
        max_connections_per_key=args.max_connections_per_key,
        req_id_memory=args.req_id_memory,
        record_received=False,  # nobody can read it from outside the process
        seed=args.seed,
        faults=faults,
        rest=rest,
        idle_check_interval=args.idle_check_interval,
        subscribe_before_auth=args.subscribe_before_auth,
        unsubscribe_unknown=args.unsubscribe_unknown,
        stream_queue_bytes=args.stream_queue_bytes,
        market=market,
        account=account,
    )
    return dataclasses.replace(config, accounts=accounts) if accounts else config


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Run ``serve`` with parsed options; returns the exit status."""
    try:
        config = config_from_args(args)
    except ValueError as exc:
        parser.exit(2, f"{parser.prog}: error: {exc}\n")
    logging.basicConfig(
        level=args.log_level,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        return asyncio.run(_serve(config))
    except ServeError as exc:
        sys.stderr.write(f"{parser.prog}: error: {exc}\n")
        return 1


def _listen_error(config: ServerConfig, exc: OSError) -> ServeError:
    host, port = config.host, config.port
    if isinstance(exc, socket.gaierror):
        return ServeError(f"cannot listen on {host}: unknown host ({exc.strerror}): check --host")
    if exc.errno == errno.EADDRINUSE:
        return ServeError(
            f"cannot listen: {host}:{port} is already in use (another server?): "
            "pick another --port, or --port 0 for a free one"
        )
    if exc.errno == errno.EADDRNOTAVAIL:
        return ServeError(
            f"cannot listen on {host}: not an address of this machine: "
            "pass one of its addresses as --host (e.g. 127.0.0.1)"
        )
    if exc.errno == errno.EACCES:
        return ServeError(
            f"cannot listen on port {port}: permission denied "
            "(ports below 1024 need privileges): pick another --port"
        )
    return ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}")


async def _serve(config: ServerConfig) -> int:
    from .app import LocalServer  # noqa: PLC0415 - keeps `bybit-wsapi operations` light

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    server = LocalServer(config)
    try:
        await server.start()
    except OSError as exc:
        raise _listen_error(config, exc) from None
    try:
        sys.stdout.write(f"{server.url}\n{server.base_url}\n")
        sys.stdout.flush()
        await stop.wait()
        logger.info("shutting down")
    finally:
        await server.stop()
    return 0
