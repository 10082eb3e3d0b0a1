"""SHACL validation of files or of the store, by the fast engine
(:mod:`hrkg.validation.engine`, SPARQL on Oxigraph) or by pySHACL, the reference
implementation. Both give the same results (tested).

The shapes are hrkg's own (``shapes/``), or any the user gives (``--shapes``); the data is the
built store, or any RDF files (one named graph per file; TriG and N-Quads keep their graphs),
validated as their union or graph by graph. Every result names where its focus node came from:
the file and line, through the named graphs (and ``hr:sourceLine`` where a loader recorded
one, or the line the parser read the node's first triple on).

Exit codes: 0 nothing at or above the ``--fail-on`` severity (violations unless told), 1 some
result at or above it, 2 the input or the shapes could not be read.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlparse

import rdflib
from pyoxigraph import (
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
)
from rdflib.namespace import RDF, SH

from hrkg.errors import ShapeError
from hrkg.resources import ontology_files, shape_files
from hrkg.terms import HR, INFERRED_GRAPH, base, rid
from hrkg.validation.engine import (
    AS_WRITTEN,
    RECAST,
    SEVERITY_NAMES,
    Finding,
    Validator,
    default_message,
    nt,
    path_text,
)
from hrkg.validation.rdfinput import Source, first_lines, rdf_files, read_quads

__all__ = [
    "Result",
    "Detail",
    "ValidationReport",
    "validate_files",
    "validate_store",
    "shapes_graph",
    "load_ontology",
    "files_store",
    "ONTOLOGY_GRAPH",
    "ENGINES",
    "SEVERITIES",
    "union_graph",
    "pyshacl_results",
]

ENGINES = ("fast", "pyshacl")
_XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
ONTOLOGY_GRAPH = "ontology"
SEVERITIES = ("Violation", "Warning", "Info")


def _place_label(place: tuple[str, int | None]) -> str:
    return place[0] if place[1] is None else f"{place[0]}:{place[1]}"


@dataclass(frozen=True, eq=False)
class Detail:
    """A result in SHACL's own terms, for reports that are SHACL reports (Turtle, SARIF)."""

    shape: rdflib.term.Node  # sh:sourceShape
    component: rdflib.URIRef  # sh:sourceConstraintComponent
    severity: rdflib.URIRef  # sh:resultSeverity
    path: rdflib.term.Node | None = None  # sh:resultPath, described in path_graph
    path_graph: rdflib.Graph | None = None
    messages: tuple[rdflib.Literal, ...] = ()
    constraint: rdflib.term.Node | None = None  # sh:sourceConstraint


@dataclass(frozen=True, order=True)
class Result:
    """One result. Terms are in N-Triples form (``<iri>``, ``"text"@en``); the component is
    ``sh:…`` (or ``<iri>`` for a SPARQL-based component); the path is a SPARQL property path;
    the shape is the shape with targets (property shapes are named by it). ``graph`` names
    the data graph when graphs are validated one by one. ``places`` (not compared) are where
    the focus node's triples came from: (file, line or None)."""

    severity: str
    source_shape: str
    focus_node: str
    path: str
    component: str
    value: str
    message: str = field(default="", compare=False)
    places: tuple[tuple[str, int | None], ...] = field(default=(), compare=False)
    graph: str = ""
    detail: Detail | None = field(default=None, compare=False)

    @property
    def source(self) -> str:
        """The places as people read them: ``file:line, file (+2)`` (the first three)."""
        labels = [_place_label(p) for p in self.places]
        return ", ".join(labels[:3]) + (f" (+{len(labels) - 3})" if len(labels) > 3 else "")

    @property
    def key(self) -> tuple[str, ...]:
        return (
            self.severity,
            self.source_shape,
            self.focus_node,
            self.path,
            self.component,
            self.value,
            self.graph,
        )

    @property
    def rank(self) -> int:
        """0 violation, 1 warning, 2 info; a severity of the shapes' own counts as a
        violation (it is not one SHACL defines as lesser)."""
        return SEVERITIES.index(self.severity) if self.severity in SEVERITIES else 0

    def replace(self, **changes: object) -> Result:
        from dataclasses import replace

        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass
