"""The stream sockets without sockets: subscribe, unsubscribe, ping and auth in, frames out (pure).

One :class:`Streams` per server; one :class:`StreamSession` per ``/v5/private`` or
``/v5/public/{category}`` connection, holding its topics and (private) its account.
:meth:`Streams.handle` turns one received text into a :class:`StreamResult`: the replies, in the
stream's dialect (:mod:`.streams_dialects`), and the topics that became live or stopped, which
the socket side hands to the fan-out hub. Validation follows streams §7.2; the choices where the
reference is UNCONFIRMED are documented in the README.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final, NamedTuple

from bybit_wsapi.retcodes import RetCode
from bybit_wsapi.wire import OP_AUTH, OP_PING

from .config import SubscribeBeforeAuth, UnsubscribeUnknown
from .frames import FrameError, decode
from .streams_dialects import (
    Dialect,
    ReqId,
    ack,
    auth_reply,
    dialect_of,
    failure,
    invalid_op,
    pong,
)
from .streams_topics import CATEGORIES, StreamLimits, limits, private_family

__all__ = ["StreamRequest", "StreamResult", "StreamSession", "Streams"]

PARAMS_ERROR: Final = "Params Error"
MSG_NOT_AUTHORIZED: Final = "Request not authorized: send auth first"
SUBSCRIBE: Final = "subscribe"
UNSUBSCRIBE: Final = "unsubscribe"

AuthCheck = Callable[[dict[str, object], int], tuple[int, str, str | None]]
"""``(frame, now_ms) -> (retCode, retMsg, API key or None)``: the trade socket's auth check."""
TopicCheck = Callable[[str, str], bool]
"""``(category, topic) -> served?`` for public topics."""


class StreamRequest(NamedTuple):
    """One subscribe or unsubscribe a stream connection sent (recorded before validation)."""

    stream: str
    """``"private"`` or the public category."""
    conn_id: str
    op: str
    topics: list[str]


class StreamSession:
    """The protocol state of one stream connection."""

    __slots__ = ("api_key", "chars", "conn_id", "dialect", "limits", "stream", "topics")

    def __init__(self, stream: str, conn_id: str) -> None:
        self.stream = stream
        """``"private"`` or the public category."""
        self.dialect: Dialect = dialect_of(stream)
        self.limits: StreamLimits = limits(stream)
        self.conn_id = conn_id
        self.api_key: str | None = None
        self.topics: dict[str, None] = {}
        """Subscribed topics, in subscription order."""
        self.chars = 0
        """Characters of every subscribed topic (the 21,000-character limit)."""

    @property
    def live(self) -> bool:
        """Whether its subscriptions receive pushes (private ones need auth)."""
        return self.stream != "private" or self.api_key is not None


@dataclass(slots=True)
class StreamResult:
    """What one received frame does: replies to send, topics that started or stopped."""

    replies: list[dict[str, object]] = field(default_factory=list)
    subscribed: list[str] = field(default_factory=list)
    """Topics that now receive pushes (after a subscribe, or all of them on auth)."""
    unsubscribed: list[str] = field(default_factory=list)


class _RefusedError(Exception):
    def __init__(self, error: str) -> None:
        self.error = error


