"""Build the graph: every pinned dataset and project document → a new store, validated,
then switched in atomically. A failed build leaves the previous store as it was."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, Store

from hrkg import __version__
from hrkg.data import FileStatus, check, how_to_get, manifest
from hrkg.errors import HrkgError, StoreError
from hrkg.loaders.base import Loader, LoadReport, Source
from hrkg.loaders.ratification import un_members
from hrkg.loaders.upr_info import COLUMNS as UPR_COLUMNS
from hrkg.loaders.upr_info import read_rows
from hrkg.reference import ReferenceFacts, reference_quads, resolver
from hrkg.registry import loader_for, require_loader_for
from hrkg.resources import resource_dir
from hrkg.store import discard, new_store_dir, switch
from hrkg.terms import DCTERMS, HR, PROV, RDF, XSD, lit, rid, typed
from hrkg.validate import ONTOLOGY_GRAPH, ValidationReport, load_ontology, validate_store

__all__ = ["BuildResult", "build", "load_files", "discover", "ONTOLOGY_GRAPH", "BUILD_GRAPH"]

BUILD_GRAPH = "build"
Progress = Callable[[str], None]


@dataclass
class PlannedSource:
    source: Source
    loader: Loader
    status: FileStatus | None  # None for project documents (not in the manifest)


@dataclass
class BuildResult:
    store: Path | None
    reports: list[tuple[str, LoadReport]] = field(default_factory=list)  # (loader, report)
    missing: list[str] = field(default_factory=list)  # paths with how to get them
    changed: list[str] = field(default_factory=list)
    unhandled: list[str] = field(default_factory=list)  # pinned files no loader reads yet
    validation: ValidationReport | None = None
    timings: dict[str, float] = field(default_factory=dict)
    triples: int = 0
    failed: str | None = None

    @property
    def ok(self) -> bool:
        return self.failed is None

    def per_loader(self) -> list[dict[str, object]]:
        """Summary rows: loader, files, rows, triples, warnings, violations."""
        rows: dict[str, dict[str, int]] = {}
        for name, rep in self.reports:
            r = rows.setdefault(name, Counter())
            r["files"] += 1
            r["rows"] += rep.rows
            r["triples"] += rep.triples
            r["warnings"] += rep.warnings + rep.errors
        if self.validation:
            by_graph = getattr(self.validation, "violations_by_loader", {})
            for name, n in by_graph.items():
                rows.setdefault(name, Counter())["violations"] += n
        return [{"loader": k, **{c: v.get(c, 0) for c in
                                 ("files", "rows", "triples", "warnings", "violations")}}
                for k, v in sorted(rows.items())]


def discover(data: Path) -> tuple[list[PlannedSource], list[FileStatus], list[str]]:
    """The sources a build reads: pinned datasets present under ``data`` and the project's
    own documents. Returns (planned, missing-or-damaged statuses, pinned files no loader reads)."""
    planned, problems, unhandled = [], [], []
    for entry in manifest():
        if not entry.is_dataset:
            continue
        loader = loader_for(entry.path)
        status = check(entry, data)
        if status.state == "missing":
            problems.append(status)
            continue
        if status.state != "ok":
            problems.append(status)
        if loader is None:
            unhandled.append(entry.path)
            continue
        planned.append(PlannedSource(Source.from_path(data / entry.path, entry.path), loader, status))
    docs = resource_dir("data") / "documents"
    if docs.is_dir():
        for path in sorted(p for p in docs.rglob("*") if p.is_file() and not p.name.startswith(".")):
            rel = str(path.relative_to(docs.parent))
            loader = loader_for(rel)
            if loader is not None:
                planned.append(PlannedSource(Source.from_path(path, rel), loader, None))
    return planned, problems, unhandled


def _reference_facts(planned: list[PlannedSource], report: LoadReport) -> ReferenceFacts:
    """UN membership and regional groups, read from the datasets. A state counts as a UN
    member when at least half of the ratification tables list it: each table lists the
    members, and one table listing a territory (or leaving a member out) is a defect to
    report, not a change of membership."""
    listed: Counter[str] = Counter()
    tables: list[tuple[str, set[str]]] = []
    groups: dict[str, str] = {}
    used: list[NamedNode] = []
    res = resolver()
    columns = [(UPR_COLUMNS.index(name), UPR_COLUMNS.index(group))
               for name, group in (("To", "To-Rgrp"), ("From", "From-Rgrp"))]
    for p in planned:
        if p.loader.name == "ratification-csv":
            states = un_members(p.source.path)
            tables.append((p.source.relpath, states))
            listed.update(states)
            used.append(p.source.iri)
        elif p.loader.name == "upr-info-csv":
            used.append(p.source.iri)
            for _, row in read_rows(p.source.path):
                for name_col, group_col in columns:
                    iso = res.resolve(row[name_col])
                    group = row[group_col]
                    if iso and group in ("Africa", "Asia", "EEG", "GRULAC", "WEOG"):
                        groups.setdefault(iso, group)
    members = {iso for iso, n in listed.items() if 2 * n >= len(tables)}
    for relpath, states in tables:
        for iso in sorted(states - members):
            report.warn(f"{relpath} lists {iso}, which the other tables do not: "
                        "not taken as a UN member")
        for iso in sorted(members - states):
            report.warn(f"{relpath} leaves out the UN member {iso}: its status for this "
                        "instrument is unknown")
    report.made["UN member states"] = len(members)
    report.made["states with a regional group"] = len(groups)
    return ReferenceFacts(members, groups, sorted(set(used), key=str))


def _counted(quads: Iterable[Quad], report: LoadReport) -> Iterator[Quad]:
    for q in quads:
        report.triples += 1
        yield q


def _describe_run(store: Store, result: BuildResult, started: float) -> None:
    g = rid("graph", BUILD_GRAPH)
    run = rid("build", time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(started)))
    quads = [
        Quad(run, RDF.type, PROV.Activity, g),
        Quad(run, PROV.startedAtTime, typed(time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                                           time.gmtime(started)), XSD.dateTime), g),
        Quad(run, PROV.wasAssociatedWith, lit(f"hrkg {__version__}"), g),
    ]
    for name, rep in result.reports:
        if name == "reference":
            continue
        src = rid("source", rep.source)
        quads += [Quad(run, PROV.used, src, g), Quad(rid("graph", rep.source), PROV.wasGeneratedBy, run, g)]
    quads.append(Quad(run, DCTERMS.description, Literal(
        f"hrkg build: {len(result.reports)} sources, {result.triples} quads"), g))
    store.extend(quads)


def _fill(store: Store, planned: list[PlannedSource], result: BuildResult,
          progress: Progress) -> None:
    for p in planned:
        progress(p.source.relpath)
        report = LoadReport(p.source.relpath)
        store.bulk_extend(_counted(p.loader.load(p.source, report), report))
        result.reports.append((p.loader.name, report))


def _finish(store: Store, path: Path, result: BuildResult, validate: bool,
            progress: Progress, engine: str = "fast") -> None:
    t = time.perf_counter()
    progress("indexing")
    store.flush()
    store.optimize()
    result.timings["indexing"] = time.perf_counter() - t
    result.triples = len(store)
    if validate:
        progress(f"validating ({engine})")
        t = time.perf_counter()
        result.validation = validate_store(store, engine)
        result.timings["validation"] = time.perf_counter() - t
        _attribute(result)
        if not result.validation.conforms:
            result.failed = (f"SHACL validation found {result.validation.violations} violations; "
                             "the previous store is kept")


def _attribute(result: BuildResult) -> None:
    """Count violations per loader, through the sources each result names."""
    assert result.validation is not None
    loaders = {rep.source: name for name, rep in result.reports}
    counts: Counter[str] = Counter()
    for r in result.validation.results:
        if r.severity != "Violation":
            continue
        for file in sorted({file for file, _ in r.places}) or ["unknown"]:
            counts[loaders.get(file, file)] += 1
    result.validation.violations_by_loader = counts  # type: ignore[attr-defined]


def _copy_without(current: Store, path: Path, graphs: Iterable[NamedNode]) -> Store:
    """A copy of ``current`` at ``path`` without ``graphs`` (which are about to be loaded
    again): the backup is a RocksDB checkpoint, fast and complete."""
    current.backup(str(path))
    store = Store(str(path))
    for graph in graphs:
        if store.contains_named_graph(graph):
            store.remove_graph(graph)
    return store


def _recorded_sources(store: Store) -> dict[str, str]:
    """relpath → sha256 of every source file the store was built from."""
    rows = store.query(f"SELECT ?path ?sha WHERE {{ GRAPH ?g {{ ?s a <{HR.SourceFile.value}> ; "
                       f"<{HR.path.value}> ?path ; <{HR.sha256.value}> ?sha }} }}")
    return {r["path"].value: r["sha"].value for r in rows}


def validate_changed(data: Path, root: Path, engine: str = "fast") -> ValidationReport:
    """Validate only what the sources changed since the last build touch: the changed
    sources are loaded into a scratch copy of the current store (the store itself is not
    touched) and the focus nodes are those that appear in the changed graphs."""
    from hrkg.store import current_store

    current = Store.read_only(str(current_store(root)))
    planned, _, _ = discover(data)
    recorded = _recorded_sources(current)
    changed = [p for p in planned if recorded.get(p.source.relpath) != p.source.sha256]
    removed = sorted(set(recorded) - {p.source.relpath for p in planned})
    if not changed:
        report = ValidationReport([], 0.0, 0, engine)
        report.note = ("no source changed since the last build" if not removed else
                       f"only removed sources ({', '.join(removed)}); run `hrkg build`")
        return report
    scratch = new_store_dir(root)
    discard(scratch)
    try:
        store = _copy_without(current, scratch,
                              [rid("graph", rel) for rel in
                               [p.source.relpath for p in changed] + removed])
        result = BuildResult(store=None)
        _fill(store, changed, result, lambda step: None)
        graphs = " ".join(f"<{p.source.graph.value}>" for p in changed)
        restrict = (f"VALUES ?_g {{ {graphs} }} {{ GRAPH ?_g {{ ?this ?_p ?_o }} }} "
                    f"UNION {{ GRAPH ?_g {{ ?_s ?_p ?this }} }}")
        report = validate_store(store, engine, restrict=restrict)
        report.note = (f"checked the focus nodes of {len(changed)} changed source(s): "
                       + ", ".join(p.source.relpath for p in changed)
                       + (f"; removed: {', '.join(removed)}" if removed else ""))
        del store
        return report
    finally:
        discard(scratch)


def build(data: Path, root: Path, validate: bool = True,
          progress: Progress = lambda step: None, engine: str = "fast") -> BuildResult:
    """Build everything found under ``data`` into a new store under ``root``; switch to it
    only if loading and validation succeed."""
    started = time.time()
    planned, problems, unhandled = discover(data)
    result = BuildResult(store=None, unhandled=unhandled)
    for st in problems:
        if st.state == "missing":
            result.missing.append(f"{st.entry.path}: {how_to_get(st.entry)}")
        else:
            result.changed.append(str(st))
    path = new_store_dir(root)
    try:
        t = time.perf_counter()
        store = Store(str(path))
        progress("ontology")
        load_ontology(store)
        progress("reference data")
        ref = LoadReport("reference")
        facts = _reference_facts(planned, ref)
        store.bulk_extend(_counted(reference_quads(facts), ref))
        result.reports.append(("reference", ref))
        _fill(store, planned, result, progress)
        result.timings["loading"] = time.perf_counter() - t
        _finish(store, path, result, validate, progress, engine)
        if result.ok:
            _describe_run(store, result, started)
            store.flush()
        del store
    except HrkgError:
        discard(path)
        raise
    except OSError as exc:
        discard(path)
        raise StoreError(f"cannot write the new store in {path}: {exc}") from exc
    if not result.ok:
        discard(path)
        return result
    switch(root, path)
    result.store = path
    return result


def load_files(paths: list[Path], data: Path, root: Path, validate: bool = True,
               progress: Progress = lambda step: None) -> BuildResult:
    """Replace the graphs of the given files, and nothing else, in a copy of the current
    store; switch to the copy when it is loaded and valid."""
    from hrkg.store import current_store

    current = current_store(root)
    planned = []
    for p in paths:
        p = p.resolve()
        rel = _relpath(p, data)
        planned.append(PlannedSource(Source.from_path(p, rel), require_loader_for(rel), None))
    result = BuildResult(store=None)
    path = new_store_dir(root)
    discard(path)
    try:
        store = _copy_without(Store.read_only(str(current)), path,
                              [p.source.graph for p in planned])
        t = time.perf_counter()
        _fill(store, planned, result, progress)
        result.timings["loading"] = time.perf_counter() - t
        _finish(store, path, result, validate, progress)
        store.flush()
        del store
    except HrkgError:
        discard(path)
        raise
    except OSError as exc:
        discard(path)
        raise StoreError(f"cannot copy the store to {path}: {exc}") from exc
    if not result.ok:
        discard(path)
        return result
    switch(root, path)
    result.store = path
    return result


def _relpath(path: Path, data: Path) -> str:
    """The name a file has in the graph: relative to the data directory or project data/."""
    for base in (data.resolve(), resource_dir("data").resolve()):
        try:
            return str(path.relative_to(base))
        except ValueError:
            continue
    return path.name
