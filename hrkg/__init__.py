"""hrkg — a human-rights knowledge graph.

The library behind the ``hrkg`` command: loaders turn source files into quads
(:mod:`hrkg.loaders`), :mod:`hrkg.build` writes them into an Oxigraph store,
:mod:`hrkg.validate` checks them against the SHACL shapes, and
:mod:`hrkg.query`, :mod:`hrkg.export` and :mod:`hrkg.serve` give them to people.
"""

__version__ = "0.1.0"
