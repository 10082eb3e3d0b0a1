"""hrkg from Python: what the ``hrkg`` command does, as functions, and the built graph as an
object to query, to hand to pandas or to rdflib. ``import hrkg`` gives these names
(:func:`open`, :func:`build`, :func:`validate`, :func:`export`); the README's "Python"
section is a session that runs as a test."""

from __future__ import annotations

import builtins
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, overload

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    Store,
    Triple,
)

from hrkg.errors import QueryError
from hrkg.graph.store import open_read_only, store_root

if TYPE_CHECKING:
    import pandas
    import rdflib

    from hrkg.graph.build import BuildResult
    from hrkg.validation.validate import ValidationReport

__all__ = ["Graph", "Rows", "open", "build", "validate", "export"]

Term = NamedNode | BlankNode | Literal | Triple
XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {
    XSD + t
    for t in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "negativeInteger",
        "nonPositiveInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
    )
}


def python_value(term: Term | None) -> object:
    """A term as a plain Python value: an IRI as its string, a number as int, Decimal or
    float, a boolean as bool, any other literal as its lexical form, unbound as None."""
    if term is None:
        return None
    if isinstance(term, Literal):
        dt = term.datatype.value
        try:
            if dt in _INTEGERS:
                return int(term.value)
            if dt == XSD + "decimal":
                return Decimal(term.value)
            if dt in (XSD + "double", XSD + "float"):
                return float(term.value)
        except ValueError:
            return term.value  # an ill-typed literal stays as written
        if dt == XSD + "boolean":
            return term.value in ("true", "1")
        return term.value
    if isinstance(term, NamedNode | BlankNode):
        return term.value
    return str(term)


class Rows(Sequence[tuple[Term | None, ...]]):
    """The answer of a SELECT query: ``variables`` and one tuple of terms per solution
    (None where a variable is unbound), in the order the query gave them."""

    def __init__(self, variables: Sequence[str], rows: Iterable[tuple[Term | None, ...]]):
        self.variables: tuple[str, ...] = tuple(variables)
        self._rows = list(rows)

    @overload
    def __getitem__(self, i: int) -> tuple[Term | None, ...]: ...

    @overload
    def __getitem__(self, i: slice) -> Sequence[tuple[Term | None, ...]]: ...

    def __getitem__(
        self, i: int | slice
    ) -> tuple[Term | None, ...] | Sequence[tuple[Term | None, ...]]:
        return self._rows[i]

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[tuple[Term | None, ...]]:
        return iter(self._rows)

    def __repr__(self) -> str:
        return f"<Rows {', '.join(self.variables)}: {len(self)} rows>"

    def values(self) -> list[tuple[object, ...]]:
        """The rows as plain Python values (:func:`python_value`)."""
        return [tuple(python_value(t) for t in row) for row in self._rows]

    def to_dataframe(self) -> pandas.DataFrame:
        """A pandas DataFrame, one column per variable, plain Python values in the cells.
        Needs pandas: ``pip install 'hrkg[pandas]'``."""
        try:
            import pandas
        except ImportError:
            raise ImportError(
                "Rows.to_dataframe needs pandas: pip install 'hrkg[pandas]'"
            ) from None
        return pandas.DataFrame(self.values(), columns=list(self.variables))