class Streams:
    """The stream protocol of one server, shared by its stream connections (not thread-safe)."""

    def __init__(
        self,
        auth: AuthCheck,
        public_topic: TopicCheck,
        *,
        subscribe_before_auth: SubscribeBeforeAuth = "reject",
        unsubscribe_unknown: UnsubscribeUnknown = "success",
        no_pong: Callable[[], bool] = lambda: False,
    ) -> None:
        self._auth = auth
        self._public_topic = public_topic
        self.subscribe_before_auth = subscribe_before_auth
        self.unsubscribe_unknown = unsubscribe_unknown
        self._no_pong = no_pong
        self._ids = random.Random()
        self._count = 0
        self.requests: list[StreamRequest] | None = None
        """Every subscribe and unsubscribe received, when set to a list (``record_received``)."""

    def open_session(self, stream: str) -> StreamSession:
        """A new connection's session, with a ``conn_id`` shaped like Bybit's for that stream."""
        self._count += 1
        bits = self._ids.getrandbits
        if stream == "private":
            conn_id = f"{bits(100):025x}"[:20] + f"-{self._count:x}"
        elif stream == "option":
            h = f"{bits(224):056x}"
            conn_id = f"{h[:16]}-{self._count:08x}-{h[16:24]}-{h[24:40]}-{h[40:48]}"
        else:
            h = f"{bits(128):032x}"
            conn_id = f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{h[16:20]}-{h[20:]}"
        return StreamSession(stream, conn_id)

    def handle(self, session: StreamSession, message: str | bytes, now_ms: int) -> StreamResult:
        """The effect of one received frame."""
        result = StreamResult()
        replies = result.replies
        dialect, conn_id = session.dialect, session.conn_id
        try:
            frame = decode(message)
        except FrameError as exc:
            replies.append(failure(dialect, "", None, conn_id, f"{PARAMS_ERROR}: {exc}"))
            return result
        raw_req_id = frame.get("req_id")
        req_id: ReqId = (
            raw_req_id
            if isinstance(raw_req_id, str | int) and not isinstance(raw_req_id, bool)
            else None
        )
        op = frame.get("op")
        if op == OP_PING:
            if not self._no_pong():
                replies.append(pong(dialect, req_id, conn_id, now_ms))
        elif op in (SUBSCRIBE, UNSUBSCRIBE):
            args = frame.get("args")
            if not (type(args) is list and args and all(type(a) is str for a in args)):
                replies.append(ack(dialect, op, req_id, conn_id, error=PARAMS_ERROR))
            elif op == SUBSCRIBE:
                if self.requests is not None:
                    self.requests.append(StreamRequest(session.stream, conn_id, op, args))
                self._subscribe(session, req_id, args, result)
            else:
                if self.requests is not None:
                    self.requests.append(StreamRequest(session.stream, conn_id, op, args))
                self._unsubscribe(session, req_id, args, result)
        elif op == OP_AUTH and session.stream == "private":
            self._authenticate(session, req_id, frame, now_ms, result)
        else:
            replies.append(invalid_op(conn_id, op, frame.get("args")))
        return result

    # ---- subscribe ------------------------------------------------------------------------

    def _subscribe(
        self, session: StreamSession, req_id: ReqId, topics: list[str], result: StreamResult
    ) -> None:
        dialect, conn_id = session.dialect, session.conn_id
        option = dialect == "option"
        try:
            self._check_request(session, topics)
        except _RefusedError as refused:
            result.replies.append(
                ack(dialect, SUBSCRIBE, req_id, conn_id, failed=topics, error=refused.error)
            )
            return
        ok: list[str] = []
        failed: list[str] = []
        seen = session.topics
        for topic in topics:
            error = self._topic_error(session, topic)
            if error is None and (topic in seen or topic in ok):
                error = f"error:already subscribed,topic:{topic}"
            if error is None:
                ok.append(topic)
            elif option:
                failed.append(topic)
            else:
                result.replies.append(ack(dialect, SUBSCRIBE, req_id, conn_id, error=error))
                return  # one bad topic fails the whole request (nothing is subscribed)
        for topic in ok:
            seen[topic] = None
            session.chars += len(topic)
        if session.live:
            result.subscribed.extend(ok)
        result.replies.append(ack(dialect, SUBSCRIBE, req_id, conn_id, ok=ok, failed=failed))

    def _check_request(self, session: StreamSession, topics: list[str]) -> None:
        """Refuse a request as a whole: over a limit, before auth, or mixing topic forms."""
        lim = session.limits
        per_request = lim.max_args_per_request
        if per_request is not None and len(topics) > per_request:
            raise _RefusedError(f"args size >{per_request}")
        if lim.max_topics is not None and len(session.topics) + len(topics) > lim.max_topics:
            raise _RefusedError(f"args size >{lim.max_topics}")
        chars = lim.max_args_chars
        if chars is not None and session.chars + sum(map(len, topics)) > chars:
            raise _RefusedError(f"args length >{chars}")
        if session.stream != "private":
            return
        if session.api_key is None and self.subscribe_before_auth == "reject":
            raise _RefusedError(MSG_NOT_AUTHORIZED)
        forms: dict[str, set[bool]] = {}
        for topic in topics:
            family = private_family(topic)
            if family is not None:
                forms.setdefault(family, set()).add(topic == family)
        if any(len(both) == 2 for both in forms.values()):
            raise _RefusedError(PARAMS_ERROR)  # "order" with "order.linear" in one request

    def _topic_error(self, session: StreamSession, topic: str) -> str | None:
        stream = session.stream
        if stream == "private":
            if private_family(topic) is not None:
                return None
            if any(self._public_topic(category, topic) for category in CATEGORIES):
                return PARAMS_ERROR  # a public topic on the private socket (streams §1.3)
        elif private_family(topic) is None and self._public_topic(stream, topic):
            return None
        return f"error:handler not found,topic:{topic}"

    # ---- unsubscribe and auth -------------------------------------------------------------

    def _unsubscribe(
        self, session: StreamSession, req_id: ReqId, topics: list[str], result: StreamResult
    ) -> None:
        dialect, conn_id = session.dialect, session.conn_id
        held = session.topics
        unknown = [topic for topic in topics if topic not in held]
        if unknown and self.unsubscribe_unknown == "error":
            error = f"error:not subscribed,topic:{unknown[0]}"
            result.replies.append(
                ack(dialect, UNSUBSCRIBE, req_id, conn_id, failed=unknown, error=error)
            )
            return
        gone = [topic for topic in dict.fromkeys(topics) if topic in held]
        for topic in gone:
            del held[topic]
            session.chars -= len(topic)
        if session.live:
            result.unsubscribed.extend(gone)
        result.replies.append(ack(dialect, UNSUBSCRIBE, req_id, conn_id, ok=topics))

    def _authenticate(
        self,
        session: StreamSession,
        req_id: ReqId,
        frame: dict[str, object],
        now_ms: int,
        result: StreamResult,
    ) -> None:
        conn_id = session.conn_id
        if session.api_key is not None:
            result.replies.append(auth_reply(req_id, conn_id, "Repeat auth: already authenticated"))
            return
        code, msg, api_key = self._auth(frame, now_ms)
        if api_key is None:
            error = PARAMS_ERROR if code == RetCode.REQUEST_EXPIRED else msg
            result.replies.append(auth_reply(req_id, conn_id, error))
            return
        session.api_key = api_key
        result.subscribed.extend(session.topics)  # kept from before auth, now live
        result.replies.append(auth_reply(req_id, conn_id, None))
