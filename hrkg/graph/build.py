"""Build the graph: every pinned dataset and project document → a new store, validated,
then switched in atomically. A failed build leaves the previous store as it was."""

from __future__ import annotations

import json
import logging
import os
import time
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pycountry
from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, QuerySolutions, RdfFormat, Store

from hrkg import __version__
from hrkg.datasets import FileStatus, check, how_to_get, manifest
from hrkg.errors import DataError, StoreError
from hrkg.graph.derive import INFERRED_GRAPH, derive
from hrkg.graph.registry import loader_for, require_loader_for
from hrkg.graph.store import (
    INFO,
    SNAPSHOT,
    current_store,
    discard,
    locked,
    new_store_dir,
    remove_leftovers,
    switch,
)
from hrkg.loading import Loader, LoadReport, Source
from hrkg.reference.states import REGIONAL_GROUPS, ReferenceFacts, reference_quads
from hrkg.resources import resource_dir
from hrkg.terms import DCTERMS, HR, PROV, RDF, XSD, lit, rid, typed
from hrkg.validation.validate import ONTOLOGY_GRAPH, ValidationReport, load_ontology, validate_store

__all__ = [
    "BuildResult",
    "build",
    "load_files",
    "discover",
    "unpinned",
    "ONTOLOGY_GRAPH",
    "BUILD_GRAPH",
    "INFERRED_GRAPH",
]

BUILD_GRAPH = "build"
log = logging.getLogger(__name__)
Progress = Callable[[str], None]


@dataclass
class PlannedSource:
    source: Source
    loader: Loader
    status: FileStatus | None  # None for project documents (not in the manifest)
    unpinned: bool = False  # a file of the data directory the manifest does not pin


@dataclass
class BuildResult:
    store: Path | None
    reports: list[tuple[str, LoadReport]] = field(default_factory=list)  # (loader, report)
    missing: list[str] = field(default_factory=list)  # paths with how to get them
    changed: list[str] = field(default_factory=list)
    unhandled: list[str] = field(default_factory=list)  # pinned files no loader reads yet
    unpinned: list[str] = field(default_factory=list)  # read, but not in the manifest
    validation: ValidationReport | None = None
    timings: dict[str, float] = field(default_factory=dict)
    triples: int = 0  # quads in the named graphs
    facts: int = 0  # distinct triples: the default graph
    derived: int = 0  # quads of the inferred graph (hrkg.graph.derive)
    failed: str | None = None
    dropped: list[str] = field(default_factory=list)  # hrkg load --keep-going: rows not loaded
    conflicts: list[str] = field(default_factory=list)  # documents left out: name taken
    removed: list[str] = field(default_factory=list)  # leftover store folders removed

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
            for name, n in self.validation.violations_by_loader.items():
                rows.setdefault(name, Counter())["violations"] += n
        return [
            {
                "loader": k,
                **{c: v.get(c, 0) for c in ("files", "rows", "triples", "warnings", "violations")},
            }
            for k, v in sorted(rows.items())
        ]


CONFIG = "hrkg.toml"
DOCUMENT_SUFFIXES = {".html", ".htm", ".xhtml", ".txt", ".md", ".markdown", ".pdf"}


def document_folders(data: Path, extra: Iterable[Path] = ()) -> list[Path]:
    """The folders of the user's documents: ``data/documents/``, the folders named in
    ``data/hrkg.toml`` (``documents = ["…"]``, relative to that file) and ``extra`` (the
    ``--documents`` options). The project's own ``data/documents/`` is not among them."""
    folders = [data / "documents"]
    config = data / CONFIG
    if config.is_file():
        try:
            value = tomllib.loads(config.read_text(encoding="utf-8")).get("documents", [])
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise DataError(
                f'{config}: not TOML ({exc}); expected documents = ["folder", …]'
            ) from None
        if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise DataError(f"{config}: 'documents' must be a list of folder names")
        folders += [(data / v) if not os.path.isabs(v) else Path(v) for v in value]
    folders += list(extra)
    out: list[Path] = []
    for f in folders:
        if f.is_dir() and f.resolve() not in [o.resolve() for o in out]:
            out.append(f)
    return out


