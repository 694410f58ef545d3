"""Text from the spec lands in generated source safely, whatever characters it holds."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import codegen
from codegen.output import write_package

from .helpers import SPEC_TEXT, replace_once

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
    write_package(codegen.build(spec), pkg)
    return pkg


def test_awkward_text_still_gives_an_importable_package(awkward_package: Path) -> None:
    probe = """\
import json, typing, bybit_wsapi_generated as g
from bybit_wsapi_generated import envelope, models
print(json.dumps({
    "value": g.WS_KEY_MAP.v5_private_trade,
    "literal": list(typing.get_args(g.WsKey)),
    "init_doc": g.__doc__,
    "envelope_doc": envelope.__doc__,
}))
"""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", probe],
        env={**env, "PYTHONPATH": str(awkward_package.parent)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["value"] == WS_KEY_VALUE
    assert seen["literal"] == [WS_KEY_VALUE]
    assert TITLE in seen["init_doc"]
    assert f"{TITLE} (/v5/trade)" in seen["envelope_doc"]


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


def test_write_package_accepts_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--out .`` used to crash deriving a staging folder from an empty name."""
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    monkeypatch.chdir(pkg)
    write_package({"a.py": "# Generated from x\n"}, Path("."))
    assert sorted(p.name for p in pkg.iterdir()) == ["a.py"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]
