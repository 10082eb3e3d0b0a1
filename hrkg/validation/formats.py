"""Validation reports for people and for machines: text, Turtle (an ``sh:ValidationReport``),
JSON (schema: ``hrkg/validation/validation-report.schema.json``), JUnit XML, GitHub Actions
annotations and SARIF 2.1.0 (for code-scanning dashboards).

Which formats point at a line: github and sarif (and json's ``source``) name the file and the
line of the focus node where one is known: the row a loader recorded (``hr:sourceLine``), or,
for files given to ``hrkg validate``, the line on which the parser read the node's first
triple (Turtle, TriG, N-Triples, N-Quads, RDF/XML; not JSON-LD).
"""

from __future__ import annotations

import json
import re
from itertools import groupby
from pathlib import Path
from xml.etree import ElementTree as ET

import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD

from hrkg import __version__
from hrkg.validation.validate import SEVERITIES, Result, ValidationReport

__all__ = [
    "FORMATS",
    "render",
    "as_text",
    "as_turtle",
    "as_json",
    "as_junit",
    "as_github",
    "as_sarif",
    "report_graph",
]

FORMATS = ("text", "turtle", "json", "junit", "github", "sarif")
_HR_SOURCE = rdflib.URIRef("https://w3id.org/hrkg/ontology#sourceFile")


def _head(report: ValidationReport) -> str:
    stopped = (
        f"; stopped after {report.truncated_at} results (--max-results), so the counts "
        "are at least these"
        if report.truncated_at is not None
        else ""
    )
    return (
        f"{'Conforms' if report.conforms else 'Does not conform'}: "
        f"{report.violations} violations, {report.warnings} warnings, "
        f"{report.count('Info')} infos "
        f"({report.triples} quads, {report.engine} engine, {report.seconds:.1f} s{stopped})"
    )


def _groups(report: ValidationReport):
    ordered = sorted(report.results, key=lambda r: (r.rank, r.severity, r.source_shape, r.key))
    return groupby(ordered, key=lambda r: (r.severity, r.source_shape))


def as_text(report: ValidationReport, examples: int = 3) -> str:
    lines = [_head(report)]
    if report.note:
        lines.append(report.note)
    for (severity, shape), group in _groups(report):
        items = list(group)
        lines.append(f"\n{severity} {shape}: {len(items)}")
        for r in items[:examples]:
            where = f"  [{r.source}]" if r.source else ""
            value = f" = {r.value}" if r.value and r.value != r.focus_node else ""
            graph = f" (graph {r.graph})" if r.graph else ""
            lines.append(f"  {r.focus_node} {r.path}{value}: {r.message}{graph}{where}")
        if len(items) > examples:
            lines.append(f"  … and {len(items) - examples} more")
    return "\n".join(lines)


def _term(text: str) -> rdflib.term.Node:
    """A term back from its N-Triples form."""
    if text.startswith("<") and text.endswith(">"):
        return rdflib.URIRef(text[1:-1])
    if text.startswith("_:"):
        return rdflib.BNode(text[2:])
    from pyoxigraph import RdfFormat, parse

    from hrkg.validation.engine import _to_rdflib

    (quad,) = parse(input=f"<urn:s> <urn:p> {text} .".encode(), format=RdfFormat.N_TRIPLES)
    return _to_rdflib(quad.object)


_PATH_KEYS = (
    SH.inversePath,
    SH.zeroOrMorePath,
    SH.oneOrMorePath,
    SH.zeroOrOnePath,
    SH.alternativePath,
)


def _copy_path(
    source: rdflib.Graph, node: rdflib.term.Node, target: rdflib.Graph, depth: int = 0
) -> rdflib.term.Node:
    """A fresh copy of a property path in ``target``, as the engine read it (a sequence,
    else the first path operator it has): each result describes its own path."""
    if not isinstance(node, rdflib.BNode) or depth > 64:
        return node
    fresh = rdflib.BNode()
    if (node, RDF.first, None) in source:
        members = [_copy_path(source, m, target, depth + 1) for m in Collection(source, node)]
        Collection(target, fresh, members)
        return fresh
    for key in _PATH_KEYS:
        inner = source.value(node, key)
        if inner is None:
            continue
        if key == SH.alternativePath:
            lst = rdflib.BNode()
            Collection(
                target,
                lst,
                [_copy_path(source, m, target, depth + 1) for m in Collection(source, inner)],
            )
            target.add((fresh, key, lst))
        else:
            target.add((fresh, key, _copy_path(source, inner, target, depth + 1)))
        return fresh
    return fresh


