"""Signers without a connection: key detection, both encodings, refusals, the ``sign`` hook."""

from __future__ import annotations

import asyncio
import base64
import copy
import functools
import pickle
import re
import subprocess
import sys
import threading
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from bybit_wsapi.auth import RSA_EXTRA_HINT, auth_payload, hmac_signature
from bybit_wsapi.errors import AuthenticationError, ConfigurationError
from bybit_wsapi.signing import HmacSigner, HookSigner, Signer, make_signer
from bybit_wsapi.signing_rsa import RsaSigner

from ..rsa_keys import PASSPHRASE, key_pair, other_key_pair

EXPIRES = 1711010121452
# Test vectors of /work/shared: bybit-ws-api.md §3.2 (WS auth) and bybit-rest-orders.md §2.2 (REST)
WS_VECTOR = "5795d383b420ac992af406408d13bac3bec8ef51c1df13637fc01e0451fa1f61"
REST_GET = "1711010121452MyApiKey1235000category=linear&orderLinkId=my-ord-1&symbol=BTCUSDT"
REST_GET_VECTOR = "9aa3e8d796d2658be3b6971cf314a9f962db486c0df557f998d1beaf5877dc17"
REST_POST = (
    '1711010121452MyApiKey1235000{"category":"linear","symbol":"BTCUSDT","orderLinkId":"my-ord-1"}'
)
REST_POST_VECTOR = "e68fdd310c046484c232ca9f2ee59cb37b431d8eb826fca79a1a77e5705731bf"


def signer(secret: object = None, **options: Any) -> Signer:
    return make_signer(secret, sign_timeout=options.pop("sign_timeout", 5.0), **options)


def sign(s: Signer, payload: str) -> str:
    return asyncio.run(s.sign(payload))


def rsa_verifies(public_pem: str, payload: str, signature: str) -> bool:
    key = serialization.load_pem_public_key(public_pem.encode())
    assert isinstance(key, rsa.RSAPublicKey)
    try:
        key.verify(
            base64.b64decode(signature), payload.encode(), padding.PKCS1v15(), hashes.SHA256()
        )
    except Exception:
        return False
    return True


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (auth_payload(EXPIRES), WS_VECTOR),
        (REST_GET, REST_GET_VECTOR),
        (REST_POST, REST_POST_VECTOR),
    ],
)
def test_hmac_signs_payload_text_in_lowercase_hex(payload: str, expected: str) -> None:
    s = signer("test-secret")
    assert isinstance(s, HmacSigner)
    assert sign(s, payload) == expected


@pytest.mark.parametrize(
    ("secret", "options"),
    [
        pytest.param(lambda: key_pair().private_pem, {}, id="pkcs8"),
        pytest.param(lambda: key_pair().pkcs1_pem, {}, id="pkcs1"),
        pytest.param(lambda: "\n  " + key_pair().private_pem + "  \n", {}, id="padded"),
        pytest.param(
            lambda: key_pair().private_pem.replace("\n", "\\n"), {}, id="env-var-newlines"
        ),
        pytest.param(
            lambda: key_pair().encrypted_pem, {"secret_passphrase": PASSPHRASE}, id="encrypted-str"
        ),
        pytest.param(
            lambda: key_pair().encrypted_pem,
            {"secret_passphrase": PASSPHRASE.encode()},
            id="encrypted-bytes",
        ),
        pytest.param(
            lambda: key_pair().encrypted_pkcs1_pem,
            {"secret_passphrase": PASSPHRASE},
            id="encrypted-pkcs1",
        ),
        pytest.param(lambda: key_pair().private_pem, {"key_type": "rsa"}, id="explicit"),
    ],
)
def test_a_pem_private_key_signs_rsa_sha256_in_base64(
    secret: Callable[[], str], options: dict[str, Any]
) -> None:
    s = signer(secret(), **options)
    assert isinstance(s, RsaSigner)
    for payload in (auth_payload(EXPIRES), REST_GET, REST_POST):
        signature = sign(s, payload)
        assert base64.b64encode(base64.b64decode(signature, validate=True)).decode() == signature
        assert len(base64.b64decode(signature)) == 256  # 2048-bit key
        assert rsa_verifies(key_pair().public_pem, payload, signature)
        assert not rsa_verifies(other_key_pair().public_pem, payload, signature)
    assert not rsa_verifies(key_pair().public_pem, REST_GET, sign(s, REST_POST))


def test_key_type_hmac_overrides_the_detection() -> None:
    pem = key_pair().private_pem
    s = signer(pem, key_type="hmac")
    assert isinstance(s, HmacSigner)
    assert sign(s, REST_GET) == hmac_signature(pem, REST_GET)


def _ec_private_pem() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


