"""The typing corpus in ``cases/``: one ``mypy --strict`` run over every case file.

``pass_*.py`` make valid calls and pin their result types with ``assert_type``; ``fail_*.py``
make invalid ones, each offending line carrying the exact ``# type: ignore[<code>]`` it must
produce. With ``--warn-unused-ignores`` a negative case that stops failing is an error too, so
the single assertion is ``status == 0``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import bybit_wsapi_generated
import mypy.api
import pytest

import bybit_wsapi
import codegen

ROOT = Path(__file__).resolve().parents[2]
CASES = Path(__file__).parent / "cases"
SPEC = codegen.load_spec(ROOT / "schema" / "ws_api.yaml")


def _mypy_cache(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """A cache kept between runs (only this test uses it), or a fresh one without pytest's."""
    cache = getattr(request.config, "cache", None)
    return Path(cache.mkdir("mypy-typing-cases")) if cache is not None else tmp_path / "cache"


def test_typing_corpus(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)  # mypy_path = "src:generated" in pyproject.toml is cwd-relative
    files = sorted(CASES.glob("*.py"))
    out, err, status = mypy.api.run(
        [
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--strict",
            "--enable-error-code",
            "ignore-without-code",
            "--warn-unused-ignores",
            # Errors inside the runtime's own modules belong to test_quality, not to this corpus.
            "--follow-imports",
            "silent",
            "--cache-dir",
            str(_mypy_cache(request, tmp_path)),
            "--no-pretty",
            str(CASES.relative_to(ROOT)),
        ]
    )
    assert status == 0, f"mypy found problems in the typing cases:\n{out}{err}"
    assert f"no issues found in {len(files)} source files" in out, out


# -- the corpus itself stays complete as the spec grows --------------------------------------


def _tree(name: str) -> ast.Module:
    return ast.parse((CASES / name).read_text(encoding="utf-8"))


def _calls(tree: ast.AST, method: str) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == method
    ]


def test_every_method_has_a_positive_case() -> None:
    tree = _tree("pass_methods.py")
    missing = [op.method for op in SPEC.operations if not _calls(tree, op.method)]
    assert missing == []


def test_every_operation_has_a_positive_send_case() -> None:
    sent = {
        call.args[1].value
        for call in _calls(_tree("pass_send.py"), "send_ws_api_request")
        if len(call.args) > 1 and isinstance(call.args[1], ast.Constant)
    }
    assert sent == {op.op for op in SPEC.operations}


def test_the_all_fields_case_sets_every_order_field() -> None:
    tree = _tree("pass_methods.py")
    function = next(
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.AsyncFunctionDef) and node.name == "create_all_fields"
    )
    (call,) = _calls(function, "submit_new_order")
    assert isinstance(call.args[0], ast.Dict)
    keys = [k.value for k in call.args[0].keys if isinstance(k, ast.Constant)]
    create = next(op for op in SPEC.operations if op.op == "order.create")
    assert keys == [f.name for f in SPEC.type(create.params).fields]


def test_every_negative_case_names_its_error_code() -> None:
    ignores = [
        line
        for path in sorted(CASES.glob("fail_*.py"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if "# type: ignore" in line
    ]
    assert len(ignores) >= 12
    assert all("# type: ignore[" in line for line in ignores)


def test_the_package_all_is_literal_and_lists_every_generated_name() -> None:
    """mypy reads ``__all__`` only as a literal list, so it is written out; none may be missing."""
    missing = sorted(set(bybit_wsapi_generated.__all__) - set(bybit_wsapi.__all__))
    assert missing == [], f"add to bybit_wsapi/__init__.py (import and __all__): {missing}"
    assert [name for name in bybit_wsapi.__all__ if not hasattr(bybit_wsapi, name)] == []
    tree = ast.parse((ROOT / "src" / "bybit_wsapi" / "__init__.py").read_text(encoding="utf-8"))
    (assign,) = (
        node
        for node in tree.body
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "__all__"
    )
    assert isinstance(assign.value, ast.List)
    assert all(isinstance(item, ast.Constant) for item in assign.value.elts)
