"""The SKOS concept schemes of ontology/, read once: labels of themes, regional groups."""

from __future__ import annotations

from functools import cache

from pyoxigraph import NamedNode, RdfFormat, parse

from hrkg.resources import resource_dir
from hrkg.terms import SKOS

__all__ = ["concepts_in"]


@cache
def concepts_in(filename: str) -> dict[str, NamedNode]:
    """``skos:prefLabel`` (lexical form) → concept IRI for the scheme in ontology/<filename>."""
    out: dict[str, NamedNode] = {}
    path = resource_dir("ontology") / filename
    for triple in parse(path=str(path), format=RdfFormat.TURTLE):
        if triple.predicate == SKOS.prefLabel and isinstance(triple.subject, NamedNode):
            out[triple.object.value] = triple.subject
    return out
