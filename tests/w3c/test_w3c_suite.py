"""The W3C SHACL test suite on the fast engine (``python -m tests.w3c.runner`` prints the
table). Every case passes except those listed in KNOWN with the reason; a listed case that
starts passing fails here too, so that the list (and the README's figure) is kept true."""

from __future__ import annotations

import logging
import re
from collections import Counter

import pytest

from tests.conftest import REPO
from tests.w3c.runner import Case, cases, run_case, suite_root

# case → (what the fast engine does with it, why)
KNOWN: dict[str, tuple[str, str]] = {}

CASES = cases() if (suite_root() / "manifest.ttl").is_file() else []


@pytest.fixture(autouse=True, scope="module")
def _pinned(data_dir) -> None:
    """The suite is a pinned dataset: these tests are of the data tier (skipped without it)."""


def test_the_suite_is_there() -> None:
    """The pinned suite: 98 core tests in 7 folders, 22 SPARQL tests in 4."""
    assert CASES, f"the W3C SHACL test suite is not under {suite_root()} (see data/MANIFEST.tsv)"
    parts = Counter(c.folder.split("/")[0] for c in CASES)
    assert parts == {"core": 98, "sparql": 22}
    assert len({c.folder for c in CASES}) == 11


def test_the_readme_states_the_figure() -> None:
    """The README's table says what this test file asserts."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    for part in ("core", "sparql"):
        n = sum(1 for c in CASES if c.folder.startswith(part + "/"))
        known = Counter(status for name, (status, _) in KNOWN.items() if name.startswith(part))
        row = (rf"\| {part} \({n} tests\) \| \*\*{n - sum(known.values())}\*\* \| "
               rf"{known['failed']} \| {known['refused']} \|")
        assert re.search(row, text), f"README: expected a row like {row!r}"


@pytest.fixture(autouse=True, scope="module")
def _quiet_rdflib():
    # the suite's ill-typed literals make rdflib log a traceback each
    logger = logging.getLogger("rdflib")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_case(case: Case) -> None:
    outcome = run_case(case, "fast")
    expected, why = KNOWN.get(case.name, ("passed", ""))
    assert outcome.status == expected, (
        f"{case.name} ({case.label}): {outcome.status}, expected {expected}"
        + (f" ({why})" if why else "") + f"\n{outcome.detail}")
