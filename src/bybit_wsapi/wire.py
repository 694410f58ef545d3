"""Wire facts of ``/v5/trade`` that the spec's tables do not hold, written once for client and
server: frame keys, header keys, control ops and the error-reply shapes (reference §3-§5, §8).

A pure leaf: it imports nothing of this package. The API path, the category field, the control
ops and ``Action`` are the generated tables' (re-exported here); the codes acted on are in
``retcodes``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from bybit_wsapi_generated.tables import OP_AUTH, OP_PING, OP_PONG, Action

__all__ = [
    "API_KEY_KEY",
    "ARGS",
    "CONN_ID",
    "DATA",
    "HEADER",
    "LEGACY_CONN_ID",
    "LEGACY_RET_CODE",
    "LEGACY_RET_MSG",
    "LEGACY_SUCCESS",
    "LIMIT_KEY",
    "LIMIT_RESET_KEY",
    "LIMIT_STATUS_KEY",
    "OP",
    "OP_AUTH",
    "OP_PING",
    "OP_PONG",
    "RECV_WINDOW_KEY",
    "REFERER_KEY",
    "REQ_ID",
    "RET_CODE",
    "RET_EXT_INFO",
    "RET_MSG",
    "SIGN_KEY",
    "TIMESTAMP_KEY",
    "TIME_NOW_KEY",
    "TRACE_ID_KEY",
    "TRACE_ID_KEYS",
    "Action",
    "legacy_error",
    "req_id_less_error",
]

# -- frame keys (§4, §5.1) ---------------------------------------------------------------------
REQ_ID: Final = "reqId"
OP: Final = "op"
ARGS: Final = "args"
HEADER: Final = "header"
RET_CODE: Final = "retCode"
RET_MSG: Final = "retMsg"
DATA: Final = "data"
RET_EXT_INFO: Final = "retExtInfo"
CONN_ID: Final = "connId"

# -- request header keys (§4): every value a string ---------------------------------------------
TIMESTAMP_KEY: Final = "X-BAPI-TIMESTAMP"
RECV_WINDOW_KEY: Final = "X-BAPI-RECV-WINDOW"
REFERER_KEY: Final = "Referer"
API_KEY_KEY: Final = "X-BAPI-API-KEY"
"""REST only (with ``SIGN_KEY``, and the two above): the WS API signs once, at ``auth``."""
SIGN_KEY: Final = "X-BAPI-SIGN"

# -- reply header keys (§5.1): every value a string ---------------------------------------------
LIMIT_KEY: Final = "X-Bapi-Limit"
LIMIT_STATUS_KEY: Final = "X-Bapi-Limit-Status"
LIMIT_RESET_KEY: Final = "X-Bapi-Limit-Reset-Timestamp"
TRACE_ID_KEY: Final = "Traceid"
TRACE_ID_KEYS: Final = (TRACE_ID_KEY, "TraceId")
"""The spellings of the trace id a client accepts (the first is the one Bybit sends)."""
TIME_NOW_KEY: Final = "Timenow"

# -- the legacy error shape (§5.3): snake_case keys, ``success: false``, no ``retCode`` ---------
LEGACY_SUCCESS: Final = "success"
LEGACY_RET_CODE: Final = "ret_code"
LEGACY_RET_MSG: Final = "ret_msg"
LEGACY_CONN_ID: Final = "conn_id"


def req_id_less_error(reply: Mapping[str, object]) -> dict[str, object]:
    """A standard error reply in the reqId-less shape of §5.3: only code, message, op, connId."""
    return {key: reply[key] for key in (RET_CODE, RET_MSG, OP, CONN_ID)}


def legacy_error(reply: Mapping[str, object]) -> dict[str, object]:
    """A standard error reply in the legacy shape of §5.3: ``success: false``, no code."""
    return {
        LEGACY_SUCCESS: False,
        LEGACY_RET_MSG: reply[RET_MSG],
        OP: reply[OP],
        LEGACY_CONN_ID: reply[CONN_ID],
    }
