"""The API secret and every signature sent never appear in logs, reprs, strs or exceptions."""

from __future__ import annotations

import logging
import traceback

import pytest

from bybit_wsapi import (
    WS_KEY_MAP,
    AuthenticationError,
    BybitWSError,
    RequestTimeoutError,
    WebsocketAPIClient,
    WSAPIError,
)
from bybit_wsapi.events import EVENT_NAMES
from bybit_wsapi.server import Faults, LocalServer, ServerConfig
from bybit_wsapi.signing import HmacSigner

from .conftest import FAST, EventLog, order, state_reprs

SECRET = "s3cr3t-Do-Not-Leak-7f1c2b9e"


@pytest.mark.anyio
async def test_no_secret_or_signature_anywhere(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    signatures: list[str] = []
    real_sign = HmacSigner.sign

    async def recording_sign(self: HmacSigner, payload: str) -> str:
        signature = await real_sign(self, payload)
        signatures.append(signature)
        return signature

    monkeypatch.setattr(HmacSigner, "sign", recording_sign)
    # every logger at every level: bybit_wsapi, httpx, httpcore, websockets
    caplog.set_level(logging.DEBUG)
    errors: list[BaseException] = []
    texts: list[str] = []
    events = EventLog()

    config = ServerConfig(accounts={"leak-test-key": SECRET}, rate_limit=False)
    async with LocalServer(config) as server:
        client = WebsocketAPIClient(key="leak-test-key", secret=SECRET, ws_url=server.url, **FAST)
        ws = client.get_ws_client()
        for name in EVENT_NAMES:
            ws.on(name, events.handler(name))
            ws.on(name, lambda payload: texts.append(repr(payload)))
        texts += [repr(client), str(client), repr(ws), *state_reprs(client)]

        await client.connect()
        await client.submit_new_order(order())
        for fault, value in (
            ("reject_orders", 10001),
            ("error_shape", "legacy"),
            ("restarting", True),
        ):
            setattr(server.faults, fault, value)
            try:
                await client.submit_new_order(order())
            except BybitWSError as error:
                errors.append(error)
            setattr(server.faults, fault, getattr(Faults(), fault))
        server.faults.delay_ms = 200
        try:
            await client.submit_new_order(order(), timeout=0.01)
        except RequestTimeoutError as error:
            errors.append(error)
        server.faults.delay_ms = 0
        await events.wait("reconnected", 1)  # the restart notice moved the client once already
        await server.drop_connections()
        await events.wait("reconnected", 2)
        server.faults.reject_auth = True
        await server.drop_connections()
        await events.wait("reconnect", 3)
        with pytest.raises(AuthenticationError) as auth_error:
            await ws.connect_ws_api()
        errors.append(auth_error.value)
        server.faults.reject_auth = False
        after = ws.send_ws_api_request(WS_KEY_MAP.v5_private_trade, "order.create", order())
        await client.close()
        with pytest.raises(BybitWSError) as closed:
            await after
        errors.append(closed.value)

    assert len(signatures) >= 2, "expected at least one auth per connection"
    assert any(isinstance(e, WSAPIError) for e in errors)
    texts += [record.getMessage() for record in caplog.records]
    texts += [repr(record.args) for record in caplog.records]
    texts += [str(record.exc_info) for record in caplog.records if record.exc_info]
    for error in errors:
        texts += [
            str(error),
            repr(error),
            repr(vars(error)),
            "".join(traceback.format_exception(error)),
        ]
    for name, payloads in events.seen.items():
        texts += [f"{name}: {payload!r}" for payload in payloads]
    blob = "\n".join(texts)
    assert SECRET not in blob
    for signature in signatures:
        assert signature not in blob
    assert "leak-test-key" not in repr(
        client
    )  # the key itself is shown only by its first characters
