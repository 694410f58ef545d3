"""The add-a-topic workflow of schema/README.md, end to end on a copy of the spec.

Add a message type and a topic family to ``ws_streams.yaml``, regenerate into a temporary
package, and the new tables, ``Topic`` literal and typed ``stream_*`` method exist at runtime
and type-check, with nothing hand-written changed.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, get_args

import pytest

from .helpers import (
    GENERATED,
    SPEC_TEXT,
    STREAMS_TEXT,
    imported,
    replace_once,
    run_cli,
    snapshot,
    write_specs,
)
from .typecheck import mypy_strict

NEW_TYPES = """\
  PriceLimitV5:
    description: The order price limits of one symbol.
    fields:
      symbol: {type: string, required: true, description: Symbol name.}
      buyLmt: {type: decimal, required: true, description: Highest buy price.}
      sellLmt: {type: decimal, required: true, description: Lowest sell price.}

  PriceLimitMessageV5:
    description: "A message of priceLimit.{symbol}, every 300 ms."
    fields:
      topic: {type: string, required: true, description: The topic.}
      type: {enum: SnapshotTypeV5, required: true, description: Always snapshot.}
      ts: {type: integer, required: true, description: Time (ms).}
      data: {ref: PriceLimitV5, required: true, description: The limits.}

"""

NEW_TOPIC = """
  priceLimit:
    access: public
    method: stream_price_limits
    doc: The order price limits of one symbol.
    pattern: "priceLimit.{symbol}"
    params:
      symbol: {type: string, description: Symbol name.}
    message: PriceLimitMessageV5
    push: [snapshot]
    variants:
      - categories: [linear, inverse, spot]
"""

CASE = '''\
"""The new topic, through its typed stream method."""

from typing import Literal, assert_type

from bybit_wsapi_generated import PriceLimitMessageV5, StreamMethods, Subscription
from bybit_wsapi_generated.sync_subscriptions import SyncStreamMethods, SyncSubscription


async def new_topic(ws: StreamMethods) -> None:
    sub = ws.stream_price_limits("spot", "BTCUSDT")
    assert_type(sub, Subscription[PriceLimitMessageV5])
    async with sub as limits:
        async for msg in limits:
            assert_type(msg["data"]["buyLmt"], str)
            assert_type(msg["type"], Literal["snapshot"])
    ws.stream_price_limits("option", "BTC")  # type: ignore[arg-type]
    ws.stream_price_limits("linear")  # type: ignore[call-arg]


def new_sync_topic(ws: SyncStreamMethods) -> None:
    sub = ws.stream_price_limits("spot", "BTCUSDT")
    assert_type(sub, SyncSubscription[PriceLimitMessageV5])
    with sub as limits:
        for msg in limits:
            assert_type(msg["data"]["sellLmt"], str)
    ws.stream_price_limits("option", "BTC")  # type: ignore[arg-type]
'''


@pytest.fixture(scope="module")
def workflow(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("add-topic")
    streams = replace_once(STREAMS_TEXT, "\ntypes:\n", "\ntypes:\n" + NEW_TYPES)
    streams = replace_once(streams, "\ntopics:\n", "\ntopics:\n" + NEW_TOPIC)
    specs = write_specs(base / "spec", SPEC_TEXT, streams)
    pkg = base / "pkg" / "bybit_wsapi_generated"
    repo_before = snapshot(GENERATED)
    generated = run_cli(*specs, "--out", str(pkg))
    assert generated.returncode == 0, generated.stderr
    with imported(pkg, "added_topic") as g:
        runtime = {
            "families": list(g.streams.TOPIC_FAMILIES),
            "literal": list(get_args(g.streams.TopicFamily)),
            "rule": g.streams.TOPIC_RULES["priceLimit"],
            "method": g.streams.STREAM_METHODS["priceLimit"],
            "object_rule": sorted(g.tables.OBJECT_RULES["PriceLimitV5"]["fields"]),
            "routing": g.streams.topic_family("priceLimit.BTCUSDT"),
            "has_method": callable(getattr(g.StreamMethods, "stream_price_limits", None)),
            "has_sync_method": callable(
                getattr(
                    importlib.import_module("added_topic.sync_subscriptions").SyncStreamMethods,
                    "stream_price_limits",
                    None,
                )
            ),
            "required": sorted(g.PriceLimitMessageV5.__required_keys__),
        }
    return {"pkg": pkg, "runtime": runtime, "repo_unchanged": snapshot(GENERATED) == repo_before}


def test_the_tables_route_the_new_topic(workflow: dict[str, Any]) -> None:
    runtime = workflow["runtime"]
    assert runtime["families"][0] == "priceLimit"
    assert runtime["literal"] == runtime["families"]
    assert runtime["rule"] == {
        "access": "public",
        "method": "stream_price_limits",
        "params": ("symbol",),
        "variants": (
            {
                "categories": ("linear", "inverse", "spot"),
                "pattern": "priceLimit.{symbol}",
                "message": "PriceLimitMessageV5",
                "push": ("snapshot",),
                "values": {},
            },
        ),
    }
    assert runtime["method"] == "stream_price_limits"
    assert runtime["routing"] == "priceLimit"
    assert runtime["object_rule"] == ["buyLmt", "sellLmt", "symbol"]
    assert runtime["has_method"] is True
    assert runtime["has_sync_method"] is True
    assert runtime["required"] == ["data", "topic", "ts", "type"]
    assert workflow["repo_unchanged"] is True


def test_the_new_topic_type_checks(
    workflow: dict[str, Any], tmp_path: Path, mypy_cache: Path
) -> None:
    out, status = mypy_strict(CASE, workflow["pkg"], tmp_path, mypy_cache)
    assert status == 0, out
    assert "no issues found in 1 source file" in out, out


def test_the_case_would_fail_against_the_repositorys_package(
    tmp_path: Path, mypy_cache: Path
) -> None:
    """The control: without the new topic the same case does not type-check."""
    out, status = mypy_strict(CASE, GENERATED, tmp_path, mypy_cache)
    assert status == 1
    assert 'Module "bybit_wsapi_generated" has no attribute "PriceLimitMessageV5"' in out
