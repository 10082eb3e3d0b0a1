"""Loaders: one module per kind of source, each turning one file into quads.

How to add one: subclass :class:`hrkg.loading.Loader` (the interface and its hooks are
documented there) in a module of your own
package, give it a ``name``, a ``version`` and the ``patterns`` (paths relative to the
data directory, glob style) it accepts, and implement ``load(source, report)`` so that it
yields :class:`pyoxigraph.Quad` objects in ``source.graph`` and never touches a store.
Then register it under the ``hrkg.loaders`` entry-point group in your
``pyproject.toml``; ``hrkg loaders`` lists it, and ``hrkg build`` uses it. The built-in
loaders are registered the same way.
"""
