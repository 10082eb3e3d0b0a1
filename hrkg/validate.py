"""SHACL validation of files or of the store, by the fast engine (:mod:`hrkg.shacl`, SPARQL on
Oxigraph) or by pySHACL, the reference implementation. Both give the same results (tested).

Exit codes: 0 nothing at or above the ``--fail-on`` severity (violations unless told), 1 some
result at or above it, 2 the input or the shapes could not be read.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

import rdflib
from pyoxigraph import NamedNode, RdfFormat, Store, parse
from pyshacl import validate as pyshacl_validate
from rdflib.namespace import RDF, SH

from hrkg.errors import ShapeError
from hrkg.resources import ontology_files, shape_files
from hrkg.shacl import SEVERITY_NAMES, Validator, nt, path_text
from hrkg.terms import HR, base, rid

__all__ = ["Result", "ValidationReport", "validate_files", "validate_store", "shapes_graph",
           "load_ontology", "files_store", "ONTOLOGY_GRAPH",
           "parse_file", "ENGINES", "SEVERITIES"]

ENGINES = ("fast", "pyshacl")
ONTOLOGY_GRAPH = "ontology"
SEVERITIES = ("Violation", "Warning", "Info")
_FORMATS = {".ttl": RdfFormat.TURTLE, ".nt": RdfFormat.N_TRIPLES, ".nq": RdfFormat.N_QUADS,
            ".trig": RdfFormat.TRIG, ".rdf": RdfFormat.RDF_XML, ".owl": RdfFormat.RDF_XML,
            ".jsonld": RdfFormat.JSON_LD}


def _place_label(place: tuple[str, int | None]) -> str:
    return place[0] if place[1] is None else f"{place[0]}:{place[1]}"


@dataclass(frozen=True, order=True)
class Result:
    """One result. Terms are in N-Triples form (``<iri>``, ``"text"@en``); the component is
    ``sh:…``; the path is a SPARQL property path. ``places`` (not compared) are where the
    focus node's triples came from: (file, line or None), in the order of ``source``."""
    severity: str
    source_shape: str
    focus_node: str
    path: str
    component: str
    value: str
    message: str = field(compare=False)
    places: tuple[tuple[str, int | None], ...] = field(default=(), compare=False)

    @property
    def source(self) -> str:
        """The places as people read them: ``file:line, file (+2)`` (the first three)."""
        labels = [_place_label(p) for p in self.places]
        return ", ".join(labels[:3]) + (f" (+{len(labels) - 3})" if len(labels) > 3 else "")

    @property
    def key(self) -> tuple[str, str, str, str, str, str]:
        return (self.severity, self.source_shape, self.focus_node, self.path, self.component,
                self.value)


@dataclass
class ValidationReport:
    results: list[Result]
    seconds: float
    triples: int
    engine: str
    shapes: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    note: str = ""

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)

    @property
    def violations(self) -> int:
        return self.count("Violation")

    @property
    def warnings(self) -> int:
        return self.count("Warning")

    @property
    def conforms(self) -> bool:
        return self.violations == 0

    def failing(self, fail_on: str = "Violation") -> list[Result]:
        """Results at or above ``fail_on`` (Violation > Warning > Info)."""
        rank = SEVERITIES.index(fail_on.capitalize())
        return [r for r in self.results if SEVERITIES.index(r.severity) <= rank]

    def exit_code(self, fail_on: str = "Violation") -> int:
        return 1 if self.failing(fail_on) else 0

    def by_shape(self) -> Counter[tuple[str, str]]:
        return Counter((r.severity, r.source_shape) for r in self.results)

    def text(self, examples: int = 3) -> str:
        from hrkg.formats import as_text
        return as_text(self, examples)

    def turtle(self) -> str:
        from hrkg.formats import as_turtle
        return as_turtle(self)


def shapes_graph() -> rdflib.Graph:
    g = rdflib.Graph()
    files = shape_files()
    if not files:
        raise ShapeError("no SHACL shapes found (shapes/*.ttl)")
    for f in files:
        g.parse(f, format="turtle")
    return g


