"""Every error the client raises, under one base class.

::

    BybitWSError
    ├── ConfigurationError          bad constructor arguments (also a ValueError)
    ├── AuthenticationError         the auth frame was rejected (retCode != 0)
    ├── WSConnectionError           cannot connect (also a ConnectionError)
    ├── SubscriptionError           Bybit refused stream topics; names each one and why
    ├── StreamOverflowError         a stream's consumer fell behind: messages were dropped
    └── RequestError                one request failed; carries op, req_id and params
        ├── WSAPIError              the API answered retCode != 0
        ├── RequestTimeoutError     no reply in time (also a TimeoutError)
        ├── RequestNotSentError     the connection failed before the frame left: safe to resend
        └── RequestOutcomeUnknownError  the frame was sent, the reply never came: reconcile

``RequestNotSentError`` and ``RequestOutcomeUnknownError`` are also ``WSConnectionError``.

``RequestError.outcome`` says what a trading bot must know: ``"rejected"`` (the API answered
with an error), ``"not_sent"`` (nothing reached Bybit; retrying cannot duplicate an order) or
``"unknown"`` (Bybit may have acted: look the order up by its ``orderLinkId`` before retrying).
The client never re-sends an order operation by itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Final, Literal

from .retcodes import RetCode

__all__ = [
    "HINTS",
    "AuthenticationError",
    "BybitWSError",
    "ConfigurationError",
    "Outcome",
    "RequestError",
    "RequestNotSentError",
    "RequestOutcomeUnknownError",
    "RequestTimeoutError",
    "StreamOverflowError",
    "SubscriptionError",
    "WSAPIError",
    "WSConnectionError",
    "corrected_offset_ms",
    "hint",
]

Outcome = Literal["rejected", "not_sent", "unknown"]

HINTS: Final[Mapping[int, str]] = {
    RetCode.REQUEST_EXPIRED: (
        "Likely cause: this machine's clock is off, so the timestamp fell outside the receive "
        "window. Fix: sync the clock (NTP), or pass the difference to "
        "set_time_offset_ms(server_ms - local_ms), or widen recv_window."
    ),
    RetCode.TOO_MANY_SESSIONS: (
        "Likely cause: too many sessions (connections) under this account's UID, as the "
        "/v5/trade code table defines 10003. Fix: close the other connections of this account "
        "(each client holds one: close() the clients you no longer use). Bybit's general code "
        "table uses 10003 for an invalid API key: if nothing else is connected, check the key."
    ),
    RetCode.INVALID_SIGNATURE: (
        "Likely cause: the API key and secret do not match, or the signature was made wrongly. "
        "Fix: check that the secret belongs to this key and to this environment (testnet keys "
        "need testnet=True, mainnet keys the mainnet), with no stray whitespace copied. For a "
        "self-generated RSA key: the public key registered for this API key must be made from "
        "this private key (openssl rsa -in private.pem -pubout)."
    ),
    RetCode.PERMISSION_DENIED: (
        "Likely cause: the API key lacks the permission this needs. Fix: enable the key's "
        "trade permission for this product in Bybit's API management."
    ),
    RetCode.IP_NOT_WHITELISTED: (
        "Likely cause: this machine's IP address is not on the API key's IP whitelist. Fix: add "
        "it to the key's allowed IPs in Bybit's API management, or use a key without an IP "
        "restriction."
    ),
}
"""What each retCode most likely means and what to do about it: appended to error messages."""

_TIMESTAMPS = re.compile(r"req_timestamp\[(\d+)\].*server_timestamp\[(\d+)\]")


def corrected_offset_ms(offset_ms: int, server_ms: int, signed_ms: int) -> int:
    """The time offset to set after a 10002: the one that signed ``signed_ms`` (``offset_ms``)
    moved by how far the server's clock (``server_ms``) was ahead of that timestamp."""
    return offset_ms + server_ms - signed_ms


def hint(
    ret_code: int | None, ret_msg: str = "", meta: object = None, time_offset_ms: int | None = None
) -> str | None:
    """The likely cause of ``ret_code`` and its fix, from ``HINTS`` and the reply itself.

    ``time_offset_ms``: the client's offset when it signed (a 10002's fix builds on it).
    """
    if ret_code == RetCode.TOO_MANY_VISITS:
        return _rate_limit_hint(meta if isinstance(meta, Mapping) else {})
    text = HINTS.get(ret_code) if ret_code is not None else None
    stamps = _TIMESTAMPS.search(ret_msg)
    if text is not None and ret_code == RetCode.REQUEST_EXPIRED and stamps:
        signed_ms, server_ms = int(stamps.group(1)), int(stamps.group(2))
        ahead = server_ms - signed_ms
        text += f" Here the server's clock was {ahead} ms ahead of the request's timestamp"
        if time_offset_ms is None:
            text += f": set_time_offset_ms(get_time_offset_ms() + {ahead}) corrects it."
        else:
            fix = corrected_offset_ms(time_offset_ms, server_ms, signed_ms)
            text += f" (time offset {time_offset_ms} ms): set_time_offset_ms({fix}) corrects it."
    return text


def _rate_limit_hint(meta: Mapping[str, Any]) -> str:
    limit, left, reset = meta.get("rateLimit"), meta.get("rateLimitRemaining"), None
    reset_ms, now_ms = meta.get("rateLimitResetMs"), meta.get("serverTimeMs")
    if isinstance(reset_ms, int):
        at = datetime.fromtimestamp(reset_ms / 1000, UTC).strftime("%H:%M:%S.%f")[:-3]
        after = f", in {reset_ms - now_ms} ms" if isinstance(now_ms, int) else ""
        reset = f"resets at {at} UTC{after}"
    quota = [
        *([f"limit {limit}/s"] if isinstance(limit, int) else []),
        *([f"{left} left"] if isinstance(left, int) else []),
        reset or "reset time not reported",
    ]
    return (
        f"Likely cause: the account's rate limit for this operation is used up ({', '.join(quota)})."
        " Fix: wait for the reset before sending more; meta.rateLimitRemaining on each reply "
        "shows what is left."
    )


