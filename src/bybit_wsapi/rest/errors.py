"""The REST client's errors (``BybitWSError``s, so one ``except`` covers the SDK)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import BybitWSError, hint

__all__ = ["RestAPIError", "RestHTTPError"]


class RestAPIError(BybitWSError):
    """A REST query answered ``retCode != 0``; ``response`` is the whole envelope."""

    def __init__(
        self,
        path: str,
        ret_code: int,
        ret_msg: str,
        response: Mapping[str, Any],
        limits: Mapping[str, int] | None = None,
    ) -> None:
        self.path = path
        self.ret_code = ret_code
        self.ret_msg = ret_msg
        self.response = response
        self.limits = dict(limits or {})
        """The ``X-Bapi-Limit*`` headers as ``rateLimit``, ``rateLimitRemaining``,
        ``rateLimitResetMs`` (and ``serverTimeMs``), when the reply carried them."""
        self.hint = hint(ret_code, ret_msg, self.limits)
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
