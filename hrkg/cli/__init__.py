"""The ``hrkg`` command (:mod:`hrkg.cli.main`) and its summaries (:mod:`hrkg.cli.report`)."""

from hrkg.cli.main import cli, main

__all__ = ["cli", "main"]
