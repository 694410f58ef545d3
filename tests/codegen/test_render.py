"""Text from the spec lands in generated source safely, whatever characters it holds."""

from __future__ import annotations

import ast
import json
import typing
import warnings
from pathlib import Path

import pytest

import codegen
from codegen.output import write_package

from .helpers import SPEC_TEXT, STREAMS, imported, replace_once

TITLE = 'Bybit """V5""" trade \\ API'
WS_KEY_VALUE = 'v5"Private\\Trade'
DESCRIPTION = 'Order side """ with \\ and a trailing quote"'


@pytest.fixture(scope="module")
def awkward_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("awkward")
    text = replace_once(
        SPEC_TEXT, "title: Bybit V5 WebSocket trade API", f"title: {json.dumps(TITLE)}"
    )
    text = replace_once(text, "value: v5PrivateTrade}", f"value: {json.dumps(WS_KEY_VALUE)}}}")
    text = replace_once(text, "description: Order side.", f"description: {json.dumps(DESCRIPTION)}")
    text = replace_once(
        text,
        "description: Rate-limit and timing headers.}",
        f"description: {json.dumps(DESCRIPTION)}}}",
    )
    spec = base / "ws_api.yaml"
    spec.write_text(text, encoding="utf-8")
    pkg = base / "pkg" / "bybit_wsapi_generated"
    write_package(codegen.build(spec, STREAMS), pkg)
    return pkg


def test_awkward_text_still_gives_an_importable_package(awkward_package: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an invalid escape in a docstring warns at compile time
        with imported(awkward_package, "awkward_generated") as g:
            assert g.WS_KEY_MAP.v5_private_trade == WS_KEY_VALUE
            assert typing.get_args(g.WSAPIWsKey) == (WS_KEY_VALUE,)
            assert TITLE in (g.__doc__ or "")
            assert f"{TITLE} (/v5/trade)" in (g.envelope.__doc__ or "")


def test_docstrings_keep_awkward_descriptions_verbatim(awkward_package: Path) -> None:
    tree = ast.parse((awkward_package / "envelope.py").read_text(encoding="utf-8"))
    docs = [
        node.value.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    ]
    assert DESCRIPTION in docs
