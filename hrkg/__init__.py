"""hrkg — a human-rights knowledge graph.

The library behind the ``hrkg`` command. Its subpackages by role, in layers; a module
imports only from its own layer or the layers before it (``tests/test_layers.py`` checks):

1. foundation — :mod:`hrkg.errors`, :mod:`hrkg.resources`, :mod:`hrkg.terms`,
   :mod:`hrkg.datasets` (the pinned datasets), :mod:`hrkg.loading` (the loader interface);
2. :mod:`hrkg.reference` — states, instruments, concept schemes, UPR sessions;
3. :mod:`hrkg.text` — document text, the entities it names, reconciliation, downloads;
4. :mod:`hrkg.loaders` — source files into quads (installed from ``loaders/``);
5. :mod:`hrkg.validation` — SHACL validation of files or of a store, report formats;
6. :mod:`hrkg.graph` — store, loader registry, build, derive, query, export, stats;
7. :mod:`hrkg.serve`, :mod:`hrkg.api` and :mod:`hrkg.cli` — the SPARQL endpoint, the
   Python API and the command.

The Python API (:mod:`hrkg.api`, loaded on first use): :func:`open` the built graph, then
``.query(sparql)`` (rows with ``.to_dataframe()``), ``.dataset()`` (an rdflib Dataset with
the named graphs) and ``.store`` (the pyoxigraph Store); :func:`build`, :func:`validate`
and :func:`export` are what the command runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"
__all__ = ["__version__", "open", "build", "validate", "export", "Graph", "Rows"]

if TYPE_CHECKING:
    from hrkg.api import Graph, Rows, build, export, open, validate

_API = {"open", "build", "validate", "export", "Graph", "Rows"}


def __getattr__(name: str) -> object:
    # the API imports the store and the build: only when asked for, so that importing a
    # module of the foundation (hrkg.errors, say) stays cheap
    if name in _API:
        from hrkg import api

        return getattr(api, name)
    raise AttributeError(f"module 'hrkg' has no attribute {name!r}")
