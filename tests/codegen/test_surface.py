"""codegen.surface and the generated streams tables: what ws_streams.yaml says, at runtime.

Expectations come from the loaded spec (``spec_model``) or, for the protocol facts the issue
pins (limits, paths, wsKeys), from ``bybit-ws-streams.md`` itself.
"""

from __future__ import annotations

import ast
import json
import typing
from pathlib import Path
from typing import Any

import pytest
from bybit_wsapi_generated import WS_KEY_MAP, streams, subscriptions

import codegen
from codegen.ir import Spec, Topic

from .helpers import ROOT, SPECS

SPEC: Spec = codegen.load_spec(*SPECS)
SAMPLE = {"symbol": "BTCUSDT", "depth": 50, "interval": "5", "product": "future"}


def test_families_and_their_literal_follow_the_spec() -> None:
    families = tuple(t.family for t in SPEC.topics)
    assert families == streams.TOPIC_FAMILIES
    assert typing.get_args(streams.TopicFamily) == families
    assert dict(streams.STREAM_METHODS) == {t.family: t.method for t in SPEC.topics}


def test_every_documented_topic_family_is_there() -> None:
    """bybit-ws-streams.md sections 3-4: five public families and seven private ones."""
    access = {t.family: t.access for t in SPEC.topics}
    assert access == {
        **dict.fromkeys(
            ["orderbook", "publicTrade", "tickers", "kline", "allLiquidation"], "public"
        ),
        **dict.fromkeys(
            ["order", "execution", "execution.fast", "position", "wallet", "greeks", "dcp"],
            "private",
        ),
    }


def test_stream_sockets_paths_and_limits_are_the_documented_ones() -> None:
    """Section 1 (paths), section 2.2 (Bybit's args limits), the Node SDK's wsKeys and its
    batch of 500 topics per frame where Bybit sets no limit."""
    table = {
        key: (r["attribute"], r["path"], r["category"], r["subscribe_batch"], r["max_args_per_request"], r["max_args_chars"], r["max_topics"])
        for key, r in streams.STREAMS.items()
    }  # fmt: skip
    assert table == {
        "v5SpotPublic": ("v5_spot_public", "/v5/public/spot", "spot", 10, 10, 21000, None),
        "v5LinearPublic": ("v5_linear_public", "/v5/public/linear", "linear", 500, None, 21000, None),
        "v5InversePublic": ("v5_inverse_public", "/v5/public/inverse", "inverse", 500, None, 21000, None),
        "v5OptionPublic": ("v5_option_public", "/v5/public/option", "option", 500, None, 21000, 2000),
        "v5Private": ("v5_private", "/v5/private", None, 500, None, None, None),
    }  # fmt: skip
    for key, rule in streams.STREAMS.items():
        assert getattr(WS_KEY_MAP, rule["attribute"]) == key
    assert dict(streams.PUBLIC_WS_KEYS) == {
        "spot": "v5SpotPublic",
        "linear": "v5LinearPublic",
        "inverse": "v5InversePublic",
        "option": "v5OptionPublic",
    }
    assert streams.PRIVATE_WS_KEY == "v5Private"


@pytest.mark.parametrize("name", list(streams.DIALECTS))
def test_each_dialects_examples_are_recognised_by_its_own_rules(name: str) -> None:
    dialect = streams.DIALECTS[name]
    examples = {k: json.loads(v) for k, v in dialect["examples"].items()}
    assert examples["ack"][dialect["ack_key"]] in dialect["ack_values"]
    assert examples["ack"]["success"] is True
    if dialect["success_ret_msg"] is None:
        assert "ret_msg" not in examples["ack"]
    else:
        assert examples["ack"]["ret_msg"] == dialect["success_ret_msg"]
    pong = examples["pong"]
    assert pong[dialect["pong_key"]] in dialect["pong_values"]
    assert pong.get("ret_msg") == "pong" or pong.get("op") == "pong"  # section 8, pitfall 1
    if dialect["topic_lists"] is not None:
        success, fail = dialect["topic_lists"]
        assert set(examples["ack"]["data"]) == {success, fail}
    for other in examples.values():
        assert other.get(dialect["pong_key"]) not in dialect["pong_values"] or other is pong


def test_every_stream_names_a_dialect() -> None:
    assert {r["dialect"] for r in streams.STREAMS.values()} == set(streams.DIALECTS)


@pytest.mark.parametrize(
    ("topic", "family"),
    [
        ("orderbook.50.BTCUSDT", "orderbook"),
        ("order", "order"),
        ("order.linear", "order"),
        ("execution.fast", "execution.fast"),
        ("execution.fast.spot", "execution.fast"),
        ("execution.linear", "execution"),
        ("dcp.future", "dcp"),
        ("publicTrade.BTC", "publicTrade"),
        ("orders", None),
        ("insurance.USDT", None),
        ("", None),
    ],
)
def test_topic_family_routes_by_the_longest_family(topic: str, family: str | None) -> None:
    assert streams.topic_family(topic) == family


