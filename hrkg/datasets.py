"""The pinned datasets: where they are (``HRKG_DATA``), whether they are intact, fetching.

``data/MANIFEST.tsv`` pins every third-party file hrkg reads: its path in the data
directory, size, SHA-256, origin and, where one exists, a download URL pinned to a commit.
"""

from __future__ import annotations

import csv
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from hrkg.errors import DataError
from hrkg.resources import resource_dir

__all__ = ["Entry", "manifest", "data_dir", "FileStatus", "verify", "fetch", "TEST_SUITES"]

# pinned like the datasets (verified, fetched) but read by the tests, not loaded by a build
TEST_SUITES = {"w3c-shacl-tests": "the W3C SHACL test suite (tests/w3c)"}


@dataclass(frozen=True)
class Entry:
    path: str
    bytes: int
    sha256: str
    origin_repository: str
    origin_commit: str
    origin_path: str
    download_url: str

    @property
    def dataset(self) -> str:
        return self.path.split("/", 1)[0]

    @property
    def is_dataset(self) -> bool:
        """False for pinned files that are not data to load (a test suite)."""
        return self.dataset not in TEST_SUITES


def manifest() -> list[Entry]:
    path = resource_dir("data") / "MANIFEST.tsv"
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    out = []
    for r in csv.DictReader(lines, delimiter="\t"):
        out.append(
            Entry(
                r["path"],
                int(r["bytes"]),
                r["sha256"],
                r["origin_repository"],
                r["origin_commit"],
                r["origin_path"],
                r["download_url"],
            )
        )
    return out


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The data directory: the argument, else ``HRKG_DATA``, else a per-user cache."""
    if explicit:
        return Path(explicit)
    if os.environ.get("HRKG_DATA"):
        return Path(os.environ["HRKG_DATA"])
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return cache / "hrkg" / "data"


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@dataclass(frozen=True)
class FileStatus:
    entry: Entry
    state: str  # ok | missing | changed | truncated
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.state:9} {self.entry.path}" + (f"  ({self.detail})" if self.detail else "")


def check(entry: Entry, root: Path) -> FileStatus:
    path = root / entry.path
    if not path.is_file():
        return FileStatus(entry, "missing")
    size = path.stat().st_size
    if size < entry.bytes:
        return FileStatus(entry, "truncated", f"{size} of {entry.bytes} bytes")
    digest = sha256_of(path)
    if digest != entry.sha256 or size != entry.bytes:
        return FileStatus(entry, "changed", f"sha256 {digest[:12]}…, pinned {entry.sha256[:12]}…")
    return FileStatus(entry, "ok")


def verify(root: Path) -> list[FileStatus]:
    return [check(e, root) for e in manifest()]


def how_to_get(entry: Entry) -> str:
    if entry.download_url:
        return f"`hrkg data fetch` downloads it from {entry.download_url}"
    return (
        f"no pinned download: take {entry.origin_path} from github.com/"
        f"{entry.origin_repository} at commit {entry.origin_commit} (see data/MANIFEST.tsv)"
    )


def fetch(root: Path, progress: bool = False) -> list[FileStatus]:
    """Download the missing or damaged files that have a pinned URL (needs a network)."""
    import pooch  # only here: the rest of hrkg never touches the network

    out = []
    for status in verify(root):
        entry = status.entry
        if status.state == "ok":
            out.append(status)
            continue
        if not entry.download_url:
            out.append(FileStatus(entry, status.state, how_to_get(entry)))
            continue
        target = root / entry.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            target.unlink()
        try:
            pooch.retrieve(
                entry.download_url,
                known_hash=f"sha256:{entry.sha256}",
                fname=target.name,
                path=target.parent,
                progressbar=progress,
            )
        except Exception as exc:  # network errors of every kind: report, go on with the rest
            raise DataError(
                f"{entry.path}: download from {entry.download_url} failed: {exc}"
            ) from exc
        out.append(check(entry, root))
    return out
