"""The bybit-wsapi generator: YAML spec -> typed Python in ``generated/``.

``python -m codegen`` (or ``make generate``) runs it. The pipeline is fixed:
load and validate the spec (:mod:`.spec`), check the pinned tool versions, render every file in
memory (:mod:`.models` for the TypedDicts, Jinja templates for the rest, :mod:`.render`), then
replace the output folder in one step (:mod:`.output`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from .errors import InvalidSpecError, SpecProblem
from .render import check_tool_versions, render_package
from .spec import DEFAULT_SPECS, Spec, load_spec

__all__ = ["DEFAULT_OUT", "DEFAULT_SPECS", "InvalidSpecError", "SpecProblem", "build", "load_spec"]

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = Path("generated/bybit_wsapi_generated")


def build(spec_path: Path | str, *more: Path | str) -> Mapping[str, str]:
    """Load the spec (``spec_path``, extended by ``more``) and render the package.

    Returns ``{file name: contents}``.

    Raises:
        InvalidSpecError: the spec has errors (all of them are listed).
        GenerationError: a pinned tool is missing or at the wrong version, or failed.
    """
    spec: Spec = load_spec(spec_path, *more)
    check_tool_versions(ROOT / "pyproject.toml")
    return render_package(spec)
