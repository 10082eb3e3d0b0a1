"""The store on disk: ``.hrkg/`` under the current directory unless told otherwise.

Layout: ``stores/<build id>/`` holds one built store: the Oxigraph (RocksDB) store, and
beside its files ``snapshot.nq`` (the same quads as N-Quads, which ``hrkg serve`` loads into
memory in seconds) and ``hrkg.json`` (counts the server checks the snapshot against).
``current`` is a symbolic link to the one in use, switched atomically (``rename`` of a new
link over the old), so a reader sees the old store or the new one, never a half-written one;
``previous`` names the one before, kept until the next switch.

Every named graph holds what one source says; the default graph holds every fact once (the
merge of the named graphs, made at build time), so queries count without DISTINCT.

Writers take ``.lock`` (``flock``): one build or load at a time, and the next one removes
the folders a killed build left behind.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pyoxigraph import Store

from hrkg.errors import StoreError

__all__ = [
    "store_root",
    "current_store",
    "new_store_dir",
    "switch",
    "open_read_only",
    "discard",
    "locked",
    "remove_leftovers",
    "SNAPSHOT",
    "INFO",
    "store_info",
]

SNAPSHOT = "snapshot.nq"
INFO = "hrkg.json"


def store_root(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit)
    if os.environ.get("HRKG_STORE"):
        return Path(os.environ["HRKG_STORE"])
    return Path.cwd() / ".hrkg"


def current_store(root: Path) -> Path:
    link = root / "current"
    if not link.exists():
        raise StoreError(
            f"no built store in {root}; run `hrkg build` first (or give --store / HRKG_STORE)"
        )
    return link.resolve()


def store_info(path: Path) -> dict[str, object]:
    """What the build recorded about the store in ``path`` (empty for older stores)."""
    try:
        value = json.loads((path / INFO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def new_store_dir(root: Path) -> Path:
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    path = root / "stores" / f"{stamp}-{os.getpid()}-{time.monotonic_ns() % 100000:05d}"
    path.mkdir(parents=True)
    return path


@contextmanager
def locked(root: Path) -> Iterator[None]:
    """Hold ``root/.lock`` while writing: a second build or load waits for nobody, it
    stops with the pid of the one that writes."""
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            raise StoreError(
                f"another hrkg build or load (pid {holder}) is writing {root}; "
                "wait for it to finish"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)


def _link(root: Path, name: str, target: Path) -> None:
    tmp = root / f".{name}-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(target.relative_to(root))
    os.replace(tmp, root / name)


def _kept(root: Path) -> set[Path]:
    return {(root / name).resolve() for name in ("current", "previous") if (root / name).exists()}


def switch(root: Path, new: Path) -> Path | None:
    """Point ``current`` at ``new`` atomically; drop stores older than the previous one."""
    link = root / "current"
    previous = link.resolve() if link.exists() else None
    _link(root, "current", new)
    if previous is not None and previous != new.resolve():
        _link(root, "previous", previous)
    kept = _kept(root)
    for old in (root / "stores").iterdir():
        if old.resolve() not in kept:
            shutil.rmtree(old, ignore_errors=True)
    return previous


def remove_leftovers(root: Path) -> list[str]:
    """Store folders neither current nor previous (a killed build's): removed. Call it
    holding the lock, so that no running build's folder is taken."""
    removed = []
    kept = _kept(root)
    for old in sorted((root / "stores").iterdir()) if (root / "stores").is_dir() else []:
        if old.resolve() not in kept:
            shutil.rmtree(old, ignore_errors=True)
            removed.append(old.name)
    for tmp in root.glob(".current-*"):
        tmp.unlink(missing_ok=True)
    for tmp in root.glob(".previous-*"):
        tmp.unlink(missing_ok=True)
    return removed


def discard(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def open_read_only(root: Path) -> Store:
    path = current_store(root)
    try:
        return Store.read_only(str(path))
    except OSError as exc:
        raise StoreError(f"cannot open the store {path}: {exc}") from exc