def _documents_in(folder: Path, prefix: str) -> Iterator[tuple[Path, str]]:
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder)
        if not any(part.startswith(".") for part in rel.parts):
            yield path, f"{prefix}/{rel.as_posix()}"


def discover(
    data: Path, documents: Iterable[Path] = (), conflicts: list[str] | None = None
) -> tuple[list[PlannedSource], list[FileStatus], list[str]]:
    """The sources a build reads: pinned datasets present under ``data``, the project's own
    documents and the user's (:func:`document_folders`). Returns (planned, missing-or-damaged
    statuses, pinned files no loader reads); a document whose name (or IRI) another one
    already has is left out and listed in ``conflicts``."""
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
        planned.append(
            PlannedSource(Source.from_path(data / entry.path, entry.path), loader, status)
        )
    found: list[tuple[Path, str]] = []
    docs = resource_dir("data") / "documents"
    if docs.is_dir():
        found += _documents_in(docs, "documents")
    project = docs.resolve() if docs.is_dir() else None
    for folder in document_folders(data, documents):
        if folder.resolve() == project:
            continue
        prefix = "documents" if folder == data / "documents" else f"documents/{folder.name}"
        found += _documents_in(folder, prefix)
    names: dict[str, Path] = {}
    keys: dict[str, Path] = {}
    for path, rel in found:
        loader = loader_for(rel)
        if loader is None:
            continue
        key = loader.key(rel)
        taken = names.get(rel) or keys.get(key)
        if taken is not None:
            if conflicts is not None:
                conflicts.append(
                    f"{path}: left out, its name {rel} (document {key}) is taken "
                    f"by {taken}; rename one of them"
                )
            continue
        names[rel], keys[key] = path, path
        planned.append(PlannedSource(Source.from_path(path, rel), loader, None))
    planned += unpinned(data, {p.source.relpath for p in planned} | {e.path for e in manifest()})
    return planned, problems, unhandled


def unpinned(data: Path, known: set[str]) -> list[PlannedSource]:
    """Files a user put in the data directory that the manifest does not pin but a loader
    reads (another state's UPR documents in ohchr-upr/<state>/<cycle>/, say): read too, so
    that adding documents is "put them there, then hrkg build". The build summary lists them.
    ``documents/`` is not looked at: :func:`document_folders` reads the user's documents."""
    out: list[PlannedSource] = []
    if not data.is_dir():
        return out
    for path in sorted(data.rglob("*")):
        rel = path.relative_to(data).as_posix()
        if (
            rel in known
            or not path.is_file()
            or rel.startswith("documents/")
            or any(part.startswith(".") for part in Path(rel).parts)
        ):
            continue
        loader = loader_for(rel)
        if loader is not None:
            out.append(PlannedSource(Source.from_path(path, rel), loader, None, unpinned=True))
    return out