REFUSED: list[Any] = [
    pytest.param({"secret": None}, "secret is missing: give your Bybit API secret", id="no-secret"),
    pytest.param({"secret": ""}, "got an empty string", id="empty"),
    pytest.param(
        {"secret": b"bytes"},
        "secret must be a string (your Bybit API secret), got bytes",
        id="bytes",
    ),
    pytest.param(
        {"secret": lambda: key_pair().encrypted_pem},
        "encrypted private key: pass its passphrase as secret_passphrase",
        id="encrypted-no-passphrase",
    ),
    pytest.param(
        {"secret": lambda: key_pair().encrypted_pkcs1_pem},
        "encrypted private key: pass its passphrase as secret_passphrase",
        id="encrypted-pkcs1-no-passphrase",
    ),
    pytest.param(
        {"secret": lambda: key_pair().encrypted_pem, "secret_passphrase": "wrong"},
        "that secret_passphrase does not decrypt",
        id="wrong-passphrase",
    ),
    pytest.param(
        {"secret": lambda: key_pair().private_pem, "secret_passphrase": PASSPHRASE},
        "the private key is not encrypted",
        id="needless-passphrase",
    ),
    pytest.param(
        {"secret": lambda: key_pair().private_pem[:400]},
        "cannot be read as a PEM private key",
        id="truncated",
    ),
    pytest.param(
        {"secret": lambda: "\n".join([*key_pair().private_pem.splitlines()[:3], "x"])},
        "cannot be read as a PEM private key",
        id="no-end-line",
    ),
    pytest.param(
        {
            "secret": lambda: key_pair().private_pem.replace(
                key_pair().private_pem.splitlines()[4], ""
            )
        },
        "cannot be read as a PEM private key",
        id="a-line-missing",
    ),
    pytest.param(
        {"secret": _ec_private_pem},
        "an EC private key; Bybit's self-generated API keys are RSA",
        id="ec-key",
    ),
    pytest.param(
        {"secret": lambda: key_pair().public_pem},
        "secret is a PEM public key",
        id="public-key",
    ),
    pytest.param(
        {"secret": "an-hmac-secret", "key_type": "rsa"},
        "key_type='rsa' needs secret to be a PEM private key",
        id="rsa-without-pem",
    ),
    pytest.param({"secret": "s", "key_type": "RSA"}, "key_type must be 'hmac' or 'rsa'", id="case"),
    pytest.param(
        {"secret": "an-hmac-secret", "secret_passphrase": PASSPHRASE},
        "secret_passphrase is only for an encrypted RSA private key",
        id="hmac-passphrase",
    ),
    pytest.param(
        {"secret": lambda: key_pair().encrypted_pem, "secret_passphrase": 1234},
        "secret_passphrase must be a non-empty str or bytes",
        id="passphrase-type",
    ),
    pytest.param({"secret": "s", "sign": str.upper}, "either secret or sign", id="both"),
    pytest.param({"sign": str.upper, "key_type": "rsa"}, "with sign= there is no secret", id="hk"),
    pytest.param({"sign": "not callable"}, "sign must be a callable", id="not-callable"),
]


@pytest.mark.parametrize(("arguments", "message"), REFUSED)
def test_bad_keys_are_refused_when_the_signer_is_made(
    arguments: dict[str, Any], message: str
) -> None:
    arguments = {k: v() if callable(v) and k == "secret" else v for k, v in arguments.items()}
    with pytest.raises(ConfigurationError, match=re.escape(message)) as info:
        signer(**arguments)
    text = "".join([str(info.value), repr(info.value), repr(info.value.args)])
    assert info.value.__cause__ is None  # cryptography's own exception is not chained
    secret = arguments.get("secret")
    if isinstance(secret, str) and "PRIVATE KEY" in secret:
        body = secret.splitlines()[1]
        assert body not in text  # no line of the key
    assert PASSPHRASE not in text


