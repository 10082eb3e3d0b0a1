"""Deterministic dumps: the same data gives the same bytes, in Turtle, TriG, N-Triples, N-Quads.

Triples are sorted (subject, predicate, object by their N-Triples form) and Turtle groups
them by subject with prefixed names, so a dump is readable and diffs well. The build run
graph (``id/graph/build``, which holds the load time) is left out unless asked for, and so
is the default graph, which the build makes from the named graphs (every fact once): the
Turtle dump is those facts, TriG and N-Quads keep each in the graph of its source.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import IO

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, Store

from hrkg.errors import HrkgError
from hrkg.terms import PREFIXES, RDF, XSD, resource_prefixes, rid

__all__ = ["export", "EXPORT_FORMATS"]

EXPORT_FORMATS = ("turtle", "trig", "nt", "nq")
_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$|^[0-9][A-Za-z0-9_-]*$")


def _prefixes() -> dict[str, str]:
    return dict(sorted({**PREFIXES, **resource_prefixes()}.items()))


class _Namer:
    def __init__(self, prefixes: dict[str, str]) -> None:
        self.by_length = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))

    def term(self, t: object) -> str:
        if isinstance(t, NamedNode):
            for prefix, ns in self.by_length:
                if t.value.startswith(ns):
                    local = t.value[len(ns) :]
                    if _LOCAL.match(local):
                        return f"{prefix}:{local}"
            return f"<{t.value}>"
        if isinstance(t, Literal):
            if t.datatype == XSD.integer and re.fullmatch(r"-?[0-9]+", t.value):
                return t.value
            if t.datatype == XSD.boolean and t.value in ("true", "false"):
                return t.value
            if t.language or t.datatype == XSD.string:
                return str(t)
            return f"{_quoted(t.value)}^^{self.term(t.datatype)}"
        return str(t)


def _quoted(value: str) -> str:
    return str(Literal(value))


def _key(q: Quad) -> tuple[str, str, str]:
    return (str(q.subject), str(q.predicate), str(q.object))


def _quads(store: Store, graph: NamedNode | None, include_build: bool) -> list[Quad]:
    build = rid("graph", "build")
    quads = store.quads_for_pattern(None, None, None, graph) if graph else store
    out = [
        q
        for q in quads
        if not isinstance(q.graph_name, DefaultGraph)
        and (include_build or graph or q.graph_name != build)
    ]
    if any(isinstance(t, BlankNode) for q in out for t in (q.subject, q.object)):
        raise HrkgError(
            "the store holds blank nodes, whose labels are not stable; "
            "hrkg's loaders never make them: was a file loaded by hand?"
        )
    return out


def _turtle_block(triples: list[Quad], namer: _Namer, indent: str = "") -> Iterator[str]:
    subject = None
    lines: list[str] = []
    for q in sorted(triples, key=lambda q: (_key(q)[0], q.predicate != RDF.type, _key(q)[1:])):
        if q.subject != subject:
            if lines:
                yield "\n".join(lines) + " .\n"
            subject, predicate = q.subject, None
            lines = [f"{indent}{namer.term(q.subject)}"]
        if q.predicate != predicate:
            if predicate is not None:
                lines[-1] += " ;"
            pred = "a" if q.predicate == RDF.type else namer.term(q.predicate)
            lines.append(f"{indent}    {pred} {namer.term(q.object)}")
            predicate = q.predicate
        else:
            lines[-1] += f" ,\n{indent}        {namer.term(q.object)}"
    if lines:
        yield "\n".join(lines) + " .\n"


def _dedupe(quads: Iterable[Quad]) -> list[Quad]:
    seen: dict[tuple[str, str, str], Quad] = {}
    for q in quads:
        seen.setdefault(_key(q), q)
    return list(seen.values())


def export(
    store: Store,
    out: IO[str],
    fmt: str = "turtle",
    graph: NamedNode | None = None,
    include_build: bool = False,
) -> int:
    """Write the store (or one graph) to ``out``; returns the number of statements written."""
    if fmt not in EXPORT_FORMATS:
        raise HrkgError(
            f"unknown export format {fmt!r}; expected one of {', '.join(EXPORT_FORMATS)}"
        )
    quads = _quads(store, graph, include_build)
    namer = _Namer(_prefixes())
    if fmt == "nt":
        lines = sorted({f"{q.subject} {q.predicate} {q.object} ." for q in quads})
        out.writelines(line + "\n" for line in lines)
        return len(lines)
    if fmt == "nq":
        lines = sorted(
            {
                f"{q.subject} {q.predicate} {q.object}"
                + ("" if isinstance(q.graph_name, DefaultGraph) else f" {q.graph_name}")
                + " ."
                for q in quads
            }
        )
        out.writelines(line + "\n" for line in lines)
        return len(lines)
    for prefix, ns in _prefixes().items():
        out.write(f"@prefix {prefix}: <{ns}> .\n")
    out.write("\n")
    if fmt == "turtle":
        triples = _dedupe(quads)
        for block in _turtle_block(triples, namer):
            out.write(block + "\n")
        return len(triples)
    by_graph: dict[str, list[Quad]] = {}
    for q in quads:
        by_graph.setdefault(str(q.graph_name), []).append(q)
    for name in sorted(by_graph):
        g = by_graph[name][0].graph_name
        head = "{" if isinstance(g, DefaultGraph) else f"{namer.term(g)} {{"
        out.write(head + "\n")
        for block in _turtle_block(by_graph[name], namer, "    "):
            out.write(block)
        out.write("}\n\n")
    return len(quads)
