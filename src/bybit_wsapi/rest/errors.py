"""The REST client's errors (``BybitWSError``s, so one ``except`` covers the SDK)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import BybitWSError, hint
from ..retcodes import RetCode

__all__ = ["RestAPIError", "RestHTTPError", "RestPagesLeftError"]


class RestAPIError(BybitWSError):
    """A REST query answered ``retCode != 0``; ``response`` is the whole envelope."""

    def __init__(
        self,
        path: str,
        ret_code: int,
        ret_msg: str,
        response: Mapping[str, Any],
        limits: Mapping[str, int] | None = None,
        *,
        clock_advice: str | None = None,
    ) -> None:
        self.path = path
        self.ret_code = ret_code
        self.ret_msg = ret_msg
        self.response = response
        self.limits = dict(limits or {})
        """The ``X-Bapi-Limit*`` headers as ``rateLimit``, ``rateLimitRemaining``,
        ``rateLimitResetMs`` (and ``serverTimeMs``), when the reply carried them."""
        expired = ret_code == RetCode.REQUEST_EXPIRED
        self.hint = hint(ret_code, "" if expired else ret_msg, self.limits)
        """The likely cause and its fix (10002: what to call on this ``RestClient``)."""
        if expired and clock_advice and self.hint:
            self.hint = f"{self.hint} {clock_advice}"
        text = f"GET {path} failed: retCode={ret_code} {ret_msg!r}"
        super().__init__(text if self.hint is None else f"{text}. {self.hint}")


class RestHTTPError(BybitWSError):
    """A REST query got no Bybit envelope: an HTTP status other than 200, or no answer."""

    def __init__(self, path: str, status: int | None, text: str) -> None:
        self.path = path
        self.status = status
        shown = f"HTTP {status}" if status is not None else "no response"
        super().__init__(
            f"GET {path}: {shown}: {text[:200]} (reads are safe to retry; 403 from the IP limit "
            "needs a pause of minutes)"
        )


class RestPagesLeftError(BybitWSError):
    """A page walk stopped at ``max_pages`` with pages left; ``cursor`` continues it."""

    def __init__(self, what: str, pages: int, cursor: str) -> None:
        self.pages = pages
        self.cursor = cursor
        super().__init__(
            f"{what}: stopped after max_pages={pages} pages with more left. Narrow the query "
            "(symbol, startTime/endTime), raise max_pages, or pass cursor=e.cursor to go on"
        )
