"""The clients' options: ``ClientOptions`` (what users pass), ``ConnectionOptions`` (every
default, validated), and the checks between them (pure: no I/O).

Each default is written once, as a ``ConnectionOptions`` field; ``ClientOptions``' docstrings and
the README quote them, and a test keeps the three in step.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypedDict

from bybit_wsapi_generated import WS_KEY_MAP, StreamWsKey, WsKey
from bybit_wsapi_generated.streams import STREAMS

from .endpoints import Region, stream_url, ws_api_url
from .errors import ConfigurationError
from .signing import KeyType, Signer, SignHook, make_signer

__all__ = [
    "OPTION_FIELDS",
    "ClientOptions",
    "ConnectionOptions",
    "check_flag",
    "check_seconds",
    "connection_options",
]


class ClientOptions(TypedDict, total=False):
    """Keyword options of both clients (all optional)."""

    testnet: bool
    """Use Bybit's testnet (``wss://stream-testnet.bybit.com/v5/trade``)."""
    demo_trading: bool
    """Demo trading: private streams on ``stream-demo.bybit.com``, public ones on mainnet; the
    WS trade API is refused (Bybit has none there: use testnet for it)."""
    region: Region
    """A regional mainnet host: ``tr``, ``kz`` (documented), ``id``, ``ge``, ``jp``."""
    ws_url: str
    """Any other endpoint, e.g. the local test server's ``server.url``."""
    base_url: str
    """One host for every path (``/v5/trade``, ``/v5/private``, ``/v5/public/{category}``), e.g.
    the local server's ``server.base_url``; ``ws_url``, if given, still names the trade endpoint."""
    recv_window: int
    """``X-BAPI-RECV-WINDOW`` in ms (default 5000)."""
    request_timeout: float
    """Default seconds to wait for a reply (default 10); each call can override it."""
    connect_timeout: float
    """Seconds for the handshake, the auth reply, and ``connect_ws_api()`` (default 10)."""
    ping_interval: float
    """Seconds between JSON heartbeats (default 20, as Bybit recommends)."""
    pong_timeout: float
    """Seconds without any frame after a ping before reconnecting (default 10)."""
    referer: str
    """API broker id sent as the ``Referer`` header (none by default)."""
    max_frame_bytes: int
    """Largest frame sent or accepted: a bigger request is refused unsent, a bigger reply ends
    the connection (default 4 MiB)."""
    reconnect_initial_delay: float
    """First reconnect delay in seconds, doubled per failed attempt, with jitter (default 0.25)."""
    reconnect_max_delay: float
    """Longest reconnect delay in seconds (default 30)."""
    stream_buffer_size: int
    """Messages each subscription holds for a slow consumer (default 1000); beyond it books and
    tickers conflate to their latest state, other topics raise ``StreamOverflowError``."""
    max_active_time: float
    """Seconds (30 to 600) after which Bybit ends each private stream connection, which then
    reconnects: ``?max_active_time=`` (none by default)."""
    key_type: KeyType
    """How ``secret`` signs: ``"hmac"`` (lowercase hex) or ``"rsa"`` (RSA-SHA256, base64); by
    default RSA when ``secret`` is a PEM private key (``-----BEGIN ... PRIVATE KEY-----``)."""
    secret_passphrase: str | bytes
    """The passphrase of an encrypted RSA private key (none by default)."""
    sign: SignHook
    """``sign(payload) -> signature``, sync or async, in place of ``secret``: for keys that never
    leave a vault or HSM. Called once per connection; it must answer within half of
    ``connect_timeout`` (none by default)."""
    healthy_after: float
    """Seconds a connection must stay up (or answer a request) to reset the reconnect delay
    (default 10)."""
    max_new_connections: int
    """New connections this client may open per ``new_connections_window`` (default 500)."""
    new_connections_window: float
    """The sliding window of ``max_new_connections``, in seconds (default 300, as Bybit's)."""


