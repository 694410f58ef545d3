"""Endpoints, batch failures, errors, events and the secret wrapper."""

from __future__ import annotations

import pickle

import pytest

from bybit_wsapi import (
    ConfigurationError,
    RequestNotSentError,
    RequestOutcomeUnknownError,
    RequestTimeoutError,
    WebsocketAPIClient,
    WSAPIError,
    WSConnectionError,
    failed_items,
)
from bybit_wsapi.auth import Secret
from bybit_wsapi.endpoints import MAINNET_URL, TESTNET_URL, ws_api_url
from bybit_wsapi.events import EventEmitter


def test_endpoints() -> None:
    assert ws_api_url() == MAINNET_URL == "wss://stream.bybit.com/v5/trade"
    assert ws_api_url(testnet=True) == TESTNET_URL == "wss://stream-testnet.bybit.com/v5/trade"
    assert ws_api_url(region="tr") == "wss://stream.bybit.tr/v5/trade"
    assert ws_api_url(region="kz") == "wss://stream.bybit.kz/v5/trade"
    assert ws_api_url(ws_url="ws://127.0.0.1:1/v5/trade") == "ws://127.0.0.1:1/v5/trade"
    with pytest.raises(ConfigurationError, match="testnet"):
        ws_api_url(demo_trading=True)
    with pytest.raises(ConfigurationError, match="unknown region"):
        ws_api_url(region="xx")
    with pytest.raises(ConfigurationError, match="mainnet only"):
        ws_api_url(region="tr", testnet=True)
    with pytest.raises(ConfigurationError, match="ws://"):
        ws_api_url(ws_url="http://example.com")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"key": "", "secret": "s"}, "API key"),
        ({"key": "k", "secret": ""}, "API secret"),
        ({"key": "k", "secret": "s", "demo_trading": True}, "demo trading"),
        ({"key": "k", "secret": "s", "request_timeout": 0}, "request_timeout"),
        ({"key": "k", "secret": "s", "recv_window": 5.5}, "recv_window"),
        ({"key": "k", "secret": "s", "max_frame_bytes": 10}, "max_frame_bytes"),
        ({"key": "k", "secret": "s", "ping_interval": -1}, "ping_interval"),
    ],
)
def test_bad_configuration_fails_at_construction(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ConfigurationError, match=match):
        WebsocketAPIClient(**kwargs)  # type: ignore[arg-type]


def test_failed_items_lists_failures_in_request_order() -> None:
    reply = {
        "retCode": 0,
        "data": {
            "list": [
                {
                    "category": "linear",
                    "symbol": "SOLUSDT",
                    "orderId": "1",
                    "orderLinkId": "bt-0",
                    "createAt": "1",
                },
                {
                    "category": "linear",
                    "symbol": "SOLUSDT",
                    "orderId": "",
                    "orderLinkId": "bt-1",
                    "createAt": "",
                },
                {
                    "category": "linear",
                    "symbol": "SOLUSDT",
                    "orderId": "",
                    "orderLinkId": "bt-2",
                    "createAt": "",
                },
            ]
        },
        "retExtInfo": {
            "list": [
                {"code": 0, "msg": "OK"},
                {"code": 10001, "msg": "position idx not match position mode"},
                {"code": 110072, "msg": "duplicate"},
            ]
        },
    }
    failures = failed_items(reply)
    assert [(f.index, f.code, f.result["orderLinkId"]) for f in failures] == [
        (1, 10001, "bt-1"),
        (2, 110072, "bt-2"),
    ]
    assert failed_items({"data": {"list": []}, "retExtInfo": {"list": []}}) == []


def test_error_outcomes() -> None:
    rejected = WSAPIError(ret_code=110001, ret_msg="no", op="order.cancel", req_id="1", response={})
    assert (rejected.outcome, rejected.sent) == ("rejected", True)
    not_sent = RequestNotSentError(
        "closed", op="order.create", req_id="2", params={"orderLinkId": "x"}
    )
    assert (not_sent.outcome, not_sent.sent) == ("not_sent", False)
    assert isinstance(not_sent, WSConnectionError)
    assert isinstance(not_sent, ConnectionError)
    assert not_sent.params == {"orderLinkId": "x"}
    unknown = RequestOutcomeUnknownError("lost", op="order.create", req_id="3")
    assert (unknown.outcome, unknown.sent) == ("unknown", True)
    late = RequestTimeoutError(timeout=1, sent=True, op="order.create", req_id="4")
    early = RequestTimeoutError(timeout=1, sent=False, op="order.create", req_id="5")
    assert (late.outcome, early.outcome) == ("unknown", "not_sent")
    assert isinstance(late, TimeoutError)


def test_secret_never_shows_itself() -> None:
    secret = Secret("hunter2-very-secret")
    assert "hunter2" not in repr(secret)
    assert "hunter2" not in str(secret)
    assert "hunter2" not in f"{secret} {secret!r}"
    assert secret.reveal() == "hunter2-very-secret"
    assert secret == Secret("hunter2-very-secret")
    with pytest.raises(TypeError):
        pickle.dumps(secret)
    with pytest.raises(ValueError, match="non-empty"):
        Secret("")
    client = WebsocketAPIClient(key="my-key", secret="hunter2-very-secret")
    assert "hunter2" not in repr(client)
    assert "hunter2" not in repr(vars(client.get_ws_client()))


def test_events_call_sync_handlers_and_survive_raising_ones() -> None:
    emitter = EventEmitter()
    seen: list[object] = []

    def bad(_: object) -> None:
        raise RuntimeError("handler bug")

    emitter.on("response", bad)
    emitter.on("response", seen.append)
    emitter.emit("response", {"x": 1})
    assert seen == [{"x": 1}]
    emitter.off("response", seen.append)
    emitter.emit("response", {"x": 2})
    assert seen == [{"x": 1}]
    with pytest.raises(ValueError, match="unknown event"):
        emitter.on("message", seen.append)  # type: ignore[arg-type]
