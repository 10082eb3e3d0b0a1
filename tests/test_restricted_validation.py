"""Issue 17: validation restricted to the nodes a change touches (``hrkg load`` of documents,
``validate --changed``) finds exactly what the full validation finds on those nodes: with
the touched nodes listed once (the fast path) and with the restriction joined into every
query (the path for large changes)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import NamedNode

import hrkg.validation.engine
from hrkg.graph.build import touching
from hrkg.resources import resource_dir
from hrkg.validation.engine import Validator
from hrkg.validation.validate import files_store, shapes_graph

SHAPE_TESTS = resource_dir("shapes") / "tests"


def _files() -> list[Path]:
    files = sorted((SHAPE_TESTS / "invalid").glob("*.ttl")) + sorted(
        (SHAPE_TESTS / "valid").glob("*.ttl"))
    assert len(files) >= 10, files   # the globs found the shape tests
    return files


@pytest.mark.parametrize("limit", [hrkg.validation.engine._MATERIALISE, 0],
                         ids=["listed", "joined"])
def test_restricted_finds_what_the_full_check_finds_on_the_touched_nodes(
        limit: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hrkg.validation.engine, "_MATERIALISE", limit)
    store = files_store(_files())
    shapes = shapes_graph()
    full = Validator(shapes).run(store)
    assert len(full) >= 8   # every invalid file fails
    files = {f.resolve().as_uri(): f.name for f in _files()}
    found_in = {}
    for graph in store.named_graphs():
        if not isinstance(graph, NamedNode) or graph.value not in files:
            continue
        nodes = {str(t) for q in store.quads_for_pattern(None, None, None, graph)
                 for t in (q.subject, q.object)}
        got = Validator(shapes).run(store, touching([graph]))
        assert sorted(got, key=repr) == sorted((f for f in full if f.focus in nodes), key=repr), (
            files[graph.value])
        found_in[files[graph.value]] = {str(f.top).rsplit("#", 1)[-1] for f in got}
    assert found_in["recommendation-by-reviewed-state.ttl"] >= {"RecommenderNotReviewedShape"}
    assert found_in["state-bad-iso3.ttl"] == {"StateShape"}
    assert found_in["review-cycle-disagrees.ttl"] >= {"ReviewCycleShape"}
