"""Client options: one home for every default, and every bad value refused at construction."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import math
import re
from pathlib import Path
from typing import Any

import pytest

from bybit_wsapi import ClientOptions, ConfigurationError, WebsocketAPIClient, WebsocketClient
from bybit_wsapi.endpoints import ws_api_url
from bybit_wsapi.options import OPTION_FIELDS, ConnectionOptions
from bybit_wsapi.retry import backoff
from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET, LocalServer
from bybit_wsapi.signing import make_signer

from .conftest import order

ROOT = Path(__file__).resolve().parents[2]
OPTIONS_SOURCE = ROOT / "src" / "bybit_wsapi" / "options.py"
_DEFAULTS = {f.name: f.default for f in dataclasses.fields(ConnectionOptions)}
SECONDS = [name for name, (_, check) in OPTION_FIELDS.items() if check.__name__ == "check_seconds"]


def _value(text: str) -> object:
    """A default as the docs write it: ``10``, ``0.25``, ``4 MiB``, ``False``, ``none``."""
    text = text.strip("`")
    if text in ("True", "False"):
        return text == "True"
    if text == "none":
        return None
    number, _, unit = text.partition(" ")
    scale = {"": 1, "MiB": 1024 * 1024}[unit]
    return float(number) * scale


def _default(option: str) -> object:
    """The default of ``option``: its ``ConnectionOptions`` field, or ``ws_api_url``'s or
    ``make_signer``'s parameter."""
    field, _ = OPTION_FIELDS[option]
    if field is None:
        signing = inspect.signature(make_signer).parameters
        function = make_signer if option in signing else ws_api_url
        return inspect.signature(function).parameters[option].default
    return _DEFAULTS[field]


def _docstrings() -> dict[str, str]:
    tree = ast.parse(OPTIONS_SOURCE.read_text(encoding="utf-8"))
    (cls,) = (n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "ClientOptions")
    docs = {}
    for stmt, after in zip(cls.body, cls.body[1:], strict=False):
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            assert isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
            docs[stmt.target.id] = after.value.value
    return docs


def _readme_table() -> dict[str, str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Using the client", 1)[1].split("\n## ", 1)[0]
    table = section.split("| option | type | default |", 1)[1].split("\n\n", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \| [^|]+ \| ([^|]+) \|", table, re.MULTILINE)
    return {name: default.strip() for name, default in rows}


def test_every_option_has_a_check_and_a_docstring() -> None:
    assert set(OPTION_FIELDS) == ClientOptions.__optional_keys__
    assert set(_docstrings()) == set(OPTION_FIELDS)


def test_docstring_defaults_match_the_dataclass() -> None:
    quoted = {}
    for option, doc in _docstrings().items():
        found = re.search(r"\(default ([0-9.]+(?: MiB)?)[,)]", doc)
        if found:
            quoted[option] = _value(found.group(1))
        elif "none by default" in doc:
            quoted[option] = None
    numeric = {o for o in OPTION_FIELDS if isinstance(_default(o), int | float)} - {
        "testnet",
        "demo_trading",
    }
    assert numeric <= set(quoted), "every numeric default is quoted in its docstring"
    assert quoted == {option: _default(option) for option in quoted}


def test_readme_options_table_matches_the_dataclass() -> None:
    table = _readme_table()
    assert set(table) == set(OPTION_FIELDS)
    assert {o: _value(d) for o, d in table.items()} == {o: _default(o) for o in table}


def test_backoff_defaults_come_from_the_options() -> None:
    params = inspect.signature(backoff).parameters
    assert params["initial"].default == _DEFAULTS["reconnect_initial_delay"]
    assert params["maximum"].default == _DEFAULTS["reconnect_max_delay"]


def _build(**options: Any) -> WebsocketClient:
    return WebsocketClient(**{"key": "k", "secret": "s", **options})


def _refused(**options: Any) -> str:
    with pytest.raises(ConfigurationError) as caught:
        _build(**options)
    return str(caught.value)


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("request_timout", "request_timeout"),
        ("testnett", "testnet"),
        ("recvWindow", "recv_window"),
        ("wsUrl", "ws_url"),
        ("api_key", "key"),
    ],
)
def test_an_unknown_option_is_refused_with_a_suggestion(typo: str, meant: str) -> None:
    message = _refused(**{typo: 3})
    assert message.startswith(f"unknown option {typo!r} (did you mean {meant!r}?); the options")
    assert all(name in message for name in OPTION_FIELDS)


def test_an_unknown_option_far_from_any_gets_the_list_only() -> None:
    message = _refused(colour="blue")
    assert message.startswith("unknown option 'colour'; the options are: testnet, demo_trading")


@pytest.mark.parametrize("option", SECONDS)
@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, 0, -1.0])
def test_seconds_must_be_finite_and_positive(option: str, value: float) -> None:
    expected = f"{option} must be a finite number of seconds > 0, got {value!r}"
    assert _refused(**{option: value}) == expected


