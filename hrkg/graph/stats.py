"""Counts that describe a store: triples per graph and instances per class."""

from __future__ import annotations

from pyoxigraph import DefaultGraph, QuerySolutions, Store

__all__ = ["stats"]


def stats(store: Store) -> dict[str, list[tuple[str, int]]]:
    graphs = store.query("""
        SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g""")
    classes = store.query("""
        SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c }
        GROUP BY ?c ORDER BY DESC(?n) ?c""")
    assert isinstance(graphs, QuerySolutions) and isinstance(classes, QuerySolutions)
    return {
        "graphs": [(s["g"].value, int(s["n"].value)) for s in graphs],
        "classes": [(s["c"].value, int(s["n"].value)) for s in classes],
        "total": [
            ("quads", len(store)),
            (
                "distinct facts (default graph)",
                sum(1 for _ in store.quads_for_pattern(None, None, None, DefaultGraph())),
            ),
        ],
    }