def report_graph(report: ValidationReport, sources: bool = True) -> rdflib.Graph:
    """The report as an ``sh:ValidationReport`` in SHACL's terms: the shape that holds the
    constraint, the path as the shapes graph writes it, every message. ``sh:conforms`` is
    SHACL's: true when there is no result at all. With ``sources``, each result also names
    where its focus node came from (``hr:sourceFile``)."""
    g = rdflib.Graph()
    if report.shapes_graph is not None:
        for prefix, namespace in report.shapes_graph.namespaces():
            g.bind(prefix, namespace, override=False)
    g.bind("sh", SH)
    node = rdflib.BNode()
    g.add((node, RDF.type, SH.ValidationReport))
    g.add((node, SH.conforms, rdflib.Literal(not report.results)))
    for r in report.results:
        res = rdflib.BNode()
        d = r.detail
        g.add((node, SH.result, res))
        g.add((res, RDF.type, SH.ValidationResult))
        g.add((res, SH.focusNode, _term(r.focus_node)))
        if d is not None:
            g.add((res, SH.resultSeverity, d.severity))
            g.add((res, SH.sourceConstraintComponent, d.component))
            g.add((res, SH.sourceShape, d.shape))
            if d.path is not None:
                path = d.path if d.path_graph is None else _copy_path(d.path_graph, d.path, g)
                g.add((res, SH.resultPath, path))
            for m in d.messages or (rdflib.Literal(r.message),):
                g.add((res, SH.resultMessage, m))
            if d.constraint is not None:
                g.add((res, SH.sourceConstraint, d.constraint))
        else:
            g.add((res, SH.resultSeverity, SH[r.severity]))
            component = (
                _term(r.component)
                if r.component.startswith("<")
                else SH[r.component.removeprefix("sh:")]
            )
            g.add((res, SH.sourceConstraintComponent, component))
            if re.fullmatch(r"<[^<>]*>", r.path):
                g.add((res, SH.resultPath, rdflib.URIRef(r.path[1:-1])))
            g.add((res, SH.resultMessage, rdflib.Literal(r.message)))
        if r.value:
            g.add((res, SH.value, _term(r.value)))
        if sources and r.source:
            g.add((res, _HR_SOURCE, rdflib.Literal(r.source, datatype=XSD.string)))
    return g


def as_turtle(report: ValidationReport) -> str:
    return report_graph(report).serialize(format="turtle")


def _source(r: Result) -> dict[str, object] | None:
    if not r.places:
        return None
    file, line = r.places[0]
    return {"file": file, "line": line}


