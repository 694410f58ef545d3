"""The case files are checked by mypy (see test_typing.py), never imported or collected."""

collect_ignore = ["cases"]