class ValidationReport:
    results: list[Result]
    seconds: float
    triples: int
    engine: str
    shapes: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    note: str = ""
    shapes_graph: rdflib.Graph | None = field(default=None, repr=False)
    violations_by_loader: Counter[str] = field(default_factory=Counter)
    # evaluation stopped at this many results (--max-results); ``seen``: the severities of
    # every result made before it stopped, kept or not, so that the exit code stays right
    truncated_at: int | None = None
    seen: frozenset[str] = frozenset()

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)

    @property
    def violations(self) -> int:
        return sum(1 for r in self.results if r.rank == 0)

    @property
    def warnings(self) -> int:
        return self.count("Warning")

    @property
    def conforms(self) -> bool:
        """No violation (hrkg's sense; a SHACL report's sh:conforms is "no result"), among
        the results kept and those made before a --max-results stop."""
        return self.violations == 0 and not any(s not in ("Warning", "Info") for s in self.seen)

    def failing(self, fail_on: str = "Violation") -> list[Result]:
        """Results at or above ``fail_on`` (Violation > Warning > Info)."""
        rank = SEVERITIES.index(fail_on.capitalize())
        return [r for r in self.results if r.rank <= rank]

    def exit_code(self, fail_on: str = "Violation") -> int:
        rank = SEVERITIES.index(fail_on.capitalize())
        beyond = any((SEVERITIES.index(s) if s in SEVERITIES else 0) <= rank for s in self.seen)
        return 1 if self.failing(fail_on) or beyond else 0

    def by_shape(self) -> Counter[tuple[str, str]]:
        return Counter((r.severity, r.source_shape) for r in self.results)


# -- shapes ------------------------------------------------------------------------------
def _rdflib_term(term) -> rdflib.term.Node:
    from hrkg.validation.engine import _to_rdflib

    return _to_rdflib(term)


def shapes_graph(paths: Sequence[str] | None = None) -> rdflib.Graph:
    """hrkg's shapes, or the shapes in ``paths`` (files or folders, any RDF format; TriG and
    N-Quads are read as the union of their graphs)."""
    g = rdflib.Graph()
    if paths is None:  # read as any shapes are (Oxigraph's parser: 0.03 s, rdflib's 0.2 s)
        paths = [str(f) for f in shape_files()]
        if not paths:
            raise ShapeError("no SHACL shapes found (shapes/*.ttl)")
    sources = rdf_files(paths)
    if not sources:
        raise ShapeError("--shapes names no RDF file")
    for source in sources:
        prefixes: dict[str, str] = {}
        for q in read_quads(source, prefixes):
            g.add((_rdflib_term(q.subject), _rdflib_term(q.predicate), _rdflib_term(q.object)))
        for prefix, namespace in prefixes.items():
            g.bind(prefix, namespace, override=False)
    return g


def _shape_name(shapes: rdflib.Graph, node: rdflib.term.Node) -> str:
    if isinstance(node, rdflib.URIRef):
        try:
            prefix, _, local = shapes.namespace_manager.compute_qname(node, generate=False)
        except (KeyError, ValueError):  # no prefix bound, or not splittable
            return nt(node)
        return f"{prefix}:{local}"
    return nt(node)


# -- data ----------------------------------------------------------------------------------
def file_graph(path: Path) -> NamedNode:
    return NamedNode(path.resolve().as_uri())


def load_ontology(store: Store) -> None:
    """The ontology into its own graph: validation needs its class hierarchy."""
    graph = rid("graph", ONTOLOGY_GRAPH)
    for f in ontology_files():
        store.load(path=str(f), format=RdfFormat.TURTLE, to_graph=graph)


