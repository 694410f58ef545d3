"""Every signature the SDK makes, behind one :class:`Signer`: HMAC-SHA256 (lowercase hex), RSA-SHA256
(PKCS#1 v1.5, base64) or the user's ``sign`` hook.

A signer signs payload text: ``"GET/realtime" + expires`` for a WebSocket ``auth``
(:func:`~bybit_wsapi.auth.auth_payload`), ``timestamp + key + recvWindow + query or body`` for
REST. Keys are checked when the signer is made, never at the first order; a signer never shows
its key in a repr and cannot be pickled.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import inspect
import threading
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from typing import Any, Literal, TypeAlias

from .auth import (
    Secret,
    hmac_signature,
    is_pem_private_key,
    is_pem_public_key,
    missing_cryptography,
)
from .errors import AuthenticationError, ConfigurationError

__all__ = ["HmacSigner", "HookSigner", "KeyType", "SignHook", "Signer", "make_signer"]

KeyType: TypeAlias = Literal["hmac", "rsa"]
SignHook: TypeAlias = Callable[[str], str] | Callable[[str], Awaitable[str]]
"""``sign(payload) -> signature``, sync or async: HMAC keys give lowercase hex, RSA base64."""

_KEY_TYPES: tuple[KeyType, ...] = ("hmac", "rsa")


class Signer(ABC):
    """Signs payload text with the account's key. Never shows the key; cannot be pickled."""

    __slots__ = ()

    @property
    @abstractmethod
    def description(self) -> str:
        """What signs, for messages: e.g. ``RSA-SHA256``, ``sign hook 'vault_sign'``."""

    @abstractmethod
    async def sign(self, payload: str) -> str:
        """The signature of ``payload``.

        Raises:
            AuthenticationError: a ``sign`` hook failed (built-in signers cannot fail).
        """

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.description}>"

    __str__ = __repr__

    def __reduce__(self) -> str:
        raise TypeError(f"{type(self).__name__} cannot be pickled: it holds API credentials")


class HmacSigner(Signer):
    """HMAC-SHA256 keyed with the API secret, lowercase hex (system-generated keys)."""

    __slots__ = ("_secret",)

    def __init__(self, secret: Secret) -> None:
        self._secret = secret

    @property
    def description(self) -> str:
        return "HMAC-SHA256"

    async def sign(self, payload: str) -> str:
        return hmac_signature(self._secret, payload)


class HookSigner(Signer):
    """The user's ``sign`` hook: awaited (an async hook) or run on its own thread (a sync one).

    Any failure, a wrong return type or no answer within ``timeout`` is an
    :class:`AuthenticationError` naming the hook.
    """

    __slots__ = ("_hook", "_is_async", "_name", "_timeout")

    def __init__(self, hook: SignHook, timeout: float) -> None:
        self._hook = hook
        self._name = _name_of(hook)
        self._is_async = inspect.iscoroutinefunction(hook) or inspect.iscoroutinefunction(
            getattr(hook, "__call__", None)  # noqa: B004 - an object with an async __call__
        )
        self._timeout = timeout

    @property
    def description(self) -> str:
        return f"sign hook {self._name!r}"

    async def sign(self, payload: str) -> str:
        what = self.description
        deadline = asyncio.timeout(self._timeout)
        try:
            async with deadline:
                hook: Any = self._hook
                result: object = await (
                    hook(payload) if self._is_async else _in_thread(hook, payload)
                )
                if inspect.isawaitable(result):  # a sync callable that returned an awaitable
                    result = await result
        except Exception as error:
            if isinstance(error, TimeoutError) and deadline.expired():
                raise AuthenticationError(
                    None, f"{what} returned no signature within {self._timeout:g} s"
                ) from None
            raise AuthenticationError(
                None, f"{what} raised {type(error).__name__}: {error}"
            ) from error
        if not isinstance(result, str) or not result:
            got = "an empty string" if result == "" else type(result).__name__
            raise AuthenticationError(
                None,
                f"{what} returned {got}; it must return the signature as a non-empty str "
                "(HMAC: lowercase hex, RSA: base64)",
            )
        return result


def _name_of(hook: object) -> str:
    """A name for messages: never ``repr(hook)``, which may show bound credentials."""
    if isinstance(hook, functools.partial):
        return f"partial({_name_of(hook.func)})"
    name = getattr(hook, "__qualname__", None)
    return name.rpartition("<locals>.")[2] if isinstance(name, str) else type(hook).__name__


