"""Document extraction: documents per second and MB of text per second, on the bundled
documents (data/documents/) and on a corpus 100 times larger made by repeating them, two ways:
100 copies of each file, and each file's text repeated 100 times in one file (long documents);
then on the six documents of the unseen gold set (Markdown, and the UN PDFs read from
HRKG_DATA).

Each figure has its baseline measured in the same run: reading and decoding the same files
(the floor any extractor pays), so the ratio says what finding entities costs on top. MB are
of the documents' text (UTF-8), not of the files. Times are CPU seconds of this one process
(``time.process_time``), so the figures are per core and hold on a busy machine; wall-clock
seconds are printed beside them. The goal (issue 17): at least 1 MB/s of text per core for
extraction (``extract``: finding the entities, mentions and treaty actions in a text).

Last, the time ``hrkg load`` takes to add one document to a built store (validating only what
it touches) against the full build's validation.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bundled import print_table  # noqa: E402

from hrkg.loaders.web_page import WebPageLoader  # noqa: E402
from hrkg.loading import LoadReport, Source  # noqa: E402
from hrkg.text.docentities import extract  # noqa: E402
from hrkg.text.doctext import read_page  # noqa: E402

DOCS = Path(__file__).resolve().parent.parent / "data" / "documents"
REPEAT = 100
GOAL = 1.0   # MB of text per second per core


def _files() -> list[Path]:
    return sorted(p for p in DOCS.iterdir() if p.is_file() and not p.name.endswith(".meta.json"))


def _time(fn, rounds: int = 3) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of the fastest of ``rounds`` runs."""
    best = (float("inf"), float("inf"))
    for _ in range(rounds):
        cpu, wall = time.process_time(), time.perf_counter()
        fn()
        best = min(best, (time.process_time() - cpu, time.perf_counter() - wall))
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
    texts = [read_page(p).text for p in paths]
    mb = sum(len(t.encode()) for t in texts) / 1e6
    rounds = 1 if len(paths) > 50 or mb > 1 else 3
    floor, _ = _time(lambda: _floor(paths), rounds)
    ext, ext_wall = _time(lambda: [extract(t) for t in texts], rounds)
    full, full_wall = _time(lambda: _load(paths), rounds)
    quads = _load(paths[:5])
    return [
        (f"{name}: files / MB of text", f"{len(paths)} / {mb:.2f}", ""),
        (f"{name}: read+decode MB/s", f"{mb / floor:.1f}", "the floor"),
        (f"{name}: extraction MB/s per core", f"{mb / ext:.2f}",
         f"goal {GOAL:g}: {'met' if mb / ext >= GOAL else 'NOT met'}; "
         f"wall {mb / ext_wall:.2f} MB/s"),
        (f"{name}: load (read + extract + quads) MB/s", f"{mb / full:.2f}",
         f"{full / floor:.1f}× read+decode; wall {mb / full_wall:.2f} MB/s"),
        (f"{name}: documents/s", f"{len(paths) / full:.1f}", ""),
        (f"{name}: quads (first 5 files)", f"{quads}", ""),
    ]


def _load_vs_validation() -> list[tuple[str, str, str]]:
    import os

    from hrkg.datasets import data_dir
    from hrkg.graph.build import build, load_files

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
             f"{v_full / v_one:.0f}× less than the full build's validation"),
            ("hrkg load of one document: copy of the store + load s",
             f"{one.timings['loading']:.1f}", "the store is copied, the copy switched in"),
            ("hrkg load of one document: writing the new store s",
             f"{one.timings.get('writing', 0):.1f}", ""),
            ("hrkg load of one document: total s", f"{total:.1f}",
             f"{total / v_full:.2f}× the full build's validation"),
        ]


def main() -> None:
    import os

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
            text = p.read_text(encoding="utf-8")
            target.write_text("\n\n".join([text] * REPEAT), encoding="utf-8")
            longer.append(target)
        rows += measure(f"{REPEAT}× longer", longer)
    gold = Path(__file__).resolve().parent.parent / "tests" / "gold"
    rows += measure("unseen Markdown", sorted((gold / "unseen").glob("*.md")))
    shared = Path(os.environ.get("HRKG_DATA", "")) / "ohchr-upr" / "slovenia"
    pdfs = sorted(shared.glob("cycle*/A_HRC_WG.6_*_SVN_1.pdf"))
    if pdfs:
        rows += measure("UN PDFs (pypdf)", pdfs)
    print("document extraction (web-page loader)")
    print_table(rows)
    print("\nloading one document into a built store (bundled data)")
    print_table(_load_vs_validation())


if __name__ == "__main__":
    main()
