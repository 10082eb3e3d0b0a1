"""The loader interface (hrkg.loading): a loader that only these tests define and register,
through a real entry point, contributes reference facts and a recommendation index the way
the built-in loaders do; the build imports no particular loader."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import NamedNode, Quad

from hrkg.cli import cli
from hrkg.graph.store import open_read_only
from hrkg.loading import (
    IndexedRecommendation,
    Loader,
    LoadReport,
    ReferenceContribution,
    Source,
    recommendation_index,
    registered_loaders,
)
from hrkg.terms import rid

HR = "https://w3id.org/hrkg/ontology#"


class MembersTsvLoader(Loader):
    """``members/*.tsv``: ISO alpha-3, TAB, regional group: a membership table."""

    name = "members-tsv"
    description = "test loader: a UN membership table with regional groups"
    patterns = ("members/*.tsv",)

    def _rows(self, source: Source) -> list[list[str]]:
        return [line.split("\t") for line in source.path.read_text().splitlines() if line]

    def load(self, source: Source, report: LoadReport) -> Iterator[Quad]:
        yield from self.describe_source(source)
        report.rows = len(self._rows(source))

    def reference_facts(self, source: Source) -> ReferenceContribution:
        rows = self._rows(source)
        return ReferenceContribution(members=frozenset(r[0] for r in rows),
                                     groups=tuple((r[0], r[1]) for r in rows))

    def recommendations(self, source: Source,
                        report: LoadReport | None = None) -> Iterable[IndexedRecommendation]:
        for iso, _ in self._rows(source):
            yield IndexedRecommendation(rid("recommendation", "test", iso), 1, iso,
                                        f"Ratify everything ({iso})", frozenset({"NOR"}))


@pytest.fixture
def registered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """MembersTsvLoader registered as an installed distribution would register it: an
    entry point of the group hrkg.loaders in a dist-info folder on sys.path."""
    dist = tmp_path / "site" / "hrkg_test_members-0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: hrkg-test-members\n"
                                   "Version: 0\n")
    (dist / "entry_points.txt").write_text(
        f"[hrkg.loaders]\nmembers-tsv = {__name__}:MembersTsvLoader\n")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    registered_loaders.cache_clear()
    yield
    registered_loaders.cache_clear()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    (root / "members").mkdir(parents=True)
    (root / "members" / "un.tsv").write_text("FRA\tWEOG\nKEN\tAfrica\nBRA\tOceania\n")
    return root


def test_the_registry_lists_the_test_loader(registered: None) -> None:
    result = CliRunner().invoke(cli, ["loaders"])
    assert result.exit_code == 0
    line = next(x for x in result.output.splitlines() if x.startswith("members-tsv"))
    assert "members/*.tsv" in line
    assert "upr-info-csv" in result.output   # the built-in ones are still there


def test_its_reference_facts_are_in_the_built_graph(registered: None, data: Path,
                                                   tmp_path: Path) -> None:
    root = tmp_path / "store"
    result = CliRunner().invoke(cli, ["build", "--data", str(data), "--store", str(root),
                                      "--quiet"])
    assert result.exit_code == 0, result.output
    # the unknown group is reported, never silently dropped
    assert "regional group 'Oceania' of BRA is not one of Africa" in result.output
    store = open_read_only(root)
    ref = "https://w3id.org/hrkg/id/graph/reference"

    def ask(pattern: str) -> bool:
        return bool(store.query(f"PREFIX hr: <{HR}> ASK {{ GRAPH <{ref}> {{ {pattern} }} }}"))

    state = "https://w3id.org/hrkg/id/state/"
    assert ask(f"<{state}FRA> hr:unMember true")
    assert ask(f"<{state}KEN> hr:unMember true")
    assert ask(f"<{state}BRA> hr:unMember true")
    assert ask(f"<{state}DEU> hr:unMember false")   # the table does not list it
    assert ask(f"<{state}KEN> hr:regionalGroup ?g FILTER(STRENDS(STR(?g), '/Africa'))")
    assert ask(f"<{state}FRA> hr:regionalGroup ?g FILTER(STRENDS(STR(?g), '/WEOG'))")
    assert not ask(f"<{state}BRA> hr:regionalGroup ?g")
    assert ask(f"<{ref}> <http://www.w3.org/ns/prov#wasDerivedFrom> "
               "<https://w3id.org/hrkg/id/source/members/un.tsv>")
    members = list(store.query(
        f"PREFIX hr: <{HR}> SELECT (COUNT(?s) AS ?n) WHERE {{ GRAPH <{ref}> "
        "{ ?s hr:unMember true } }"))
    assert members[0]["n"].value == "3"


def test_without_it_no_state_is_a_member(data: Path, tmp_path: Path) -> None:
    """The same data directory without the test loader: no membership table, no facts."""
    root = tmp_path / "store"
    result = CliRunner().invoke(cli, ["build", "--data", str(data), "--store", str(root),
                                      "--quiet"])
    assert result.exit_code == 0, result.output
    assert "members-tsv" not in result.output
    found = list(open_read_only(root).quads_for_pattern(
        NamedNode("https://w3id.org/hrkg/id/state/FRA"), NamedNode(HR + "unMember"), None,
        None))
    assert found == []


def test_its_recommendations_join_the_shared_index(registered: None, data: Path) -> None:
    index = recommendation_index(data)
    assert [(r.session, r.state, r.text) for r in index] == [
        (1, "FRA", "Ratify everything (FRA)"), (1, "KEN", "Ratify everything (KEN)"),
        (1, "BRA", "Ratify everything (BRA)")]
    assert index[0].iri.value == "https://w3id.org/hrkg/id/recommendation/test/FRA"
