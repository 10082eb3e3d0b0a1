"""Reading RDF files (and standard input) for validation: one parsing function per format,
clear errors with the file and line, and, on demand, the line each subject was first read on.

Formats: Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD, chosen by the file's suffix or
given explicitly. Every format is parsed by Oxigraph's streaming parsers. Lines: for all but
JSON-LD (whose parser reads the whole document before it gives a triple) the line is the one
on which the parser completed the triple, which for Turtle and TriG is the line of the
triple's object.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, parse

from hrkg.errors import ShapeError

__all__ = [
    "FORMATS",
    "SUFFIXES",
    "LINE_FORMATS",
    "Source",
    "read_quads",
    "format_for",
    "first_lines",
    "rdf_files",
    "check_xml_entities",
]

FORMATS = {
    "turtle": RdfFormat.TURTLE,
    "ntriples": RdfFormat.N_TRIPLES,
    "nquads": RdfFormat.N_QUADS,
    "trig": RdfFormat.TRIG,
    "rdfxml": RdfFormat.RDF_XML,
    "jsonld": RdfFormat.JSON_LD,
}
SUFFIXES = {
    ".ttl": RdfFormat.TURTLE,
    ".nt": RdfFormat.N_TRIPLES,
    ".nq": RdfFormat.N_QUADS,
    ".trig": RdfFormat.TRIG,
    ".rdf": RdfFormat.RDF_XML,
    ".owl": RdfFormat.RDF_XML,
    ".jsonld": RdfFormat.JSON_LD,
}
LINE_FORMATS = frozenset(
    {RdfFormat.TURTLE, RdfFormat.N_TRIPLES, RdfFormat.N_QUADS, RdfFormat.TRIG, RdfFormat.RDF_XML}
)
STDIN = "-"


@dataclass(frozen=True)
class Source:
    """A file to read (or standard input, ``path == "-"``, held in ``data``)."""

    path: str
    format: RdfFormat
    data: bytes | None = None

    @property
    def name(self) -> str:
        """The file as messages name it."""
        return "<stdin>" if self.path == STDIN else self.path

    @property
    def graph(self) -> NamedNode:
        """The named graph its triples go to (its default graph's triples, for TriG)."""
        if self.path == STDIN:
            return NamedNode("urn:hrkg:stdin")
        return NamedNode(Path(self.path).resolve().as_uri())

    def open(self) -> BinaryIO:
        if self.data is not None:
            return io.BytesIO(self.data)
        return open(self.path, "rb")  # noqa: SIM115 - the parser reads it to the end


def format_for(path: str, explicit: str | None = None) -> RdfFormat:
    """The format of ``path``: ``explicit`` (a key of FORMATS) or its suffix."""
    if explicit:
        if explicit not in FORMATS:
            raise ShapeError(
                f"unknown RDF format {explicit!r}; expected one of {', '.join(FORMATS)}"
            )
        return FORMATS[explicit]
    if path == STDIN:
        return RdfFormat.TRIG  # reads Turtle and N-Triples too
    fmt = SUFFIXES.get(Path(path).suffix.lower())
    if fmt is None:
        raise ShapeError(
            f"{path}: unknown RDF file type {Path(path).suffix!r}; expected one "
            f"of {', '.join(sorted(SUFFIXES))} (or give the format)"
        )
    return fmt


def rdf_files(
    paths: Iterable[str], explicit: str | None = None, stdin: Callable[[], bytes] | None = None
) -> list[Source]:
    """The sources named by ``paths``: files, folders (every RDF file in them, by suffix,
    sorted) and ``-`` for standard input; a file named twice is read once."""
    out: list[Source] = []
    for p in paths:
        if p == STDIN:
            if stdin is None:
                raise ShapeError("standard input (-) is not available here")
            out.append(Source(STDIN, format_for(p, explicit), stdin()))
            continue
        path = Path(p)
        if path.is_dir():
            found = sorted(
                f for f in path.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES
            )
            if not found:
                raise ShapeError(f"{p}: no RDF files in this folder ({', '.join(SUFFIXES)})")
            out += [Source(str(f), format_for(str(f))) for f in found]
        elif path.is_file():
            out.append(Source(p, format_for(p, explicit)))
        else:
            raise ShapeError(f"{p}: no such file or folder")
    seen: set[str] = set()
    unique = []
    for source in out:
        key = source.path if source.path == STDIN else str(Path(source.path).resolve())
        if key not in seen:
            seen.add(key)
            unique.append(source)
    return unique


# -- one parsing function per format: where limits on hostile input belong ---------------
def _turtle(stream: BinaryIO, base: str) -> Iterator[Quad]:
    return parse(stream, RdfFormat.TURTLE, base_iri=base, rename_blank_nodes=True)


def _ntriples(stream: BinaryIO, base: str) -> Iterator[Quad]:
    return parse(stream, RdfFormat.N_TRIPLES, base_iri=base, rename_blank_nodes=True)


def _nquads(stream: BinaryIO, base: str) -> Iterator[Quad]:
    return parse(stream, RdfFormat.N_QUADS, base_iri=base, rename_blank_nodes=True)


def _trig(stream: BinaryIO, base: str) -> Iterator[Quad]:
    return parse(stream, RdfFormat.TRIG, base_iri=base, rename_blank_nodes=True)


def _rdf_xml(stream: BinaryIO, base: str) -> Iterator[Quad]:
    return parse(stream, RdfFormat.RDF_XML, base_iri=base, rename_blank_nodes=True)


def _json_ld(stream: BinaryIO, base: str) -> Iterator[Quad]:
    return parse(stream, RdfFormat.JSON_LD, base_iri=base, rename_blank_nodes=True)


_PARSERS: dict[RdfFormat, Callable[[BinaryIO, str], Iterator[Quad]]] = {
    RdfFormat.TURTLE: _turtle,
    RdfFormat.N_TRIPLES: _ntriples,
    RdfFormat.N_QUADS: _nquads,
    RdfFormat.TRIG: _trig,
    RdfFormat.RDF_XML: _rdf_xml,
    RdfFormat.JSON_LD: _json_ld,
}


def check_xml_entities(stream: BinaryIO, name: str) -> None:
    """Refuse an XML document whose entities expand past what its size explains ("billion
    laughs": 964 bytes that expand to gigabytes in Oxigraph's RDF/XML parser), or that names
    external entities, before any RDF/XML parser expands them. Expat measures the expansion
    as it parses (its amplification limit, on by default since expat 2.4: at most 100 times
    the input once the output passes 8 MiB); nothing is kept but the count. Reads ``stream``
    to its end."""
    import pyexpat
    from xml.parsers import expat

    if pyexpat.version_info < (2, 4, 0):  # pragma: no cover - Python 3.11 ships 2.5
        raise ShapeError(
            f"{name}: this Python's expat ({pyexpat.EXPAT_VERSION}) cannot bound "
            "entity expansion; RDF/XML is refused"
        )
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def external(
        context: str, base: str | None, system_id: str | None, public_id: str | None
    ) -> int:
        raise ShapeError(
            f"{name}:{parser.CurrentLineNumber}: an external entity "
            f"({system_id or public_id}) is refused: hrkg reads no other file"
        )

    parser.ExternalEntityRefHandler = external
    try:
        for block in iter(lambda: stream.read(1 << 16), b""):
            parser.Parse(block, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        if "amplification" in str(exc):
            raise ShapeError(
                f"{name}:{exc.lineno}: its entities expand far beyond its size "
                "(an entity-expansion bomb); refused"
            ) from None
        # any other fault is the RDF/XML parser's to report, with its own words


def _quads(
    source: Source, stream: BinaryIO, prefixes: dict[str, str] | None = None
) -> Iterator[Quad]:
    """The quads of ``source``, triples of its default graph in ``source.graph``; an error
    names the file and the line. ``prefixes`` receives the file's prefix declarations."""
    graph = source.graph
    if source.format == RdfFormat.RDF_XML and stream.seekable():
        check_xml_entities(stream, source.name)
        stream.seek(0)
    try:
        parser = _PARSERS[source.format](stream, graph.value)
        for q in parser:
            if isinstance(q.graph_name, DefaultGraph):
                yield Quad(q.subject, q.predicate, q.object, graph)
            else:
                yield q
        if prefixes is not None:
            prefixes.update(getattr(parser, "prefixes", None) or {})
    except SyntaxError as exc:
        line = exc.lineno if exc.lineno else _error_line(source, stream)
        where = f"{source.name}:{line}" if line else source.name
        raise ShapeError(f"{where}: not valid {source.format.name}: {exc.msg}") from None
    except UnicodeDecodeError as exc:
        raise ShapeError(f"{source.name}: not UTF-8 text ({exc.reason}); not RDF") from None
    except ValueError as exc:
        raise ShapeError(f"{source.name}: not valid {source.format.name}: {exc}") from None
    except OSError as exc:
        raise ShapeError(f"{source.name}: cannot be read: {exc}") from None


def _error_line(source: Source, stream: object) -> int | None:
    """The line where the parser stops, for parsers whose errors say no line (RDF/XML,
    JSON-LD): the same file read again a line at a time."""
    if isinstance(stream, _LineReader):
        return stream.line
    try:
        with source.open() as raw:
            reader = _LineReader(raw)
            for _ in _PARSERS[source.format](reader, source.graph.value):  # type: ignore[arg-type]
                pass
    except SyntaxError:
        return reader.line
    except (OSError, ValueError):
        return None
    return None


def read_quads(source: Source, prefixes: dict[str, str] | None = None) -> list[Quad]:
    """All quads of ``source`` (read entirely first: an unreadable file adds nothing)."""
    with source.open() as stream:
        return list(_quads(source, stream, prefixes))


class _LineReader(io.RawIOBase):
    """A stream that gives the parser one line per read, so that the number of lines read
    so far says where the parser is."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.line = 0  # the line being read (1-based)
        self._at_start = True

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.raw.readline(len(buffer))
        if data and self._at_start:
            self.line += 1
        self._at_start = data.endswith(b"\n")
        buffer[: len(data)] = data
        return len(data)


def first_lines(source: Source, wanted: set[str]) -> dict[tuple[str, str], int]:
    """For each term of ``wanted`` (N-Triples form) and each graph of the file it is in,
    the line of the first triple that has it as subject (else as object): a dictionary
    keyed by (graph IRI, term)."""
    if source.format not in LINE_FORMATS or not wanted:
        return {}
    as_subject: dict[tuple[str, str], int] = {}
    as_object: dict[tuple[str, str], int] = {}
    with source.open() as raw:
        reader = _LineReader(raw)
        for q in _quads(source, reader):  # type: ignore[arg-type]
            graph = getattr(q.graph_name, "value", "")
            s = str(q.subject)
            if s in wanted:
                as_subject.setdefault((graph, s), reader.line)
            o = str(q.object)
            if o in wanted:
                as_object.setdefault((graph, o), reader.line)
    return {**as_object, **as_subject}
