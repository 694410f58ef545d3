"""RSA keys and the ``sign`` hook end to end: client -> local server (which checks the signature)
-> orders; every failure an error at the right time, and no key material anywhere."""

from __future__ import annotations

import asyncio
import base64
import copy
import logging
import pickle
import re
import threading
import traceback
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from bybit_wsapi import (
    WS_KEY_MAP,
    AuthenticationError,
    BybitWSError,
    ConfigurationError,
    SubscriptionError,
    WebsocketAPIClient,
    WebsocketClient,
    supervisor,
    sync,
)
from bybit_wsapi.auth import hmac_signature
from bybit_wsapi.events import EVENT_NAMES
from bybit_wsapi.options import connection_options
from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET, LocalServer, ServerConfig
from bybit_wsapi.server.thread import ServerThread
from bybit_wsapi.signing_rsa import RsaSigner

from ..rsa_keys import PASSPHRASE, key_pair, other_key_pair
from .conftest import FAST, EventLog, order, state_reprs

RSA_KEY = "rsa-e2e-key"
PAYLOAD = re.compile(r"GET/realtime[0-9]{13}")


@pytest.fixture
async def server() -> AsyncIterator[LocalServer]:
    accounts = {DEMO_API_KEY: DEMO_API_SECRET, RSA_KEY: key_pair().public_pem}
    async with LocalServer(ServerConfig(accounts=accounts, rate_limit=False)) as running:
        yield running


@pytest.fixture
async def make(server: LocalServer) -> AsyncIterator[Callable[..., WebsocketAPIClient]]:
    made: list[WebsocketAPIClient] = []

    def build(key: str = RSA_KEY, **options: Any) -> WebsocketAPIClient:
        client = WebsocketAPIClient(key=key, ws_url=server.url, **{**FAST, **options})
        made.append(client)
        return client

    yield build
    for client in made:
        await client.close()


def bybit_tasks() -> list[asyncio.Task[Any]]:
    current = asyncio.current_task()
    return [t for t in asyncio.all_tasks() if t is not current and "bybit-wsapi" in t.get_name()]


@pytest.mark.anyio
@pytest.mark.parametrize(
    "options",
    [
        pytest.param(lambda: {"secret": key_pair().private_pem}, id="pkcs8-detected"),
        pytest.param(lambda: {"secret": key_pair().pkcs1_pem}, id="pkcs1-detected"),
        pytest.param(
            lambda: {"secret": key_pair().encrypted_pem, "secret_passphrase": PASSPHRASE},
            id="encrypted",
        ),
        pytest.param(
            lambda: {"secret": key_pair().private_pem, "key_type": "rsa"}, id="key_type-rsa"
        ),
    ],
)
async def test_an_rsa_private_key_trades_end_to_end(
    server: LocalServer,
    make: Callable[..., WebsocketAPIClient],
    options: Callable[[], dict[str, Any]],
) -> None:
    client = make(**options())
    await client.connect()
    reply = await client.submit_new_order(order("rsa-order"))
    assert reply["retCode"] == 0
    assert [o["orderLinkId"] for o in server.orders(RSA_KEY)] == ["rsa-order"]


@pytest.mark.anyio
async def test_the_wrong_rsa_key_is_authentication_error_10004(
    server: LocalServer, make: Callable[..., WebsocketAPIClient]
) -> None:
    client = make(secret=other_key_pair().private_pem)
    pending = asyncio.ensure_future(client.submit_new_order(order("never")))
    with pytest.raises(AuthenticationError) as info:
        await client.connect()
    assert info.value.ret_code == 10004
    assert "For a self-generated RSA key" in str(info.value)  # the hint covers RSA keys
    with pytest.raises(AuthenticationError):
        await pending  # the queued order fails too, never sent
    assert bybit_tasks() == []
    assert server.orders(RSA_KEY) == []


