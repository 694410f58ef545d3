"""Signing the ``auth`` frame (pure: no I/O), and keeping the secret out of every repr."""

from __future__ import annotations

import hashlib
import hmac

__all__ = ["AUTH_PAYLOAD_PREFIX", "Secret", "sign_auth", "verify_auth"]

AUTH_PAYLOAD_PREFIX = "GET/realtime"
"""The signed string is this followed by ``expires`` in decimal milliseconds."""


class Secret:
    """An API secret that never shows itself in ``repr``, ``str``, logs or tracebacks."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not value:
            raise ValueError("the API secret must be a non-empty string")
        self._value = value

    def reveal(self) -> str:
        """The secret itself: only for signing."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and hmac.compare_digest(self._value, other._value)

    def __hash__(self) -> int:
        return hash(Secret)

    def __reduce__(self) -> str:
        raise TypeError("a Secret cannot be pickled")


def sign_auth(secret: str | Secret, expires_ms: int) -> str:
    """The ``auth`` signature: HMAC-SHA256 of ``GET/realtime{expires_ms}``, lowercase hex."""
    key = secret.reveal() if isinstance(secret, Secret) else secret
    payload = f"{AUTH_PAYLOAD_PREFIX}{int(expires_ms)}"
    return hmac.new(key.encode("utf-8"), payload.encode("utf-8"), hashlib.sha256).hexdigest()


def verify_auth(secret: str | Secret, expires_ms: int, signature: str) -> bool:
    """Whether ``signature`` is the ``auth`` signature of ``expires_ms`` (constant time)."""
    return hmac.compare_digest(sign_auth(secret, expires_ms), signature)
