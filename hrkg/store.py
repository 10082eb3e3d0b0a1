"""The store on disk: ``.hrkg/`` under the current directory unless told otherwise.

Layout: ``stores/<build id>/`` holds one Oxigraph store per build; ``current`` is a
symbolic link to the one in use, switched atomically (``rename`` of a new link over the
old), so a reader sees the old store or the new one, never a half-written one. The
previous store is kept until the next switch, so a server started on it keeps working.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from pyoxigraph import Store

from hrkg.errors import StoreError

__all__ = ["store_root", "current_store", "new_store_dir", "switch", "open_read_only",
           "discard"]


def store_root(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit)
    if os.environ.get("HRKG_STORE"):
        return Path(os.environ["HRKG_STORE"])
    return Path.cwd() / ".hrkg"


def current_store(root: Path) -> Path:
    link = root / "current"
    if not link.exists():
        raise StoreError(f"no built store in {root}; run `hrkg build` first "
                         "(or give --store / HRKG_STORE)")
    return link.resolve()


def new_store_dir(root: Path) -> Path:
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    path = root / "stores" / f"{stamp}-{os.getpid()}-{time.monotonic_ns() % 100000:05d}"
    path.mkdir(parents=True)
    return path


def switch(root: Path, new: Path) -> Path | None:
    """Point ``current`` at ``new`` atomically; drop stores older than the previous one."""
    link = root / "current"
    previous = link.resolve() if link.exists() else None
    tmp = root / f".current-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(new.relative_to(root))
    os.replace(tmp, link)
    for old in (root / "stores").iterdir():
        if old.resolve() not in (new.resolve(), previous):
            shutil.rmtree(old, ignore_errors=True)
    return previous


def discard(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def open_read_only(root: Path) -> Store:
    path = current_store(root)
    try:
        return Store.read_only(str(path))
    except OSError as exc:
        raise StoreError(f"cannot open the store {path}: {exc}") from exc
