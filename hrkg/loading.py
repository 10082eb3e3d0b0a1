"""The loader interface: what a loader is, and every hook through which it tells the build
more than its quads. The core (:mod:`hrkg.graph`) knows loaders only through this module and
the ``hrkg.loaders`` entry points; it imports no particular loader.

A loader subclasses :class:`Loader`, sets ``name``, ``version``, ``description`` and the
``patterns`` it accepts (paths relative to the data directory, glob style), implements
:meth:`Loader.load` (quads in ``source.graph``; never touches a store) and may override the
hooks, each of which has a default that contributes nothing:

- :meth:`Loader.reference_facts` — UN membership tables and regional groups a source holds;
  the build merges what every loader says into the ``reference`` graph;
- :meth:`Loader.recommendations` — the recommendations a source holds, as an index other
  loaders reconcile against (:func:`recommendation_index`);
- :meth:`Loader.key` and :attr:`Loader.documents` — how the build keeps documents apart and
  which loads touch only the nodes their graphs name;
- :meth:`Loader.corpus_report` — a report on the loader's whole corpus (``hrkg report``).

Register the class under the ``hrkg.loaders`` entry-point group of your package; the
built-in loaders are registered the same way (:func:`registered_loaders`).
"""

from __future__ import annotations

import fnmatch
import hashlib
import logging
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import ClassVar, Protocol
from urllib.parse import quote

from pyoxigraph import NamedNode, Quad

from hrkg.errors import LoaderError
from hrkg.terms import DCTERMS, HR, PROV, RDF, XSD, lit, rid, typed

__all__ = [
    "Loader",
    "Source",
    "LoadReport",
    "Finding",
    "ReferenceContribution",
    "IndexedRecommendation",
    "CorpusReport",
    "registered_loaders",
    "recommendation_index",
    "GROUP",
]

GROUP = "hrkg.loaders"  # the entry-point group
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Source:
    """One file to load: where it is, the name it has in the data directory, its graph."""

    path: Path
    relpath: str  # e.g. "upr-info/sessions-06-09.csv": stable, independent of where data lives
    sha256: str

    @classmethod
    def from_path(cls, path: Path, relpath: str | None = None) -> Source:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        return cls(path=path, relpath=relpath or path.name, sha256=digest)

    @property
    def root(self) -> Path:
        """The data directory ``relpath`` is relative to (where a loader finds the other
        sources a file refers to)."""
        return self.path.parents[len(Path(self.relpath).parts) - 1]

    @property
    def graph(self) -> NamedNode:
        return rid("graph", quote(self.relpath, safe="/"))

    @property
    def iri(self) -> NamedNode:
        return rid("source", quote(self.relpath, safe="/"))


@dataclass(frozen=True)
class Finding:
    """Something a loader noticed: a value it could not map, a row it doubts."""

    severity: str  # "warning" | "error"
    source: str
    row: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.row}" if self.row is not None else self.source
        return f"{self.severity}: {where}: {self.message}"


@dataclass
class LoadReport:
    """Counts and findings of one load: how many rows became what, and what was not mapped."""

    source: str
    rows: int = 0
    triples: int = 0
    made: Counter[str] = field(default_factory=Counter)
    unmapped: Counter[str] = field(default_factory=Counter)  # "column: value" -> rows
    findings: list[Finding] = field(default_factory=list)

    def warn(self, message: str, row: int | None = None) -> None:
        self.findings.append(Finding("warning", self.source, row, message))

    def error(self, message: str, row: int | None = None) -> None:
        self.findings.append(Finding("error", self.source, row, message))

    def not_mapped(self, column: str, value: str) -> None:
        self.unmapped[f"{column}: {value!r}"] += 1

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")


@dataclass(frozen=True)
class ReferenceContribution:
    """What one source tells about the reference data (:meth:`Loader.reference_facts`).

    ``members``: the ISO alpha-3 codes a UN membership table lists (``None``: the source is
    no such table). A state counts as a member when at least half of the tables list it; a
    table that disagrees is reported. ``groups``: (ISO alpha-3, regional group) pairs in the
    order read; the first group given for a state wins. Groups are Africa, Asia, EEG, GRULAC
    and WEOG; any other is reported, not used."""

    members: frozenset[str] | None = None
    groups: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class IndexedRecommendation:
    """A recommendation a source holds, as other loaders reconcile against it
    (:meth:`Loader.recommendations`): its IRI, the review (session, ISO alpha-3 of the state
    under review), its text, the recommending states and the response (if known)."""

    iri: NamedNode
    session: int
    state: str
    text: str
    from_states: frozenset[str]
    response: NamedNode | None = None


