"""RSA key pairs made at test time (never committed): one per process, shared by every test."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

PASSPHRASE = "correct horse battery staple"


@dataclass(frozen=True)
class KeyPair:
    private_pem: str
    """PKCS#8, unencrypted (what ``openssl genpkey`` writes)."""
    pkcs1_pem: str
    """The same key as ``-----BEGIN RSA PRIVATE KEY-----`` (what ``openssl genrsa`` 1.x writes)."""
    encrypted_pem: str
    """The same key encrypted with ``PASSPHRASE`` (what ``openssl genrsa -aes256`` 3.x writes)."""
    encrypted_pkcs1_pem: str
    """The same, as OpenSSL 1.x writes it (``Proc-Type: 4,ENCRYPTED`` headers)."""
    public_pem: str


def _pair() -> KeyPair:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = serialization.Encoding.PEM
    fmt = serialization.PrivateFormat
    return KeyPair(
        private_pem=key.private_bytes(pem, fmt.PKCS8, serialization.NoEncryption()).decode(),
        pkcs1_pem=key.private_bytes(
            pem, fmt.TraditionalOpenSSL, serialization.NoEncryption()
        ).decode(),
        encrypted_pem=key.private_bytes(
            pem, fmt.PKCS8, serialization.BestAvailableEncryption(PASSPHRASE.encode())
        ).decode(),
        encrypted_pkcs1_pem=key.private_bytes(
            pem, fmt.TraditionalOpenSSL, serialization.BestAvailableEncryption(PASSPHRASE.encode())
        ).decode(),
        public_pem=key.public_key()
        .public_bytes(pem, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode(),
    )


@functools.cache
def key_pair() -> KeyPair:
    """The account's key pair."""
    return _pair()


@functools.cache
def other_key_pair() -> KeyPair:
    """A second, unrelated key pair: the wrong key."""
    return _pair()
