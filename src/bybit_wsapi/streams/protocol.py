"""The sans-I/O state of one stream socket across its sessions: the stream dialect of
:class:`~bybit_wsapi.session.SessionState` (no I/O, no clock reads).

Fed every received text with the time, it classifies it (:func:`~.frames.classify`: the four
dialects' acks and pongs, §2): pushes go to the socket's :class:`~.topics.StreamTopics`, acks to
its :class:`~.subscriptions.SubscriptionTable`, the ``auth`` reply to the waiting supervisor (a
refusal before any session was ready is final; after one, a new connection may cure it). Any
frame counts as alive for the heartbeat, as in Node. A ready session asks again for every wanted
topic (``dcp`` first); a lost one forgets what was subscribed and resets every book until its
new snapshot. ``wake`` is called whenever the table has something new to write.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Final

from bybit_wsapi_generated import StreamWsKey

from ..errors import AuthenticationError, SubscriptionError
from ..events import EventEmitter
from ..session import AuthOutcome, Phase, SessionState
from .frames import PONG, Ack, AuthAck, Push, Unrecognised, auth_frame, classify, ping_frame
from .routing import limits_of
from .subscriptions import SubscriptionTable
from .topics import StreamTopics

__all__ = ["StreamProtocol"]

logger = logging.getLogger(__name__)

_UNRECOGNISED_LOGGED: Final = 20
"""Unrecognised frames logged per socket (then only counted), so a flood cannot fill logs."""


class StreamProtocol(SessionState):
    """What the frames of one stream socket mean, and what it sends."""

    def __init__(
        self,
        ws_key: StreamWsKey,
        events: EventEmitter,
        *,
        recv_window_ms: int,
        wake: Callable[[], None],
    ) -> None:
        super().__init__(ws_key, recv_window_ms)
        self.events = events
        self.wake = wake
        """Called when the table has requests to write."""
        self.table = SubscriptionTable(ws_key, limits_of(ws_key))
        self.table.topic_failed = self._topic_failed
        self.topics = StreamTopics(ws_key, events, self._resync)
        self.pongs = 0
        """Pongs received (every dialect's shape)."""
        self.unrecognised = 0
        """Frames none of the dialects explains (each logged, up to a limit)."""
        self._count = 0

    # -- frames in -------------------------------------------------------------------------------

    def receive(self, text: str, now: float) -> None:
        self.last_rx = now
        try:
            decoded = classify(text)
            if isinstance(decoded, Push):
                self.answered = True
                self.topics.push(decoded.topic, decoded.message)
            elif decoded is PONG:
                self.pongs += 1
            elif isinstance(decoded, Ack):
                self.answered = True
                self.table.on_ack(decoded)
                self.wake()
            elif isinstance(decoded, AuthAck):
                self._auth_reply(decoded)
            elif isinstance(decoded, Unrecognised):
                self.unrecognised += 1
                if self.unrecognised <= _UNRECOGNISED_LOGGED:
                    logger.warning("%s: %s: %.200s", self.ws_key, decoded.reason, decoded.text)
        except Exception:
            logger.exception("%s: failed to handle a frame: %.200r", self.ws_key, text)

    def _auth_reply(self, reply: AuthAck) -> None:
        if reply.success:
            self.auth_replied(AuthOutcome.OK, None)
            return
        error = AuthenticationError(None, reply.ret_msg or "refused")
        # it worked before: a clock step or a blip, a new connection may cure it
        self.auth_replied(AuthOutcome.RETRY if self.ever_open else AuthOutcome.FATAL, error)

    def _resync(self, topic: str, reason: str) -> None:
        self.table.resync(topic)
        self.wake()

    def _topic_failed(self, topic: str, reason: str) -> None:
        logger.error("%s: Bybit refused %r: %s", self.ws_key, topic, reason)
        error = SubscriptionError("subscribe", {topic: reason})
        state = self.topics.states.get(topic)
        for sink in list(state.sinks) if state is not None else ():
            sink.fail(error)
        self.events.emit("exception", error)

    # -- frames out ------------------------------------------------------------------------------

    def ping_frame(self) -> str:
        self._count += 1
        return ping_frame(f"ping-{self._count}")

    def auth_frame(self, api_key: str, expires_ms: int, signature: str) -> str:
        self._count += 1
        return auth_frame(api_key, expires_ms, signature, f"auth-{self._count}")

    # -- the sessions ----------------------------------------------------------------------------

    def opened(self) -> None:
        """Ready (private: authenticated): every wanted topic is asked again, ``dcp`` first."""
        super().opened()
        self.table.connection_ready()
        self.wake()

    def connection_lost(self, reason: str) -> None:
        """Nothing is subscribed any more; every book and ticker waits for its new snapshot."""
        super().connection_lost(reason)
        self.table.connection_lost()
        self.topics.reset()

    def give_up(self, reason: str) -> None:
        """No connection will come: every waiting call fails with ``reason``, nothing is wanted."""
        self.table.give_up(reason)

    def close(self, reason: str) -> None:
        """The client is closing: every waiting call fails, every consumer ends."""
        self.phase = Phase.CLOSED
        self.table.fail_all(reason)
        self.topics.end()
