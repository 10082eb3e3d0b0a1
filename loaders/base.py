"""The loader interface, as loaders written before :mod:`hrkg.loading` import it."""

from hrkg.loading import Finding, Loader, LoadReport, Source

__all__ = ["Loader", "Source", "LoadReport", "Finding"]
