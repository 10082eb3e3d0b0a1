"""The README's Python session runs, on the full build; the doctests of the modules run."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def test_the_python_session_of_the_readme(built, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HRKG_STORE", str(built[0]))
    result = doctest.testfile(str(REPO / "README.md"), module_relative=False,
                              optionflags=FLAGS, raise_on_error=False, verbose=False)
    assert result.failed == 0
    assert result.attempted >= 15   # the session is there, not skipped


MODULES = ["hrkg.terms", "hrkg.reference.states", "hrkg.reference.upr",
           "hrkg.reference.ohchr_schemes", "hrkg.text.mentions", "hrkg.serve.sparql",
           "hrkg.serve.media", "hrkg.loaders.ohchr_documents"]


@pytest.mark.parametrize("name", MODULES)
def test_doctests_of(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=FLAGS)
    assert result.failed == 0
    assert result.attempted > 0


def test_every_module_with_doctests_is_listed() -> None:
    found = []
    for top, package in (("hrkg", "hrkg"), ("loaders", "hrkg.loaders")):
        for path in sorted((REPO / top).rglob("*.py")):
            if ">>> " in path.read_text(encoding="utf-8"):
                parts = path.relative_to(REPO / top).with_suffix("").parts
                found.append(".".join([package, *parts]))
    assert sorted(found) == sorted(MODULES)
