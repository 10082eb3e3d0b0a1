"""The loader interface and what a loader reports besides its quads."""

from __future__ import annotations

import fnmatch
import hashlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar
from urllib.parse import quote

from pyoxigraph import NamedNode, Quad

from hrkg.terms import DCTERMS, HR, PROV, RDF, XSD, lit, rid, typed

__all__ = ["Loader", "Source", "LoadReport", "Finding"]


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


class Loader:
    """Base of every loader. Subclasses set the class attributes and implement ``load``."""

    name: ClassVar[str]
    version: ClassVar[str] = "1"
    description: ClassVar[str] = ""
    patterns: ClassVar[tuple[str, ...]] = ()

    def accepts(self, relpath: str) -> bool:
        return any(fnmatch.fnmatch(relpath, p) for p in self.patterns)

    def load(self, source: Source, report: LoadReport) -> Iterator[Quad]:
        raise NotImplementedError

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
