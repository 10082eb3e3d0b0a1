"""The W3C SHACL test suite (the ``core`` and ``sparql`` manifests of the data-shapes test
suite) against hrkg's validators.

    python -m tests.w3c.runner [--engine fast|pyshacl] [--list]

reads ``w3c-shacl-tests/manifest.ttl`` from the data directory (``HRKG_DATA``; the files are
pinned in ``data/MANIFEST.tsv``), runs every ``sht:Validate`` test as ``hrkg validate
--shapes SHAPES DATA`` does, and compares the reports as the suite defines conformance: the
report is isomorphic to the expected one after removing the ``sh:resultMessage`` triples whose
object the expected report does not hold; a test expecting ``sht:Failure`` passes when the
validator refuses the shapes (exit code 2). It prints passed, failed and refused per folder.
"""

from __future__ import annotations

import argparse
import logging
import sys
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import rdflib
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SH

from hrkg.datasets import data_dir
from hrkg.errors import HrkgError

__all__ = ["Case", "Outcome", "cases", "run_case", "suite_root"]

MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = rdflib.Namespace("http://www.w3.org/ns/shacl-test#")
SUITE = "w3c-shacl-tests"


def suite_root(data: Path | None = None) -> Path:
    return (data or data_dir()) / SUITE


@dataclass(frozen=True, eq=False)
class Case:
    name: str              # folder/test, e.g. core/node/class-001
    folder: str            # e.g. core/node
    label: str
    data: Path
    shapes: Path
    manifest: Path
    expected: rdflib.Graph | None  # the expected report; None: a failure is expected
    status: str


@dataclass(frozen=True)
class Outcome:
    status: str            # passed | failed | refused
    detail: str = ""


def _path(iri: rdflib.term.Node) -> Path:
    return Path(str(iri).removeprefix("file://"))


def _parse(path: Path) -> rdflib.Graph:
    """A manifest with its literals as written ("1"^^xsd:boolean stays "1")."""
    before = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        return rdflib.Graph().parse(path, format="turtle", publicID=path.as_uri())
    finally:
        rdflib.NORMALIZE_LITERALS = before


def cases(root: Path | None = None) -> list[Case]:
    """Every sht:Validate entry reachable from the suite's top manifest, in manifest order."""
    root = root or suite_root()
    top = root / "manifest.ttl"
    if not top.is_file():
        raise FileNotFoundError(f"{top}: the W3C SHACL test suite is not in the data directory "
                                "(pinned in data/MANIFEST.tsv; `hrkg data fetch` gets it)")
    out: list[Case] = []
    seen: set[Path] = set()

    def read(manifest: Path) -> None:
        if manifest in seen:
            return
        seen.add(manifest)
        g = _parse(manifest)
        for m in g.subjects(RDF.type, MF.Manifest):
            for inc in g.objects(m, MF.include):
                read(_path(inc))
            for lst in g.objects(m, MF.entries):
                for entry in Collection(g, lst):
                    if (entry, RDF.type, SHT.Validate) not in g:
                        continue
                    action = g.value(entry, MF.action)
                    name = str(entry).removeprefix(root.as_uri() + "/")
                    result = g.value(entry, MF.result)
                    out.append(Case(
                        name=name, folder=str(manifest.parent.relative_to(root)),
                        label=str(g.value(entry, rdflib.RDFS.label) or ""),
                        data=_path(g.value(action, SHT.dataGraph)),
                        shapes=_path(g.value(action, SHT.shapesGraph)),
                        manifest=manifest,
                        expected=None if result == SHT.Failure else _report_part(g, result),
                        status=str(g.value(entry, MF.status) or "").rsplit("#", 1)[-1]))

    read(top)
    return out


def _report_part(g: rdflib.Graph, report: rdflib.term.Node) -> rdflib.Graph:
    """The report's own triples: the report, its results, their paths and details. Focus
    nodes, values and shapes are left as the terms they are (not their descriptions)."""
    out = rdflib.Graph()

    def copy(node: rdflib.term.Node) -> None:  # a path or a list, all the way down
        for p, o in g.predicate_objects(node):
            out.add((node, p, o))
            if isinstance(o, rdflib.BNode):
                copy(o)

    def result(r: rdflib.term.Node) -> None:
        for p, o in g.predicate_objects(r):
            out.add((r, p, o))
            if p == SH.resultPath and isinstance(o, rdflib.BNode):
                copy(o)
            elif p == SH.detail:
                result(o)

    for p, o in g.predicate_objects(report):
        out.add((report, p, o))
        if p == SH.result:
            result(o)
    return out


