"""Run SPARQL on the store and format the answer. The default graph holds every fact once
(the merge of the named graphs, made at build time); ``GRAPH ?g`` reaches each source."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Store,
)

from hrkg.errors import QueryError
from hrkg.terms import PREFIXES, resource_prefixes

__all__ = ["Answer", "run_query", "FORMATS"]

FORMATS = ("table", "csv", "tsv", "json")
_RESULT_FORMATS = {
    "csv": QueryResultsFormat.CSV,
    "tsv": QueryResultsFormat.TSV,
    "json": QueryResultsFormat.JSON,
}


@dataclass
class Answer:
    """What a query returned: rows (SELECT), a boolean (ASK) or triples (CONSTRUCT/DESCRIBE)."""

    kind: str  # select | ask | graph
    variables: list[str]
    rows: list[list[object]]
    boolean: bool | None = None
    raw: object = None
    raw_text: str = ""

    def format(self, fmt: str) -> str:
        if self.kind == "ask":
            if fmt == "json":
                return json.dumps({"head": {}, "boolean": self.boolean})
            return "true" if self.boolean else "false"
        if self.kind == "graph":
            return self.raw.decode("utf-8") if isinstance(self.raw, bytes) else str(self.raw)
        if fmt == "table":
            return _table(self.variables, self.rows)
        return self.raw_text


@cache
def _longest_first() -> list[tuple[str, str]]:
    return sorted({**PREFIXES, **resource_prefixes()}.items(), key=lambda kv: -len(kv[1]))


def _short(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        iri = term.value
        for prefix, ns in _longest_first():
            if iri.startswith(ns) and "/" not in iri[len(ns) :]:
                return f"{prefix}:{iri[len(ns) :]}"
        return f"<{iri}>"
    if isinstance(term, Literal):
        return term.value
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return str(term)


def _table(variables: list[str], rows: list[list[object]]) -> str:
    cells = [[_short(v) for v in row] for row in rows]
    widths = [max([len(v)] + [min(len(r[i]), 80) for r in cells]) for i, v in enumerate(variables)]

    def line(values: list[str]) -> str:
        return "  ".join(
            (v if len(v) <= 80 else v[:79] + "…").ljust(w)
            for v, w in zip(values, widths, strict=True)
        ).rstrip()

    out = [line(variables), line(["-" * w for w in widths])]
    out += [line(r) for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def run_query(store: Store, sparql: str, fmt: str = "table") -> Answer:
    """Run ``sparql`` on the store: its default graph is every fact once."""
    try:
        result = store.query(sparql)
    except SyntaxError as exc:
        raise QueryError(f"the query is not valid SPARQL: {exc}") from None
    except OSError as exc:
        raise QueryError(f"the query failed: {exc}") from None
    if isinstance(result, QueryBoolean):
        return Answer("ask", [], [], boolean=bool(result))
    if isinstance(result, QuerySolutions):
        variables = [v.value for v in result.variables]
        if fmt in _RESULT_FORMATS:
            answer = Answer("select", variables, [])
            data = result.serialize(format=_RESULT_FORMATS[fmt])
            assert data is not None  # no output given: the bytes are returned
            answer.raw_text = data.decode("utf-8")
            return answer
        return Answer("select", variables, [[sol[v] for v in variables] for sol in result])
    data = result.serialize(format=RdfFormat.TURTLE if fmt == "table" else RdfFormat.N_TRIPLES)
    return Answer("graph", [], [], raw=data)
