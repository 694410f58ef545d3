"""Signing options mypy must reject."""

from bybit_wsapi import WebsocketAPIClient


def returns_bytes(payload: str) -> bytes:
    return payload.encode()


def takes_bytes(payload: bytes) -> str:
    return payload.hex()


def misuse() -> None:
    WebsocketAPIClient(key="k", secret="s", key_type="RSA")  # type: ignore[arg-type]
    WebsocketAPIClient(key="k", secret="s", secret_passphrase=1234)  # type: ignore[arg-type]
    WebsocketAPIClient(key="k", sign=returns_bytes)  # type: ignore[arg-type]
    WebsocketAPIClient(key="k", sign=takes_bytes)  # type: ignore[arg-type]
    WebsocketAPIClient(key="k", secret=b"bytes")  # type: ignore[arg-type]