@dataclass(frozen=True)
class ConnectionOptions:
    """Everything a connection needs, validated; each field's default is the client's default."""

    url: str
    api_key: str
    signer: Signer
    """Makes every signature: the ``auth`` frame's here."""
    ws_key: WsKey = WS_KEY_MAP.v5_private_trade
    recv_window_ms: int = 5000
    request_timeout: float = 10.0
    connect_timeout: float = 10.0
    ping_interval: float = 20.0
    pong_timeout: float = 10.0
    referer: str | None = None
    max_frame_bytes: int = 4 * 1024 * 1024
    reconnect_initial_delay: float = 0.25
    reconnect_max_delay: float = 30.0
    healthy_after: float = 10.0
    max_new_connections: int = 500
    new_connections_window: float = 300.0
    stream_urls: Mapping[StreamWsKey, str] | None = None
    """The URL of each stream socket (``None``: the trade connection needs none)."""
    trade_refusal: str | None = None
    """Why the trade socket cannot be used with these options (demo trading), if so."""
    keys_missing: str | None = None
    """Why the trade socket and the private streams cannot be used (no keys given), if so."""
    stream_buffer_size: int = 1000
    max_active_time: float | None = None


def check_seconds(name: str, value: object) -> float:
    """``value`` as seconds: a finite number above 0 (not a bool), else a ConfigurationError."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigurationError(
            f"{name} must be a number of seconds (int or float), got {type(value).__name__}"
        )
    if not math.isfinite(value) or value <= 0:
        raise ConfigurationError(f"{name} must be a finite number of seconds > 0, got {value!r}")
    return float(value)


def _integer(minimum: int, unit: str) -> Callable[[str, object], int]:
    def check(name: str, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            shown = repr(value) if isinstance(value, int | float) else type(value).__name__
            raise ConfigurationError(f"{name} must be an int >= {minimum} ({unit}), got {shown}")
        return value

    return check


def check_flag(name: str, value: object) -> bool:
    """``value`` if it is a bool (not merely truthy), else a ConfigurationError."""
    if not isinstance(value, bool):
        raise ConfigurationError(f"{name} must be True or False, got {value!r}")
    return value


def _text(name: str, value: object, what: str = "") -> str:
    if not isinstance(value, str):
        raise ConfigurationError(f"{name} must be a string{what}, got {type(value).__name__}")
    if not value:
        raise ConfigurationError(f"{name} must be a non-empty string{what}, got an empty string")
    return value


def _url(name: str, value: object) -> str:
    return _text(name, value, " (a ws:// or wss:// URL)")


def _active_time(name: str, value: object) -> float:
    seconds = check_seconds(name, value)
    if not 30 <= seconds <= 600:
        raise ConfigurationError(f"{name} must be 30 to 600 seconds (Bybit's range), got {value!r}")
    return seconds


def _with_secret(name: str, value: object) -> object:
    """A signing option: checked together with ``secret`` by ``make_signer``."""
    return value


OPTION_FIELDS: Mapping[str, tuple[str | None, Callable[[str, Any], object]]] = {
    "testnet": (None, check_flag),
    "demo_trading": (None, check_flag),
    "region": (None, _text),
    "ws_url": (None, _url),
    "base_url": (None, _url),
    "recv_window": ("recv_window_ms", _integer(1, "milliseconds")),
    "request_timeout": ("request_timeout", check_seconds),
    "connect_timeout": ("connect_timeout", check_seconds),
    "ping_interval": ("ping_interval", check_seconds),
    "pong_timeout": ("pong_timeout", check_seconds),
    "referer": ("referer", _text),
    "max_frame_bytes": ("max_frame_bytes", _integer(1024, "bytes")),
    "reconnect_initial_delay": ("reconnect_initial_delay", check_seconds),
    "reconnect_max_delay": ("reconnect_max_delay", check_seconds),
    "stream_buffer_size": ("stream_buffer_size", _integer(1, "messages")),
    "max_active_time": ("max_active_time", _active_time),
    "key_type": (None, _with_secret),
    "secret_passphrase": (None, _with_secret),
    "sign": (None, _with_secret),
    "healthy_after": ("healthy_after", check_seconds),
    "max_new_connections": ("max_new_connections", _integer(1, "connections")),
    "new_connections_window": ("new_connections_window", check_seconds),
}
"""Each option of ``ClientOptions``: the ``ConnectionOptions`` field it sets (None: it is an
argument of ``ws_api_url`` or of ``make_signer``) and the check its value passes. A new option
needs all four: its ``ClientOptions`` key (docstring with its default), its row here, its field
(or parameter), and its README row; ``tests/client/test_options.py`` checks they agree."""

_SIGNING_OPTIONS = frozenset({"key_type", "secret_passphrase", "sign"})

SIGN_TIMEOUT_SHARE = 0.5
"""A ``sign`` hook gets this share of ``connect_timeout``, so its failure, not the connect
deadline, is what ``connect()`` reports."""


KEYS_MISSING = (
    "the trade socket and the private streams need key= and secret= (or sign=): this client "
    "was made without keys, for public market data only"
)


class _NoKeys(Signer):
    """The signer of a client made without keys; the clients refuse before it is ever asked."""

    __slots__ = ()

    @property
    def description(self) -> str:
        return "no keys"

    async def sign(self, payload: str) -> str:
        raise ConfigurationError(KEYS_MISSING)


def _unknown(name: str) -> ConfigurationError:
    known = [*OPTION_FIELDS, "key", "secret"]
    squashed = {option.replace("_", ""): option for option in known}
    near = squashed.get(name.replace("_", "").lower()) or next(
        iter(difflib.get_close_matches(name, known, n=1)), None
    )
    hint = f" (did you mean {near!r}?)" if near else ""
    if name == "attach_event_listeners":
        hint = " (an argument of WebsocketAPIClient; on WebsocketClient attach handlers with on())"
    return ConfigurationError(
        f"unknown option {name!r}{hint}; the options are: {', '.join(OPTION_FIELDS)}"
    )


def connection_options(
    key: object, secret: object, options: Mapping[str, object]
) -> ConnectionOptions:
    """Check ``key``, ``secret`` and every option; the ``ConnectionOptions`` they make.

    Without ``key``, ``secret`` and ``sign`` the options are for public streams only
    (``keys_missing`` says so).

    Raises:
        ConfigurationError: an unknown option, or a value of the wrong type or range; the
            message names the option and what it expects.
    """
    keyless = key is None and secret is None and options.get("sign") is None
    if key is None and not keyless:
        raise ConfigurationError(
            "key is missing: secret= (or sign=) needs the Bybit API key it belongs to as key=; "
            "leave all three out for public market data only"
        )
    api_key = "" if keyless else _text("key", key, " (your Bybit API key)")
    endpoint: dict[str, Any] = {}
    signing: dict[str, Any] = {}
    values: dict[str, Any] = {}
    for name, value in options.items():
        if name not in OPTION_FIELDS:
            raise _unknown(name)
        if name == "referer" and value is None:
            continue
        field, check = OPTION_FIELDS[name]
        if field is None:
            (signing if name in _SIGNING_OPTIONS else endpoint)[name] = check(name, value)
        else:
            values[field] = check(name, value)
    connect_timeout = values.get("connect_timeout", ConnectionOptions.connect_timeout)
    signer: Signer = (
        _NoKeys()
        if keyless and not signing
        else make_signer(secret, sign_timeout=connect_timeout * SIGN_TIMEOUT_SHARE, **signing)
    )
    try:
        url, refusal = ws_api_url(**endpoint), None
    except ConfigurationError as refused:
        if not endpoint.get("demo_trading"):
            raise
        url, refusal = "", str(refused)
    hosts = {k: v for k, v in endpoint.items() if k != "ws_url"}
    streams = {
        key: stream_url(key, max_active_time=values.get("max_active_time"), **hosts)
        for key in STREAMS
    }
    result = ConnectionOptions(
        url=url,
        api_key=api_key,
        signer=signer,
        stream_urls=streams,
        trade_refusal=refusal,
        keys_missing=KEYS_MISSING if keyless else None,
        **values,
    )
    if result.reconnect_max_delay < result.reconnect_initial_delay:
        raise ConfigurationError(
            f"reconnect_max_delay ({result.reconnect_max_delay:g} s) must be >= "
            f"reconnect_initial_delay ({result.reconnect_initial_delay:g} s): raise "
            "reconnect_max_delay or lower reconnect_initial_delay"
        )
    return result