def _shape_name(shapes: rdflib.Graph, node: rdflib.term.Node) -> str:
    if isinstance(node, rdflib.URIRef):
        return shapes.namespace_manager.normalizeUri(node)
    return nt(node)


def file_graph(path: Path) -> NamedNode:
    return NamedNode(path.resolve().as_uri())


def check_xml_entities(path: Path) -> None:
    """Refuse an XML file whose entities expand past what its size explains ("billion
    laughs": 964 bytes that expand to gigabytes), or that names external entities, before
    any RDF/XML parser expands them. Expat measures the expansion as it parses (its
    amplification limit, on by default since expat 2.4: at most 100 times the input once the
    output passes 8 MiB); nothing is kept but the count."""
    import pyexpat
    from xml.parsers import expat

    if pyexpat.version_info < (2, 4, 0):  # pragma: no cover - Python 3.11 ships 2.5
        raise ShapeError(f"{path}: this Python's expat ({pyexpat.EXPAT_VERSION}) cannot bound "
                         "entity expansion; RDF/XML is refused")
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def external(context, base, system_id, public_id):  # noqa: ANN001 - expat's signature
        raise ShapeError(f"{path}:{parser.CurrentLineNumber}: an external entity "
                         f"({system_id or public_id}) is refused: hrkg reads no other file")

    parser.ExternalEntityRefHandler = external
    try:
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 16), b""):
                parser.Parse(block, False)
            parser.Parse(b"", True)
    except expat.ExpatError as exc:
        if "amplification" in str(exc):
            raise ShapeError(f"{path}:{exc.lineno}: its entities expand far beyond its size "
                             "(an entity-expansion bomb); refused") from None
        raise ShapeError(f"{path}:{exc.lineno}: not well-formed XML: "
                         f"{expat.ErrorString(exc.code)}") from None


def parse_file(path: Path) -> list:
    """The quads of an RDF file, triples in the file's own graph; a clear error naming the
    file and the line when it is not what its extension says."""
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ShapeError(f"{path}: unknown RDF file type {path.suffix!r}; "
                         f"expected one of {', '.join(sorted(_FORMATS))}")
    if not path.is_file():
        raise ShapeError(f"{path}: no such file")
    if fmt == RdfFormat.RDF_XML:
        check_xml_entities(path)
    graph = file_graph(path)
    try:
        quads = list(parse(path=str(path), format=fmt, base_iri=graph.value))
    except SyntaxError as exc:
        raise ShapeError(f"{path}:{exc.lineno}: not valid {fmt.name}: {exc.msg}") from None
    except UnicodeDecodeError as exc:
        raise ShapeError(f"{path}: not UTF-8 text ({exc.reason}); not RDF") from None
    except ValueError as exc:
        raise ShapeError(f"{path}: not valid {fmt.name}: {exc}") from None
    from pyoxigraph import DefaultGraph, Quad
    return [q if not isinstance(q.graph_name, DefaultGraph)
            else Quad(q.subject, q.predicate, q.object, graph) for q in quads]


def load_ontology(store: Store) -> None:
    """The ontology into its own graph: validation needs its class hierarchy."""
    graph = rid("graph", ONTOLOGY_GRAPH)
    for f in ontology_files():
        store.load(path=str(f), format=RdfFormat.TURTLE, to_graph=graph)


def files_store(paths: list[Path]) -> Store:
    """An in-memory store with the ontology and the files, each file in its own graph."""
    store = Store()
    load_ontology(store)
    for p in paths:
        store.extend(parse_file(p))
    return store


def union_graph(store: Store) -> rdflib.Graph:
    """All triples of all graphs of the store, once each, as an rdflib Graph."""
    triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    g = rdflib.Graph()
    g.parse(data=triples.serialize(format=RdfFormat.N_TRIPLES), format="nt")
    return g