def as_json(report: ValidationReport) -> str:
    doc = {
        "conforms": report.conforms,
        "engine": report.engine,
        "quads": report.triples,
        "seconds": round(report.seconds, 3),
        "files": report.files,
        "counts": {s.lower(): report.count(s) for s in SEVERITIES},
        "truncatedAt": report.truncated_at,
        "results": [
            {
                "severity": r.severity,
                "shape": r.source_shape,
                "focusNode": r.focus_node,
                "path": r.path or None,
                "component": r.component,
                "value": r.value or None,
                "message": r.message,
                "source": _source(r),
                "sources": r.source or None,
                "graph": r.graph or None,
            }
            for r in report.results
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False)


def as_junit(report: ValidationReport, fail_on: str = "Violation") -> str:
    """One test case per shape; results at or above ``fail_on`` are its failures."""
    failing = set(map(id, report.failing(fail_on)))
    suite = ET.Element("testsuite", name="hrkg SHACL validation", time=f"{report.seconds:.3f}")
    by_shape: dict[str, list[Result]] = {s: [] for s in report.shapes}
    for r in report.results:
        by_shape.setdefault(r.source_shape, []).append(r)
    failures = 0
    for shape, results in sorted(by_shape.items()):
        case = ET.SubElement(suite, "testcase", classname="hrkg.shapes", name=shape, time="0")
        bad = [r for r in results if id(r) in failing]
        detail = "\n".join(
            f"{r.severity}: {r.focus_node} {r.path} {r.message}"
            + (f" [{r.source}]" if r.source else "")
            for r in results
        )
        if bad:
            failures += 1
            ET.SubElement(
                case,
                "failure",
                message=f"{len(bad)} results at or above {fail_on}",
                type=bad[0].severity,
            ).text = detail
        elif results:
            ET.SubElement(case, "system-out").text = detail
    suite.set("tests", str(len(by_shape)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", "0")
    root = ET.Element(
        "testsuites",
        name="hrkg validate",
        tests=str(len(by_shape)),
        failures=str(failures),
        errors="0",
    )
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def _escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


_LEVEL = {0: "error", 1: "warning", 2: "notice"}


def as_github(report: ValidationReport) -> str:
    """GitHub Actions workflow commands: one annotation per result."""
    lines = []
    for r in report.results:
        props = []
        src = _source(r)
        if src:
            props.append(f"file={_escape(str(src['file']), True)}")
            if src["line"]:
                props.append(f"line={src['line']}")
        props.append(f"title={_escape(r.source_shape + ' ' + r.component, True)}")
        body = f"{r.focus_node} {r.path} {r.message}".replace("  ", " ")
        lines.append(f"::{_LEVEL[r.rank]} {','.join(props)}::{_escape(body)}")
    lines.append(_head(report))
    return "\n".join(lines)


_SARIF_LEVEL = {0: "error", 1: "warning", 2: "note"}
_SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)


def _artifact(file: str) -> dict[str, str]:
    """A file as SARIF names it: relative to the checkout (%SRCROOT%) where it can be."""
    path = Path(file)
    if path.is_absolute():
        return {"uri": path.as_uri()}
    return {"uri": path.as_posix(), "uriBaseId": "%SRCROOT%"}


def as_sarif(report: ValidationReport) -> str:
    """SARIF 2.1.0: one rule per shape with targets, one result per validation result, its
    location the file and line of the focus node where known (and the focus node as a
    logical location); severities: Violation → error, Warning → warning, Info → note."""
    shapes = sorted(set(report.shapes) | {r.source_shape for r in report.results})
    index = {s: i for i, s in enumerate(shapes)}
    worst: dict[str, int] = {}
    for r in report.results:
        worst[r.source_shape] = min(worst.get(r.source_shape, 2), r.rank)
    rules = [
        {
            "id": s,
            "name": re.sub(r"\W+", "", s.rsplit(":", 1)[-1].rsplit("/", 1)[-1]) or "Shape",
            "shortDescription": {"text": f"SHACL shape {s}"},
            "defaultConfiguration": {"level": _SARIF_LEVEL[worst.get(s, 0)]},
        }
        for s in shapes
    ]
    results = []
    for r in report.results:
        location: dict[str, object] = {
            "logicalLocations": [{"fullyQualifiedName": r.focus_node, "kind": "resource"}]
        }
        if r.places:
            file, line = r.places[0]
            physical: dict[str, object] = {"artifactLocation": _artifact(file)}
            if line:
                physical["region"] = {"startLine": line}
            location["physicalLocation"] = physical
        properties = {"focusNode": r.focus_node, "component": r.component, "severity": r.severity}
        for key, value in (
            ("path", r.path),
            ("value", r.value),
            ("graph", r.graph),
            ("sources", r.source),
        ):
            if value:
                properties[key] = value
        text = (
            f"{r.message} (focus node {r.focus_node}"
            + (f", path {r.path}" if r.path else "")
            + (f", value {r.value}" if r.value and r.value != r.focus_node else "")
            + ")"
        )
        results.append(
            {
                "ruleId": r.source_shape,
                "ruleIndex": index[r.source_shape],
                "level": _SARIF_LEVEL[r.rank],
                "message": {"text": text},
                "locations": [location],
                "partialFingerprints": {"hrkgResult/v1": "|".join(r.key)},
                "properties": properties,
            }
        )
    run: dict[str, object] = {
        "tool": {
            "driver": {
                "name": "hrkg",
                "version": __version__,
                "informationUri": "https://w3id.org/hrkg",
                "rules": rules,
            }
        },
        "results": results,
        "invocations": [
            {
                "executionSuccessful": True,
                "properties": {"engine": report.engine, "quads": report.triples},
            }
        ],
    }
    if any(not Path(f).is_absolute() for r in report.results for f, _ in r.places[:1]):
        run["originalUriBaseIds"] = {"%SRCROOT%": {"uri": Path.cwd().as_uri() + "/"}}
    doc = {"$schema": _SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(doc, indent=2, ensure_ascii=False)


def render(report: ValidationReport, fmt: str, fail_on: str = "Violation") -> str:
    if fmt == "text":
        return as_text(report)
    if fmt == "turtle":
        return as_turtle(report)
    if fmt == "json":
        return as_json(report)
    if fmt == "junit":
        return as_junit(report, fail_on)
    if fmt == "github":
        return as_github(report)
    if fmt == "sarif":
        return as_sarif(report)
    raise ValueError(fmt)
