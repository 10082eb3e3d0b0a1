"""Validation reports for people and for machines: text, Turtle (sh:ValidationReport), JSON
(schema: ``hrkg/validation-report.schema.json``), JUnit XML and GitHub Actions annotations."""

from __future__ import annotations

import json
import re
from itertools import groupby
from xml.etree import ElementTree as ET

import rdflib
from rdflib.namespace import RDF, SH, XSD

from hrkg.validate import SEVERITIES, Result, ValidationReport, shapes_graph

__all__ = ["FORMATS", "render", "as_text", "as_turtle", "as_json", "as_junit", "as_github"]

FORMATS = ("text", "turtle", "json", "junit", "github")


def _head(report: ValidationReport) -> str:
    return (f"{'Conforms' if report.conforms else 'Does not conform'}: "
            f"{report.violations} violations, {report.warnings} warnings, "
            f"{report.count('Info')} infos "
            f"({report.triples} quads, {report.engine} engine, {report.seconds:.1f} s)")


def _groups(report: ValidationReport):
    ordered = sorted(report.results, key=lambda r: (SEVERITIES.index(r.severity), r.source_shape,
                                                    r.key))
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
            lines.append(f"  {r.focus_node} {r.path}{value}: {r.message}{where}")
        if len(items) > examples:
            lines.append(f"  … and {len(items) - examples} more")
    return "\n".join(lines)


def _term(text: str) -> rdflib.term.Node:
    """A term back from its N-Triples form."""
    g = rdflib.Graph().parse(data=f"<urn:s> <urn:p> {text} .", format="nt")
    return next(iter(g.objects()))


def as_turtle(report: ValidationReport) -> str:
    g = rdflib.Graph()
    g.bind("sh", SH)
    node = rdflib.BNode("report")
    g.add((node, RDF.type, SH.ValidationReport))
    g.add((node, SH.conforms, rdflib.Literal(report.conforms)))
    namespaces = dict(shapes_graph().namespaces())
    for i, r in enumerate(report.results):
        res = rdflib.BNode(f"r{i}")
        g.add((node, SH.result, res))
        g.add((res, RDF.type, SH.ValidationResult))
        g.add((res, SH.resultSeverity, SH[r.severity]))
        g.add((res, SH.focusNode, _term(r.focus_node)))
        g.add((res, SH.sourceConstraintComponent, SH[r.component.removeprefix("sh:")]))
        g.add((res, SH.sourceShape, _shape_iri(r.source_shape, namespaces)))
        if re.fullmatch(r"<[^<>]*>", r.path):
            g.add((res, SH.resultPath, rdflib.URIRef(r.path[1:-1])))
        if r.value:
            g.add((res, SH.value, _term(r.value)))
        g.add((res, SH.resultMessage, rdflib.Literal(r.message)))
        if r.source:
            g.add((res, rdflib.URIRef("https://w3id.org/hrkg/ontology#sourceFile"),
                   rdflib.Literal(r.source, datatype=XSD.string)))
    return g.serialize(format="turtle")


def _shape_iri(name: str, namespaces: dict[str, rdflib.URIRef]) -> rdflib.term.Node:
    if name.startswith(("_:", "<")):
        return _term(name)
    prefix, _, local = name.partition(":")
    ns = namespaces.get(prefix)
    return rdflib.URIRef(str(ns) + local) if ns else rdflib.URIRef(name)


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
        "results": [{
            "severity": r.severity, "shape": r.source_shape, "focusNode": r.focus_node,
            "path": r.path or None, "component": r.component, "value": r.value or None,
            "message": r.message, "source": _source(r), "sources": r.source or None,
        } for r in report.results],
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
        detail = "\n".join(f"{r.severity}: {r.focus_node} {r.path} {r.message}"
                           + (f" [{r.source}]" if r.source else "") for r in results)
        if bad:
            failures += 1
            ET.SubElement(case, "failure", message=f"{len(bad)} results at or above {fail_on}",
                          type=bad[0].severity).text = detail
        elif results:
            ET.SubElement(case, "system-out").text = detail
    suite.set("tests", str(len(by_shape)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", "0")
    root = ET.Element("testsuites", name="hrkg validate", tests=str(len(by_shape)),
                      failures=str(failures), errors="0")
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def _escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def as_github(report: ValidationReport) -> str:
    """GitHub Actions workflow commands: one annotation per result."""
    level = {"Violation": "error", "Warning": "warning", "Info": "notice"}
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
        lines.append(f"::{level[r.severity]} {','.join(props)}::{_escape(body)}")
    lines.append(_head(report))
    return "\n".join(lines)


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
    raise ValueError(fmt)