def pyshacl_results(data: rdflib.Graph, shapes: rdflib.Graph) -> list[Result]:
    """pySHACL's results on an rdflib graph, in our terms."""
    _, report, _ = pyshacl_validate(
        data, shacl_graph=shapes, inference="none", allow_warnings=True,
        advanced=True, abort_on_first=False,
    )
    owner = {ps: ns for ns, ps in shapes.subject_objects(SH.property)}
    results = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        shape = report.value(r, SH.sourceShape)
        shape = owner.get(shape, shape)  # a property shape is named by its node shape
        path = report.value(r, SH.resultPath)
        component = report.value(r, SH.sourceConstraintComponent)
        results.append(Result(
            severity=SEVERITY_NAMES.get(report.value(r, SH.resultSeverity), "Violation"),
            source_shape=_shape_name(shapes, shape),
            focus_node=nt(report.value(r, SH.focusNode)),
            path=path_text(report, path) if path is not None else "",
            component="sh:" + str(component).rsplit("#", 1)[-1],
            value=nt(report.value(r, SH.value)),
            message=str(report.value(r, SH.resultMessage) or ""),
        ))
    return results


def _run_fast(validator: Validator, store: Store, restrict: str | None) -> list[Result]:
    shapes = validator.g
    return [Result(f.severity, _shape_name(shapes, f.shape), f.focus, f.path, f.component,
                   f.value, f.message)
            for f in validator.run(store, restrict)]


def _graph_label(graph: str) -> str:
    prefix = base() + "graph/"
    if graph.startswith(prefix):
        return unquote(graph[len(prefix):])
    if graph.startswith("file://"):
        path = Path(unquote(urlparse(graph).path))
        try:  # relative to where the command runs, as CI annotations want it
            return path.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return path.as_posix()
    return graph


def _attribute(store: Store, results: list[Result]) -> list[Result]:
    """Name, for each result, the sources (and lines) of its focus node's triples."""
    iris = sorted({r.focus_node for r in results if r.focus_node.startswith("<")})
    where: dict[str, set[tuple[str, int | None]]] = {}
    for i in range(0, len(iris), 400):
        rows = store.query(
            f"SELECT DISTINCT ?f ?g ?line WHERE {{ VALUES ?f {{ {' '.join(iris[i:i + 400])} }} "
            f"GRAPH ?g {{ ?f ?p ?o }} "
            f"OPTIONAL {{ GRAPH ?g {{ ?f <{HR.sourceLine.value}> ?line }} }} }}")
        for row in rows:
            line = int(row["line"].value) if row["line"] is not None else None
            where.setdefault(str(row["f"]), set()).add((_graph_label(row["g"].value), line))
    return [Result(r.severity, r.source_shape, r.focus_node, r.path, r.component, r.value,
                   r.message, tuple(sorted(where.get(r.focus_node, ()), key=_place_label)))
            for r in results]


def validate_store(store: Store, engine: str = "fast", restrict: str | None = None,
                   files: list[str] | None = None) -> ValidationReport:
    """Validate the union of the store's graphs. ``restrict`` (fast engine only) is a SPARQL
    group pattern binding ``?this`` to the focus nodes to check."""
    start = time.perf_counter()
    shapes = shapes_graph()
    validator = Validator(shapes, check=engine == "fast")
    if engine == "fast":
        results = _run_fast(validator, store, restrict)
    elif engine == "pyshacl":
        if restrict:
            raise ShapeError("--changed needs the fast engine")
        results = pyshacl_results(union_graph(store), shapes)
    else:
        raise ShapeError(f"unknown engine {engine!r}; expected one of {', '.join(ENGINES)}")
    results = sorted(_attribute(store, results))
    tops = [_shape_name(shapes, s) for s in validator.top_shapes()]
    return ValidationReport(results, time.perf_counter() - start, len(store), engine,
                            sorted(tops), files or [])


def validate_files(paths: list[Path], engine: str = "fast") -> ValidationReport:
    return validate_store(files_store(paths), engine, files=[str(p) for p in paths])
