"""What is signed and how a signature is checked (pure: no I/O); the secret kept out of reprs.

The client signs with a :class:`~bybit_wsapi.signing.Signer`; the local server checks with
:func:`account_verifier`. RSA needs the optional ``cryptography`` package, imported only when an
RSA key is used.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable

from .errors import ConfigurationError

__all__ = [
    "AUTH_PAYLOAD_PREFIX",
    "RSA_EXTRA_HINT",
    "Secret",
    "Verifier",
    "account_verifier",
    "auth_payload",
    "hmac_signature",
    "is_pem_private_key",
    "is_pem_public_key",
    "missing_cryptography",
    "sign_auth",
    "verify_auth",
]

AUTH_PAYLOAD_PREFIX = "GET/realtime"
"""The signed string of a WebSocket ``auth`` is this followed by ``expires`` in decimal ms."""

RSA_EXTRA_HINT = "pip install 'bybit-wsapi[rsa]'"
"""How to get the ``cryptography`` package RSA keys need."""

_PRIVATE_PEM = re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----")
_PUBLIC_PEM = re.compile(r"-----BEGIN (?:RSA )?PUBLIC KEY-----")

Verifier = Callable[[str, str], bool]
"""``verify(payload, signature)``: whether ``signature`` is the account's signature of it."""


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


def auth_payload(expires_ms: int) -> str:
    """The text an ``auth`` frame signs: ``GET/realtime{expires_ms}``."""
    return f"{AUTH_PAYLOAD_PREFIX}{int(expires_ms)}"


def hmac_signature(secret: str | Secret, payload: str) -> str:
    """HMAC-SHA256 of ``payload`` keyed with the secret (UTF-8), lowercase hex."""
    key = secret.reveal() if isinstance(secret, Secret) else secret
    return hmac.new(key.encode("utf-8"), payload.encode("utf-8"), hashlib.sha256).hexdigest()


def sign_auth(secret: str | Secret, expires_ms: int) -> str:
    """The HMAC ``auth`` signature of ``expires_ms``."""
    return hmac_signature(secret, auth_payload(expires_ms))


def verify_auth(secret: str | Secret, expires_ms: int, signature: str) -> bool:
    """Whether ``signature`` is the HMAC ``auth`` signature of ``expires_ms`` (constant time)."""
    return hmac.compare_digest(sign_auth(secret, expires_ms), signature)


def is_pem_private_key(text: str) -> bool:
    """Whether ``text`` holds a PEM private key (``-----BEGIN ... PRIVATE KEY-----``)."""
    return _PRIVATE_PEM.search(text) is not None


def is_pem_public_key(text: str) -> bool:
    """Whether ``text`` holds a PEM public key (``-----BEGIN PUBLIC KEY-----``)."""
    return _PUBLIC_PEM.search(text) is not None


def missing_cryptography(error: ImportError) -> ConfigurationError:
    """The error for an RSA key without ``cryptography``; re-raises other import errors."""
    if not (error.name or "").startswith("cryptography"):
        raise error
    return ConfigurationError(
        f"RSA keys need the 'cryptography' package, which is not installed: {RSA_EXTRA_HINT}"
    )


def account_verifier(credential: str) -> Verifier:
    """How an account's signatures are checked: a PEM RSA public key (RSA-SHA256, base64),
    anything else is an HMAC secret (lowercase hex).

    Raises:
        ConfigurationError: the credential is empty, a private key, or an unreadable public key.
    """
    if not credential:
        raise ConfigurationError("an account needs a non-empty API secret or RSA public key")
    if is_pem_private_key(credential):
        raise ConfigurationError(
            "an account's credential is a PRIVATE key: give the server the public key "
            "(openssl rsa -in private.pem -pubout -out public.pem); the private key stays "
            "with the client"
        )
    if is_pem_public_key(credential):
        try:
            from .signing_rsa import RsaVerifier  # noqa: PLC0415 - optional extra
        except ImportError as error:
            raise missing_cryptography(error) from None
        return RsaVerifier(credential)
    secret = Secret(credential)

    def verify(payload: str, signature: str) -> bool:
        return hmac.compare_digest(hmac_signature(secret, payload), signature)

    return verify
