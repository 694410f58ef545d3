"""Every way to give the clients a key type-checks: HMAC, RSA PEM, passphrase, a sign hook."""

from bybit_wsapi import ClientOptions, WebsocketAPIClient, WebsocketClient
from bybit_wsapi.signing import KeyType, SignHook

PEM = "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n"


def sync_sign(payload: str) -> str:
    return payload


async def async_sign(payload: str) -> str:
    return payload


def keys() -> None:
    WebsocketAPIClient(key="k", secret="hmac-secret")
    WebsocketAPIClient(key="k", secret=PEM, key_type="rsa")
    WebsocketAPIClient(key="k", secret=PEM, secret_passphrase="pass")
    WebsocketAPIClient(key="k", secret=PEM, secret_passphrase=b"pass")
    WebsocketAPIClient(key="k", sign=sync_sign)
    WebsocketClient(key="k", sign=async_sign)
    WebsocketClient(key="k", sign=lambda payload: payload.upper())
    hook: SignHook = async_sign
    kind: KeyType = "hmac"
    options: ClientOptions = {"sign": hook, "key_type": kind, "connect_timeout": 4.0}
    WebsocketClient(key="k", **options)
