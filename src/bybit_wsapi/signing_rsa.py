"""RSA-SHA256 signatures (RSASSA-PKCS1-v1_5, base64) on ``cryptography``: Bybit's self-generated
API keys. Imported only when an RSA key is used (the ``bybit-wsapi[rsa]`` extra)."""

from __future__ import annotations

import base64
import binascii

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import load_pem_private_key, load_pem_public_key

from .errors import ConfigurationError
from .signing import Signer

__all__ = ["RsaSigner", "RsaVerifier"]

_NOT_READABLE = (
    "cannot be read as a PEM {what} key (truncated, or its line breaks lost?): give the whole "
    "key, from its -----BEGIN line to its -----END line"
)


def _pem_bytes(pem: str) -> bytes:
    """The PEM as bytes; ``\\n`` written as two characters (as from an env var) become newlines."""
    if "\\n" in pem and "\n" not in pem:
        pem = pem.replace("\\n", "\n")
    return pem.strip().encode("utf-8")


def _kind(key: object) -> str:
    return type(key).__name__.removesuffix("PrivateKey").removesuffix("PublicKey").lstrip("_")


class RsaSigner(Signer):
    """RSA-SHA256 with PKCS#1 v1.5 padding, base64: the signature of a self-generated key."""

    __slots__ = ("_key",)

    def __init__(self, key: rsa.RSAPrivateKey) -> None:
        self._key = key

    @classmethod
    def from_pem(cls, pem: str, passphrase: bytes | None) -> RsaSigner:
        """The signer of a PEM private key (PKCS#8 or PKCS#1), decrypted with ``passphrase``.

        Raises:
            ConfigurationError: the key is malformed, encrypted without a passphrase (or with the
                wrong one), not encrypted but given one, or not an RSA key.
        """
        data = _pem_bytes(pem)
        encrypted = b"ENCRYPTED" in data
        try:
            key = load_pem_private_key(data, password=passphrase)
        except TypeError:
            if encrypted and passphrase is None:
                raise ConfigurationError(
                    "secret is an encrypted private key: pass its passphrase as "
                    "secret_passphrase=..., or decrypt it once "
                    "(openssl pkey -in private.pem -out decrypted.pem)"
                ) from None
            raise ConfigurationError(
                "secret_passphrase was given but the private key is not encrypted: leave "
                "secret_passphrase out"
            ) from None
        except (ValueError, UnsupportedAlgorithm):
            if encrypted and passphrase is not None:
                raise ConfigurationError(
                    "secret is an encrypted private key that secret_passphrase does not "
                    "decrypt: check the passphrase"
                ) from None
            raise ConfigurationError("secret " + _NOT_READABLE.format(what="private")) from None
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ConfigurationError(
                f"secret is an {_kind(key)} private key; Bybit's self-generated API keys are "
                "RSA (create one: openssl genrsa -out private.pem 2048)"
            )
        return cls(key)

    @property
    def description(self) -> str:
        return f"RSA-SHA256 ({self._key.key_size}-bit key)"

    async def sign(self, payload: str) -> str:
        raw = self._key.sign(payload.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())
        return base64.b64encode(raw).decode("ascii")


class RsaVerifier:
    """Checks RSA-SHA256 (PKCS#1 v1.5, base64) signatures with an account's PEM public key."""

    __slots__ = ("_key",)

    def __init__(self, pem: str) -> None:
        """Raises ConfigurationError if ``pem`` is not a readable RSA public key."""
        try:
            key = load_pem_public_key(_pem_bytes(pem))
        except (ValueError, UnsupportedAlgorithm):
            raise ConfigurationError(
                "an account's public key " + _NOT_READABLE.format(what="public")
            ) from None
        if not isinstance(key, rsa.RSAPublicKey):
            raise ConfigurationError(
                f"an account's public key is an {_kind(key)} key; Bybit's self-generated API "
                "keys are RSA"
            )
        self._key = key

    def __repr__(self) -> str:
        return f"<RsaVerifier RSA-SHA256 ({self._key.key_size}-bit key)>"

    def __call__(self, payload: str, signature: str) -> bool:
        """Whether ``signature`` (base64) is the key's signature of ``payload``."""
        try:
            raw = base64.b64decode(signature, validate=True)
            self._key.verify(raw, payload.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())
        except (binascii.Error, ValueError, InvalidSignature):
            return False
        return True
