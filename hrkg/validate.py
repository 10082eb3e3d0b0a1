"""SHACL validation with pySHACL (the reference implementation), of files or of the store.

Exit codes follow pySHACL: 0 conforms, 1 violations, 2 error. Warnings (``sh:Warning``)
and infos are reported but do not make the data non-conforming.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from pyoxigraph import RdfFormat, Store, parse
from pyshacl import validate as pyshacl_validate
from rdflib.namespace import RDF, SH

from hrkg.errors import ShapeError
from hrkg.resources import ontology_files, shape_files

__all__ = ["Result", "ValidationReport", "validate_graph", "validate_files", "validate_store",
           "shapes_graph", "parse_file"]

_FORMATS = {".ttl": RdfFormat.TURTLE, ".nt": RdfFormat.N_TRIPLES, ".nq": RdfFormat.N_QUADS,
            ".trig": RdfFormat.TRIG, ".rdf": RdfFormat.RDF_XML, ".owl": RdfFormat.RDF_XML,
            ".jsonld": RdfFormat.JSON_LD}
_SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True, order=True)
class Result:
    severity: str
    source_shape: str
    focus_node: str
    path: str
    component: str
    value: str
    message: str


@dataclass
class ValidationReport:
    results: list[Result]
    graph: rdflib.Graph
    seconds: float
    triples: int
    files: list[str] = field(default_factory=list)

    @property
    def violations(self) -> int:
        return sum(1 for r in self.results if r.severity == "Violation")

    @property
    def warnings(self) -> int:
        return sum(1 for r in self.results if r.severity == "Warning")

    @property
    def conforms(self) -> bool:
        return self.violations == 0

    @property
    def exit_code(self) -> int:
        return 0 if self.conforms else 1

    def by_shape(self) -> Counter[tuple[str, str]]:
        return Counter((r.severity, r.source_shape) for r in self.results)

    def text(self, examples: int = 3) -> str:
        head = (f"{'Conforms' if self.conforms else 'Does not conform'}: "
                f"{self.violations} violations, {self.warnings} warnings "
                f"({self.triples} triples, {self.seconds:.1f} s)")
        lines = [head]
        for (severity, shape), n in sorted(self.by_shape().items()):
            lines.append(f"\n{severity} {shape}: {n}")
            shown = [r for r in sorted(self.results) if (r.severity, r.source_shape) == (severity, shape)]
            for r in shown[:examples]:
                lines.append(f"  {r.focus_node}  {r.path}  {r.message}")
            if len(shown) > examples:
                lines.append(f"  … and {len(shown) - examples} more")
        return "\n".join(lines)

    def turtle(self) -> str:
        return self.graph.serialize(format="turtle")


def _n3(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, rdflib.term.Node):
        return term.n3()
    return str(term)


def shapes_graph() -> rdflib.Graph:
    g = rdflib.Graph()
    files = shape_files()
    if not files:
        raise ShapeError("no SHACL shapes found (shapes/*.ttl)")
    for f in files:
        g.parse(f, format="turtle")
    return g


def _ontology_into(g: rdflib.Graph) -> None:
    for f in ontology_files():
        g.parse(f, format="turtle")


def parse_file(path: Path) -> rdflib.Graph:
    """Parse an RDF file into rdflib, with a clear error naming the file and the line."""
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ShapeError(f"{path}: unknown RDF file type {path.suffix!r}; "
                         f"expected one of {', '.join(sorted(_FORMATS))}")
    if not path.is_file():
        raise ShapeError(f"{path}: no such file")
    try:
        # pyoxigraph is strict and says where: check first, then read with rdflib
        for _ in parse(path=str(path), format=fmt):
            pass
    except SyntaxError as exc:
        raise ShapeError(f"{path}:{exc.lineno}: not valid {fmt.name}: {exc.msg}") from None
    except UnicodeDecodeError as exc:
        raise ShapeError(f"{path}: not UTF-8 text ({exc.reason}); not RDF") from None
    except ValueError as exc:
        raise ShapeError(f"{path}: not valid {fmt.name}: {exc}") from None
    g = rdflib.Dataset() if fmt in (RdfFormat.N_QUADS, RdfFormat.TRIG) else rdflib.Graph()
    g.parse(path, format={RdfFormat.TURTLE: "turtle", RdfFormat.N_TRIPLES: "nt",
                          RdfFormat.N_QUADS: "nquads", RdfFormat.TRIG: "trig",
                          RdfFormat.RDF_XML: "xml", RdfFormat.JSON_LD: "json-ld"}[fmt])
    if isinstance(g, rdflib.Dataset):
        flat = rdflib.Graph()
        for s, p, o, _ in g.quads((None, None, None, None)):
            flat.add((s, p, o))
        return flat
    return g


def validate_graph(data: rdflib.Graph, files: list[str] | None = None) -> ValidationReport:
    """Validate ``data`` (which must hold the ontology's class hierarchy) against the shapes."""
    start = time.perf_counter()
    shapes = shapes_graph()
    conforms, report, _ = pyshacl_validate(
        data, shacl_graph=shapes, inference="none", allow_warnings=True,
        advanced=True, abort_on_first=False,
    )
    owner = {ps: ns for ns, ps in shapes.subject_objects(SH.property)}
    results = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        shape = report.value(r, SH.sourceShape)
        shape = owner.get(shape, shape)  # a property shape is named by its node shape
        results.append(Result(
            severity=_SEVERITY.get(report.value(r, SH.resultSeverity), "Violation"),
            source_shape=shapes.namespace_manager.normalizeUri(shape)
            if isinstance(shape, rdflib.URIRef) else _n3(shape),
            focus_node=_n3(report.value(r, SH.focusNode)),
            path=_n3(report.value(r, SH.resultPath)),
            component=_n3(report.value(r, SH.sourceConstraintComponent)),
            value=_n3(report.value(r, SH.value)),
            message=str(report.value(r, SH.resultMessage) or ""),
        ))
    return ValidationReport(sorted(results), report, time.perf_counter() - start, len(data),
                            files or [])


def validate_files(paths: list[Path]) -> ValidationReport:
    data = rdflib.Graph()
    for p in paths:
        data += parse_file(p)
    _ontology_into(data)
    return validate_graph(data, [str(p) for p in paths])


def union_graph(store: Store) -> rdflib.Graph:
    """All triples of all graphs of the store, once each, as an rdflib Graph."""
    triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    g = rdflib.Graph()
    g.parse(data=triples.serialize(format=RdfFormat.N_TRIPLES), format="nt")
    return g


def validate_store(store: Store) -> ValidationReport:
    return validate_graph(union_graph(store))