class BybitWSError(Exception):
    """Base class of every error raised by bybit-wsapi."""


class ConfigurationError(BybitWSError, ValueError):
    """The client was configured wrongly; the message says how to fix it."""


class AuthenticationError(BybitWSError):
    """Bybit rejected the ``auth`` frame (bad key or signature, expired, no permission).

    ``hint`` is the likely cause and its fix (also in the message), when the code is known.
    """

    def __init__(
        self, ret_code: int | None, ret_msg: str, response: Mapping[str, Any] | None = None
    ) -> None:
        self.ret_code = ret_code
        self.ret_msg = ret_msg
        self.response = response
        self.hint = hint(ret_code, ret_msg)
        text = f"authentication failed: retCode={ret_code} {ret_msg!r}"
        if ret_code is None:  # no reply: the client could not sign (a sign hook failed)
            text = f"authentication failed: {ret_msg}"
        super().__init__(text if self.hint is None else f"{text}. {self.hint}")


class RequestError(BybitWSError):
    """One request failed. Subclasses say how; ``outcome`` says whether Bybit may have acted."""

    outcome: Outcome = "unknown"

    def __init__(
        self,
        message: str,
        *,
        op: str,
        req_id: str | None,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        self.op = op
        self.req_id = req_id
        self.params = params
        """The request's parameters: find ``orderLinkId`` here to reconcile."""
        super().__init__(message)

    @property
    def sent(self) -> bool:
        """Whether the request frame may have reached Bybit."""
        return self.outcome != "not_sent"


class WSAPIError(RequestError):
    """The API answered with ``retCode != 0``; ``response`` is the whole reply.

    ``hint`` is the likely cause and its fix (also in the message), when the code is known; for
    10006 (rate limit) it gives the limit and the reset time from the reply's headers, for 10002
    the offset to set (from ``time_offset_ms``, the offset the request was signed with).
    """

    outcome: Outcome = "rejected"

    def __init__(
        self,
        *,
        ret_code: int | None,
        ret_msg: str,
        op: str,
        req_id: str | None,
        response: Mapping[str, Any],
        params: Mapping[str, Any] | None = None,
        matched_by_op: bool = False,
        time_offset_ms: int | None = None,
    ) -> None:
        self.ret_code = ret_code
        self.ret_msg = ret_msg
        self.response = response
        self.matched_by_op = matched_by_op
        """The reply carried no ``reqId`` and was matched to this request by its operation."""
        self.hint = hint(ret_code, ret_msg, response.get("meta"), time_offset_ms)
        how = " (reply had no reqId; matched by operation)" if matched_by_op else ""
        text = f"{op} failed: retCode={ret_code} {ret_msg!r} (reqId {req_id}){how}"
        super().__init__(
            text if self.hint is None else f"{text}. {self.hint}",
            op=op,
            req_id=req_id,
            params=params,
        )


class RequestTimeoutError(RequestError, TimeoutError):
    """No reply within the timeout. ``outcome`` is ``"unknown"`` if the frame was sent."""

    def __init__(
        self,
        *,
        timeout: float,
        sent: bool,
        op: str,
        req_id: str | None,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        self.timeout = timeout
        self.outcome = "unknown" if sent else "not_sent"
        state = (
            "sent, outcome unknown: reconcile before sending it again"
            if sent
            else "never sent: sending it again cannot duplicate it"
        )
        super().__init__(
            f"{op} timed out after {timeout:g} s ({state}; reqId {req_id})",
            op=op,
            req_id=req_id,
            params=params,
        )


class WSConnectionError(BybitWSError, ConnectionError):
    """No usable connection: the connect attempt failed, or the connection dropped."""


class RequestNotSentError(RequestError, WSConnectionError):
    """The request never left the client: sending it again cannot duplicate an order."""

    outcome: Outcome = "not_sent"


class RequestOutcomeUnknownError(RequestError, WSConnectionError):
    """The request was sent but the connection failed before its reply: reconcile first."""

    outcome: Outcome = "unknown"


class SubscriptionError(BybitWSError):
    """Bybit refused some topics of a subscribe or unsubscribe (or never answered).

    ``failures`` maps each failed topic to Bybit's reason (``handler not found``: an unknown
    topic or symbol, or the wrong category; ``Params Error``; ...). Topics not in it succeeded.
    """

    def __init__(self, op: str, failures: Mapping[str, str]) -> None:
        self.op = op
        self.failures = dict(failures)
        listed = "; ".join(f"{topic!r}: {why}" for topic, why in self.failures.items())
        super().__init__(
            f"{op} failed for {len(self.failures)} topic(s): {listed}. Check each topic's name, "
            "symbol and category (a public topic needs the category of its socket)"
        )


class StreamOverflowError(BybitWSError):
    """A subscription's consumer fell behind its bounded buffer and ``dropped`` messages here.

    Raised by the iterator at the point of the gap; iterating again goes on after it. Private
    state (orders, executions, positions, wallet) may be stale: reconcile through REST.
    """

    def __init__(self, topic: str, dropped: int, capacity: int) -> None:
        self.topic = topic
        self.dropped = dropped
        self.capacity = capacity
        super().__init__(
            f"{topic}: {dropped} message(s) dropped here, the consumer fell behind its buffer of "
            f"{capacity} (stream_buffer_size): consume faster or raise the buffer, and "
            "reconcile what was missed"
        )