@pytest.mark.parametrize(
    ("topic", "ws_key", "match"),
    [
        ("orderbook.50.BTCUSDT", "v5LinearPublic", ("orderbook", {"depth": "50", "symbol": "BTCUSDT"})),
        ("orderbook.500.BTCUSDT", "v5LinearPublic", None),  # removed depth: handler not found
        ("orderbook.25.BTC-27DEC24-60000-C", "v5OptionPublic", ("orderbook", {"depth": "25", "symbol": "BTC-27DEC24-60000-C"})),
        ("orderbook.50.BTC-27DEC24-60000-C", "v5OptionPublic", None),
        ("orderbook.50.", "v5SpotPublic", None),
        ("kline.D.BTCUSDT", "v5SpotPublic", ("kline", {"interval": "D", "symbol": "BTCUSDT"})),
        ("kline.2.BTCUSDT", "v5SpotPublic", None),
        ("allLiquidation.BTCUSDT", "v5SpotPublic", None),  # linear and inverse only
        ("publicTrade.SOLUSDT_SOL/USDT", "v5SpotPublic", ("publicTrade", {"symbol": "SOLUSDT_SOL/USDT"})),
        ("order", "v5Private", ("order", {})),
        ("order.linear", "v5Private", ("order", {"category": "linear"})),
        ("order.futures", "v5Private", None),
        ("order", "v5LinearPublic", None),  # a private topic on a public socket
        ("position.spot", "v5Private", None),  # no spot positions
        ("execution.fast.spot", "v5Private", ("execution.fast", {"category": "spot"})),
        ("dcp.future", "v5Private", ("dcp", {"product": "future"})),
        ("dcp.linear", "v5Private", None),
        ("tickers.BTCUSDT", "v5Private", None),
    ],
)  # fmt: skip
def test_match_topic_says_whether_a_socket_serves_a_topic(
    topic: str, ws_key: Any, match: tuple[str, dict[str, str]] | None
) -> None:
    assert streams.match_topic(topic, ws_key) == match


class _Recorder(subscriptions.StreamMethods):
    """A runtime stub: records what each generated method asks for."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str]] = []

    def _subscription(self, ws_key: Any, topic: str, family: Any) -> Any:
        self.calls.append((ws_key, topic, family))
        return None


def _expected_calls(t: Topic) -> list[tuple[dict[str, Any], tuple[str, str, str]]]:
    """(method kwargs, expected seam call) for every category of every variant."""
    out = []
    for v in t.variants:
        params = {p.name: (v.allowed(p.name) or (SAMPLE[p.name],))[0] for p in t.params}
        for category in v.categories or (None,):
            kwargs = params if category is None else {"category": category, **params}
            topic = v.pattern.format(**{**params, "category": category})
            key = (
                streams.PRIVATE_WS_KEY
                if t.access == "private"
                else streams.PUBLIC_WS_KEYS[str(category)]
            )
            out.append((kwargs, (key, topic, t.family)))
    return out


@pytest.mark.parametrize("topic", SPEC.topics, ids=lambda t: t.family)
def test_each_method_builds_its_topic_and_picks_its_socket(topic: Topic) -> None:
    recorder = _Recorder()
    expected = _expected_calls(topic)
    for kwargs, _ in expected:
        assert getattr(recorder, topic.method)(**kwargs) is None
    assert recorder.calls == [call for _, call in expected]
    for ws_key, topic_string, family in recorder.calls:  # what a method sends, its socket serves
        match = streams.match_topic(topic_string, ws_key)
        assert match is not None and match[0] == family, topic_string


@pytest.mark.parametrize("topic", SPEC.topics, ids=lambda t: t.family)
def test_each_method_is_overloaded_exactly_when_its_variants_type_differently(
    topic: Topic,
) -> None:
    method = getattr(subscriptions.StreamMethods, topic.method)
    overloads = typing.get_overloads(method)
    differ = len({(v.message, v.values) for v in topic.variants}) > 1
    assert len(overloads) == (len(topic.variants) if differ else 0)
    assert " ".join((method.__doc__ or "").split()).startswith(topic.doc)


def test_the_typing_cases_call_every_stream_method() -> None:
    tree = ast.parse((ROOT / "tests" / "typing" / "cases" / "pass_topics.py").read_text("utf-8"))
    called = {n.func.attr for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)}  # fmt: skip
    assert [t.method for t in SPEC.topics if t.method not in called] == []


def test_the_seam_is_the_only_abstract_method() -> None:
    assert subscriptions.StreamMethods.__abstractmethods__ == frozenset({"_subscription"})
    assert Path(subscriptions.__file__).name == "subscriptions.py"
