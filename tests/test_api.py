"""The Python API (hrkg.open, build, validate, export) on a store built without datasets: the
ontology, the reference data and the project's five documents."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pyoxigraph import NamedNode, Store

import hrkg
from hrkg.errors import QueryError, StoreError

REPO = Path(__file__).resolve().parent.parent
HR = "https://w3id.org/hrkg/ontology#"


@pytest.fixture(scope="module")
def graph(small_built: Path) -> hrkg.Graph:
    return hrkg.open(small_built)


def test_open_gives_the_store_and_queries_it(graph: hrkg.Graph) -> None:
    assert isinstance(graph.store, Store)
    rows = graph.query(f"SELECT ?d ?t WHERE {{ ?d a <{HR}Document> ; "
                       "<http://purl.org/dc/terms/title> ?t } ORDER BY ?d")
    assert isinstance(rows, hrkg.Rows)
    assert rows.variables == ("d", "t")
    assert len(rows) == 15   # the project's five documents and the items of the news page
    assert all(isinstance(d, NamedNode) for d, _ in rows)
    assert graph.query("ASK { ?s ?p ?o }") is True
    assert graph.query(f"ASK {{ ?s a <{HR}Nothing> }}") is False
    triples = graph.query(f"CONSTRUCT {{ ?d a <{HR}Document> }} WHERE {{ ?d a <{HR}Document> }}")
    assert isinstance(triples, list) and len(triples) == 15
    with pytest.raises(QueryError, match="not valid SPARQL"):
        graph.query("SELEC")
    with pytest.raises(QueryError, match="SELECT"):
        graph.select("ASK { ?s ?p ?o }")


def test_rows_become_a_dataframe_of_python_values(graph: hrkg.Graph) -> None:
    df = graph.select(f"""SELECT ?doc (COUNT(?m) AS ?mentions) (SAMPLE(true) AS ?yes) WHERE {{
        ?m a <{HR}Mention> ; <{HR}document> ?doc }} GROUP BY ?doc ORDER BY ?doc""").to_dataframe()
    assert list(df.columns) == ["doc", "mentions", "yes"]
    assert len(df) == 15   # every document and news item names something
    assert df["mentions"].dtype.kind == "i" and int(df["mentions"].sum()) == 265
    assert df["doc"].str.startswith("https://w3id.org/hrkg/id/document/").all()
    assert bool(df["yes"].all())


def test_the_dataset_keeps_the_named_graphs(graph: hrkg.Graph) -> None:
    from rdflib import Graph, URIRef

    ds = graph.dataset()
    named = {str(g.identifier) for g in ds.graphs()}
    in_store = {g.value for g in graph.store.named_graphs()}
    assert named - {"urn:x-rdflib:default"} == in_store
    assert "https://w3id.org/hrkg/id/graph/reference" in named
    ref = Graph(ds.store, identifier=URIRef("https://w3id.org/hrkg/id/graph/reference"))
    label = ref.value(URIRef("https://w3id.org/hrkg/id/state/KEN"),
                      URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
    assert str(label) == "Kenya"
    assert len(ref) == sum(1 for _ in graph.store.quads_for_pattern(
        None, None, None, NamedNode("https://w3id.org/hrkg/id/graph/reference")))


def test_export_and_validate_are_the_commands(graph: hrkg.Graph, small_built: Path,
                                             tmp_path: Path) -> None:
    out = io.StringIO()
    n = hrkg.export(out, "nt", store=small_built)
    assert n == len(out.getvalue().splitlines()) == 5674
    path = tmp_path / "all.nt"
    assert graph.export(path, "nt") == n
    assert path.read_text(encoding="utf-8") == out.getvalue()
    report = hrkg.validate(store=small_built)
    assert report.conforms and report.violations == 0
    bad = hrkg.validate([REPO / "shapes" / "tests" / "invalid" / "instrument-without-family.ttl"])
    assert not bad.conforms and bad.violations >= 1


def test_build_through_the_api(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    steps: list[str] = []
    result = hrkg.build(tmp_path / "empty", tmp_path / "store", progress=steps.append)
    assert result.ok and result.store is not None
    assert "reference data" in steps and "writing the store" in steps
    assert hrkg.open(tmp_path / "store").query("ASK { ?s ?p ?o }") is True


def test_open_without_a_build_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no built store"):
        hrkg.open(tmp_path)
