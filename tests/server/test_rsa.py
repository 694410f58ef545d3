"""The local server's RSA accounts: a PEM public key in place of a secret, RSA-SHA256 checked.

Signatures here are made with ``cryptography`` directly, not with the SDK's signer, so the server
is checked against an independent implementation.
"""

from __future__ import annotations

import argparse
import base64
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from bybit_wsapi.auth import RSA_EXTRA_HINT, auth_payload, sign_auth
from bybit_wsapi.cli import main
from bybit_wsapi.errors import ConfigurationError
from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET, LocalServer, ServerConfig
from bybit_wsapi.server.cli import add_arguments, config_from_args
from bybit_wsapi.server.thread import ServerThread

from ..rsa_keys import key_pair, other_key_pair
from .helpers import call, limit_order, now_ms, open_ws, order_frame, recv_json

RSA_KEY = "rsa-account-key"


def rsa_signature(private_pem: str, expires_ms: int) -> str:
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    raw = key.sign(auth_payload(expires_ms).encode(), padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(raw).decode()


def rsa_auth(signature: Callable[[int], str], key: str = RSA_KEY) -> dict[str, Any]:
    expires = now_ms() + 10_000
    return {"op": "auth", "args": [key, expires, signature(expires)]}


def both_kinds() -> ServerConfig:
    return ServerConfig(
        accounts={DEMO_API_KEY: DEMO_API_SECRET, RSA_KEY: key_pair().public_pem},
        rate_limit=False,
    )


@pytest.mark.anyio
async def test_an_rsa_account_and_an_hmac_account_both_trade() -> None:
    private = key_pair().private_pem
    async with LocalServer(both_kinds()) as server:
        async with await open_ws(server.url) as ws:
            reply = await call(ws, rsa_auth(lambda expires: rsa_signature(private, expires)))
            assert reply["retCode"] == 0, reply
            created = await call(ws, order_frame("order.create", limit_order("rsa-1")))
            assert created["retCode"] == 0, created
        async with await open_ws(server.url) as ws:
            auth = rsa_auth(lambda e: sign_auth(DEMO_API_SECRET, e), DEMO_API_KEY)
            assert (await call(ws, auth))["retCode"] == 0
        assert [o["orderLinkId"] for o in server.orders(RSA_KEY)] == ["rsa-1"]
        assert server.orders(DEMO_API_KEY) == []


@pytest.mark.anyio
@pytest.mark.parametrize(
    "signature",
    [
        pytest.param(lambda e: rsa_signature(other_key_pair().private_pem, e), id="wrong-key"),
        pytest.param(lambda e: rsa_signature(key_pair().private_pem, e + 1), id="other-expires"),
        pytest.param(lambda e: sign_auth(key_pair().public_pem, e), id="hmac-hex"),
        pytest.param(lambda e: "not base64!", id="not-base64"),
        pytest.param(lambda e: base64.b64encode(b"\0" * 256).decode(), id="zeros"),
        pytest.param(lambda e: "", id="empty"),
    ],
)
async def test_a_bad_rsa_signature_is_10004(signature: Callable[[int], str]) -> None:
    async with LocalServer(both_kinds()) as server, await open_ws(server.url) as ws:
        reply = await call(ws, rsa_auth(signature))
        assert (reply["retCode"], reply["retMsg"]) == (10004, "Invalid sign.")
        refused = await call(ws, order_frame("order.create", limit_order()))
        assert refused["retCode"] == 10005  # still not authenticated
        assert server.orders(RSA_KEY) == []


def _ec_public_pem() -> str:
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    pem = key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return pem.decode()


@pytest.mark.parametrize(
    ("credential", "message"),
    [
        (lambda: key_pair().private_pem, "PRIVATE key: give the server the public key"),
        (lambda: key_pair().public_pem[:120], "cannot be read as a PEM public key"),
        (_ec_public_pem, "an EC key; Bybit's self-generated API keys are RSA"),
    ],
)
def test_a_bad_public_key_is_refused_by_the_config(
    credential: Callable[[], str], message: str
) -> None:
    text = credential()
    with pytest.raises(ValueError, match=message) as info:
        ServerConfig(accounts={RSA_KEY: text})
    assert text not in str(info.value)


def test_missing_cryptography_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    pem = key_pair().public_pem  # made before cryptography "disappears"
    for name in [m for m in sys.modules if m.startswith("cryptography")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.delitem(sys.modules, "bybit_wsapi.signing_rsa", raising=False)
    with pytest.raises(ConfigurationError, match=re.escape(RSA_EXTRA_HINT)):
        ServerConfig(accounts={RSA_KEY: pem})
    ServerConfig(accounts={"hmac-only": "secret"})  # HMAC accounts need no extra


def parse(*argv: str) -> ServerConfig:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return config_from_args(parser.parse_args(argv))


def test_serve_pairs_each_key_with_its_secret_or_public_key(tmp_path: Path) -> None:
    public = tmp_path / "public.pem"
    public.write_text(key_pair().public_pem)
    config = parse(
        *("--key", "hmac-1", "--secret", "s1", "--key", RSA_KEY, "--rsa-public-key", str(public)),
        *("--key", "hmac-2", "--secret", "s2"),
    )
    assert dict(config.accounts) == {
        "hmac-1": "s1",
        RSA_KEY: key_pair().public_pem,
        "hmac-2": "s2",
    }
    assert key_pair().public_pem not in repr(config)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "argument --rsa-public-key: cannot read"),
        (lambda: key_pair().private_pem, "is not a PEM public key"),
        (lambda: "an-hmac-secret\n", "is not a PEM public key"),  # never taken as a secret
        (lambda: key_pair().public_pem[:120], "cannot be read as a PEM public key"),
    ],
)
def test_serve_refuses_a_bad_public_key_file(
    tmp_path: Path,
    content: Callable[[], str] | None,
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "public.pem"
    if content is not None:
        path.write_text(content())
    with pytest.raises(SystemExit) as info:
        main(["serve", "--key", RSA_KEY, "--rsa-public-key", str(path)])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert message in err
    assert "PRIVATE KEY-----" not in err
    assert "Traceback" not in err


@pytest.mark.anyio
async def test_the_pytest_fixture_serves_an_rsa_account(
    bybit_ws_server_factory: Callable[[ServerConfig], ServerThread],
) -> None:
    handle = bybit_ws_server_factory(both_kinds())
    private = key_pair().private_pem
    async with await open_ws(handle.url) as ws:
        reply = await call(ws, rsa_auth(lambda expires: rsa_signature(private, expires)))
        assert reply["retCode"] == 0, reply
        assert (await call(ws, order_frame("order.create", limit_order())))["retCode"] == 0


@pytest.mark.anyio
async def test_an_rsa_account_authenticates_on_the_private_stream() -> None:
    private = key_pair().private_pem
    wrong = other_key_pair().private_pem
    async with (
        LocalServer(both_kinds()) as server,
        await open_ws(server.base_url + "/v5/private") as ws,
    ):
        refused = await call(ws, rsa_auth(lambda expires: rsa_signature(wrong, expires)))
        assert refused["success"] is False
        reply = await call(ws, rsa_auth(lambda expires: rsa_signature(private, expires)))
        assert reply["success"] is True, reply
        subscribed = await call(ws, {"op": "subscribe", "args": ["order"]})
        assert subscribed["success"] is True, subscribed
        message = {"id": "1", "topic": "order", "creationTime": 1, "data": [{"orderId": "x"}]}
        assert server.hub.publish_private(RSA_KEY, "order", "linear", message) == 1
        assert (await recv_json(ws))["data"] == [{"orderId": "x"}]