def rsa_sign_in_vault(payload: str) -> str:
    """What a vault does with the private key it never hands out."""
    key = serialization.load_pem_private_key(key_pair().private_pem.encode(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    signature = key.sign(payload.encode(), padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(signature).decode()


async def async_hmac_vault(payload: str) -> str:
    await asyncio.sleep(0)
    return hmac_signature(DEMO_API_SECRET, payload)


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("key", "hook"),
    [
        (RSA_KEY, rsa_sign_in_vault),
        (DEMO_API_KEY, async_hmac_vault),
        (DEMO_API_KEY, lambda payload: hmac_signature(DEMO_API_SECRET, payload)),
    ],
)
async def test_a_sign_hook_signs_once_per_connection(
    server: LocalServer,
    make: Callable[..., WebsocketAPIClient],
    key: str,
    hook: Callable[[str], Any],
    events: EventLog,
) -> None:
    payloads: list[str] = []

    async def recording(payload: str) -> str:
        payloads.append(payload)
        result = hook(payload)
        signature: str = await result if asyncio.iscoroutine(result) else result
        return signature

    client = make(key, sign=recording)
    client.get_ws_client().on("reconnected", events.handler("reconnected"))
    await client.connect()
    for n in range(5):
        assert (await client.submit_new_order(order(f"hook-{n}")))["retCode"] == 0
    assert len(payloads) == 1  # auth only: orders are not signed
    assert PAYLOAD.fullmatch(payloads[0])
    await server.drop_connections()
    await events.wait("reconnected")
    assert (await client.submit_new_order(order("after-reconnect")))["retCode"] == 0
    assert len(payloads) == 2
    assert len(server.orders(key)) == 6


def raising_hook(payload: str) -> str:
    raise ConnectionError("vault unreachable")


def bytes_hook(payload: str) -> bytes:
    return hmac_signature(DEMO_API_SECRET, payload).encode()


async def hung_hook(payload: str) -> str:
    await asyncio.Event().wait()
    return "never"


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("hook", "message"),
    [
        (raising_hook, "sign hook 'raising_hook' raised ConnectionError: vault unreachable"),
        (bytes_hook, "sign hook 'bytes_hook' returned bytes; it must return the signature"),
        (hung_hook, "sign hook 'hung_hook' returned no signature within 0.25 s"),
    ],
)
async def test_a_failing_hook_fails_connect_with_an_authentication_error(
    server: LocalServer, make: Callable[..., WebsocketAPIClient], hook: Any, message: str
) -> None:
    client = make(DEMO_API_KEY, sign=hook, connect_timeout=0.5)
    pending = asyncio.ensure_future(client.submit_new_order(order("never")))
    with pytest.raises(AuthenticationError, match=re.escape(message)) as info:
        await client.connect()
    assert str(info.value).startswith("authentication failed: sign hook ")
    assert info.value.ret_code is None
    with pytest.raises(AuthenticationError, match=re.escape(message)):
        await pending
    assert bybit_tasks() == []  # nothing left running, nothing retrying
    assert server.orders(DEMO_API_KEY) == []
    await server.wait_connections(0)  # the client hung up


@pytest.mark.anyio
async def test_a_hung_sync_hook_does_not_block_the_loop(
    make: Callable[..., WebsocketAPIClient],
) -> None:
    release = threading.Event()

    def blocking_vault(payload: str) -> str:
        release.wait()
        return "late"

    client = make(DEMO_API_KEY, sign=blocking_vault, connect_timeout=0.5)
    try:
        with pytest.raises(AuthenticationError, match="'blocking_vault' returned no signature"):
            await client.connect()
    finally:
        release.set()


@pytest.mark.anyio
async def test_a_hung_hook_is_reported_even_after_a_slow_handshake(
    make: Callable[..., WebsocketAPIClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A handshake that used most of connect_timeout leaves the hook only a share of the rest:
    the hook, not the connect deadline, is what connect() reports (a loaded machine's case)."""
    real_open = supervisor.open_session
    handshake = 0.6

    async def slow_open(*args: Any, **kwargs: Any) -> Any:
        await asyncio.sleep(handshake)  # the fault itself: a handshake taking 0.6 of 1 s
        return await real_open(*args, **kwargs)

    monkeypatch.setattr(supervisor, "open_session", slow_open)
    release = threading.Event()

    def blocking_vault(payload: str) -> str:
        release.wait()
        return "late"

    client = make(DEMO_API_KEY, sign=blocking_vault, connect_timeout=1.0)
    try:
        with pytest.raises(AuthenticationError, match="'blocking_vault' returned no signature"):
            await client.connect()
    finally:
        release.set()
    assert bybit_tasks() == []


@pytest.mark.anyio
async def test_a_hook_that_recovers_works_on_the_next_connect(
    server: LocalServer, make: Callable[..., WebsocketAPIClient]
) -> None:
    calls: list[str] = []

    def flaky_vault(payload: str) -> str:
        calls.append(payload)
        if len(calls) == 1:
            raise TimeoutError("vault busy")
        return hmac_signature(DEMO_API_SECRET, payload)

    client = make(DEMO_API_KEY, sign=flaky_vault)
    with pytest.raises(AuthenticationError, match="raised TimeoutError: vault busy"):
        await client.connect()
    await client.connect()
    assert (await client.submit_new_order(order("recovered")))["retCode"] == 0


@pytest.mark.anyio
async def test_no_rsa_key_passphrase_or_signature_anywhere(
    server: LocalServer,
    make: Callable[..., WebsocketAPIClient],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    signatures: list[str] = []
    real_sign = RsaSigner.sign

    async def recording(self: RsaSigner, payload: str) -> str:
        signatures.append(await real_sign(self, payload))
        return signatures[-1]

    monkeypatch.setattr(RsaSigner, "sign", recording)
    caplog.set_level(logging.DEBUG)  # every logger: bybit_wsapi, httpx, httpcore, websockets
    events = EventLog()
    texts: list[str] = []
    errors: list[BaseException] = []
    pem = key_pair().encrypted_pem
    client = make(secret=pem, secret_passphrase=PASSPHRASE)
    ws = client.get_ws_client()
    for name in EVENT_NAMES:
        ws.on(name, events.handler(name))
    options = connection_options(RSA_KEY, pem, {"secret_passphrase": PASSPHRASE})
    quiet = WebsocketAPIClient(
        key=RSA_KEY, secret=pem, secret_passphrase=PASSPHRASE, attach_event_listeners=False
    )  # no handlers: pickling reaches the signer
    objects: list[object] = [client, ws, quiet, quiet.get_ws_client(), options, options.signer]
    texts += [repr(o) for o in objects] + [str(o) for o in objects]
    texts += state_reprs(client) + state_reprs(options)
    for thing in objects[2:]:
        with pytest.raises(TypeError, match="RsaSigner cannot be pickled") as refused:
            pickle.dumps(thing)
        errors.append(refused.value)
    for copier in (copy.copy, copy.deepcopy):
        with pytest.raises(TypeError) as refused:
            copier(options.signer)
        errors.append(refused.value)

    await client.connect()
    assert (await client.submit_new_order(order("leak-1")))["retCode"] == 0
    await server.drop_connections()
    await events.wait("reconnected")
    wrong = make(secret=other_key_pair().private_pem)
    with pytest.raises(AuthenticationError) as failed:
        await wrong.connect()
    errors.append(failed.value)
    for bad in (
        {"secret": pem},
        {"secret": pem, "secret_passphrase": "wrong " + PASSPHRASE},
        {"secret": pem[:300]},
    ):
        with pytest.raises(BybitWSError) as bad_key:
            make(**bad)
        errors.append(bad_key.value)
    await client.close()

    assert len(signatures) >= 3  # two connections of the client, one of the wrong key
    texts += [r.getMessage() for r in caplog.records] + [repr(r.args) for r in caplog.records]
    texts += [str(r.exc_info) for r in caplog.records if r.exc_info]
    for error in errors:
        texts += [str(error), repr(error), "".join(traceback.format_exception(error))]
    texts += [f"{name}: {payloads!r}" for name, payloads in events.seen.items()]
    blob = "\n".join(texts)
    assert "authenticated" in blob  # the capture did see the connection
    secrets = [PASSPHRASE, *signatures]
    for pair in (key_pair(), other_key_pair()):
        for text in (
            pair.private_pem,
            pair.pkcs1_pem,
            pair.encrypted_pem,
            pair.encrypted_pkcs1_pem,
        ):
            body = text.splitlines()[1:-1]  # every base64 line of every key (no headers)
            secrets += [line for line in body if line and ":" not in line]
    leaked = [s for s in secrets if s in blob]
    assert leaked == []


@pytest.mark.anyio
async def test_close_during_a_hung_hook_settles_everything(
    make: Callable[..., WebsocketAPIClient],
) -> None:
    entered = asyncio.Event()

    async def stuck_vault(payload: str) -> str:
        entered.set()
        await asyncio.Event().wait()
        return "never"

    client = make(DEMO_API_KEY, sign=stuck_vault)  # hook timeout 2.5 s: close comes first
    pending = asyncio.ensure_future(client.submit_new_order(order("never")))
    connecting = asyncio.ensure_future(client.connect())
    await entered.wait()
    await client.close()
    for call in (pending, connecting):
        with pytest.raises(BybitWSError, match="closed"):
            await call
    assert bybit_tasks() == []


def test_the_sync_client_signs_with_rsa_through_the_pytest_fixture(
    bybit_ws_server_factory: Callable[[ServerConfig], ServerThread],
) -> None:
    handle = bybit_ws_server_factory(
        ServerConfig(accounts={RSA_KEY: key_pair().public_pem}, rate_limit=False)
    )
    with pytest.raises(ConfigurationError, match="encrypted private key"):
        sync.WebsocketAPIClient(key=RSA_KEY, secret=key_pair().encrypted_pem, ws_url=handle.url)
    with sync.WebsocketAPIClient(
        key=RSA_KEY,
        secret=key_pair().encrypted_pem,
        secret_passphrase=PASSPHRASE,
        ws_url=handle.url,
        attach_event_listeners=False,
    ) as client:
        assert client.submit_new_order(order("sync-rsa"))["retCode"] == 0
    with sync.WebsocketAPIClient(
        key=RSA_KEY, sign=rsa_sign_in_vault, ws_url=handle.url, attach_event_listeners=False
    ) as client:
        assert client.submit_new_order(order("sync-hook"))["retCode"] == 0
    assert [o["orderLinkId"] for o in handle.orders(RSA_KEY)] == ["sync-rsa", "sync-hook"]


@pytest.mark.anyio
@pytest.mark.parametrize("how", ["pem", "hook"])
async def test_the_private_stream_signs_with_the_same_key(server: LocalServer, how: str) -> None:
    payloads: list[str] = []

    def vault(payload: str) -> str:
        payloads.append(payload)
        return rsa_sign_in_vault(payload)

    key: dict[str, Any] = {"secret": key_pair().private_pem} if how == "pem" else {"sign": vault}
    ws = WebsocketClient(key=RSA_KEY, ws_url=server.url, base_url=server.base_url, **key, **FAST)
    updates = EventLog()
    ws.on("update", updates.handler("update"))
    try:
        await ws.subscribe_v5("order")  # the private socket authenticates with the RSA key first
        reply = await ws.send_ws_api_request(WS_KEY_MAP.v5_private_trade, "order.create", order())
        assert reply["retCode"] == 0
        update = (await updates.wait("update"))[0]  # the server pushes the new order
        assert (update["wsKey"], update["topic"]) == ("v5Private", "order")
        assert update["data"][0]["orderId"] == reply["data"]["orderId"]
    finally:
        await ws.close()
    if how == "hook":
        assert len(payloads) == 2  # one auth per socket: the private stream and the trade socket
        assert all(PAYLOAD.fullmatch(p) for p in payloads)


@pytest.mark.anyio
async def test_a_failing_hook_on_the_private_stream_names_the_hook(server: LocalServer) -> None:
    ws = WebsocketClient(
        key=DEMO_API_KEY, sign=raising_hook, ws_url=server.url, base_url=server.base_url, **FAST
    )
    errors: list[Any] = []
    ws.on("exception", errors.append)
    try:
        with pytest.raises(SubscriptionError, match="sign hook 'raising_hook' raised"):
            await ws.subscribe_v5("order")
    finally:
        await ws.close()
    auth = [e for e in errors if isinstance(e, AuthenticationError)]
    assert auth and "sign hook 'raising_hook' raised ConnectionError" in str(auth[0])