class CorpusReport(Protocol):
    """A report on a loader's whole corpus (:meth:`Loader.corpus_report`)."""

    def as_text(self) -> str: ...

    def as_json(self) -> str: ...

    def unmatched_tsv(self) -> str: ...


class Loader(ABC):
    """Base of every loader. Subclasses set the class attributes and implement ``load``."""

    name: ClassVar[str]
    version: ClassVar[str] = "1"
    description: ClassVar[str] = ""
    patterns: ClassVar[tuple[str, ...]] = ()
    # True for loaders of documents: a load of documents alone adds mentions of the graph's
    # nodes and cannot break the rest, so it validates only the nodes their graphs touch.
    documents: ClassVar[bool] = False

    def accepts(self, relpath: str) -> bool:
        return any(fnmatch.fnmatch(relpath, p) for p in self.patterns)

    @abstractmethod
    def load(self, source: Source, report: LoadReport) -> Iterator[Quad]:
        """The quads of ``source``, in ``source.graph``; findings go to ``report``."""

    def key(self, relpath: str) -> str:
        """The name under which a source must be unique in a build (a document's IRI key):
        two sources with the same key are a conflict, the second is left out."""
        return relpath

    def reference_facts(self, source: Source) -> ReferenceContribution | None:
        """UN membership and regional groups ``source`` holds (``None``: nothing)."""
        return None

    def recommendations(
        self, source: Source, report: LoadReport | None = None
    ) -> Iterable[IndexedRecommendation]:
        """The recommendations ``source`` holds, for other loaders to reconcile against."""
        return ()

    def corpus_report(self, data: Path) -> CorpusReport | None:
        """A report on every source of this loader under ``data`` (``None``: none offered).
        Raises :class:`hrkg.errors.DataError` when the corpus is not there."""
        return None

    def describe_source(self, source: Source) -> Iterator[Quad]:
        """The description of the source file that heads its graph (no load time: dumps
        of the same data stay byte-identical; the build run is described elsewhere)."""
        g, s = source.graph, source.iri
        yield Quad(s, RDF.type, HR.SourceFile, g)
        yield Quad(s, HR.path, lit(source.relpath), g)
        yield Quad(s, HR.sha256, lit(source.sha256), g)
        yield Quad(s, HR.loader, lit(self.name), g)
        yield Quad(s, HR.loaderVersion, lit(self.version), g)
        yield Quad(s, DCTERMS.extent, typed(source.path.stat().st_size, XSD.integer), g)
        yield Quad(g, PROV.wasDerivedFrom, s, g)


@cache
def registered_loaders() -> dict[str, Loader]:
    """Every loader registered under the ``hrkg.loaders`` entry points, by name, sorted."""
    found: dict[str, Loader] = {}
    for ep in entry_points(group=GROUP):
        cls = ep.load()
        if not (isinstance(cls, type) and issubclass(cls, Loader)):
            raise LoaderError(ep.value, f"entry point {ep.name!r} is not a hrkg Loader class")
        found[ep.name] = cls()
        log.debug("loader %s: %s (entry point of %s)", ep.name, ep.value, _dist(ep))
    return dict(sorted(found.items()))


def _dist(ep: EntryPoint) -> str:
    return ep.dist.name if ep.dist is not None else "?"


def _fingerprint(root: Path) -> tuple[tuple[str, str, int, int], ...]:
    out = []
    for name, loader in registered_loaders().items():
        if type(loader).recommendations is Loader.recommendations:
            continue
        for pattern in loader.patterns:
            for p in sorted(root.glob(pattern)):
                if p.is_file():
                    st = p.stat()
                    out.append((name, str(p), st.st_size, st.st_mtime_ns))
    return tuple(out)


def recommendation_index(root: Path) -> tuple[IndexedRecommendation, ...]:
    """The recommendations every registered loader holds in the files under ``root``
    (:meth:`Loader.recommendations`), read once per state of those files."""
    return _index(root, _fingerprint(root))


@cache
def _index(
    root: Path, fingerprint: tuple[tuple[str, str, int, int], ...]
) -> tuple[IndexedRecommendation, ...]:
    out: list[IndexedRecommendation] = []
    for name, path, _, _ in fingerprint:
        p = Path(path)
        rel = p.relative_to(root).as_posix()
        out += registered_loaders()[name].recommendations(Source(p, rel, ""), LoadReport(rel))
    return tuple(out)