def files_store(paths: Sequence[Path | str] | Sequence[Source], ontology: bool = True) -> Store:
    """An in-memory store with the files, each file in its own graph (a TriG or N-Quads
    file's named graphs as they are), and hrkg's ontology unless told otherwise."""
    return _load(paths, ontology)[0]


@lru_cache(maxsize=1)
def _ontology_size() -> int:
    from pyoxigraph import parse

    return sum(
        sum(1 for _ in parse(path=str(f), format=RdfFormat.TURTLE)) for f in ontology_files()
    )


_CANONICAL_INTEGER = re.compile(r"-?(0|[1-9][0-9]*)")


def _as_written(quads: list[Quad]) -> dict[str, Literal]:
    """The literals Oxigraph would store otherwise than written, each with its stand-in:
    the same lexical form under ``AS_WRITTEN`` + its datatype (found by storing each
    distinct candidate once in a scratch store)."""
    candidates: dict[str, Literal] = {}
    for q in quads:
        o = q.object
        if isinstance(o, Literal) and o.datatype.value in RECAST:
            if o.datatype.value == _XSD_INTEGER and _CANONICAL_INTEGER.fullmatch(o.value):
                continue
            candidates.setdefault(str(o), o)
    if not candidates:
        return {}
    items = list(candidates.values())
    probe, p = Store(), NamedNode("urn:hrkg:p")
    probe.extend(Quad(NamedNode(f"urn:hrkg:{i}"), p, lit) for i, lit in enumerate(items))
    changed = {}
    for q in probe.quads_for_pattern(None, p, None):
        assert isinstance(q.subject, NamedNode)
        original = items[int(q.subject.value.rsplit(":", 1)[1])]
        if str(q.object) != str(original):
            changed[str(original)] = Literal(
                original.value, datatype=NamedNode(AS_WRITTEN + original.datatype.value)
            )
    return changed


def _load(
    paths: Sequence[Path | str] | Sequence[Source], ontology: bool = True
) -> tuple[Store, Store | None, int]:
    """The store to validate; when some literals are held as written in it, the same data
    as Oxigraph stores it (for SPARQL-based constraints); the number of quads read (a
    store counts its quads only by reading them all)."""
    sources = [s if isinstance(s, Source) else rdf_files([str(s)])[0] for s in paths]
    quads = [q for source in sources for q in read_quads(source)]
    changed = _as_written(quads)
    stores = [Store()] + ([Store()] if changed else [])
    for store in stores:
        if ontology:
            load_ontology(store)
    if changed:
        stores[1].bulk_extend(quads)
        quads = [
            Quad(q.subject, q.predicate, changed.get(str(q.object), q.object), q.graph_name)
            if isinstance(q.object, Literal)
            else q
            for q in quads
        ]
    stores[0].bulk_extend(quads)
    return (
        stores[0],
        (stores[1] if changed else None),
        len(quads) + (_ontology_size() if ontology else 0),
    )


def union_graph(store: Store, graphs: Sequence[NamedNode] | None = None) -> rdflib.Graph:
    """All triples of all graphs of the store (or of ``graphs``), once each, as rdflib."""
    if graphs is None:
        triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    else:
        triples = store.query(
            "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", default_graph=list(graphs)
        )
    g = rdflib.Graph()
    assert isinstance(triples, QueryTriples)
    g.parse(data=triples.serialize(format=RdfFormat.N_TRIPLES), format="nt")
    return g


# -- engines ---------------------------------------------------------------------------------
def _message(messages: tuple[rdflib.Literal, ...], component: rdflib.URIRef, path: str) -> str:
    for m in messages:
        if not m.language or m.language.lower().startswith("en"):
            return str(m)
    return str(messages[0]) if messages else default_message(component, path)


def _component(iri: rdflib.URIRef) -> str:
    return "sh:" + str(iri)[len(str(SH)) :] if str(iri).startswith(str(SH)) else f"<{iri}>"