class Graph:
    """The built graph of a store folder, read-only: :attr:`store` is the pyoxigraph Store
    (its default graph holds every fact once; each source file has its named graph)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.store: Store = open_read_only(root)

    def __repr__(self) -> str:
        return f"<hrkg.Graph {self.root}: {len(self.store)} quads>"

    def query(self, sparql: str) -> Rows | bool | list[Triple]:
        """Run a SPARQL query: a SELECT gives :class:`Rows`, an ASK a bool, a CONSTRUCT or
        DESCRIBE the triples. A query that is not SPARQL raises :class:`hrkg.errors.QueryError`."""
        try:
            result = self.store.query(sparql)
        except SyntaxError as exc:
            raise QueryError(f"the query is not valid SPARQL: {exc}") from None
        except OSError as exc:
            raise QueryError(f"the query failed: {exc}") from None
        if isinstance(result, QueryBoolean):
            return bool(result)
        if isinstance(result, QuerySolutions):
            names = [v.value for v in result.variables]
            return Rows(names, (tuple(sol[v] for v in names) for sol in result))
        assert isinstance(result, QueryTriples)
        return list(result)

    def select(self, sparql: str) -> Rows:
        """:meth:`query` for a SELECT: the rows (anything else raises QueryError)."""
        answer = self.query(sparql)
        if not isinstance(answer, Rows):
            raise QueryError("select() takes a SELECT query; use query() for ASK or CONSTRUCT")
        return answer

    def dataset(self) -> rdflib.Dataset:
        """The store as an rdflib Dataset, its named graphs kept (one per source file, as
        ``ds.graphs()`` lists them), through oxrdflib: rdflib reads the Oxigraph store in
        place, nothing is copied. Read-only like the store."""
        import rdflib
        from oxrdflib import OxigraphStore

        return rdflib.Dataset(store=OxigraphStore(store=self.store))

    def export(
        self,
        output: str | os.PathLike[str] | IO[str],
        fmt: str = "turtle",
        graph: str | None = None,
        include_build: bool = False,
    ) -> int:
        """:func:`export` of this graph."""
        return _export(self.store, output, fmt, graph, include_build)


def open(store: str | os.PathLike[str] | None = None) -> Graph:
    """The graph last built in ``store`` (default: ``HRKG_STORE``, else ``.hrkg/`` in the
    current directory, as for the command). Raises :class:`hrkg.errors.StoreError` when
    nothing was built there."""
    return Graph(store_root(store))


def build(
    data: str | os.PathLike[str] | None = None,
    store: str | os.PathLike[str] | None = None,
    *,
    validate: bool = True,
    engine: str = "fast",
    allow_damaged: bool = False,
    documents: Iterable[str | os.PathLike[str]] = (),
    progress: Callable[[str], None] = lambda step: None,
) -> BuildResult:
    """``hrkg build``: every dataset under ``data`` (default: ``HRKG_DATA``, else the
    per-user cache) and every document into a new store under ``store``, validated, then
    made current; a failed build (``result.ok`` false) leaves the previous store as it was."""
    from hrkg.datasets import data_dir
    from hrkg.graph.build import build as run_build

    return run_build(
        data_dir(None if data is None else str(data)),
        store_root(store),
        validate=validate,
        progress=progress,
        engine=engine,
        allow_damaged=allow_damaged,
        documents=[Path(d) for d in documents],
    )


def validate(
    files: Sequence[str | os.PathLike[str]] = (),
    *,
    store: str | os.PathLike[str] | None = None,
    shapes: Sequence[str | os.PathLike[str]] = (),
    engine: str = "fast",
    per_graph: bool = False,
    data_format: str | None = None,
    max_results: int | None = 10_000,
    stdin: Callable[[], bytes] | None = None,
) -> ValidationReport:
    """``hrkg validate``: ``files`` (RDF files or folders; ``-`` reads ``stdin``) or, with
    none, the built store, against hrkg's SHACL shapes or ``shapes``."""
    from hrkg.validation.validate import shapes_graph, validate_files, validate_store

    shape_paths = [str(s) for s in shapes] or None
    if files:
        return validate_files(
            [str(f) for f in files],
            engine,
            shapes=shape_paths,
            per_graph=per_graph,
            data_format=data_format,
            stdin=stdin or (lambda: sys.stdin.buffer.read()),
            max_results=max_results,
        )
    return validate_store(
        open_read_only(store_root(store)),
        engine,
        shapes=shapes_graph(shape_paths) if shape_paths else None,
        per_graph=per_graph,
        max_results=max_results,
    )


def export(
    output: str | os.PathLike[str] | IO[str],
    fmt: str = "turtle",
    *,
    store: str | os.PathLike[str] | None = None,
    graph: str | None = None,
    include_build: bool = False,
) -> int:
    """``hrkg export``: the built store (or the named graph ``graph``) written to
    ``output`` (a path or a text stream) deterministically, in ``fmt`` (turtle, trig, nt,
    nq); returns the number of statements written."""
    return _export(open_read_only(store_root(store)), output, fmt, graph, include_build)


def _export(
    st: Store,
    output: str | os.PathLike[str] | IO[str],
    fmt: str,
    graph: str | None,
    include_build: bool,
) -> int:
    from hrkg.graph.export import export as run_export

    name = NamedNode(graph) if graph else None
    if isinstance(output, str | os.PathLike):
        with builtins.open(output, "w", encoding="utf-8") as out:
            return run_export(st, out, fmt, name, include_build)
    return run_export(st, output, fmt, name, include_build)