def _in_thread(hook: Callable[[str], Any], payload: str) -> asyncio.Future[Any]:
    """Run a sync hook on a daemon thread, so a slow or hung one blocks neither the event loop
    nor the interpreter's exit."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[Any] = loop.create_future()

    def settle(result: object, error: BaseException | None) -> None:
        if future.done():  # timed out or cancelled meanwhile
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)

    def run() -> None:
        try:
            result, error = hook(payload), None
        except BaseException as exc:
            result, error = None, exc
        with contextlib.suppress(RuntimeError):  # the loop is gone: nobody waits any more
            loop.call_soon_threadsafe(settle, result, error)

    threading.Thread(target=run, name="bybit-wsapi sign hook", daemon=True).start()
    return future


def make_signer(
    secret: object,
    *,
    key_type: object = None,
    secret_passphrase: object = None,
    sign: object = None,
    sign_timeout: float,
) -> Signer:
    """The signer ``secret`` and the key options describe, every key checked now.

    ``secret`` is an HMAC secret or a PEM RSA private key (detected by its ``-----BEGIN ...
    PRIVATE KEY-----`` line; ``key_type`` overrides the detection). ``sign`` replaces both.

    Raises:
        ConfigurationError: a missing, malformed or encrypted key without ``secret_passphrase``,
            or options that do not fit together; the message says what to do.
    """
    if sign is not None:
        if secret is not None:
            raise ConfigurationError(
                "give either secret or sign, not both: with sign=, your hook makes every "
                "signature and the client holds no secret"
            )
        if key_type is not None or secret_passphrase is not None:
            raise ConfigurationError(
                "key_type and secret_passphrase describe secret; with sign= there is no secret"
            )
        if not callable(sign):
            raise ConfigurationError(
                "sign must be a callable taking the payload text and returning the signature "
                f"(str), sync or async; got {type(sign).__name__}"
            )
        return HookSigner(sign, sign_timeout)
    if secret is None:
        raise ConfigurationError(
            "secret is missing: give your Bybit API secret (or your RSA private key in PEM) as "
            "secret=, or a signing hook as sign="
        )
    if not isinstance(secret, str):
        raise ConfigurationError(
            f"secret must be a string (your Bybit API secret), got {type(secret).__name__}"
        )
    if not secret:
        raise ConfigurationError(
            "secret must be a non-empty string (your Bybit API secret), got an empty string"
        )
    if key_type is not None and key_type not in _KEY_TYPES:
        shown = repr(key_type) if isinstance(key_type, str) else type(key_type).__name__
        raise ConfigurationError(
            f"key_type must be 'hmac' or 'rsa' (leave it out to detect a PEM private key), "
            f"got {shown}"
        )
    passphrase = secret_passphrase
    if passphrase is not None and not (isinstance(passphrase, str | bytes) and passphrase):
        raise ConfigurationError(
            f"secret_passphrase must be a non-empty str or bytes, got {type(passphrase).__name__}"
        )
    if key_type is None:
        if is_pem_public_key(secret) and not is_pem_private_key(secret):
            raise ConfigurationError(
                "secret is a PEM public key: give the client your RSA private key; the public "
                "key goes into Bybit's API management"
            )
        key_type = "rsa" if is_pem_private_key(secret) else "hmac"
    if key_type == "hmac":
        if passphrase is not None:
            raise ConfigurationError(
                "secret_passphrase is only for an encrypted RSA private key; this secret is "
                "used as an HMAC secret (key_type='rsa' if it is an RSA key)"
            )
        return HmacSigner(Secret(secret))
    if not is_pem_private_key(secret):
        raise ConfigurationError(
            "key_type='rsa' needs secret to be a PEM private key (from its -----BEGIN ... "
            "PRIVATE KEY----- line to its -----END line); leave key_type out for an HMAC secret"
        )
    try:
        from .signing_rsa import RsaSigner  # noqa: PLC0415 - optional extra, loaded on use
    except ImportError as error:
        raise missing_cryptography(error) from None
    encoded = passphrase.encode("utf-8") if isinstance(passphrase, str) else passphrase
    return RsaSigner.from_pem(secret, encoded)
