"""Fuzzing: the client's frame decoder, the server's request validation, the spec loader.

What the other suites already fuzz is not repeated here: ``tests/server/test_robustness.py``
sends random and mutated frames through a socket with a 4 KiB frame cap, and
``tests/codegen/test_spec.py`` mutates the spec's text line by line. This file adds:

- ``bybit_wsapi.protocol.decode`` (never fuzzed before) on random text, random JSON and
  reply-shaped frames with wrong types, huge strings, unicode and nesting;
- the server's ``Engine.handle`` called directly (no frame cap), so huge strings, deep nesting
  and unicode reach request validation itself;
- the real ``schema/ws_api.yaml`` mutated as a YAML *tree* (wrong types, deleted, renamed and
  unknown keys, huge strings, unicode, nesting), and as bytes (not UTF-8) through ``load_spec``.

Every property test is derandomized with a modest example count, so CI runs the same examples.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any, Final

import pytest
import yaml
from bybit_wsapi_generated import WS_API_OPERATIONS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import codegen
from bybit_wsapi.auth import sign_auth
from bybit_wsapi.protocol import (
    AuthReply,
    OrphanError,
    Pong,
    Reply,
    Unrecognised,
    decode,
    response_meta,
)
from bybit_wsapi.retcodes import RetCode
from bybit_wsapi.server import DEMO_API_KEY, DEMO_API_SECRET, Faults, ServerConfig
from bybit_wsapi.server.frames import encode
from bybit_wsapi.server.protocol import Engine, Pending
from codegen.spec import parse_spec

from ..codegen.helpers import check_loads_or_lists_problems
from ..orders import create
from ..server.helpers import paths

ROOT: Final = Path(__file__).resolve().parents[2]
SPEC_PATH: Final = ROOT / "schema" / "ws_api.yaml"


def fuzz_settings(examples: int) -> settings:
    """Deterministic (same examples every run), no deadline, no example database."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# ---- values --------------------------------------------------------------------------------

UNICODE: Final = st.text(st.characters(codec="utf-8"), max_size=30) | st.sampled_from(
    ["\x00", "\u202e", "\ufeff", "𝔘𝔫𝔦", "日本語", "\U0010ffff", "e\u0301", "\ud800"]
)
"""Text with NUL, a bidi override, BOM, astral and combining characters, a lone surrogate."""

HUGE: Final = st.sampled_from([1_000, 65_536, 1 << 20]).map(lambda n: "x" * n)
"""Strings of up to 1 MiB."""


def nested(depth: int, leaf: Any = 0) -> Any:
    """``depth`` levels of alternating lists and objects around ``leaf``."""
    value = leaf
    for level in range(depth):
        value = [value] if level % 2 else {"k": value}
    return value


NESTED: Final = st.integers(0, 400).map(nested)
"""Nesting well within what JSON decoding allows (see the test for deeper frames)."""

SCALARS: Final = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | UNICODE
)
JSON: Final = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(UNICODE, children, max_size=4)
    ),
    max_leaves=12,
)
ANY_VALUE: Final = JSON | HUGE | NESTED


def dumps(value: Any) -> str:
    return json.dumps(value)  # ASCII: a lone surrogate goes out as \ud800, as on a real wire


# ---- the client's frame decoder -------------------------------------------------------------

