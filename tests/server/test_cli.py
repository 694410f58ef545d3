"""``bybit-wsapi serve``: options, the URL line on stdout, clean exit on SIGINT/SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import importlib.metadata
import signal
import socket
import sys

import pytest

from bybit_wsapi.cli import main
from bybit_wsapi.server import DEMO_API_KEY, Faults, LocalServer, ServerConfig
from bybit_wsapi.server import cli as server_cli
from bybit_wsapi.server.account import AccountConfig
from bybit_wsapi.server.cli import add_arguments, config_from_args
from bybit_wsapi.server.market import MarketConfig
from bybit_wsapi.server.rest import RestOptions

from .helpers import TIMEOUT, authed, call, limit_order, open_ws, order_frame


def parse(*argv: str) -> ServerConfig:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return config_from_args(parser.parse_args(argv))


def test_defaults_are_the_config_defaults() -> None:
    config = parse()
    expected = dataclasses.replace(
        ServerConfig(), record_received=False, market=MarketConfig(), account=AccountConfig()
    )
    assert config == expected
    assert dict(config.accounts) == {DEMO_API_KEY: "bybit-wsapi-demo-secret"}


FAULT_FLAGS = {
    "delay_ms": (["--delay-ms", "5"], 5.0),
    "drop_after_frames": (["--drop-after-frames", "3"], 3),
    "drop_probability": (["--drop-probability", "0.5"], 0.5),
    "drop_before_apply": (["--drop-before-apply"], True),
    "drop_after_apply": (["--drop-after-apply"], True),
    "split_reply": (["--split-reply", "half"], "half"),
    "garbage_frames": (["--garbage-frames", "2"], 2),
    "truncated_frames": (["--truncated-frames", "2"], 2),
    "error_shape": (["--error-shape", "legacy"], "legacy"),
    "reject_orders": (["--reject-orders", "10016"], 10016),
    "reject_auth": (["--reject-auth"], True),
    "restarting": (["--restarting"], True),
    "no_pong": (["--no-pong"], True),
    "duplicate_replies": (["--duplicate-replies"], True),
    "unknown_req_id_replies": (["--unknown-req-id-replies"], True),
    "oversize_replies": (["--oversize-replies", "9000"], 9000),
    "stream_drop_after_pushes": (["--stream-drop-after-pushes", "5"], 5),
    "stream_faults": (["--stream-fault", "gap", "--stream-fault", "reset"], ("gap", "reset")),
    "stream_burst": (["--stream-burst", "50"], 50),
    "stream_fault_interval_ms": (["--stream-fault-interval-ms", "250"], 250),
    "push_before_ack": (["--push-before-ack"], True),
    "cancel_races_fill": (["--cancel-races-fill"], True),
}


REST_FLAGS = {
    "visibility_delay_ms": (["--rest-visibility-delay-ms", "300"], 300),
    "history_delay_ms": (["--rest-history-delay-ms", "2000"], 2000),
    "closed_buffer": (["--rest-closed-buffer", "3"], 3),
    "closed_since_ms": (["--rest-closed-since-ms", "1700000000000"], 1700000000000),
    "rate_limit": (["--rest-rate-limit", "5"], 5),
    "clock_skew_ms": (["--rest-clock-skew-ms", "-3000"], -3000),
    "spot_not_found_error": (["--rest-spot-not-found-error"], True),
    "fail_next": (["--rest-fail-next", "503", "--rest-fail-next", "10016"], [503, 10016]),
}


def test_every_rest_switch_has_a_flag() -> None:
    assert set(REST_FLAGS) == {field.name for field in dataclasses.fields(RestOptions)}
    for name, (argv, value) in REST_FLAGS.items():
        assert getattr(parse(*argv).rest, name) == value, name


def test_the_server_serves_a_copy_of_the_configured_rest_switches() -> None:
    config = parse("--rest-fail-next", "503", "--rest-clock-skew-ms", "7000")
    server = LocalServer(config)
    assert server.rest.options == config.rest
    server.rest.options.fail_next.pop()  # the live copy is used up; the config stays
    assert config.rest.fail_next == [503]


def test_stream_market_and_account_options() -> None:
    config = parse(
        *("--idle-check-interval", "0.5", "--subscribe-before-auth", "accept"),
        *("--unsubscribe-unknown", "error", "--stream-queue-bytes", "65536"),
        *("--market-step-ms", "50", "--volatility-ticks", "2.5", "--trade-probability", "0.1"),
        *("--wallet", "USDT=500", "--wallet", "SOL=3", "--push-first", "--no-new-for-takers"),
    )
    assert (config.idle_check_interval, config.subscribe_before_auth) == (0.5, "accept")
    assert (config.unsubscribe_unknown, config.stream_queue_bytes) == ("error", 65536)
    assert config.market == MarketConfig(step_ms=50, volatility_ticks=2.5, trade_probability=0.1)
    assert config.account is not None
    assert config.account.wallet == {**AccountConfig().wallet, "USDT": "500", "SOL": "3"}
    assert (config.account.ack_first, config.account.new_for_takers) == (False, False)


def test_every_fault_has_a_flag() -> None:
    assert set(FAULT_FLAGS) == {field.name for field in dataclasses.fields(Faults)}
    for name, (argv, value) in FAULT_FLAGS.items():
        assert getattr(parse(*argv).faults, name) == value, name


def test_server_options() -> None:
    config = parse(
        *("--host", "0.0.0.0", "--port", "9001", "--no-rate-limit"),
        *("--key", "k1", "--secret", "s1", "--key", "k2", "--secret", "s2"),
        *("--rate-limit", "order.create:linear=3", "--rate-limit", "order.create:default=4"),
        *("--recv-window-ms", "8000", "--idle-timeout", "30", "--max-frame-bytes", "4096"),
        *("--unauth-code", "10003", "--unauth-no-req-id", "--max-connections-per-key", "2"),
        *("--req-id-memory", "10", "--seed", "7"),
    )
    assert dict(config.accounts) == {"k1": "s1", "k2": "s2"}
    assert config.rate_limits == {"order.create": {"linear": 3, "default": 4}}
    expected = {
        "host": "0.0.0.0",
        "port": 9001,
        "rate_limit": False,
        "recv_window_ms": 8000,
        "idle_timeout": 30.0,
        "max_frame_bytes": 4096,
        "unauthenticated_code": 10003,
        "unauthenticated_req_id": False,
        "max_connections_per_key": 2,
        "req_id_memory": 10,
        "seed": 7,
    }
    assert {name: getattr(config, name) for name in expected} == expected


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--key", "k"], "in pairs"),
        (["--rate-limit", "order.create=3"], "expected OP:CATEGORY=N"),
        (["--rate-limit", "order.nope:linear=3"], "unknown operation"),
        (["--drop-probability", "2"], "in [0, 1]"),
        (["--max-frame-bytes", "10"], "at least 1024"),
    ],
)
def test_bad_options_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        main(["serve", *argv])
    assert info.value.code == 2
    assert message in capsys.readouterr().err


def test_secrets_stay_out_of_the_config_repr() -> None:
    config = parse("--key", "k1", "--secret", "very-secret")
    assert "very-secret" not in repr(config)


@pytest.mark.anyio
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
async def test_serve_prints_its_url_and_stops_cleanly(signum: signal.Signals) -> None:
    process = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "bybit_wsapi", "serve", "--port", "0"),
        *("--key", "cli-key", "--secret", "cli-secret", "--no-rate-limit", "--log-level", "DEBUG"),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        assert process.stderr is not None
        line = await asyncio.wait_for(process.stdout.readline(), TIMEOUT * 2)
        url = line.decode().rstrip("\n")
        assert url.startswith("ws://127.0.0.1:")
        assert url.endswith("/v5/trade")
        async with await authed(url, "cli-key", "cli-secret") as ws:
            for _ in range(15):  # more than the linear limit: rate limits are off
                assert (await call(ws, order_frame("order.create", limit_order())))["retCode"] == 0
        async with await open_ws(url) as demo:
            reply = await call(demo, {"op": "auth", "args": [DEMO_API_KEY, 0, ""]})
            assert reply["retCode"] == 10003  # only the configured accounts exist
        process.send_signal(signum)
        out, err = await asyncio.wait_for(process.communicate(), TIMEOUT * 2)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0
    assert out == url.removesuffix("/v5/trade").encode() + b"\n"  # then the base URL only
    assert b"listening on" in err
    assert b"cli-secret" not in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--port", "70000"], "port: expected 0..65535"),
        (["--port", "-1"], "port: expected 0..65535"),
        (["--host", "not a host!"], "host 'not a host!': expected an IP address or host name"),
        (["--delay-ms", "-5"], "delay_ms: expected a finite number >= 0"),
        (["--delay-ms", "nan"], "delay_ms: expected a finite number >= 0"),
        (["--drop-probability", "-0.1"], "drop_probability: expected a number in [0, 1]"),
        (["--drop-probability", "1.5"], "drop_probability: expected a number in [0, 1]"),
        (["--idle-timeout", "-1"], "idle_timeout"),
        (["--garbage-frames", "-1"], "garbage_frames: expected an integer >= 0"),
        (["--drop-after-frames", "0"], "drop_after_frames: expected an integer >= 1"),
        (["--stream-burst", "-1"], "stream_burst: expected an integer >= 0"),
        (["--stream-fault", "nope"], "invalid choice: 'nope'"),
        (["--wallet", "USDT"], "--wallet 'USDT': expected COIN=AMOUNT"),
        (["--wallet", "USDT=lots"], "--wallet: AMOUNT must be a decimal number"),
        (["--wallet", "USDT=-5"], "wallet: 'USDT' needs a non-negative balance"),
        (["--trade-probability", "2"], "trade_probability must be within [0, 1]"),
        (["--stream-queue-bytes", "10"], "stream_queue_bytes at least 1024"),
        (["--rest-closed-buffer", "-1"], "rest closed_buffer: expected an integer >= 0, got -1"),
        (["--rest-visibility-delay-ms", "-5"], "rest visibility_delay_ms: expected an integer"),
        (["--rest-rate-limit", "0"], "rest rate_limit: expected an integer >= 1, got 0"),
        (["--rest-fail-next", "200"], "rest fail_next: expected an HTTP status (400..599) or"),
        (["--rest-clock-skew-ms", "1.5"], "--rest-clock-skew-ms: invalid int value: '1.5'"),
    ],
)
def test_out_of_range_options_exit_2_with_one_line(
    argv: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def never(config: ServerConfig) -> int:
        raise AssertionError(f"the server started with {config}")

    monkeypatch.setattr(server_cli, "_serve", never)
    with pytest.raises(SystemExit) as info:
        main(["serve", *argv])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("field", "value"),
    [("delay_ms", -1.0), ("delay_ms", float("inf")), ("drop_probability", 1.01)],
)
def test_faults_refuse_bad_values_at_runtime_too(field: str, value: float) -> None:
    faults = Faults()
    with pytest.raises(ValueError, match=field):
        setattr(faults, field, value)
    assert getattr(faults, field) == getattr(Faults(), field)  # unchanged


def test_config_refuses_a_port_out_of_range() -> None:
    with pytest.raises(ValueError, match="port"):
        ServerConfig(port=65536)


def _serve_error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    status = main(["serve", *argv])
    out, err = capsys.readouterr()
    assert status == 1
    assert out == ""
    assert err.count("\n") == 1, err  # one line, no traceback
    return err


def test_a_port_in_use_is_one_line_and_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        err = _serve_error(["--port", str(port)], capsys)
    assert f"127.0.0.1:{port} is already in use" in err
    assert "--port 0" in err  # what to do next


def test_an_address_not_on_this_machine_is_one_line_and_exit_1(
    capsys: pytest.CaptureFixture[str],
) -> None:
    err = _serve_error(["--host", "192.0.2.1"], capsys)  # TEST-NET-1: never local
    assert "cannot listen on 192.0.2.1" in err
    assert "--host" in err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["serve", "--version"])
    assert info.value.code == 0
    assert (
        capsys.readouterr().out
        == f"bybit-wsapi serve {importlib.metadata.version('bybit-wsapi')}\n"
    )