@pytest.mark.parametrize("option", SECONDS)
def test_seconds_must_be_numbers(option: str) -> None:
    assert _refused(**{option: "5"}) == (
        f"{option} must be a number of seconds (int or float), got str"
    )
    assert _refused(**{option: True}) == (
        f"{option} must be a number of seconds (int or float), got bool"
    )


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"ws_url": 5}, "ws_url must be a string (a ws:// or wss:// URL), got int"),
        ({"ws_url": "ws://"}, "ws_url must be a ws:// or wss:// URL with a host, got 'ws://'"),
        ({"testnet": "yes"}, "testnet must be True or False, got 'yes'"),
        ({"testnet": 1}, "testnet must be True or False, got 1"),
        ({"demo_trading": "no"}, "demo_trading must be True or False, got 'no'"),
        ({"region": 3}, "region must be a string, got int"),
        ({"recv_window": 5.5}, "recv_window must be an int >= 1 (milliseconds), got 5.5"),
        ({"recv_window": "5000"}, "recv_window must be an int >= 1 (milliseconds), got str"),
        ({"max_frame_bytes": 10}, "max_frame_bytes must be an int >= 1024 (bytes), got 10"),
        ({"referer": ""}, "referer must be a non-empty string, got an empty string"),
        (
            {"reconnect_initial_delay": 5, "reconnect_max_delay": 1},
            "reconnect_max_delay (1 s) must be >= reconnect_initial_delay (5 s): raise "
            "reconnect_max_delay or lower reconnect_initial_delay",
        ),
        (
            {"reconnect_initial_delay": 60},
            "reconnect_max_delay (30 s) must be >= reconnect_initial_delay (60 s): raise "
            "reconnect_max_delay or lower reconnect_initial_delay",
        ),
    ],
)
def test_bad_values_are_refused_naming_the_option(options: dict[str, Any], expected: str) -> None:
    assert _refused(**options) == expected


@pytest.mark.parametrize(
    ("key", "secret", "expected"),
    [
        ("", "s", "key must be a non-empty string (your Bybit API key), got an empty string"),
        (
            None,
            "s",
            "key is missing: secret= (or sign=) needs the Bybit API key it belongs to as key=; "
            "leave all three out for public market data only",
        ),
        ("k", "", "secret must be a non-empty string (your Bybit API secret), got an empty string"),
        ("k", 12345, "secret must be a string (your Bybit API secret), got int"),
    ],
)
def test_key_and_secret_must_be_non_empty_strings(key: Any, secret: Any, expected: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        WebsocketAPIClient(key=key, secret=secret)
    assert str(caught.value) == expected
    assert "12345" not in str(caught.value)


def test_good_options_reach_the_connection() -> None:
    options: ClientOptions = {
        "testnet": True,
        "recv_window": 3000,
        "request_timeout": 2,
        "referer": "broker",
        "reconnect_initial_delay": 1,
        "reconnect_max_delay": 1,
    }
    ws = WebsocketClient(key="k", secret="s", **options)
    assert ws.url == "wss://stream-testnet.bybit.com/v5/trade"
    assert (
        repr(ws)
        == "<WebsocketClient key=k… url=wss://stream-testnet.bybit.com/v5/trade not connected>"
    )


@pytest.mark.anyio
@pytest.mark.parametrize("timeout", [math.nan, math.inf, 0, -2.0, "1", True])
async def test_a_bad_per_call_timeout_is_refused_and_sends_nothing(
    server: LocalServer, timeout: Any
) -> None:
    async with WebsocketAPIClient(
        key=DEMO_API_KEY, secret=DEMO_API_SECRET, ws_url=server.url, attach_event_listeners=False
    ) as client:
        with pytest.raises(ConfigurationError, match=r"^timeout must be a"):
            await client.submit_new_order(order("bad-timeout"), timeout=timeout)
        assert client.get_ws_client().in_flight == 0
        reply = await client.submit_new_order(order("good-timeout"), timeout=5)
        assert reply["retCode"] == 0
        assert [o["orderLinkId"] for o in server.orders(DEMO_API_KEY)] == ["good-timeout"]


def test_ws_url_with_testnet_or_region_is_ambiguous() -> None:
    url = "ws://127.0.0.1:1/v5/trade"
    assert _refused(ws_url=url, testnet=True) == (
        "ws_url names the endpoint itself: pass either ws_url or testnet=True, not both"
    )
    assert _refused(ws_url=url, region="tr") == (
        "ws_url names the endpoint itself: pass either ws_url or region='tr', not both"
    )
    assert _build(ws_url=url, testnet=False).url == url


def test_attach_event_listeners_must_be_a_bool_and_belongs_to_the_api_client() -> None:
    with pytest.raises(ConfigurationError) as caught:
        WebsocketAPIClient(key="k", secret="s", attach_event_listeners="no")  # type: ignore[arg-type]
    assert str(caught.value) == "attach_event_listeners must be True or False, got 'no'"
    assert _refused(attach_event_listeners=True).startswith(
        "unknown option 'attach_event_listeners' (an argument of WebsocketAPIClient; on "
        "WebsocketClient attach handlers with on()); the options are: testnet,"
    )
