"""The graph: the store and its atomic switch (:mod:`~hrkg.graph.store`), the loader
registry (:mod:`~hrkg.graph.registry`), the build (:mod:`~hrkg.graph.build`), what the
graphs imply (:mod:`~hrkg.graph.derive`), query, export and stats. The build asks the
registered loaders through :class:`hrkg.loading.Loader`'s hooks and imports none of them."""
