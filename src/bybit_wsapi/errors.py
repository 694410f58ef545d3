"""Every error the client raises, under one base class.

::

    BybitWSError
    ├── ConfigurationError          bad constructor arguments (also a ValueError)
    ├── AuthenticationError         the auth frame was rejected (retCode != 0)
    ├── WSConnectionError           cannot connect (also a ConnectionError)
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

from collections.abc import Mapping
from typing import Any, Literal

__all__ = [
    "AuthenticationError",
    "BybitWSError",
    "ConfigurationError",
    "Outcome",
    "RequestError",
    "RequestNotSentError",
    "RequestOutcomeUnknownError",
    "RequestTimeoutError",
    "WSAPIError",
    "WSConnectionError",
]

Outcome = Literal["rejected", "not_sent", "unknown"]


class BybitWSError(Exception):
    """Base class of every error raised by bybit-wsapi."""


class ConfigurationError(BybitWSError, ValueError):
    """The client was configured wrongly; the message says how to fix it."""


class AuthenticationError(BybitWSError):
    """Bybit rejected the ``auth`` frame (bad key or signature, expired, no permission)."""

    def __init__(
        self, ret_code: int | None, ret_msg: str, response: Mapping[str, Any] | None = None
    ) -> None:
        self.ret_code = ret_code
        self.ret_msg = ret_msg
        self.response = response
        super().__init__(f"authentication failed: retCode={ret_code} {ret_msg!r}")


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
    """The API answered with ``retCode != 0``; ``response`` is the whole reply."""

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
    ) -> None:
        self.ret_code = ret_code
        self.ret_msg = ret_msg
        self.response = response
        self.matched_by_op = matched_by_op
        """The reply carried no ``reqId`` and was matched to this request by its operation."""
        how = " (reply had no reqId; matched by operation)" if matched_by_op else ""
        super().__init__(
            f"{op} failed: retCode={ret_code} {ret_msg!r} (reqId {req_id}){how}",
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
        state = "sent, outcome unknown" if sent else "never sent (no connection)"
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
