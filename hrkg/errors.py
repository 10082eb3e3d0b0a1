"""One error hierarchy; the CLI translates it once into a message and exit code 2."""

from __future__ import annotations

__all__ = ["HrkgError", "LoaderError", "ShapeError", "StoreError", "DataError", "QueryError"]


class HrkgError(Exception):
    """Base of every error hrkg raises on purpose. Its message is for a person."""


class LoaderError(HrkgError):
    """A source file cannot be read: names the file, the line or row, and what was expected."""

    def __init__(self, path: object, message: str, line: int | None = None) -> None:
        where = f"{path}:{line}" if line is not None else f"{path}"
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line


class ShapeError(HrkgError):
    """The SHACL shapes, or a file given to validate, cannot be used."""


class StoreError(HrkgError):
    """The store is missing, locked or cannot be written."""


class DataError(HrkgError):
    """A dataset of the manifest is missing, changed or cannot be fetched."""


class QueryError(HrkgError):
    """A SPARQL query cannot be parsed or run."""