def _reference_facts(planned: list[PlannedSource], report: LoadReport) -> ReferenceFacts:
    """UN membership and regional groups, as every planned source's loader tells them
    (:meth:`hrkg.loading.Loader.reference_facts`). A state counts as a UN member when at
    least half of the membership tables list it: each table lists the members, and one
    table listing a territory (or leaving a member out) is a defect to report, not a change
    of membership. The first group a source gives a state is kept."""
    listed: Counter[str] = Counter()
    tables: list[tuple[str, frozenset[str]]] = []
    groups: dict[str, str] = {}
    used: list[NamedNode] = []
    for p in planned:
        told = p.loader.reference_facts(p.source)
        if told is None:
            continue
        used.append(p.source.iri)
        if told.members is not None:
            tables.append((p.source.relpath, told.members))
            listed.update(told.members)
        for iso, group in told.groups:
            if group not in REGIONAL_GROUPS:
                report.warn(
                    f"{p.source.relpath}: regional group {group!r} of {iso} is not "
                    f"one of {', '.join(REGIONAL_GROUPS)}; not used"
                )
            elif pycountry.countries.get(alpha_3=iso) is None:
                report.warn(
                    f"{p.source.relpath}: {iso!r} is not a known state's ISO code; "
                    "its regional group is not used"
                )
            else:
                groups.setdefault(iso, group)
    members = {iso for iso, n in listed.items() if 2 * n >= len(tables)}
    for relpath, states in tables:
        for iso in sorted(states - members):
            report.warn(
                f"{relpath} lists {iso}, which the other tables do not: not taken as a UN member"
            )
        for iso in sorted(members - states):
            report.warn(
                f"{relpath} leaves out the UN member {iso}: its status for this "
                "instrument is unknown"
            )
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
        Quad(
            run,
            PROV.startedAtTime,
            typed(time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)), XSD.dateTime),
            g,
        ),
        Quad(run, PROV.wasAssociatedWith, lit(f"hrkg {__version__}"), g),
    ]
    for name, rep in result.reports:
        if name == "reference":
            continue
        src = Source(Path(rep.source), rep.source, "")
        quads += [Quad(run, PROV.used, src.iri, g), Quad(src.graph, PROV.wasGeneratedBy, run, g)]
    quads.append(
        Quad(
            run,
            DCTERMS.description,
            Literal(f"hrkg build: {len(result.reports)} sources, {result.triples} quads"),
            g,
        )
    )
    store.extend(quads)


def _fill(
    store: Store, planned: list[PlannedSource], result: BuildResult, progress: Progress
) -> None:
    for p in planned:
        progress(p.source.relpath)
        report = LoadReport(p.source.relpath)
        t = time.perf_counter()
        store.bulk_extend(_counted(p.loader.load(p.source, report), report))
        log.info(
            "%s: %d quads by %s in %.2f s (%d findings)",
            p.source.relpath,
            report.triples,
            p.loader.name,
            time.perf_counter() - t,
            len(report.findings),
        )
        result.reports.append((p.loader.name, report))
        if p.unpinned:
            result.unpinned.append(p.source.relpath)


def touching(graphs: Iterable[NamedNode]) -> str:
    """A SPARQL pattern binding ``?this`` to every node that appears in ``graphs`` (as
    subject or object): the focus nodes a change of those graphs can affect."""
    values = " ".join(f"<{g.value}>" for g in graphs)
    return (
        f"VALUES ?_g {{ {values} }} {{ GRAPH ?_g {{ ?this ?_p ?_o }} }} "
        f"UNION {{ GRAPH ?_g {{ ?_s ?_p ?this }} }}"
    )


def _finish(
    store: Store,
    result: BuildResult,
    validate: bool,
    progress: Progress,
    engine: str = "fast",
    restrict: str | None = None,
) -> None:
    """Validate the staged graph (in memory, named graphs only); ``restrict``: only the
    focus nodes it binds (see :func:`touching`)."""
    result.triples = len(store)
    if validate:
        progress(f"validating ({engine})")
        t = time.perf_counter()
        result.validation = validate_store(store, engine, restrict=restrict, triples=result.triples)
        result.timings["validation"] = time.perf_counter() - t
        log.info(
            "validation (%s): %d violations, %d warnings in %.1f s",
            engine,
            result.validation.violations,
            result.validation.warnings,
            result.timings["validation"],
        )
        _attribute(result)
        if not result.validation.conforms:
            result.failed = (
                f"SHACL validation found {result.validation.violations} violations; "
                "the previous store is kept"
            )


