"""mypy --strict over one typing case against a chosen generated package, away from the repo."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import mypy.api


def mypy_strict(case: str, pkg: Path, tmp_path: Path, cache: Path) -> tuple[str, int]:
    """(output, exit status) of ``mypy --strict`` on ``case`` with only ``pkg`` importable.

    It runs from ``tmp_path`` with an empty config, no site-packages and ``MYPYPATH`` set to
    ``pkg``'s parent, so ``bybit_wsapi_generated`` can only resolve to ``pkg``. ``cache`` is
    shared between runs (the standard library is checked once); mypy keys it by file path and
    contents, so packages in other folders never mix.
    """
    file = tmp_path / "cases" / "check_case.py"
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(case, encoding="utf-8")
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\n", encoding="utf-8")
    old = os.environ.get("MYPYPATH")
    os.environ["MYPYPATH"] = str(pkg.parent)
    try:
        with contextlib.chdir(tmp_path):
            out, err, status = mypy.api.run(
                [
                    "--config-file", str(config), "--strict",
                    "--enable-error-code", "ignore-without-code", "--warn-unused-ignores",
                    "--no-site-packages", "--cache-dir", str(cache),
                    "--no-pretty", str(file),
                ]
            )  # fmt: skip
    finally:
        if old is None:
            del os.environ["MYPYPATH"]
        else:
            os.environ["MYPYPATH"] = old
    return out + err, status