def _actual(case: Case, engine: str) -> rdflib.Graph:
    from hrkg.validation.formats import report_graph
    from hrkg.validation.validate import validate_files

    report = validate_files([case.data], engine, shapes=[str(case.shapes)])
    g = report_graph(report, sources=False)
    (node,) = g.subjects(RDF.type, SH.ValidationReport)
    return _report_part(g, node)


def _signatures(g: rdflib.Graph) -> Counter[str]:
    """Each result as one line (blank nodes written as their path, or as []), and the
    report's sh:conforms: what a person compares when two reports differ."""
    def term(p: rdflib.term.Node, o: rdflib.term.Node) -> str:
        if isinstance(o, rdflib.BNode):
            if p == SH.resultPath:
                from hrkg.validation.engine import path_text
                try:
                    return path_text(g, o)
                except HrkgError:
                    return "[path?]"
            return "[]"
        return o.n3(g.namespace_manager)
    out: Counter[str] = Counter()
    for report in g.subjects(RDF.type, SH.ValidationReport):
        out[f"conforms {g.value(report, SH.conforms)}"] += 1
        for r in g.objects(report, SH.result):
            out[" ".join(sorted(f"{p.n3(g.namespace_manager)} {term(p, o)}"
                                for p, o in g.predicate_objects(r) if p != RDF.type))] += 1
    return out


def compare(expected: rdflib.Graph, actual: rdflib.Graph) -> tuple[bool, str]:
    """Conformance as the suite defines it; on a mismatch, the results only one side has."""
    kept = set(expected.objects(None, SH.resultMessage))
    for s, p, o in list(actual.triples((None, SH.resultMessage, None))):
        if o not in kept:
            actual.remove((s, p, o))
    if isomorphic(expected, actual):
        return True, ""
    for g in (expected, actual):
        g.bind("sh", SH)
    a, b = _signatures(expected), _signatures(actual)
    lines = ["expected only:"] + [f"  {x}" for x in sorted((a - b).elements())]
    lines += ["actual only:"] + [f"  {x}" for x in sorted((b - a).elements())]
    return False, "\n".join(lines)


def run_case(case: Case, engine: str = "fast") -> Outcome:
    failure_expected = case.expected is None
    try:
        actual = _actual(case, engine)
    except HrkgError as exc:
        return Outcome("passed" if failure_expected else "refused", str(exc).splitlines()[0])
    except Exception as exc:  # an engine's bug: a failed test, with what it raised
        return Outcome("failed", f"{type(exc).__name__}: {exc}".splitlines()[0])
    if failure_expected:
        return Outcome("failed", "expected a failure (the shapes are invalid); got a report")
    assert case.expected is not None
    ok, diff = compare(case.expected, actual)
    return Outcome("passed" if ok else "failed", diff)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engine", choices=["fast", "pyshacl"], default="fast")
    ap.add_argument("--list", action="store_true", help="print every case and its outcome")
    ap.add_argument("--diff", action="store_true", help="print the report diff of failures")
    args = ap.parse_args(argv)
    logging.getLogger("rdflib").setLevel(logging.CRITICAL)  # ill-typed literals are on purpose
    warnings.simplefilter("ignore")
    per_folder: dict[str, Counter[str]] = {}
    problems = []
    for case in cases():
        outcome = run_case(case, args.engine)
        per_folder.setdefault(case.folder, Counter())[outcome.status] += 1
        if args.list:
            print(f"{outcome.status:8} {case.name}")
        if outcome.status != "passed":
            problems.append((case, outcome))
    width = max(len(f) for f in per_folder)
    print(f"{'folder':{width}}  passed  failed  refused  (engine: {args.engine})")
    totals: dict[str, Counter[str]] = {}
    for folder, counts in sorted(per_folder.items()):
        print(f"{folder:{width}}  {counts['passed']:6}  {counts['failed']:6}  "
              f"{counts['refused']:7}")
        totals.setdefault(folder.split("/")[0], Counter()).update(counts)
    for part, counts in sorted(totals.items()):
        n = sum(counts.values())
        print(f"{part}: {counts['passed']} of {n} passed, {counts['failed']} failed, "
              f"{counts['refused']} refused")
    for case, outcome in problems:
        print(f"\n{outcome.status}: {case.name} ({case.label})")
        detail = outcome.detail if args.diff or outcome.status == "refused" else \
            outcome.detail.split("\n", 1)[0]
        if detail:
            print("  " + detail.replace("\n", "\n  "))
    return 0 if not any(o.status == "failed" for _, o in problems) else 1


if __name__ == "__main__":
    sys.exit(main())