def _commit(store: Store, root: Path, result: BuildResult, progress: Progress) -> Path:
    """The staged graph becomes the current store: what the graphs imply in the graph
    ``id/graph/inferred`` (:mod:`hrkg.graph.derive`), every fact once in the default graph, the
    snapshot the server loads, the Oxigraph store made from it, then the switch."""
    progress("deriving")
    t = time.perf_counter()
    result.derived = derive(store)  # its own named graph, before the default graph is made
    result.triples = len(store)
    result.timings["deriving"] = time.perf_counter() - t
    progress("writing the store")
    t = time.perf_counter()
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    quads = len(store)
    result.facts = quads - result.triples
    path = new_store_dir(root)
    try:
        snapshot = path / SNAPSHOT
        store.dump(output=str(snapshot), format=RdfFormat.N_QUADS)
        disk = Store(str(path))
        disk.bulk_load(path=str(snapshot), format=RdfFormat.N_QUADS)
        disk.flush()
        disk.optimize()
        written = len(disk)
        del disk
        if written != quads:
            raise StoreError(f"the new store in {path} holds {written} quads, not {quads}")
        (path / INFO).write_text(
            json.dumps(
                {
                    "quads": quads,
                    "named": result.triples,
                    "default": result.facts,
                    "hrkg": __version__,
                },
                indent=1,
            )
            + "\n",
            encoding="utf-8",
        )
    except OSError as exc:
        discard(path)
        raise StoreError(f"cannot write the new store in {path}: {exc}") from exc
    except BaseException:
        discard(path)
        raise
    switch(root, path)
    log.info("store %s is current: %d quads, %d derived", path, quads, result.derived)
    result.store = path
    result.timings["writing"] = time.perf_counter() - t
    return path


def _staged_copy(path: Path, without: Iterable[NamedNode]) -> Store:
    """The store in ``path`` in memory, without its default graph (made again at commit)
    and without ``without`` (graphs about to be loaded again)."""
    store = Store()
    snapshot = path / SNAPSHOT
    if snapshot.is_file():
        store.bulk_load(path=str(snapshot), format=RdfFormat.N_QUADS)
    else:  # a store built before snapshots
        store.bulk_extend(Store.read_only(str(path)).quads_for_pattern(None, None, None, None))
    store.clear_graph(DefaultGraph())
    for graph in without:
        if store.contains_named_graph(graph):
            store.remove_graph(graph)
    return store


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
    result.validation.violations_by_loader = counts


def _recorded_sources(store: Store) -> dict[str, str]:
    """relpath → sha256 of every source file the store was built from."""
    rows = store.query(
        f"SELECT ?path ?sha WHERE {{ GRAPH ?g {{ ?s a <{HR.SourceFile.value}> ; "
        f"<{HR.path.value}> ?path ; <{HR.sha256.value}> ?sha }} }}"
    )
    assert isinstance(rows, QuerySolutions)
    return {r["path"].value: r["sha"].value for r in rows}


def validate_changed(data: Path, root: Path, engine: str = "fast") -> ValidationReport:
    """Validate only what the sources changed since the last build touch: the changed
    sources are loaded into an in-memory copy of the current store (the store itself is not
    touched) and the focus nodes are those that appear in the changed graphs."""
    current = current_store(root)
    planned, _, _ = discover(data)
    recorded = _recorded_sources(Store.read_only(str(current)))
    changed = [p for p in planned if recorded.get(p.source.relpath) != p.source.sha256]
    removed = sorted(set(recorded) - {p.source.relpath for p in planned})
    if not changed:
        report = ValidationReport([], 0.0, 0, engine)
        report.note = (
            "no source changed since the last build"
            if not removed
            else f"only removed sources ({', '.join(removed)}); run `hrkg build`"
        )
        return report
    store = _staged_copy(
        current,
        [Source(Path(rel), rel, "").graph for rel in [p.source.relpath for p in changed] + removed],
    )
    result = BuildResult(store=None)
    _fill(store, changed, result, lambda step: None)
    report = validate_store(store, engine, restrict=touching(p.source.graph for p in changed))
    report.note = (
        f"checked the focus nodes of {len(changed)} changed source(s): "
        + ", ".join(p.source.relpath for p in changed)
        + (f"; removed: {', '.join(removed)}" if removed else "")
    )
    return report