ORDER_OPS: Final = sorted(WS_API_OPERATIONS)
OPS: Final = st.sampled_from([*ORDER_OPS, "auth", "pong", "ping", "", "ORDER.CREATE"]) | ANY_VALUE
REPLY_KEYS: Final = {
    "reqId": UNICODE | ANY_VALUE,
    "op": OPS,
    "retCode": st.sampled_from([0, 1, 10001, 10019, -1]) | ANY_VALUE,
    "retMsg": UNICODE | ANY_VALUE,
    "ret_code": st.integers() | ANY_VALUE,
    "ret_msg": st.sampled_from(["pong", "OK", ""]) | ANY_VALUE,
    "success": st.booleans() | ANY_VALUE,
    "data": ANY_VALUE,
    "retExtInfo": ANY_VALUE,
    "header": st.dictionaries(
        st.sampled_from(
            ["Timenow", "X-Bapi-Limit", "X-Bapi-Limit-Status", "Traceid", "TraceId", "x"]
        ),
        ANY_VALUE | st.integers().map(str),
    )
    | ANY_VALUE,
    "connId": ANY_VALUE,
}
REPLY_FRAMES: Final = st.fixed_dictionaries({}, optional=REPLY_KEYS).map(dumps)
RECEIVED_TEXT: Final = (
    REPLY_FRAMES
    | JSON.map(dumps)
    | st.text(max_size=200)
    | REPLY_FRAMES.map(lambda text: text[: len(text) // 2])  # truncated
    | HUGE
)


def expected_class(text: str) -> type:
    """What the protocol says a received frame is (reference §3.3, §5, §5.3, §8)."""
    try:
        frame = json.loads(text)
    except ValueError:
        return Unrecognised
    if not isinstance(frame, dict):
        return Unrecognised
    op = frame.get("op")
    if op == "pong" or frame.get("ret_msg") == "pong":
        return Pong
    if isinstance(frame.get("reqId"), str) and isinstance(op, str) and op != "auth":
        return Reply
    if op == "auth":
        return AuthReply
    code = frame.get("retCode", frame.get("ret_code"))
    failed = not (type(code) is int and code == 0) or frame.get("success") is False
    return OrphanError if op in ORDER_OPS and failed else Unrecognised


@fuzz_settings(300)
@given(text=RECEIVED_TEXT)
def test_decode_never_raises_and_classifies_as_the_protocol_says(text: str) -> None:
    message = decode(text)
    assert type(message) is expected_class(text)
    if isinstance(message, Unrecognised):
        assert message.text == text
        assert message.reason
        return
    frame = json.loads(text)
    assert message.frame == frame
    if isinstance(message, Pong):
        return
    code = message.ret_code
    assert code is None or type(code) is int, code
    assert isinstance(message.ret_msg, str)
    failed = code != 0 or frame.get("success") is False
    if isinstance(message, Reply):
        assert (message.req_id, message.op) == (frame["reqId"], frame["op"])
        if frame.get("success") is False:
            assert code != 0  # a legacy failure never reads as a success
    elif isinstance(message, AuthReply):
        assert message.ok is not failed
    else:
        assert isinstance(message, OrphanError)
        assert message.op == frame["op"] and failed
    meta = response_meta(frame, 1.5)
    assert meta["rttMs"] == 1.5
    for key in ("serverTimeMs", "rateLimit", "rateLimitRemaining", "rateLimitResetMs"):
        assert meta[key] is None or type(meta[key]) is int
    assert meta["traceId"] is None or isinstance(meta["traceId"], str)


_ABSENT: Final = object()
STATUS_FIELDS: Final[dict[str, tuple[Any, ...]]] = {
    "op": ("order.create", "order.cancel-batch", "auth", "pong", "ping", _ABSENT),
    "reqId": ("r-1", "", 7, _ABSENT),
    "retCode": (0, 10001, None, True, "0", _ABSENT),
    "ret_code": (0, 1, _ABSENT),
    "success": (False, True, _ABSENT),
    "ret_msg": ("pong", "Params Error", _ABSENT),
}


def test_decode_classifies_every_combination_of_the_status_fields() -> None:
    """Every combination (7776 frames) of the fields that decide what a frame is."""
    count = 0
    for values in itertools.product(*STATUS_FIELDS.values()):
        frame = {k: v for k, v in zip(STATUS_FIELDS, values, strict=True) if v is not _ABSENT}
        text = dumps(frame)
        message = decode(text)
        assert type(message) is expected_class(text), frame
        if isinstance(message, Reply | AuthReply | OrphanError):
            failed = message.ret_code != 0 or frame.get("success") is False
            if isinstance(message, AuthReply):
                assert message.ok is not failed, frame
            elif isinstance(message, Reply):  # a legacy failure never reads as a success
                assert not (frame.get("success") is False and message.ret_code == 0), frame
            else:
                assert failed, frame
        count += 1
    assert count == 6 * 4 * 6 * 3 * 3 * 3


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"reqId":"1","op":"order.create","retCode":0,"data":'
        + "[" * 100_000
        + "]" * 100_000
        + "}",
    ],
    ids=["bare", "in-a-reply"],
)
def test_decode_deeply_nested_frames(text: str) -> None:
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)  # Python's default (other tests' tools, e.g. mypy, raise it)
    try:
        message = decode(text)
    finally:
        sys.setrecursionlimit(limit)
    assert isinstance(message, Unrecognised)
    assert message.text == text


