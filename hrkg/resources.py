"""Where the project's own files are: from a checkout, an editable install or a wheel.

In a wheel the top-level folders are installed inside the package (``hrkg/ontology``,
``hrkg/shapes`` ...); in a checkout they sit beside ``hrkg/``. One helper serves both.
"""

from __future__ import annotations

from pathlib import Path

from hrkg.errors import HrkgError

__all__ = ["resource_dir", "ontology_files", "shape_files", "query_files"]

_PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """The folder ``name`` (``ontology``, ``shapes``, ``queries``, ``data``)."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise HrkgError(f"hrkg is installed without its {name}/ folder (looked in {_PACKAGE})")


def ontology_files() -> list[Path]:
    return sorted(resource_dir("ontology").glob("*.ttl"))


def shape_files() -> list[Path]:
    return sorted(resource_dir("shapes").glob("*.ttl"))


def query_files() -> list[Path]:
    return sorted(resource_dir("queries").glob("*.rq"))