def build(
    data: Path,
    root: Path,
    validate: bool = True,
    progress: Progress = lambda step: None,
    engine: str = "fast",
    allow_damaged: bool = False,
    documents: Iterable[Path] = (),
) -> BuildResult:
    """Build everything found under ``data`` (and the document folders ``documents``) into
    a new store under ``root``; switch to it only if loading and validation succeed. A
    pinned dataset that is truncated or changed fails the build unless ``allow_damaged``."""
    started = time.time()
    with locked(root):
        conflicts: list[str] = []
        planned, problems, unhandled = discover(data, documents, conflicts)
        result = BuildResult(
            store=None, unhandled=unhandled, removed=remove_leftovers(root), conflicts=conflicts
        )
        for st in problems:
            if st.state == "missing":
                result.missing.append(f"{st.entry.path}: {how_to_get(st.entry)}")
            else:
                result.changed.append(str(st))
        if result.changed and not allow_damaged:
            result.failed = (
                f"{len(result.changed)} pinned dataset file(s) are truncated or "
                "changed (listed above); the previous store is kept. `hrkg data "
                "fetch` restores them; --allow-damaged builds with them anyway"
            )
            return result
        t = time.perf_counter()
        store = Store()
        progress("ontology")
        load_ontology(store)
        progress("reference data")
        ref = LoadReport("reference")
        facts = _reference_facts(planned, ref)
        store.bulk_extend(_counted(reference_quads(facts), ref))
        result.reports.append(("reference", ref))
        _fill(store, planned, result, progress)
        result.timings["loading"] = time.perf_counter() - t
        _finish(store, result, validate, progress, engine)
        if not result.ok:
            return result
        _describe_run(store, result, started)
        result.triples = len(store)
        _commit(store, root, result, progress)
        return result


def load_files(
    paths: list[Path],
    data: Path,
    root: Path,
    validate: bool = True,
    progress: Progress = lambda step: None,
    keep_going: bool = False,
) -> BuildResult:
    """Replace the graphs of the given files, and nothing else, in a copy of the current
    store; switch to the copy when it is loaded and valid. A row a loader could not read
    fails the load (nothing changes) unless ``keep_going``, which loads the rest and lists
    what was dropped. When every file is a document, validation checks only the nodes their
    graphs touch (as ``validate --changed`` does): a document adds mentions of the graph's
    nodes, it cannot break the rest."""
    with locked(root):
        current = current_store(root)
        planned = []
        for p in paths:
            p = p.resolve()
            rel = _relpath(p, data)
            planned.append(PlannedSource(Source.from_path(p, rel), require_loader_for(rel), None))
        result = BuildResult(store=None)
        t = time.perf_counter()
        store = _staged_copy(current, [p.source.graph for p in planned])
        _fill(store, planned, result, progress)
        result.timings["loading"] = time.perf_counter() - t
        errors = [
            str(f) for _, rep in result.reports for f in rep.findings if f.severity == "error"
        ]
        if errors and not keep_going:
            result.failed = (
                f"{len(errors)} row(s) or part(s) of the files could not be read "
                "(listed above); nothing was changed. --keep-going loads the rest"
            )
            return result
        result.dropped = errors
        only_documents = all(p.loader.documents for p in planned)
        _finish(
            store,
            result,
            validate,
            progress,
            restrict=touching(p.source.graph for p in planned) if only_documents else None,
        )
        if only_documents and result.validation is not None:
            result.validation.note = "checked only the nodes the loaded graphs touch: " + ", ".join(
                p.source.relpath for p in planned
            )
        if not result.ok:
            return result
        _commit(store, root, result, progress)
        return result


def _relpath(path: Path, data: Path) -> str:
    """The name a file has in the graph: relative to the data directory or project data/;
    a file in a document folder (:func:`document_folders`) has the name a build gives it."""
    for base in (data.resolve(), resource_dir("data").resolve()):
        try:
            return str(path.relative_to(base))
        except ValueError:
            continue
    for folder in document_folders(data):
        try:
            return f"documents/{folder.name}/{path.relative_to(folder.resolve()).as_posix()}"
        except ValueError:
            continue
    if path.suffix.lower() in DOCUMENT_SUFFIXES:  # a document from anywhere is a document
        return f"documents/{path.name}"
    return path.name