# ---- the server's request validation --------------------------------------------------------

NOW_MS: Final = 1_800_000_000_000
"""The server clock in these tests (requests are stamped with it)."""
KNOWN_CODES: Final = frozenset(int(code) for code in RetCode)


def base_frames() -> list[dict[str, Any]]:
    header = {"X-BAPI-TIMESTAMP": str(NOW_MS)}
    order = create("fz")
    ref = {"category": "linear", "symbol": "BTCUSDT", "orderLinkId": "fz"}
    item = {k: v for k, v in order.items() if k != "category"}
    expires = NOW_MS + 10_000
    return [
        {"op": "auth", "args": [DEMO_API_KEY, expires, sign_auth(DEMO_API_SECRET, expires)]},
        {"op": "ping"},
        {"reqId": "c", "header": header, "op": "order.create", "args": [order]},
        {"reqId": "a", "header": header, "op": "order.amend", "args": [{**ref, "qty": "2"}]},
        {"reqId": "x", "header": header, "op": "order.cancel", "args": [ref]},
        {
            "reqId": "b",
            "header": header,
            "op": "order.create-batch",
            "args": [{"category": "linear", "request": [item, item]}],
        },
        {
            "header": header,
            "op": "order.cancel-batch",
            "args": [{"category": "spot", "request": [{"symbol": "X", "orderId": "1"}]}],
        },
    ]


@st.composite
def mutated(draw: st.DrawFn, base: Any, values: st.SearchStrategy[Any]) -> Any:
    """``base`` with one to three nodes replaced, deleted or given a new sibling."""
    tree = json.loads(json.dumps(base))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(paths(tree)))
        if not path:
            continue
        parent = tree
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(values)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(UNICODE)] = draw(values)
        else:
            parent.append(draw(values))
    return tree


REQUESTS: Final = (
    st.sampled_from(base_frames()).flatmap(lambda base: mutated(base, ANY_VALUE)).map(dumps)
    | JSON.map(dumps)
    | st.text(max_size=300)
    | HUGE
    | NESTED.map(dumps)
)


def new_engine() -> tuple[Engine, Any, Any]:
    """An engine, an authenticated session and a fresh (unauthenticated) one."""
    engine = Engine(ServerConfig(rate_limit=False), Faults())
    authed, fresh = engine.open_session(), engine.open_session()
    reply = engine.handle(authed, dumps(base_frames()[0]), NOW_MS)
    assert isinstance(reply, dict) and reply["retCode"] == 0, reply
    return engine, authed, fresh


def check_reply(reply: Any, conn_id: str) -> None:
    """A reply the server can send: a JSON object with a known retCode and a clear message."""
    assert isinstance(reply, dict)
    code = reply.get("retCode")
    assert type(code) is int or isinstance(code, RetCode), reply
    assert int(code) in KNOWN_CODES, reply
    message = reply["retMsg"]
    assert isinstance(message, str) and message, reply
    assert isinstance(reply["op"], str)
    assert reply["connId"] == conn_id
    json.loads(encode(reply))  # it can go on the wire


def test_the_base_frames_are_valid() -> None:
    """The control for the property below: unmutated, every base frame succeeds."""
    engine, authed, _ = new_engine()
    for frame in base_frames()[1:]:
        result = engine.handle(authed, dumps(frame), NOW_MS)
        if isinstance(result, Pending):
            result = result.apply(NOW_MS)
        assert isinstance(result, dict) and result["retCode"] == 0, (frame, result)


