"""What varies between socket kinds, for the one :class:`~.supervisor.Supervisor` they all run on.

The supervisor connects, backs off inside the connection budget, authenticates, pings, watches,
reconnects and gives up the same way for the trade socket and every stream socket. A
:class:`Dialect` says the rest:

- :attr:`~Dialect.protocol`, the sans-I/O :class:`~.session.SessionState`: fed every received
  text with the time (trade: replies matched to requests; streams: pushes, acks and the four pong
  shapes), it makes the auth and ping frames and tells whether anything arrived since a ping;
  its :meth:`~.session.SessionState.opened` runs once a session is ready (streams: every wanted
  topic asked again, ``dcp`` first);
- :attr:`~Dialect.authenticates`: whether a session authenticates before it is ready (trade and
  private stream: yes; public streams: no);
- :meth:`~Dialect.session_ready`: the writer of a ready session (trade: the request line;
  streams: the subscription table's requests), and :meth:`~Dialect.session_ended`;
- :meth:`~Dialect.waiting` and :meth:`~Dialect.give_up`: whether anything waits for a connection,
  and how it fails when none will come.
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any, Protocol

from .session import SessionState
from .transport import WireSession

__all__ = ["Dialect"]


class Dialect(Protocol):
    """One socket kind's part in the supervisor's loop."""

    @property
    def protocol(self) -> SessionState:
        """The sans-I/O state of the socket, across its sessions."""
        ...

    @property
    def authenticates(self) -> bool:
        """Whether each session sends ``auth`` and waits for its success before it is ready."""
        ...

    def session_ready(self, session: WireSession) -> Coroutine[Any, Any, None]:
        """``session`` is ready: what may be written goes to it; returns the writer task's work
        (an exception from it ends the session)."""
        ...

    def session_ended(self) -> None:
        """The ready session is going: nothing more may be written to it."""
        ...

    def waiting(self) -> bool:
        """Whether anything waits for a connection (a supervisor that stopped starts again)."""
        ...

    def give_up(self, error: Exception) -> None:
        """No connection will come: fail everything waiting for one with ``error``."""
        ...
