"""The local server's configuration and its demo account."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, Literal

from bybit_wsapi_generated.tables import OPERATION_RULES

from bybit_wsapi.auth import account_verifier

from .faults import Faults
from .rest_options import RestOptions

if TYPE_CHECKING:
    from .account import AccountConfig
    from .market import MarketConfig

__all__ = [
    "DEMO_API_KEY",
    "DEMO_API_SECRET",
    "ServerConfig",
    "SubscribeBeforeAuth",
    "UnsubscribeUnknown",
]

SubscribeBeforeAuth = Literal["reject", "accept"]
"""A private subscribe before auth: refused, or kept and served once the connection authed."""
UnsubscribeUnknown = Literal["success", "error"]
"""Unsubscribing a topic the connection does not hold: acked as done, or refused."""

DEMO_API_KEY: Final = "bybit-wsapi-demo-key"
"""The API key of the default account (documented, so the demo needs no setup)."""
DEMO_API_SECRET: Final = "bybit-wsapi-demo-secret"
"""The API secret of the default account. Only ever valid against the local server."""


_HOST_NAME: Final = re.compile(
    r"(?=.{1,253}\Z)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?"
)


def _is_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return _HOST_NAME.fullmatch(host) is not None
    return True


def _demo_accounts() -> Mapping[str, str]:
    return {DEMO_API_KEY: DEMO_API_SECRET}


@dataclass(frozen=True)
class ServerConfig:
    """How a local server behaves. Every field has a default: the demo account, Bybit's limits."""

    host: str = "127.0.0.1"
    port: int = 0
    """0 picks a free port."""
    accounts: Mapping[str, str] = field(default_factory=_demo_accounts, repr=False)
    """API key -> API secret, or the PEM public key of a self-generated RSA key (``-----BEGIN
    PUBLIC KEY-----``: the account checks RSA-SHA256 signatures). Each key is one account with its
    own orders and quotas."""
    rate_limit: bool = True
    """Enforce the per-op rate limits (10006 when exceeded)."""
    rate_limits: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    """Overrides of the spec's limits: ``{op: {category or "default": requests per second}}``."""
    per_request_batch_categories: frozenset[str] = frozenset({"option"})
    """Categories whose batches cost one unit per request; elsewhere each item costs one."""
    recv_window_ms: int = 5000
    """Receive window when a request has no ``X-BAPI-RECV-WINDOW``."""
    idle_timeout: float = 600.0
    """Close a connection idle this many seconds: nothing received (trade), nothing received or
    pushed (streams). A ``?max_active_time=`` on the URL replaces it for that connection."""
    idle_check_interval: float = 30.0
    """Check idleness on this tick (Bybit's 30 s), so the cut comes up to a tick late."""
    subscribe_before_auth: SubscribeBeforeAuth = "reject"
    """A private subscribe before auth: ``reject`` it, or ``accept`` it (served after auth)."""
    unsubscribe_unknown: UnsubscribeUnknown = "success"
    """Unsubscribing a topic the connection does not hold: ack ``success``, or an ``error``."""
    stream_queue_bytes: int = 8 * 2**20
    """Bytes of frames queued per stream connection; a consumer further behind is dropped."""
    max_frame_bytes: int = 2**20
    """Largest accepted frame; a bigger one closes the connection with 1009."""
    unauthenticated_code: int = 10005
    """retCode of an order op sent before a successful auth."""
    unauthenticated_req_id: bool = True
    """Whether that error echoes the request's reqId."""
    max_connections_per_key: int | None = None
    """Authenticated connections allowed per API key (10003 on auth beyond it); None: any."""
    req_id_memory: int = 100_000
    """How many reqIds per connection are remembered for the duplicate check (20006)."""
    record_received: bool = True
    """Keep every accepted order-op request in ``LocalServer.received``."""
    seed: int | None = 0
    """Seed of ``Faults.drop_probability``, the market and the ids (None: unpredictable)."""
    market: MarketConfig | None = None
    """The simulated market's instruments, price process and push cadences (None: defaults)."""
    account: AccountConfig | None = None
    """Every account's starting wallet, fees and push order (None: defaults)."""
    manual_clock: bool = False
    """The market moves only on ``server.clock.advance(ms)`` / ``await server.step(ms)``."""
    faults: Faults = field(default_factory=Faults)
    """Initial fault switches; the server works on its own copy (``LocalServer.faults``)."""
    rest: RestOptions = field(default_factory=RestOptions)
    """The REST mock's initial switches; the server works on its own copy
    (``LocalServer.rest.options``)."""

    def __post_init__(self) -> None:
        if not _is_host(self.host):
            raise ValueError(f"host {self.host!r}: expected an IP address or host name")
        if not 0 <= self.port <= 65535:
            raise ValueError(f"port: expected 0..65535 (0: a free port), got {self.port}")
        for key, secret in self.accounts.items():
            if not (key and secret):
                raise ValueError("accounts must map non-empty API keys to non-empty secrets")
            account_verifier(secret)  # a bad RSA public key fails here, not at the first auth
        unknown = sorted(set(self.rate_limits) - set(OPERATION_RULES))
        if unknown:
            raise ValueError(f"rate_limits: unknown operation(s) {', '.join(unknown)}")
        if self.max_frame_bytes < 1024:
            raise ValueError("max_frame_bytes must be at least 1024")
        if self.idle_timeout <= 0 or self.recv_window_ms <= 0 or self.req_id_memory < 1:
            raise ValueError("idle_timeout, recv_window_ms and req_id_memory must be positive")
        if not self.idle_check_interval > 0 or self.stream_queue_bytes < 1024:
            raise ValueError(
                "idle_check_interval must be positive and stream_queue_bytes at least 1024"
            )
        if self.subscribe_before_auth not in ("reject", "accept"):
            raise ValueError("subscribe_before_auth: expected 'reject' or 'accept'")
        if self.unsubscribe_unknown not in ("success", "error"):
            raise ValueError("unsubscribe_unknown: expected 'success' or 'error'")
