"""hrkg — a human-rights knowledge graph.

The library behind the ``hrkg`` command. Its subpackages by role, in layers; a module
imports only from its own layer or the layers before it (``tests/test_layers.py`` checks):

1. foundation — :mod:`hrkg.errors`, :mod:`hrkg.resources`, :mod:`hrkg.terms`,
   :mod:`hrkg.datasets` (the pinned datasets);
2. :mod:`hrkg.reference` — states, instruments, concept schemes, UPR sessions;
3. :mod:`hrkg.text` — document text, the entities it names, reconciliation, downloads;
4. :mod:`hrkg.loaders` — source files into quads (installed from ``loaders/``);
5. :mod:`hrkg.validation` — SHACL validation of files or of a store, report formats;
6. :mod:`hrkg.graph` — store, loader registry, build, derive, query, export, stats;
7. :mod:`hrkg.serve` and :mod:`hrkg.cli` — the SPARQL endpoint and the command.
"""

__version__ = "0.1.0"
