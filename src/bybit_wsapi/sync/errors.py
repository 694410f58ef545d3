"""The one error only the sync client raises: a blocking call interrupted by Ctrl-C."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import Outcome

__all__ = ["RequestInterrupted"]


class RequestInterrupted(KeyboardInterrupt):
    """Ctrl-C (SIGINT) arrived while a call waited for its reply; the call was cancelled.

    It is a ``KeyboardInterrupt``, so it still stops the program and ``except Exception`` does
    not swallow it. A request not yet sent never will be; one already sent may have reached
    Bybit, so ``outcome`` is ``"unknown"``: look the order up by its ``orderLinkId`` (in
    ``params``) before sending it again. The client stays usable.
    """

    outcome: Outcome = "unknown"

    def __init__(self, op: str, params: Mapping[str, Any]) -> None:
        self.op = op
        self.params = params
        link = params.get("orderLinkId")
        which = f" (orderLinkId {link!r})" if isinstance(link, str) else ""
        super().__init__(
            f"interrupted while waiting for the reply to {op}{which}: the call was cancelled, "
            "but the request may already have reached Bybit (outcome unknown): look the order "
            "up before sending it again"
        )
