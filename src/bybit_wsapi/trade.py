"""The ``/v5/trade`` dialect of :class:`~.session.ClientProtocol` (sans-I/O).

Order operations are framed with a fresh timestamp; each reply is matched by ``reqId`` and
settles its request synchronously, in the call that received it. Errors without ``reqId`` are
attributed only when certain (``orphans``); a 10019/10016 asks for a new connection (drain,
then move); a reply after its request timed out is emitted, marked late, with the original
params. Batches over the spec's per-category item cap are refused before they are sent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from bybit_wsapi_generated import WS_API_OPERATIONS
from bybit_wsapi_generated.tables import CATEGORY_FIELD, OPERATION_RULES

from .errors import WSAPIError
from .orphans import Match, OrphanMatcher
from .protocol import (
    PING_FRAME,
    AuthReply,
    OrphanError,
    Reply,
    Unrecognised,
    decode,
    encode_params,
    request_frame,
    response_meta,
    signed_auth_frame,
)
from .requests import Request
from .retcodes import RESTART_CODES
from .session import ClientProtocol, EventSink, Limits, Phase, Signal

__all__ = ["TradeProtocol", "batch_cap"]

logger = logging.getLogger(__name__)


def batch_cap(op: str, params: Mapping[str, Any]) -> tuple[str, int, int] | None:
    """For a batch over its cap: (items key, item count, cap); else None (spec's tables)."""
    rule = OPERATION_RULES.get(op)
    if rule is None or rule["batch_items"] is None:
        return None
    items = params.get(rule["batch_items"])
    caps = rule["batch_max_items"]
    cap = caps.get(str(params.get(CATEGORY_FIELD)), caps.get("default"))
    if cap is None or not isinstance(items, list | tuple) or len(items) <= cap:
        return None
    return rule["batch_items"], len(items), cap


class TradeProtocol(ClientProtocol):
    """Order operations and their replies on one client's ``/v5/trade`` connection."""

    def __init__(
        self,
        ws_key: str,
        limits: Limits,
        events: EventSink,
        signal: Callable[[Signal, str], None],
        *,
        referer: str | None = None,
    ) -> None:
        super().__init__(ws_key, limits, events, signal)
        self.referer = referer
        self.orphans = OrphanMatcher()
        longest = max(WS_API_OPERATIONS, key=len)
        self.frame_overhead = len(
            request_frame(
                "0" * 36, longest, "", timestamp_ms=10**13, recv_window_ms=10**9, referer=referer
            ).encode()
        )

    # -- frames out ------------------------------------------------------------------------------

    def refusal(self, request: Request) -> str | None:
        over = batch_cap(request.op, request.params)
        if over is not None:
            key, count, cap = over
            category = request.params.get(CATEGORY_FIELD)
            return (
                f"{key} has {count} items, over the cap of {cap} for category {category!r}: "
                "split it into batches of at most that many"
            )
        return super().refusal(request)

    def frames(self, batch: list[Request], wall_ms: int, now: float) -> list[str]:
        stamp = wall_ms + self.time_offset_ms
        window = self.limits.recv_window_ms
        referer = self.referer
        frames = []
        for request in batch:
            request.sent_at = now
            frames.append(
                request_frame(
                    request.req_id,
                    request.op,
                    request.params_json,
                    timestamp_ms=stamp,
                    recv_window_ms=window,
                    referer=referer,
                )
            )
        return frames

    def encode(self, params: Mapping[str, Any]) -> str:
        return encode_params(params)

    def ping_frame(self) -> str:
        return PING_FRAME

    def auth_frame(self, api_key: str, expires_ms: int, signature: str) -> str:
        return signed_auth_frame(api_key, expires_ms, signature, f"auth-{expires_ms}")

    # -- frames in -------------------------------------------------------------------------------

    def receive(self, text: str, now: float) -> None:
        self.last_rx = now
        try:
            message = decode(text)
            if type(message) is Reply:
                self._settle(message, now)
            elif type(message) is AuthReply:
                self.authenticated(message.ret_code, message.ret_msg, message.frame)
            elif type(message) is OrphanError:
                waiting = self.table.waiting(message.op)
                self._settle_matches(self.orphans.error(message, waiting))
                self._restart_if_told(message.ret_code)
                self.check_drained()
            elif type(message) is Unrecognised:
                logger.warning("ignored a frame (%s): %.200r", message.reason, message.text)
            # a Pong needs nothing: last_rx is what the heartbeat checks
        except Exception:
            logger.exception("failed to handle a frame: %.200r", text)

    def _settle(self, reply: Reply, now: float) -> None:
        request = self.table.replied(reply.req_id)
        op = reply.op if request is None else request.op
        if matches := self.orphans.replied(reply.req_id, op):
            self._settle_matches(matches)
        if request is not None:
            self._answer(request, reply, now, late=False)
        elif (late := self.table.late(reply.req_id)) is not None:
            self._answer(late, reply, now, late=True)
        else:
            logger.warning(
                "reply to an unknown or expired reqId %r (%s, retCode=%s)",
                reply.req_id,
                reply.op,
                reply.ret_code,
            )
        if reply.ret_code:  # a restart notice concerns the server, whoever still waits
            self._restart_if_told(reply.ret_code)
        self.check_drained()

    def _answer(self, request: Request, reply: Reply, now: float, *, late: bool) -> None:
        if not late:
            self.answered = True
            if request.settled:  # its caller gave up on it (cancelled)
                return
        frame = reply.frame
        frame["wsKey"] = self.ws_key
        meta = response_meta(frame, (now - request.sent_at) * 1000.0)
        frame["meta"] = meta
        if late:
            meta["late"] = True
            meta["params"] = dict(request.params)
            logger.warning(
                "reply to an unknown or expired reqId %r (%s, retCode=%s): it timed out before, "
                "so it is emitted marked late (meta.late)",
                request.req_id,
                request.op,
                reply.ret_code,
            )
        if reply.ret_code == 0:
            request.resolve(frame)
            if late or self.events.has_handlers("response"):
                self.events.emit("response", frame)
        else:
            self._reject(request, reply.ret_code, reply.ret_msg, frame, matched_by_op=False)

    def _settle_matches(self, matches: list[Match]) -> None:
        for req_id, orphan in matches:
            request = None if req_id is None else self.table.replied(req_id)
            if request is None:
                logger.warning(
                    "error without reqId for %s (retCode=%s %r) matches no waiting request%s",
                    orphan.op,
                    orphan.ret_code,
                    orphan.ret_msg,
                    "" if req_id is None else f" (reqId {req_id} had timed out)",
                )
                continue
            self.answered = True
            frame = dict(orphan.frame, wsKey=self.ws_key)
            self._reject(request, orphan.ret_code, orphan.ret_msg, frame, matched_by_op=True)

    def _reject(
        self,
        request: Request,
        ret_code: int | None,
        ret_msg: str,
        frame: Mapping[str, Any],
        *,
        matched_by_op: bool,
    ) -> None:
        error = WSAPIError(
            ret_code=ret_code,
            ret_msg=ret_msg,
            op=request.op,
            req_id=request.req_id,
            response=frame,
            params=request.params,
            matched_by_op=matched_by_op,
            time_offset_ms=self.time_offset_ms,
        )
        if not self.fail(request, error):  # late: its call already failed with a timeout
            self.events.emit("exception", error)

    def _restart_if_told(self, ret_code: int | None) -> None:
        """10019/10016: the server is restarting; stop writing, drain, move."""
        if ret_code in RESTART_CODES and self.phase is Phase.OPEN:
            reason = f"the server answered retCode={ret_code} (restarting)"
            logger.warning("%s: moving to a new connection", reason)
            self.phase = Phase.DRAINING
            self.signal("restart", reason)

    # -- hooks -----------------------------------------------------------------------------------

    def timed_out(self, request: Request) -> None:
        self.orphans.timed_out(request.req_id, request.op)

    def session_reset(self) -> None:
        self.orphans.reset()