def test_missing_cryptography_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    pem = key_pair().private_pem  # made before cryptography "disappears"
    for name in [m for m in sys.modules if m.startswith("cryptography")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.delitem(sys.modules, "bybit_wsapi.signing_rsa", raising=False)
    with pytest.raises(ConfigurationError) as info:
        signer(pem)
    assert RSA_EXTRA_HINT in str(info.value)
    assert RSA_EXTRA_HINT == "pip install 'bybit-wsapi[rsa]'"
    assert isinstance(signer("hmac-secret"), HmacSigner)  # HMAC needs no extra


# ---- the sign hook ------------------------------------------------------------------------------


def vault_sign(payload: str) -> str:
    return hmac_signature("vault-secret", payload)


async def async_vault_sign(payload: str) -> str:
    await asyncio.sleep(0)
    return hmac_signature("vault-secret", payload)


class AsyncCallable:
    async def __call__(self, payload: str) -> str:
        return hmac_signature("vault-secret", payload)


def returns_a_coroutine(payload: str) -> Awaitable[str]:
    return async_vault_sign(payload)


@pytest.mark.anyio
@pytest.mark.parametrize(
    "hook",
    [
        vault_sign,
        async_vault_sign,
        AsyncCallable(),
        returns_a_coroutine,
        functools.partial(hmac_signature, "vault-secret"),
        lambda payload: hmac_signature("vault-secret", payload),
    ],
)
async def test_a_sign_hook_replaces_the_signing(hook: Callable[[str], Any]) -> None:
    s = signer(sign=hook)
    assert isinstance(s, HookSigner)
    assert await s.sign(REST_GET) == hmac_signature("vault-secret", REST_GET)


@pytest.mark.anyio
async def test_a_sync_hook_runs_off_the_event_loop() -> None:
    threads: list[threading.Thread] = []

    def hook(payload: str) -> str:
        threads.append(threading.current_thread())
        return "sig"

    assert await signer(sign=hook).sign("p") == "sig"
    assert threads and threads[0] is not threading.current_thread()


def raises(payload: str) -> str:
    raise ConnectionError("vault unreachable")


async def async_raises(payload: str) -> str:
    raise PermissionError("vault says no")


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("hook", "message"),
    [
        (raises, "sign hook 'raises' raised ConnectionError: vault unreachable"),
        (async_raises, "sign hook 'async_raises' raised PermissionError: vault says no"),
        (lambda p: b"6162", "returned bytes; it must return the signature as a non-empty str"),
        (lambda p: None, "returned NoneType"),
        (lambda p: 42, "returned int"),
        (lambda p: "", "returned an empty string"),
        (lambda: "no payload parameter", "raised TypeError"),
    ],
)
async def test_a_failing_hook_is_an_authentication_error_naming_it(
    hook: Callable[..., Any], message: str
) -> None:
    with pytest.raises(AuthenticationError, match=re.escape(message)) as info:
        await signer(sign=hook).sign("GET/realtime1")
    assert info.value.ret_code is None
    assert "sign hook" in str(info.value)


@pytest.mark.anyio
async def test_a_hung_async_hook_times_out() -> None:
    never = asyncio.Event()

    async def hangs(payload: str) -> str:
        await never.wait()
        return "never"

    with pytest.raises(AuthenticationError, match=r"sign hook '.*hangs' returned no signature"):
        await signer(sign=hangs, sign_timeout=0.05).sign("p")


@pytest.mark.anyio
async def test_a_hung_sync_hook_times_out_without_blocking_the_loop() -> None:
    release = threading.Event()

    def hangs(payload: str) -> str:
        release.wait()
        return "late"

    try:
        with pytest.raises(
            AuthenticationError, match=re.escape("returned no signature within 0.05 s")
        ):
            await signer(sign=hangs, sign_timeout=0.05).sign("p")
    finally:
        release.set()  # the thread ends; its late answer is dropped


def test_a_hook_is_named_without_its_repr() -> None:
    bound = functools.partial(hmac_signature, "bound-secret-value")
    s = signer(sign=bound)
    assert s.description == "sign hook 'partial(hmac_signature)'"
    assert "bound-secret-value" not in repr(s)


@pytest.mark.parametrize(
    "make",
    [
        lambda: signer("hmac-secret-value"),
        lambda: signer(key_pair().private_pem),
        lambda: signer(key_pair().encrypted_pem, secret_passphrase=PASSPHRASE),
        lambda: signer(sign=functools.partial(hmac_signature, "hmac-secret-value")),
    ],
)
def test_a_signer_never_shows_or_pickles_its_key(make: Callable[[], Signer]) -> None:
    s = make()
    text = repr(s) + str(s) + repr(getattr(s, "__dict__", None))
    for secret in ("hmac-secret-value", PASSPHRASE, key_pair().private_pem.splitlines()[1]):
        assert secret not in text
    for copier in (pickle.dumps, copy.copy, copy.deepcopy):
        with pytest.raises(TypeError, match="cannot be pickled: it holds API credentials") as info:
            copier(s)
        assert "hmac-secret-value" not in str(info.value)


def test_hmac_users_never_load_cryptography() -> None:
    code = (
        "import sys, bybit_wsapi, bybit_wsapi.server;"
        "bybit_wsapi.WebsocketAPIClient(key='k', secret='s');"
        "bybit_wsapi.server.LocalServer(bybit_wsapi.server.ServerConfig());"
        "print(sorted(m for m in sys.modules if m.startswith('cryptography')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.stdout.strip() == "[]", result.stderr