def _severity(iri: rdflib.term.Node | None) -> str:
    if iri is None:
        return "Violation"
    return SEVERITY_NAMES.get(iri, f"<{iri}>")  # type: ignore[call-overload]


def pyshacl_results(data: rdflib.Graph, shapes: rdflib.Graph) -> list[Result]:
    """pySHACL's results on an rdflib graph, in our terms."""
    from pyshacl import validate as pyshacl_validate  # slow to import: only when asked

    _, report, _ = pyshacl_validate(
        data,
        shacl_graph=shapes,
        inference="none",
        allow_warnings=True,
        advanced=True,
        abort_on_first=False,
    )
    owner = {ps: ns for ns, ps in shapes.subject_objects(SH.property)}
    results = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        source_shape = report.value(r, SH.sourceShape)
        shape = owner.get(source_shape, source_shape)  # a property shape: named by its owner
        path = report.value(r, SH.resultPath)
        component = report.value(r, SH.sourceConstraintComponent)
        severity = report.value(r, SH.resultSeverity)
        messages = tuple(
            m for m in report.objects(r, SH.resultMessage) if isinstance(m, rdflib.Literal)
        )
        text_path = path_text(report, path) if path is not None else ""
        results.append(
            Result(
                severity=_severity(severity),
                source_shape=_shape_name(shapes, shape),
                focus_node=nt(report.value(r, SH.focusNode)),
                path=text_path,
                component=_component(component),
                value=nt(report.value(r, SH.value)),
                message=str(messages[0]) if messages else default_message(component, text_path),
                detail=Detail(
                    source_shape,
                    component,
                    severity or SH.Violation,
                    path,
                    report,
                    messages,
                    report.value(r, SH.sourceConstraint),
                ),
            )
        )
    return results


def _from_finding(f: Finding, shapes: rdflib.Graph, graph: str) -> Result:
    path = (
        f"<{f.path_iri}>"
        if f.path_iri
        else (path_text(shapes, f.path) if f.path is not None else "")
    )
    path_node = rdflib.URIRef(f.path_iri) if f.path_iri else f.path
    return Result(
        f.severity_name,
        _shape_name(shapes, f.top),
        f.focus,
        path,
        _component(f.component),
        f.value,
        _message(f.messages, f.component, path),
        graph=graph,
        detail=Detail(
            f.shape, f.component, f.severity, path_node, shapes, f.messages, f.constraint
        ),
    )


@lru_cache(maxsize=4096)
def _graph_label(graph: str) -> str:
    prefix = base() + "graph/"
    if graph.startswith(prefix):
        return unquote(graph[len(prefix) :])
    if graph == "urn:hrkg:stdin":
        return "<stdin>"
    if graph.startswith("file://"):
        path = Path(unquote(urlparse(graph).path))
        try:  # relative to where the command runs, as CI annotations want it
            return path.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return path.as_posix()
    return graph


def _attribute(store: Store, results: list[Result], sources: Sequence[Source] = ()) -> list[Result]:
    """Name, for each result, the sources (and lines) of its focus node's triples: the
    line a loader recorded (``hr:sourceLine``), else the line the parser read it on."""
    iris = sorted({r.focus_node for r in results if r.focus_node.startswith("<")})
    where: dict[str, set[tuple[str, int | None]]] = {}
    by_graph: dict[str, set[str]] = {}
    for i in range(0, len(iris), 400):
        rows = store.query(
            f"SELECT DISTINCT ?f ?g ?line WHERE {{ VALUES ?f {{ {' '.join(iris[i : i + 400])} }} "
            f"{{ GRAPH ?g {{ ?f ?p ?o }} }} UNION {{ GRAPH ?g {{ ?o ?p ?f }} "
            f"FILTER NOT EXISTS {{ GRAPH ?g {{ ?f ?q ?x }} }} }} "
            f"OPTIONAL {{ GRAPH ?g {{ ?f <{HR.sourceLine.value}> ?line }} }} }}"
        )
        assert isinstance(rows, QuerySolutions)
        for row in rows:
            line = int(row["line"].value) if row["line"] is not None else None
            graph = row["g"].value
            if graph == SHAPES_GRAPH:
                continue
            where.setdefault(str(row["f"]), set()).add((graph, line))
            if line is None:
                by_graph.setdefault(graph, set()).add(str(row["f"]))
    lines: dict[tuple[str, str], int] = {}
    wanted = {term for terms in by_graph.values() for term in terms}
    for source in sources:
        lines.update(first_lines(source, wanted))
    out = []
    for r in results:
        places = {
            (_graph_label(g), line if line is not None else lines.get((g, r.focus_node)))
            for g, line in where.get(r.focus_node, ())
        }
        # what the build derived (labels, superclass types) is no source of a fact: name it
        # only where no file states anything of the node
        stated = {p for p in places if p[0] != INFERRED_GRAPH}
        places = stated or places
        out.append(r.replace(places=tuple(sorted(places, key=_place_label))))
    return out


