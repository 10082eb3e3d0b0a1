"""The loader registry, fed by the ``hrkg.loaders`` entry points (built-ins included)."""

from __future__ import annotations

from functools import cache
from importlib.metadata import entry_points

from hrkg.errors import LoaderError
from hrkg.loaders.base import Loader

__all__ = ["loaders", "loader_named", "loader_for"]

GROUP = "hrkg.loaders"


@cache
def loaders() -> dict[str, Loader]:
    """Every registered loader by name, sorted by name."""
    found: dict[str, Loader] = {}
    for ep in entry_points(group=GROUP):
        cls = ep.load()
        if not (isinstance(cls, type) and issubclass(cls, Loader)):
            raise LoaderError(ep.value, f"entry point {ep.name!r} is not a hrkg Loader class")
        found[ep.name] = cls()
    return dict(sorted(found.items()))


def loader_named(name: str) -> Loader:
    try:
        return loaders()[name]
    except KeyError:
        raise LoaderError(name, f"no loader named {name!r}; known: {', '.join(loaders())}") from None


def loader_for(relpath: str) -> Loader | None:
    for loader in loaders().values():
        if loader.accepts(relpath):
            return loader
    return None


def require_loader_for(relpath: str) -> Loader:
    loader = loader_for(relpath)
    if loader is None:
        raise LoaderError(
            relpath,
            f"no loader for {relpath}; known: "
            + ", ".join(f"{n} ({', '.join(l.patterns)})" for n, l in loaders().items()),
        )
    return loader
