"""What every socket of the process shares, built once: the verified TLS context."""

from __future__ import annotations

import functools
import ssl

import httpx

__all__ = ["tls_context"]


@functools.cache
def tls_context() -> ssl.SSLContext:
    """httpx's default verified TLS context, built once: building one costs tens of ms."""
    return httpx.create_ssl_context()