def _unique_triples(store: Store, graphs: list[NamedNode] | None, ontology: NamedNode) -> bool:
    """Whether no triple of the data is in two graphs: one data graph, and the ontology
    (if loaded) sharing no triple with it."""
    data = [
        g
        for g in (graphs if graphs is not None else store.named_graphs())
        if isinstance(g, NamedNode) and g != ontology
    ]
    if len(data) != 1 or (
        graphs is None and any(not isinstance(g, NamedNode) for g in store.named_graphs())
    ):
        return False
    if graphs is None and any(
        True for _ in store.quads_for_pattern(None, None, None, DefaultGraph())
    ):
        return False
    if not store.contains_named_graph(ontology):
        return True
    return not store.query(
        f"ASK {{ GRAPH <{ontology.value}> {{ ?s ?p ?o }} GRAPH <{data[0].value}> {{ ?s ?p ?o }} }}"
    )


def _as_written_graph(
    sources: Sequence[Source], graphs: list[NamedNode] | None, store: Store
) -> rdflib.Graph:
    """The data of ``sources`` (only ``graphs``, if given; the ontology, if the store holds
    it) as an rdflib graph, literals as written: for pySHACL."""
    g = rdflib.Graph()
    keep = {x.value for x in graphs} if graphs is not None else None
    for source in sources:
        for q in read_quads(source):
            if keep is None or getattr(q.graph_name, "value", None) in keep:
                g.add((_rdflib_term(q.subject), _rdflib_term(q.predicate), _rdflib_term(q.object)))
    ontology = rid("graph", ONTOLOGY_GRAPH)
    if store.contains_named_graph(ontology) and (keep is None or ontology.value in keep):
        for f in ontology_files():
            g.parse(f, format="turtle")
    return g


def _data_graphs(store: Store, skip: set[str]) -> list[NamedNode]:
    return sorted(
        (g for g in store.named_graphs() if isinstance(g, NamedNode) and g.value not in skip),
        key=lambda g: g.value,
    )