@fuzz_settings(300)
@given(request=REQUESTS)
def test_request_validation_never_crashes_and_always_answers_clearly(request: str) -> None:
    engine, authed, fresh = new_engine()
    for session in (authed, fresh):
        result = engine.handle(session, request, NOW_MS)
        if result is None:  # no_pong is off: every frame gets a reply
            pytest.fail(f"no reply to {request[:200]!r}")
        if isinstance(result, Pending):
            assert session is authed
            result = result.apply(NOW_MS)
            check_reply(result, session.conn_id)
            continue
        check_reply(result, session.conn_id)
        if result["retCode"] == 0:
            assert result["op"] in ("pong", "auth"), result
    # and the engine still works
    healthy = engine.handle(authed, dumps(base_frames()[2] | {"reqId": "after"}), NOW_MS)
    assert isinstance(healthy, Pending)
    assert healthy.apply(NOW_MS)["retCode"] in (0, RetCode.DUPLICATE_ORDER_LINK_ID)


# ---- the spec loader ---------------------------------------------------------------------------

SPEC_TEXT: Final = SPEC_PATH.read_text(encoding="utf-8")
SPEC_TREE: Final = yaml.safe_load(SPEC_TEXT)
YAML_VALUES: Final = (
    SCALARS.filter(lambda v: not (isinstance(v, str) and "\ud800" in v))
    | st.sampled_from(["Buy", "string", "decimal", "OrderParamsV5", "order.create", "~", ""])
    | st.lists(st.integers(), max_size=3)
    | st.dictionaries(st.sampled_from(["type", "values", "fields", "x"]), SCALARS, max_size=3)
    | st.sampled_from([10_000, 100_000]).map(lambda n: "y" * n)
    | st.integers(0, 60).map(lambda d: nested(d, "leaf"))
)
"""Values PyYAML can dump: wrong types, spec-looking words, huge strings, nesting."""


def test_the_spec_survives_a_yaml_round_trip() -> None:
    """The control for the tree mutations: re-dumped unmutated, the spec still loads."""
    parse_spec(yaml.safe_dump(SPEC_TREE, allow_unicode=True, sort_keys=False), "round.yaml")


@fuzz_settings(40)
@given(tree=mutated(SPEC_TREE, YAML_VALUES))
def test_a_structurally_mutated_spec_loads_or_lists_located_problems(tree: Any) -> None:
    text = yaml.safe_dump(tree, allow_unicode=True, sort_keys=False)
    check_loads_or_lists_problems(text, "mutated/ws_api.yaml")


@fuzz_settings(30)
@given(
    flips=st.lists(
        st.tuples(st.integers(0, len(SPEC_TEXT.encode()) - 1), st.integers(0x80, 0xFF)),
        min_size=1,
        max_size=4,
    )
)
def test_a_spec_that_is_not_utf8_is_a_clear_error(
    flips: list[tuple[int, int]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    data = bytearray(SPEC_TEXT.encode())
    for at, byte in flips:
        data[at] = byte
    path = tmp_path_factory.mktemp("spec") / "ws_api.yaml"
    path.write_bytes(bytes(data))
    try:
        bytes(data).decode("utf-8")
    except UnicodeDecodeError:
        with pytest.raises(codegen.InvalidSpecError) as caught:
            codegen.load_spec(path)
        [problem] = caught.value.errors
        assert str(problem).startswith(f"{path}: not UTF-8 text (")
    else:  # the flips happened to make valid UTF-8: any outcome but a crash
        check_loads_or_lists_problems(bytes(data).decode("utf-8"), str(path))


def test_an_alias_bomb_is_a_clear_error_not_a_hang() -> None:
    levels = ["l0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    levels += [f"l{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9 + 1)]
    script = textwrap.dedent(
        """
        import sys
        import codegen
        from codegen.spec import parse_spec
        try:
            parse_spec(sys.stdin.read(), "bomb.yaml")
        except codegen.InvalidSpecError as exc:
            print(exc.errors[0])
        """
    )
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-c", script],
            input="\n".join(levels) + "\n" + SPEC_TEXT,
            capture_output=True,
            text=True,
            timeout=30.0,  # the bomb takes minutes; a clear error takes well under a second
            cwd=ROOT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        waited = time.perf_counter() - started
        pytest.fail(f"parse_spec was still expanding aliases after {waited:.1f} s")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("bomb.yaml:"), done.stdout
