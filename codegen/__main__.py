"""``python -m codegen``: regenerate ``generated/`` from the spec, or check it for drift."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import DEFAULT_OUT, DEFAULT_SPECS, build
from .errors import GenerationError, InvalidSpecError, UnsafeOutputError
from .output import compare_package, write_package


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m codegen",
        description="Generate the typed bybit-wsapi layer from the YAML spec.",
    )
    defaults = " ".join(str(p) for p in DEFAULT_SPECS)
    parser.add_argument(
        "--spec",
        type=Path,
        action="append",
        help=f"a spec file; repeat it for more, the trade API first (default: {defaults})",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help=f"the package folder to write (default: {DEFAULT_OUT})",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if the folder differs from the spec",
    )
    args = parser.parse_args(argv)
    specs: list[Path] = args.spec or list(DEFAULT_SPECS)
    named = ", ".join(str(p) for p in specs)
    try:
        files = build(*specs)
        if args.check:
            problems = compare_package(files, args.out)
            for problem in problems:
                print(problem, file=sys.stderr)
            if problems:
                print("generated code is out of date: run `make generate`", file=sys.stderr)
                return 1
            print(f"{args.out} is up to date with {named}")
            return 0
        write_package(files, args.out)
    except InvalidSpecError as exc:
        for error in exc.errors:
            print(error, file=sys.stderr)
        print(f"{len(exc.errors)} error(s) in the spec; nothing was written", file=sys.stderr)
        return 1
    except (GenerationError, UnsafeOutputError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"generated {args.out} ({len(files)} files) from {named}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