def validate_store(
    store: Store,
    engine: str = "fast",
    restrict: str | None = None,
    files: list[str] | None = None,
    shapes: rdflib.Graph | None = None,
    per_graph: bool = False,
    sources: Sequence[Source] = (),
    sparql_store: Store | None = None,
    triples: int | None = None,
    shapes_in_store: str | None = None,
    max_results: int | None = None,
) -> ValidationReport:
    """Validate the union of the store's graphs (or, ``per_graph``, each named graph on its
    own, with the ontology graph) against hrkg's shapes or ``shapes``. ``restrict`` (fast
    engine only) is a SPARQL group pattern binding ``?this`` to the focus nodes to check."""
    if engine not in ENGINES:
        raise ShapeError(f"unknown engine {engine!r}; expected one of {', '.join(ENGINES)}")
    start = time.perf_counter()
    if triples is None:
        triples = len(store)
    g = shapes if shapes is not None else shapes_graph()
    validator = Validator(g, check=engine == "fast", shapes_graph=shapes_in_store)
    validator.max_results = max_results
    ontology = rid("graph", ONTOLOGY_GRAPH)
    runs: list[tuple[str, list[NamedNode] | None]] = [("", None)]
    if per_graph:
        extra = [ontology] if store.contains_named_graph(ontology) else []
        runs = [
            (_graph_label(d.value), [d, *extra])
            for d in _data_graphs(store, {ontology.value, shapes_in_store or ""})
        ]
    # a built store's default graph is already the merge of its named graphs, each triple
    # once: the fast engine reads it instead of the union, where a fact of two sources is
    # two rows
    merged = (
        engine == "fast"
        and not per_graph
        and any(True for _ in store.quads_for_pattern(None, None, None, DefaultGraph()))
    )
    results: list[Result] = []
    for label, graphs in runs:
        if engine == "fast":
            if merged:
                graphs, unique = [DefaultGraph()], True  # type: ignore[list-item]
            else:
                unique = _unique_triples(store, graphs, ontology)
            results += [
                _from_finding(f, g, label)
                for f in validator.run(store, restrict, graphs, sparql_store, unique, triples)
            ]
        else:
            if restrict:
                raise ShapeError("--changed needs the fast engine")
            # from the files as written where there are files (Oxigraph rewrites literals)
            data = (
                _as_written_graph(sources, graphs, store) if sources else union_graph(store, graphs)
            )
            results += [r.replace(graph=label) for r in pyshacl_results(data, g)]
    truncated = validator.truncated
    seen = {SEVERITY_NAMES.get(s, "Violation") for s in validator.severities_seen}
    if max_results is not None and len(results) > max_results:  # pySHACL: cut afterwards
        truncated, seen = True, {r.severity for r in results}
        results = results[:max_results]
    results = sorted(_attribute(store, results, sources))
    tops = [_shape_name(g, s) for s in validator.top_shapes()]
    return ValidationReport(
        results,
        time.perf_counter() - start,
        triples,
        engine,
        sorted(tops),
        files or [],
        shapes_graph=g,
        truncated_at=max_results if truncated else None,
        seen=frozenset(seen) if truncated else frozenset(),
    )


def validate_files(
    paths: Sequence[Path | str],
    engine: str = "fast",
    shapes: Sequence[str] | None = None,
    per_graph: bool = False,
    data_format: str | None = None,
    stdin: Callable[[], bytes] | None = None,
    max_results: int | None = None,
) -> ValidationReport:
    """Validate RDF files (``-``: standard input) against hrkg's shapes (with hrkg's
    ontology beside the data) or against the shapes in ``shapes`` (the data alone)."""
    sources = rdf_files([str(p) for p in paths], data_format, stdin)
    g = shapes_graph(shapes) if shapes is not None else None
    store, as_stored, quads = _load(sources, ontology=shapes is None)
    in_store = None
    if g is not None and engine == "fast" and _uses_shapes_graph(g):
        # $shapesGraph: the shapes as a named graph beside the data (blank nodes keep
        # their labels, so that the shapes graph's terms are the store's)
        in_store = SHAPES_GRAPH
        (as_stored or store).load(
            input=g.serialize(format="nt").encode(),
            format=RdfFormat.N_TRIPLES,
            to_graph=NamedNode(in_store),
        )
    return validate_store(
        store,
        engine,
        files=[s.path for s in sources],
        shapes=g,
        per_graph=per_graph,
        sources=sources,
        sparql_store=as_stored,
        triples=quads,
        shapes_in_store=in_store,
        max_results=max_results,
    )


SHAPES_GRAPH = "urn:hrkg:shapes-graph"


def _uses_shapes_graph(shapes: rdflib.Graph) -> bool:
    return any(
        re.search(r"[$?]shapesGraph\b", str(o))
        for p in (SH.select, SH.ask)
        for o in shapes.objects(None, p)
    )
