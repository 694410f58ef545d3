"""The ``retCode`` values of ``/v5/trade`` that the client or the local server act on.

Source: the protocol reference (``bybit-ws-api.md`` §3.3, §9). Pure data, no I/O.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Final

__all__ = ["RESTART_CODES", "RETRYABLE_AUTH_CODES", "RetCode"]


class RetCode(IntEnum):
    """Known ``retCode`` values. Others can appear; compare with ``int`` values freely."""

    OK = 0
    PARAM_ERROR = 10001
    """Parameter error (also per item in batch ``retExtInfo``)."""
    REQUEST_EXPIRED = 10002
    """``X-BAPI-TIMESTAMP`` outside the receive window."""
    TOO_MANY_SESSIONS = 10003
    """On ``/v5/trade``: too many connections for the UID (elsewhere: invalid API key)."""
    INVALID_SIGNATURE = 10004
    PERMISSION_DENIED = 10005
    TOO_MANY_VISITS = 10006
    """Account rate limit exceeded."""
    IP_NOT_WHITELISTED = 10010
    INTERNAL_ERROR = 10016
    """Internal error, or the service is restarting: reconnect."""
    SERVICE_RESTARTING = 10019
    """The WS trade service is restarting: open a new connection."""
    IP_RATE_LIMIT = 10403
    OP_NOT_FOUND = 10404
    """Unknown operation, or a wrong or unsupported category."""
    SYSTEM_FREQUENCY_PROTECTION = 10429
    REPEAT_AUTH = 20001
    TOO_FREQUENT = 20003
    DUPLICATE_REQ_ID = 20006
    ORDER_NOT_EXISTS = 110001
    ORDER_COMPLETED_OR_CANCELLED = 110008
    ORDER_ALREADY_CANCELLED = 110010
    REDUCE_ONLY_NOT_SATISFIED = 110017
    """A reduce-only order without an opposite position to reduce."""
    DUPLICATE_ORDER_LINK_ID = 110072
    SPOT_INSUFFICIENT_BALANCE = 170131
    SPOT_DUPLICATE_ORDER_LINK_ID = 170141
    SPOT_ORDER_NOT_EXISTS = 170213


RESTART_CODES: Final = frozenset({RetCode.SERVICE_RESTARTING, RetCode.INTERNAL_ERROR})
"""The server is restarting (§9): stop sending, let in-flight replies arrive, reconnect."""

RETRYABLE_AUTH_CODES: Final = frozenset(
    {
        RetCode.SERVICE_RESTARTING,
        RetCode.INTERNAL_ERROR,
        RetCode.SYSTEM_FREQUENCY_PROTECTION,
        RetCode.IP_RATE_LIMIT,
    }
)
"""Auth failures a new connection may cure (the others: fix the key, clock or whitelist)."""
