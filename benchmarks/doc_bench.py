"""Document extraction: documents per second and MB per second, on the bundled documents
(data/documents/) and on a corpus 100 times larger made by repeating them, two ways: 100
copies of each file, and each file's text repeated 100 times in one file (long documents).

Each figure has its baseline measured in the same run: reading and decoding the same files
(the floor any extractor pays), so the ratio says what finding entities costs on top. The
goal (issue 17): at least 1 MB/s of text per core for extraction; everything here runs in one
process, so the figures are per core. Then the same for the six unseen documents (Markdown, and
the two UN PDFs read from HRKG_DATA), and last the time `hrkg load` takes to add one document to
a built store (validating only what it touches) against the full build's validation.
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


def _load_vs_validation() -> list[tuple[str, str, str]]:
    import os

    from hrkg.build import build, load_files
    from hrkg.data import data_dir

    data = data_dir(os.environ.get("HRKG_DATA"))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "store"
        full = build(data, root)
        assert full.ok, full.failed
        doc = Path(tmp) / "documents" / "togo.txt"
        doc.parent.mkdir()
        doc.write_text("Togo ratified the Convention against Torture on 18 November 1987; "
                       "Minister of Justice Pius Agbetomey spoke.\n", encoding="utf-8")
        start = time.perf_counter()
        one = load_files([doc], data, root)
        total = time.perf_counter() - start
        assert one.ok and one.validation is not None, one.failed
        v_full = full.timings["validation"]
        v_one = one.validation.seconds
        return [
            ("full build: validation s", f"{v_full:.1f}", f"{full.triples} quads"),
            ("hrkg load of one document: validation s", f"{v_one:.2f}",
             f"{v_full / v_one:.0f}× less than the full validation"),
            ("hrkg load of one document: total s", f"{total:.1f}",
             "copy of the store + load + validation + commit"),
        ]


def main() -> None:
    files = _files()
    rows = measure("bundled", files)
    gold = Path(__file__).resolve().parent.parent / "tests" / "gold"
    unseen = sorted((gold / "unseen").glob("*.md"))
    rows += measure("unseen Markdown", unseen)
    import os
    shared = Path(os.environ.get("HRKG_DATA", "")) / "ohchr-upr" / "slovenia"
    pdfs = sorted(shared.glob("cycle*/A_HRC_WG.6_*_SVN_1.pdf"))
    if pdfs:
        from hrkg.doctext import read_page
        text_mb = sum(len(read_page(p).text.encode()) for p in pdfs) / 1e6
        full = _time(lambda: _load(pdfs), rounds=1)
        rows.append(("UN PDFs: files / MB of text", f"{len(pdfs)} / {text_mb:.2f}", ""))
        rows.append(("UN PDFs: load s (pypdf + extract)", f"{full:.2f}",
                     f"{text_mb / full:.3f} MB of text/s"))
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
    print("\nloading one document into a built store (bundled data)")
    print_table(_load_vs_validation())


if __name__ == "__main__":
    main()
