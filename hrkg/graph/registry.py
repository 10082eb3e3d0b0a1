"""The loader registry, fed by the ``hrkg.loaders`` entry points (built-ins included,
loaded by :func:`hrkg.loading.registered_loaders`)."""

from __future__ import annotations

from hrkg.errors import LoaderError
from hrkg.loading import GROUP, Loader, registered_loaders

__all__ = ["loaders", "loader_named", "loader_for", "require_loader_for", "GROUP"]


def loaders() -> dict[str, Loader]:
    """Every registered loader by name, sorted by name."""
    return registered_loaders()


def loader_named(name: str) -> Loader:
    try:
        return loaders()[name]
    except KeyError:
        raise LoaderError(
            name, f"no loader named {name!r}; known: {', '.join(loaders())}"
        ) from None


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
            + ", ".join(f"{n} ({', '.join(ld.patterns)})" for n, ld in loaders().items()),
        )
    return loader
