"""Ontology QC (ontology/qc/*-violation.rq): every query must return no row."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, Store

from hrkg.resources import ontology_files, resource_dir, shape_files

QC = sorted((resource_dir("ontology") / "qc").glob("*-violation.rq"))
# invalid/ files use undeclared terms on purpose (e.g. hr:Maybe as a response)
SHAPE_TESTS = [p for p in sorted((resource_dir("shapes") / "tests").rglob("*.ttl"))
               if p.parent.name != "invalid"]


def test_qc_queries_exist() -> None:
    assert len(QC) >= 3


def ontology_store(*extra: Path) -> Store:
    store = Store()
    for f in ontology_files() + shape_files() + list(extra):
        store.load(path=str(f), format=RdfFormat.TURTLE)
    return store


@pytest.mark.parametrize("query", QC, ids=lambda p: p.stem)
def test_qc_on_ontology_shapes_and_shape_tests(query: Path) -> None:
    rows = list(ontology_store(*SHAPE_TESTS).query(query.read_text()))
    assert rows == [], f"{query.name}: {rows}"


@pytest.mark.parametrize("query", QC, ids=lambda p: p.stem)
def test_qc_on_built_store(query: Path, store) -> None:
    rows = list(store.query(query.read_text()))
    assert rows == [], f"{query.name}: {rows[:10]}"


def test_qc_catches_an_undeclared_term(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("<https://w3id.org/hrkg/id/x> <https://w3id.org/hrkg/ontology#nonsense> 1 .\n")
    query = next(q for q in QC if q.stem == "undeclared-term-violation")
    rows = list(ontology_store(bad).query(query.read_text()))
    assert [r["term"].value for r in rows] == ["https://w3id.org/hrkg/ontology#nonsense"]
