"""Document extraction: documents per second and MB per second, on the bundled documents
(data/documents/) and on a corpus 100 times larger made by repeating them, two ways: 100
copies of each file, and each file's text repeated 100 times in one file (long documents).

Each figure has its baseline measured in the same run: reading and decoding the same files
(the floor any extractor pays), so the ratio says what finding entities costs on top.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bundled import print_table  # noqa: E402
from hrkg.loaders.base import LoadReport, Source  # noqa: E402
from hrkg.loaders.web_page import WebPageLoader  # noqa: E402

from hrkg.doctext import read_page  # noqa: E402

DOCS = Path(__file__).resolve().parent.parent / "data" / "documents"
REPEAT = 100


def _files() -> list[Path]:
    return sorted(p for p in DOCS.iterdir() if p.is_file() and not p.name.endswith(".meta.json"))


def _time(fn, rounds: int = 3) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def _floor(paths: list[Path]) -> None:
    for p in paths:
        read_page(p)


def _load(paths: list[Path]) -> int:
    loader, n = WebPageLoader(), 0
    for p in paths:
        src = Source.from_path(p, f"documents/{p.name}")
        n += sum(1 for _ in loader.load(src, LoadReport(src.relpath)))
    return n


def measure(name: str, paths: list[Path]) -> list[tuple[str, str, str]]:
    size = sum(p.stat().st_size for p in paths) / 1e6
    floor = _time(lambda: _floor(paths))
    full = _time(lambda: _load(paths), rounds=1 if len(paths) > 50 or size > 1 else 3)
    quads = _load(paths[:5])
    return [
        (f"{name}: files / MB", f"{len(paths)} / {size:.2f}", ""),
        (f"{name}: load (extract + quads) s", f"{full:.3f}", f"{full / floor:.1f}× read+decode ({floor:.3f} s)"),
        (f"{name}: documents/s", f"{len(paths) / full:.1f}", ""),
        (f"{name}: MB/s", f"{size / full:.3f}", f"read+decode: {size / floor:.1f} MB/s"),
        (f"{name}: quads (first 5 files)", f"{quads}", ""),
    ]


def main() -> None:
    files = _files()
    rows = measure("bundled", files)
    with tempfile.TemporaryDirectory() as tmp:
        copies = []
        for i in range(REPEAT):
            for p in files:
                target = Path(tmp) / f"{p.stem}-{i:03d}{p.suffix}"
                target.write_bytes(p.read_bytes())
                copies.append(target)
        rows += measure(f"{REPEAT}× copies", copies)
        longer = []
        for p in files:
            target = Path(tmp) / f"long-{p.name}"
            target.write_text("\n\n".join([p.read_text(encoding="utf-8")] * REPEAT), encoding="utf-8")
            longer.append(target)
        rows += measure(f"{REPEAT}× longer", longer)
    print("document extraction (web-page loader)")
    print_table(rows)


if __name__ == "__main__":
    main()
